import { getDefaultProject } from "@/lib/projects/get-project";
import { listCalls } from "@/lib/calls/list-calls";
import { getIngestStats } from "@/lib/ingest/record-stats";
import { RecentCalls } from "@/components/recent-calls";
import { IngestStatus } from "@/components/ingest-status";
import { GettingStarted } from "@/components/getting-started";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const project = await getDefaultProject();
  const now = new Date();
  const [calls, stats] = await Promise.all([
    listCalls(project.id, {
      filters: { from: new Date(now.getTime() - 24 * 3600 * 1000), to: now, attributes: {} },
      limit: 50,
      cursor: null,
    }),
    getIngestStats(project.id),
  ]);
  return (
    <main className="mx-auto max-w-6xl space-y-8 px-4 py-8">
      <header className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Sous</h1>
        <span className="text-sm text-zinc-500">project: {project.name}</span>
      </header>
      {calls.data.length === 0 ? <GettingStarted /> : <RecentCalls calls={calls.data} />}
      <IngestStatus stats={stats} />
    </main>
  );
}
