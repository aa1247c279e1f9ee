import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { PanelEmpty } from "@/components/ui/panel-states";
import { formatCount, formatMs, formatTokens, formatUsd } from "@/lib/format/numbers";
import { formatDateTime, formatTimeOfDay } from "@/lib/format/times";
import { viewHref, type ViewParams } from "@/lib/dashboard/view-params";
import type { TracePage, TraceSummary } from "@/lib/traces/trace-types";

interface TraceListProps {
  page: TracePage;
  view: ViewParams;
  timeZone: string;
  /** The page parameters to keep in links (search, errors-only). */
  pageParams: Record<string, string | null>;
  isFirstPage: boolean;
}

/** The trace table, newest first, with links to each trace and to the next page. */
export function TraceList({ page, view, timeZone, pageParams, isFirstPage }: TraceListProps) {
  const traceHref = (trace: TraceSummary) => viewHref(`/traces/${trace.traceId}`, view);
  return (
    <div className="space-y-3">
      <DataTable
        testId="trace-list"
        rowTestId="trace-row"
        rows={page.traces}
        rowKey={(trace) => trace.traceId}
        columns={[
          {
            key: "time",
            header: `Start (${timeZone})`,
            isSecondary: true,
            cell: (trace) => (
              <time dateTime={new Date(trace.startMs).toISOString()} title={formatDateTime(new Date(trace.startMs), timeZone)} className="font-mono text-xs whitespace-nowrap">
                {formatTimeOfDay(new Date(trace.startMs), timeZone)}
              </time>
            ),
          },
          {
            key: "trace",
            header: "Trace",
            className: "max-w-[11rem] sm:max-w-[28rem]",
            cell: (trace) => (
              <div className="min-w-0">
                <Link href={traceHref(trace)} prefetch={false} className="block truncate font-medium text-sky-800 hover:underline dark:text-sky-300" data-testid="trace-link">
                  {trace.rootName}
                </Link>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                  <span className="font-mono md:hidden">{formatTimeOfDay(new Date(trace.startMs), timeZone)} · </span>
                  {trace.serviceNames.join(" · ")} <span className="font-mono">{trace.traceId.slice(0, 12)}…</span>
                </p>
              </div>
            ),
          },
          { key: "spans", header: "Spans", align: "right", isSecondary: true, cell: (trace) => <span data-cell="spans">{formatCount(trace.spanCount)}</span> },
          { key: "calls", header: "LLM calls", align: "right", isSecondary: true, cell: (trace) => <span data-cell="calls">{formatCount(trace.llmCallCount)}</span> },
          { key: "duration", header: "Duration", align: "right", cell: (trace) => <span data-cell="duration">{formatMs(trace.durationMs)}</span> },
          {
            key: "tokens",
            header: "Tokens in / out",
            align: "right",
            isSecondary: true,
            cell: (trace) => (
              <span data-cell="tokens" className="whitespace-nowrap">
                {formatTokens(trace.inputTokens)} / {formatTokens(trace.outputTokens)}
              </span>
            ),
          },
          {
            key: "cost",
            header: "Cost",
            align: "right",
            cell: (trace) => (
              <span data-cell="cost" title={trace.hasUnknownCost ? "Some calls have no price: this is a lower bound" : undefined}>
                {trace.hasUnknownCost && trace.costUsd !== null ? "≥ " : ""}
                {trace.llmCallCount === 0 ? "" : formatUsd(trace.costUsd)}
              </span>
            ),
          },
          {
            key: "status",
            header: <span className="sr-only">Status</span>,
            cell: (trace) => (trace.hasError ? <ErrorBadge /> : null),
          },
        ]}
      />
      <nav aria-label="Pages" className="flex items-center justify-between text-sm">
        <span className="text-zinc-500 dark:text-zinc-400">
          {page.traces.length} {page.traces.length === 1 ? "trace" : "traces"}
          {page.isScanCapped ? " (busy range: each page reads the newest matching spans)" : ""}
        </span>
        <span className="flex gap-4">
          {isFirstPage ? null : (
            <Link href={viewHref("/traces", view, pageParams)} className="text-sky-700 hover:underline dark:text-sky-400">
              ← Newest
            </Link>
          )}
          {page.nextCursor ? (
            <Link href={viewHref("/traces", view, { ...pageParams, cursor: page.nextCursor })} className="text-sky-700 hover:underline dark:text-sky-400">
              Older traces →
            </Link>
          ) : null}
        </span>
      </nav>
    </div>
  );
}

export function ErrorBadge({ label = "error" }: { label?: string }) {
  return (
    <span className="inline-flex items-center rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-300">
      {label}
    </span>
  );
}

/** Nothing matched: with filters or a search, say so (sending data is not the problem). */
export function TraceListEmpty({ hasNarrowing, clearHref }: { hasNarrowing: boolean; clearHref: string }) {
  if (!hasNarrowing) return <PanelEmpty title="No traces in this range" />;
  return (
    <PanelEmpty
      title="No traces match these filters in this range"
      hint={
        <Link href={clearHref} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          Clear the search and filters
        </Link>
      }
    />
  );
}
