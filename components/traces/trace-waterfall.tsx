import Link from "next/link";
import { formatAxisValue, formatMs, formatTokens, formatUsd } from "@/lib/format/numbers";
import type { Waterfall, WaterfallRow } from "@/lib/traces/build-waterfall";

interface TraceWaterfallProps {
  waterfall: Waterfall;
  selectedSpanId: string | null;
  /** The link that selects a span (keeps the view in the URL). */
  spanHref: (spanId: string) => string;
}

/** Deeper levels stop indenting, so names stay readable in very deep traces. */
const MAX_INDENT_DEPTH = 12;

/** Name | time axis | duration; on a phone the axis drops under the name. */
const ROW_GRID =
  "grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 md:grid-cols-[minmax(9rem,34%)_minmax(0,1fr)_4.5rem]";

/**
 * Every span of the trace on one time axis. LLM calls are drawn in two tones, waiting for the
 * first token (light) then streaming (solid), with a mark at the TTFT. Rows are links that select
 * the span (server-rendered, no client JavaScript), and rows off screen skip layout
 * (content-visibility), so traces of hundreds or thousands of spans stay smooth.
 */
export function TraceWaterfall({ waterfall, selectedSpanId, spanHref }: TraceWaterfallProps) {
  return (
    <div className="text-sm" data-testid="waterfall">
      <WaterfallLegend />
      <div className={`${ROW_GRID} sticky top-0 z-10 border-b border-zinc-200 bg-white/95 px-2 py-1 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950/95 dark:text-zinc-400`}>
        <span>Span</span>
        <div className="relative order-last col-span-2 h-4 md:order-none md:col-span-1" aria-hidden>
          {waterfall.ticks.map((tick, index) => (
            <span
              key={tick.offsetMs}
              className="absolute top-0 whitespace-nowrap tabular-nums"
              style={{ left: `${tick.percent}%`, transform: index === 0 ? undefined : tick.percent > 92 ? "translateX(-100%)" : "translateX(-50%)" }}
            >
              {formatAxisValue(tick.offsetMs, "ms")}
            </span>
          ))}
        </div>
        <span className="text-right">Duration</span>
      </div>
      <ol>
        {waterfall.rows.map((row) => (
          <li key={row.span.spanId} className="row-virtual">
            <WaterfallRowLink row={row} isSelected={row.span.spanId === selectedSpanId} href={spanHref(row.span.spanId)} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function WaterfallRowLink({ row, isSelected, href }: { row: WaterfallRow; isSelected: boolean; href: string }) {
  const { span } = row;
  const isError = span.status === "error";
  const barColor = isError ? "var(--waterfall-error)" : span.isLlm ? "var(--waterfall-llm)" : "var(--waterfall-span)";
  // The part of an LLM bar before the first token, as a share of the bar.
  const waitShare = row.ttftPercent !== null && row.widthPercent > 0 ? ((row.ttftPercent - row.leftPercent) / row.widthPercent) * 100 : null;
  return (
    <Link
      href={href}
      prefetch={false}
      scroll={false}
      aria-current={isSelected ? "true" : undefined}
      data-testid="waterfall-row"
      data-span-id={span.spanId}
      title={`${span.name} · ${span.serviceName}`}
      className={`${ROW_GRID} border-b border-zinc-100 px-2 py-1 hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-900 ${
        isSelected ? "bg-sky-50 outline-1 -outline-offset-1 outline-sky-500 dark:bg-sky-950/40" : ""
      }`}
    >
      <span className="flex min-w-0 items-start gap-1.5" style={{ paddingLeft: `${Math.min(row.depth, MAX_INDENT_DEPTH) * 0.75}rem` }}>
        <span aria-hidden className="mt-1.5 size-2 shrink-0 rounded-sm" style={{ background: barColor }} />
        <span className="min-w-0">
          <span className="block truncate">
            <span className="font-medium" data-testid="span-name">
              {span.name}
            </span>
            {row.isServiceBoundary ? <span className="ml-1.5 text-xs text-zinc-500 dark:text-zinc-400">{span.serviceName}</span> : null}
          </span>
          {span.isLlm ? (
            <span className="block truncate text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
              <span data-cell="tokens">
                {formatTokens(span.inputTokens)} → {formatTokens(span.outputTokens)} tok
              </span>
              {" · "}
              <span data-cell="cost">{formatUsd(span.costUsd)}</span>
              {span.ttftMs !== null ? ` · TTFT ${formatMs(span.ttftMs)}` : ""}
            </span>
          ) : null}
        </span>
      </span>
      <span className="relative order-last col-span-2 h-4 md:order-none md:col-span-1" data-testid="span-track">
        <span
          className="absolute top-0.5 bottom-0.5 min-w-[2px] overflow-hidden rounded-sm"
          style={{ left: `${row.leftPercent}%`, width: `${row.widthPercent}%`, background: barColor }}
          data-testid="span-bar"
        >
          {waitShare !== null ? (
            <span className="absolute inset-y-0 left-0 bg-white/55 dark:bg-black/45" style={{ width: `${waitShare}%` }} />
          ) : null}
        </span>
        {row.ttftPercent !== null ? (
          <span
            className="absolute -top-0.5 -bottom-0.5 w-0.5 -translate-x-1/2 rounded-full"
            style={{ left: `${row.ttftPercent}%`, background: "var(--waterfall-ttft)" }}
            title={`First token after ${formatMs(span.ttftMs)}`}
            data-testid="ttft-mark"
            data-ttft-ms={span.ttftMs ?? undefined}
          />
        ) : null}
      </span>
      <span className="text-right text-xs tabular-nums text-zinc-700 dark:text-zinc-300" data-cell="duration">
        {formatMs(span.durationMs)}
      </span>
    </Link>
  );
}

function WaterfallLegend() {
  const item = (color: string, label: string) => (
    <span className="flex items-center gap-1.5">
      <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: color }} />
      {label}
    </span>
  );
  return (
    <div className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      {item("var(--waterfall-llm)", "LLM call (light part: waiting for the first token)")}
      {item("var(--waterfall-span)", "other span")}
      {item("var(--waterfall-error)", "error")}
      <span className="flex items-center gap-1.5">
        <span aria-hidden className="inline-block h-3 w-0.5 rounded-full" style={{ background: "var(--waterfall-ttft)" }} />
        TTFT (first token)
      </span>
    </div>
  );
}
