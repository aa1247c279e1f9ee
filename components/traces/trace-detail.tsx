import Link from "next/link";
import { Suspense } from "react";
import { SpanDetailsView } from "@/components/traces/span-details";
import { TraceSummaryTiles } from "@/components/traces/trace-summary";
import { TraceWaterfall } from "@/components/traces/trace-waterfall";
import { Panel } from "@/components/ui/panel";
import { PanelError, PanelLoading } from "@/components/ui/panel-states";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { viewHref } from "@/lib/dashboard/view-params";
import { formatCount } from "@/lib/format/numbers";
import { formatDateTime } from "@/lib/format/times";
import { buildWaterfall, type WaterfallRow } from "@/lib/traces/build-waterfall";
import { getSpanDetails } from "@/lib/traces/get-span-details";
import { MAX_TRACE_SPANS } from "@/lib/traces/get-trace";
import type { Trace } from "@/lib/traces/trace-types";

interface TraceDetailProps {
  context: DashboardContext;
  trace: Trace;
  /** From `?span=`; without it the first LLM call (else the root) is selected. */
  selectedSpanId: string | null;
}

/** The trace page: key figures, the waterfall of every span, and the selected span's details. */
export function TraceDetail({ context, trace, selectedSpanId }: TraceDetailProps) {
  const waterfall = buildWaterfall(trace.spans);
  const selected =
    waterfall.rows.find((row) => row.span.spanId === selectedSpanId) ?? waterfall.rows.find((row) => row.span.isLlm) ?? waterfall.rows[0]!;
  const root = waterfall.rows[0]!;
  const timeZone = context.settings.timeZone;
  return (
    <>
      <header className="space-y-2 border-b border-zinc-200 px-4 py-4 md:px-6 dark:border-zinc-800">
        <Link href={viewHref("/traces", context.view)} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          ← Traces
        </Link>
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <h1 className="min-w-0 text-xl font-semibold tracking-tight break-words">{root.span.name}</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {formatDateTime(new Date(waterfall.startMs), timeZone)} ({timeZone}) ·{" "}
            <span className="font-mono text-xs" data-testid="trace-id">
              {trace.traceId}
            </span>
          </p>
        </div>
      </header>
      <main className="space-y-4 p-4 md:p-6">
        <TraceSummaryTiles totals={waterfall.totals} durationMs={waterfall.durationMs} />
        {trace.isTruncated ? (
          <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
            This trace has more than {formatCount(MAX_TRACE_SPANS)} spans; the first {formatCount(MAX_TRACE_SPANS)} by start time are shown.
          </p>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem] 2xl:grid-cols-[minmax(0,1fr)_28rem]">
          <Panel className="lg:self-start" title="Waterfall" description={`${formatCount(waterfall.rows.length)} spans on one time axis; select a span for its details`}>
            <TraceWaterfall
              waterfall={waterfall}
              selectedSpanId={selected.span.spanId}
              spanHref={(spanId) => viewHref(`/traces/${trace.traceId}`, context.view, { span: spanId })}
            />
          </Panel>
          <div className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
            <Panel title="Selected span">
              <Suspense key={selected.span.spanId} fallback={<PanelLoading rows={8} />}>
                <SelectedSpan projectId={context.project.id} traceId={trace.traceId} row={selected} timeZone={timeZone} />
              </Suspense>
            </Panel>
          </div>
        </div>
      </main>
    </>
  );
}

async function SelectedSpan({ projectId, traceId, row, timeZone }: { projectId: string; traceId: string; row: WaterfallRow; timeZone: string }) {
  try {
    const details = await getSpanDetails(projectId, traceId, row.span.spanId);
    return <SpanDetailsView span={row.span} details={details} offsetMs={row.offsetMs} timeZone={timeZone} />;
  } catch (error) {
    console.error("[sous] span details query failed:", error);
    return <PanelError message="The span's attributes and content could not be loaded." />;
  }
}
