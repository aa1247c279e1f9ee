import "server-only";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Trace, TraceSpan } from "@/lib/traces/trace-types";

/**
 * Every span of one trace (LLM calls and the others), project-scoped, oldest first, through the
 * (project_id, trace_id) index. Attributes and content stay out (lib/traces/get-span-details reads
 * them for the selected span), so a trace of thousands of spans stays a small payload.
 */
export const MAX_TRACE_SPANS = 5_000;

const spanRowSchema = z.object({
  span_id: z.string(),
  parent_span_id: z.string().nullable(),
  name: z.string(),
  service_name: z.string(),
  environment: z.string().nullable(),
  kind: z.number(),
  status: z.enum(["ok", "error"]),
  error_type: z.string().nullable(),
  is_llm: z.boolean(),
  start_ms: z.number(),
  duration_ms: z.number(),
  ttft_ms: z.number().nullable(),
  streaming: z.boolean().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  operation: z.string().nullable(),
  finish_reason: z.string().nullable(),
  input_tokens: z.string().nullable(),
  output_tokens: z.string().nullable(),
  cache_read_tokens: z.string().nullable(),
  cache_write_tokens: z.string().nullable(),
  reasoning_tokens: z.string().nullable(),
  cost_nano_usd: z.string().nullable(),
  cost_source: z.enum(["reported", "computed", "unknown"]).nullable(),
  prompt_name: z.string().nullable(),
  prompt_version: z.string().nullable(),
  has_content: z.boolean(),
});

const count = (value: string | null) => (value === null ? null : Number(value));

export function isTraceId(value: string): boolean {
  return /^[0-9a-f]{32}$/i.test(value);
}

/** Null when the project has no span of that trace (or the id is not a trace id). */
export async function getTrace(projectId: string, traceId: string): Promise<Trace | null> {
  if (!isTraceId(traceId)) return null;
  const id = traceId.toLowerCase();
  const statement = Prisma.sql`
    SELECT encode(s.span_id, 'hex') AS span_id, encode(s.parent_span_id, 'hex') AS parent_span_id,
           s.name, s.service_name, s.environment, s.kind::int AS kind, s.status, s.error_type, s.is_llm,
           (extract(epoch FROM s.start_time) * 1000)::float8 AS start_ms, s.duration_ms, s.ttft_ms, s.streaming,
           s.provider, COALESCE(s.response_model, s.request_model) AS model, s.operation, s.finish_reason,
           s.input_tokens::text, s.output_tokens::text, s.cache_read_tokens::text, s.cache_write_tokens::text,
           s.reasoning_tokens::text, s.cost_nano_usd::text, s.cost_source, s.prompt_name, s.prompt_version,
           EXISTS (
             SELECT 1 FROM span_contents c
             WHERE c.project_id = s.project_id AND c.start_time = s.start_time AND c.trace_id = s.trace_id AND c.span_id = s.span_id
           ) AS has_content
    FROM spans s
    WHERE s.project_id = ${projectId}::uuid AND s.trace_id = decode(${id}, 'hex')
    ORDER BY s.start_time, s.span_id
    LIMIT ${MAX_TRACE_SPANS + 1}`;
  const { rows } = await getPool().query(statement.text, statement.values);
  if (rows.length === 0) return null;
  const spans = rows.slice(0, MAX_TRACE_SPANS).map((row) => toTraceSpan(spanRowSchema.parse(row)));
  return { traceId: id, spans, isTruncated: rows.length > MAX_TRACE_SPANS };
}

function toTraceSpan(row: z.infer<typeof spanRowSchema>): TraceSpan {
  return {
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    serviceName: row.service_name,
    environment: row.environment,
    kind: row.kind,
    status: row.status,
    errorType: row.error_type,
    isLlm: row.is_llm,
    startMs: row.start_ms,
    durationMs: row.duration_ms,
    ttftMs: row.ttft_ms,
    streaming: row.streaming,
    provider: row.provider,
    model: row.model,
    operation: row.operation,
    finishReason: row.finish_reason,
    inputTokens: count(row.input_tokens),
    outputTokens: count(row.output_tokens),
    cacheReadTokens: count(row.cache_read_tokens),
    cacheWriteTokens: count(row.cache_write_tokens),
    reasoningTokens: count(row.reasoning_tokens),
    costUsd: row.cost_nano_usd === null ? null : Number(row.cost_nano_usd) / 1e9,
    costSource: row.cost_source,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    hasContent: row.has_content,
  };
}
