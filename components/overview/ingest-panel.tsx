import { AsyncPanel } from "@/components/ui/async-panel";
import { DataTable } from "@/components/ui/data-table";
import { PanelEmpty } from "@/components/ui/panel-states";
import { formatCount } from "@/lib/format/numbers";
import type { IngestStat } from "@/lib/ingest/record-stats";

/**
 * Spans accepted and rejected per service, with the last rejection message: exporters only log a
 * partial success, so this is where a user sees that spans were dropped and why.
 */
export function IngestPanel({ stats }: { stats: Promise<IngestStat[]> }) {
  return (
    <AsyncPanel
      title="Ingest"
      description="Spans received per service since the project started (all time, not the range)"
      testId="ingest-panel"
      load={() => stats}
      isEmpty={(rows) => rows.length === 0}
      empty={<PanelEmpty title="No spans received yet" />}
    >
      {(rows) => (
        <DataTable
          testId="ingest-stats"
          rows={rows}
          rowKey={(row) => `${row.serviceName}|${row.reason}`}
          columns={[
            { key: "service", header: "Service", cell: (row) => row.serviceName },
            {
              key: "outcome",
              header: "Outcome",
              cell: (row) =>
                row.reason === "" ? (
                  "accepted"
                ) : row.reason === "duplicate" ? (
                  "duplicate (stored once)"
                ) : (
                  <span className="text-red-700 dark:text-red-400">rejected: {row.reason}</span>
                ),
            },
            { key: "spans", header: "Spans", align: "right", cell: (row) => formatCount(row.spanCount) },
            {
              key: "message",
              header: "Last rejection",
              isSecondary: true,
              className: "max-w-md text-xs text-zinc-500 dark:text-zinc-400",
              cell: (row) => row.lastMessage ?? "",
            },
          ]}
        />
      )}
    </AsyncPanel>
  );
}

/** Whether the project has ever stored a span (else the Overview shows how to send some). */
export function hasAcceptedSpans(stats: readonly IngestStat[]): boolean {
  return stats.some((stat) => stat.reason === "" && stat.spanCount > 0);
}
