import type { Metadata } from "next";
import { LatencyScreen } from "@/components/latency/latency-screen";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { parseLatencyParams } from "@/lib/dashboard/latency-params";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";

export const metadata: Metadata = { title: "Latency" };

export default async function LatencyPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const params = await searchParams;
  const context = await resolveDashboardContext(params);
  return (
    <>
      <DashboardHeader context={context} title="Latency" description="Are calls inside the TTFT budget, and which ones are slow?" />
      <main className="p-4 md:p-6">
        <LatencyScreen context={context} params={parseLatencyParams(params)} />
      </main>
    </>
  );
}
