/**
 * One span as Sous stores it: the normalized LlmCall fields (DESIGN.md) for LLM spans, NULL for
 * facts that were not reported (never 0), and a lighter record for every other span.
 */
export type CallStatus = "ok" | "error";
export type CostSource = "reported" | "computed" | "unknown";
export type Workload = "interactive" | "batch";

export interface NormalizedSpan {
  traceId: string; // lowercase hex
  spanId: string;
  parentSpanId: string | null;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationMs: number;
  serviceName: string;
  environment: string | null;
  name: string;
  kind: number;
  scopeName: string | null;
  status: CallStatus;
  errorType: string | null;
  isLlm: boolean;
  // LLM facts: all null for non-LLM spans.
  operation: string | null;
  provider: string | null; // OTel well-known value (openai, anthropic, aws.bedrock, gcp.gemini, …)
  requestModel: string | null;
  responseModel: string | null;
  finishReason: string | null;
  streaming: boolean | null;
  ttftMs: number | null;
  /** All input tokens, including cache reads and writes. */
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  /** Cost reported by the instrumentation, in nano-USD (exact integer); null when none reported. */
  reportedCostNanoUsd: bigint | null;
  /** Cache-write TTL when known ("5m" | "1h"), for pricing; null means the default (5 minutes). */
  cacheWriteTtl: "5m" | "1h" | null;
  promptName: string | null;
  promptVersion: string | null;
  promptPrefixHash: string | null; // SHA-256 hex
  userId: string | null;
  sessionId: string | null;
  workload: Workload | null;
  /** Span attributes plus selected resource attributes, as stored (size-capped). */
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[] | null;
  /** Captured content, stored apart from the span; null when nothing was captured. */
  content: CapturedContent | null;
}

export interface CapturedContent {
  systemPrompt: string | null;
  inputMessages: unknown | null;
  outputMessages: unknown | null;
  isTruncated: boolean;
}

/** A NormalizedSpan with its cost settled by the pricing step, ready for the writer. */
export interface SpanRow extends NormalizedSpan {
  costNanoUsd: bigint | null;
  costSource: CostSource | null; // null for non-LLM spans
  /** What prompt caching saved against full input price (lib/pricing/compute-cost); null when unknown. */
  cacheSavingsNanoUsd?: bigint | null;
}
