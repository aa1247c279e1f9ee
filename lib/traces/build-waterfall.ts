import type { TraceSpan } from "@/lib/traces/trace-types";

/**
 * Lays a trace out as a waterfall: spans in tree order (each parent followed by its children, by
 * start time), indented by depth, with each bar's position and the TTFT mark as percentages of the
 * trace's span of time. Spans whose parent never arrived are shown as roots. Pure, so the layout is
 * unit-tested and the page only draws it.
 */
export interface WaterfallRow {
  span: TraceSpan;
  depth: number;
  /** Start relative to the trace's first span. */
  offsetMs: number;
  leftPercent: number;
  widthPercent: number;
  /** Where the first token arrived, on the same 0–100 scale; null when TTFT is unknown. */
  ttftPercent: number | null;
  childCount: number;
  /** The parent span id is set but no such span is in the trace. */
  isOrphan: boolean;
  /** The span runs in another service than its parent (or has none): where to name the service. */
  isServiceBoundary: boolean;
}

export interface WaterfallTotals {
  spanCount: number;
  llmCallCount: number;
  errorCount: number;
  /** Sums over LLM calls; null when no call reported the fact. */
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  hasUnknownCost: boolean;
}

export interface Waterfall {
  rows: WaterfallRow[];
  startMs: number;
  durationMs: number;
  /** Time-axis ticks at round offsets. */
  ticks: { offsetMs: number; percent: number }[];
  totals: WaterfallTotals;
}

export function buildWaterfall(spans: readonly TraceSpan[]): Waterfall {
  if (spans.length === 0) {
    return { rows: [], startMs: 0, durationMs: 0, ticks: [], totals: sumTotals([]) };
  }
  const startMs = Math.min(...spans.map((span) => span.startMs));
  const endMs = Math.max(...spans.map((span) => span.startMs + span.durationMs));
  const durationMs = endMs - startMs;
  // A zero-length trace still needs a scale: every bar then starts at 0 and spans nothing.
  const scale = durationMs > 0 ? 100 / durationMs : 0;

  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId !== null && span.parentSpanId !== span.spanId && byId.has(span.parentSpanId)) {
      const siblings = children.get(span.parentSpanId) ?? [];
      siblings.push(span);
      children.set(span.parentSpanId, siblings);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => a.startMs - b.startMs || a.name.localeCompare(b.name) || a.spanId.localeCompare(b.spanId);

  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  const place = (root: TraceSpan) => {
    // Iterative depth-first walk: deep traces cannot overflow the stack, and a parent cycle
    // (malformed data) ends at the first repeat.
    const stack: { span: TraceSpan; depth: number }[] = [{ span: root, depth: 0 }];
    while (stack.length > 0) {
      const { span, depth } = stack.pop()!;
      if (visited.has(span.spanId)) continue;
      visited.add(span.spanId);
      const kids = (children.get(span.spanId) ?? []).slice().sort(byStart);
      rows.push(toRow(span, depth, kids.length, startMs, scale, byId));
      for (let index = kids.length - 1; index >= 0; index--) stack.push({ span: kids[index]!, depth: depth + 1 });
    }
  };
  for (const root of roots.slice().sort(byStart)) place(root);
  // Spans only reachable through a cycle: shown as roots rather than lost.
  for (const span of spans.slice().sort(byStart)) if (!visited.has(span.spanId)) place(span);

  return { rows, startMs, durationMs, ticks: timeTicks(durationMs), totals: sumTotals(spans) };
}

function toRow(span: TraceSpan, depth: number, childCount: number, traceStartMs: number, scale: number, byId: Map<string, TraceSpan>): WaterfallRow {
  const offsetMs = span.startMs - traceStartMs;
  const leftPercent = clampPercent(offsetMs * scale);
  const widthPercent = Math.min(clampPercent(span.durationMs * scale), 100 - leftPercent);
  const ttftPercent =
    span.ttftMs === null || span.ttftMs < 0 ? null : clampPercent((offsetMs + Math.min(span.ttftMs, span.durationMs)) * scale);
  const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
  return {
    span,
    depth,
    offsetMs,
    leftPercent,
    widthPercent,
    ttftPercent,
    childCount,
    isOrphan: span.parentSpanId !== null && parent === undefined,
    isServiceBoundary: parent === undefined || parent.serviceName !== span.serviceName,
  };
}

const clampPercent = (value: number) => Math.max(0, Math.min(100, value));

function sumTotals(spans: readonly TraceSpan[]): WaterfallTotals {
  const sum = (pick: (span: TraceSpan) => number | null) => {
    let total: number | null = null;
    for (const span of spans) {
      const value = span.isLlm ? pick(span) : null;
      if (value !== null) total = (total ?? 0) + value;
    }
    return total;
  };
  const llmCalls = spans.filter((span) => span.isLlm);
  return {
    spanCount: spans.length,
    llmCallCount: llmCalls.length,
    errorCount: spans.filter((span) => span.status === "error").length,
    inputTokens: sum((span) => span.inputTokens),
    outputTokens: sum((span) => span.outputTokens),
    costUsd: sum((span) => span.costUsd),
    hasUnknownCost: llmCalls.some((span) => span.costUsd === null),
  };
}

/** Round tick offsets (1, 2 or 5 × 10ⁿ ms apart), at most `maxTicks` after 0. */
export function timeTicks(durationMs: number, maxTicks = 5): { offsetMs: number; percent: number }[] {
  if (!(durationMs > 0)) return [{ offsetMs: 0, percent: 0 }];
  const rough = durationMs / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!;
  const ticks: { offsetMs: number; percent: number }[] = [];
  for (let offsetMs = 0; offsetMs <= durationMs + 1e-9; offsetMs += step) {
    ticks.push({ offsetMs, percent: (offsetMs / durationMs) * 100 });
  }
  return ticks;
}
