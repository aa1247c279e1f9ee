import { hasAcceptedSpans, IngestPanel } from "@/components/overview/ingest-panel";
import { OverviewFigureSections } from "@/components/overview/overview-figures";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";
import { getIngestStats } from "@/lib/ingest/record-stats";

export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const context = await resolveDashboardContext(await searchParams);
  const stats = getIngestStats(context.project.id);
  return (
    <>
      <DashboardHeader context={context} title="Overview" description="Latency against the budget, cache, errors and spend at a glance" />
      <main className="space-y-8 p-4 md:p-6">
        <OverviewFigureSections context={context} hasEverReceived={stats.then(hasAcceptedSpans)} />
        <IngestPanel stats={stats} />
      </main>
    </>
  );
}
