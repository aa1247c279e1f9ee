import { listCalls } from "@/lib/calls/list-calls";
import { getIngestStats } from "@/lib/ingest/record-stats";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { toCallFilters, type SearchParamsInput } from "@/lib/dashboard/view-params";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { RecentCalls } from "@/components/recent-calls";
import { IngestStatus } from "@/components/ingest-status";
import { GettingStarted } from "@/components/getting-started";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const context = await resolveDashboardContext(await searchParams);
  const [calls, stats] = await Promise.all([
    listCalls(context.project.id, { filters: toCallFilters(context.view, context.now), limit: 50, cursor: null }),
    getIngestStats(context.project.id),
  ]);
  return (
    <>
      <DashboardHeader context={context} title="Overview" />
      <main className="mx-auto max-w-6xl space-y-8 px-4 py-6 md:px-6">
        {calls.data.length === 0 ? <GettingStarted /> : <RecentCalls calls={calls.data} />}
        <IngestStatus stats={stats} />
      </main>
    </>
  );
}
