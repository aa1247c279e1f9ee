import { z } from "zod";

/** The public LlmCall record (DESIGN.md "The normalized LLM call"). */
export const llmCallSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  projectId: z.string(),
  serviceName: z.string(),
  environment: z.string().nullable(),
  name: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  durationMs: z.number(),
  ttftMs: z.number().nullable(),
  streaming: z.boolean().nullable(),
  status: z.enum(["ok", "error"]),
  errorType: z.string().nullable(),
  provider: z.string().nullable(),
  requestModel: z.string().nullable(),
  responseModel: z.string().nullable(),
  operation: z.string().nullable(),
  finishReason: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  cacheReadTokens: z.number().nullable(),
  cacheWriteTokens: z.number().nullable(),
  reasoningTokens: z.number().nullable(),
  costUsd: z.number().nullable(),
  costSource: z.enum(["reported", "computed", "unknown"]),
  promptName: z.string().nullable(),
  promptVersion: z.string().nullable(),
  promptPrefixHash: z.string().nullable(),
  userId: z.string().nullable(),
  sessionId: z.string().nullable(),
  workload: z.enum(["interactive", "batch"]).nullable(),
  attributes: z.record(z.string(), z.unknown()),
});

export type LlmCall = z.infer<typeof llmCallSchema>;

/** A row of `spans` as pg returns it (bigint columns arrive as strings, bytea as Buffer). */
export const spanRowSchema = z.object({
  project_id: z.string(),
  start_time: z.date(),
  end_time: z.date(),
  trace_id: z.instanceof(Buffer),
  span_id: z.instanceof(Buffer),
  parent_span_id: z.instanceof(Buffer).nullable(),
  duration_ms: z.number(),
  service_name: z.string(),
  environment: z.string().nullable(),
  name: z.string(),
  status: z.enum(["ok", "error"]),
  error_type: z.string().nullable(),
  operation: z.string().nullable(),
  provider: z.string().nullable(),
  request_model: z.string().nullable(),
  response_model: z.string().nullable(),
  finish_reason: z.string().nullable(),
  streaming: z.boolean().nullable(),
  ttft_ms: z.number().nullable(),
  input_tokens: z.string().nullable(),
  output_tokens: z.string().nullable(),
  cache_read_tokens: z.string().nullable(),
  cache_write_tokens: z.string().nullable(),
  reasoning_tokens: z.string().nullable(),
  cost_nano_usd: z.string().nullable(),
  cost_source: z.enum(["reported", "computed", "unknown"]).nullable(),
  prompt_name: z.string().nullable(),
  prompt_version: z.string().nullable(),
  prompt_prefix_hash: z.string().nullable(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  workload: z.enum(["interactive", "batch"]).nullable(),
  attributes: z.record(z.string(), z.unknown()),
});

export type SpanDatabaseRow = z.infer<typeof spanRowSchema>;

const count = (value: string | null) => (value === null ? null : Number(value));

/** Nano-USD (exact) to USD for JSON; exact to the nano-dollar for any realistic single call. */
export function nanoUsdToUsd(value: string | bigint | null): number | null {
  return value === null ? null : Number(value) / 1e9;
}

export function toLlmCall(row: SpanDatabaseRow): LlmCall {
  return {
    traceId: row.trace_id.toString("hex"),
    spanId: row.span_id.toString("hex"),
    parentSpanId: row.parent_span_id?.toString("hex") ?? null,
    projectId: row.project_id,
    serviceName: row.service_name,
    environment: row.environment,
    name: row.name,
    startTime: row.start_time.toISOString(),
    endTime: row.end_time.toISOString(),
    durationMs: row.duration_ms,
    ttftMs: row.ttft_ms,
    streaming: row.streaming,
    status: row.status,
    errorType: row.error_type,
    provider: row.provider,
    requestModel: row.request_model,
    responseModel: row.response_model,
    operation: row.operation,
    finishReason: row.finish_reason,
    inputTokens: count(row.input_tokens),
    outputTokens: count(row.output_tokens),
    cacheReadTokens: count(row.cache_read_tokens),
    cacheWriteTokens: count(row.cache_write_tokens),
    reasoningTokens: count(row.reasoning_tokens),
    costUsd: nanoUsdToUsd(row.cost_nano_usd),
    costSource: row.cost_source ?? "unknown",
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    promptPrefixHash: row.prompt_prefix_hash,
    userId: row.user_id,
    sessionId: row.session_id,
    workload: row.workload,
    attributes: row.attributes,
  };
}
