/**
 * The read models of the Traces screens. Plain data (no Dates, no Buffers), so server components
 * can hand them to client components as they are. Ids are lowercase hex; times are epoch
 * milliseconds with microsecond fractions (spans are stored to the microsecond).
 */

/** One row of the trace list. */
export interface TraceSummary {
  traceId: string;
  /** The first span's start. */
  startMs: number;
  /** From the first span's start to the last span's end. */
  durationMs: number;
  /** The root span (no parent), else the earliest span. */
  rootName: string;
  rootServiceName: string;
  /** Distinct services in the trace, most spans first (at most 5). */
  serviceNames: string[];
  spanCount: number;
  llmCallCount: number;
  /** Sums over the trace's LLM calls; null when no call reported the fact (unknown, not 0). */
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** Some LLM call has no price: the cost shown is a lower bound. */
  hasUnknownCost: boolean;
  hasError: boolean;
}

/** One page of the trace list. */
export interface TracePage {
  traces: TraceSummary[];
  nextCursor: string | null;
  /** The range held more matching spans than one page's scan reads (paging still reaches them). */
  isScanCapped: boolean;
}

/** One span of a trace, as the waterfall draws it (attributes and content are fetched per span). */
export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  environment: string | null;
  kind: number;
  status: "ok" | "error";
  errorType: string | null;
  isLlm: boolean;
  startMs: number;
  durationMs: number;
  ttftMs: number | null;
  streaming: boolean | null;
  provider: string | null;
  /** responseModel ?? requestModel */
  model: string | null;
  operation: string | null;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  costSource: "reported" | "computed" | "unknown" | null;
  promptName: string | null;
  promptVersion: string | null;
  hasContent: boolean;
}

export interface Trace {
  traceId: string;
  spans: TraceSpan[];
  /** More spans exist than were loaded (MAX_TRACE_SPANS). */
  isTruncated: boolean;
}

/** The selected span's attributes, events and captured content. */
export interface SpanDetails {
  spanId: string;
  scopeName: string | null;
  promptPrefixHash: string | null;
  requestModel: string | null;
  responseModel: string | null;
  userId: string | null;
  sessionId: string | null;
  workload: string | null;
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
  content: {
    systemPrompt: string | null;
    inputMessages: unknown;
    outputMessages: unknown;
    isTruncated: boolean;
  } | null;
}
