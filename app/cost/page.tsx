import type { Metadata } from "next";
import { CostScreen } from "@/components/cost/cost-screen";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { costBreakdowns, pickBreakdown } from "@/lib/dashboard/breakdown-params";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";

export const metadata: Metadata = { title: "Cost" };

export default async function CostPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const params = await searchParams;
  const context = await resolveDashboardContext(params);
  return (
    <>
      <DashboardHeader context={context} title="Cost" description="Where the money goes, and the prices it is computed from" />
      <CostScreen context={context} breakdown={pickBreakdown(costBreakdowns(context.settings.allocationTagKeys), params)} />
    </>
  );
}
