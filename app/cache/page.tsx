import type { Metadata } from "next";
import { CacheScreen } from "@/components/cache/cache-screen";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { CACHE_BREAKDOWNS, pickBreakdown } from "@/lib/dashboard/breakdown-params";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";

export const metadata: Metadata = { title: "Cache" };

export default async function CachePage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const params = await searchParams;
  const context = await resolveDashboardContext(params);
  return (
    <>
      <DashboardHeader context={context} title="Cache" description="Is prompt caching working, what is it worth, and what defeats it" />
      <CacheScreen context={context} breakdown={pickBreakdown(CACHE_BREAKDOWNS, params)} />
    </>
  );
}
