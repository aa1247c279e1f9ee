import "server-only";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import { isTraceId } from "@/lib/traces/get-trace";
import type { SpanDetails } from "@/lib/traces/trace-types";

/** The selected span's attributes, events and captured content (span_contents), project-scoped. */
const rowSchema = z.object({
  span_id: z.string(),
  scope_name: z.string().nullable(),
  prompt_prefix_hash: z.string().nullable(),
  request_model: z.string().nullable(),
  response_model: z.string().nullable(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  workload: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  events: z.array(z.object({ name: z.string(), timeUnixNano: z.string(), attributes: z.record(z.string(), z.unknown()) })).nullable(),
  has_content: z.boolean(),
  system_prompt: z.string().nullable(),
  input_messages: z.unknown(),
  output_messages: z.unknown(),
  is_truncated: z.boolean().nullable(),
});

export function isSpanId(value: string): boolean {
  return /^[0-9a-f]{16}$/i.test(value);
}

export async function getSpanDetails(projectId: string, traceId: string, spanId: string): Promise<SpanDetails | null> {
  if (!isTraceId(traceId) || !isSpanId(spanId)) return null;
  const statement = Prisma.sql`
    SELECT encode(s.span_id, 'hex') AS span_id, s.scope_name, s.prompt_prefix_hash, s.request_model, s.response_model,
           s.user_id, s.session_id, s.workload, s.attributes, s.events,
           c.span_id IS NOT NULL AS has_content, c.system_prompt, c.input_messages, c.output_messages, c.is_truncated
    FROM spans s
    LEFT JOIN span_contents c
      ON c.project_id = s.project_id AND c.start_time = s.start_time AND c.trace_id = s.trace_id AND c.span_id = s.span_id
    WHERE s.project_id = ${projectId}::uuid AND s.trace_id = decode(${traceId.toLowerCase()}, 'hex')
      AND s.span_id = decode(${spanId.toLowerCase()}, 'hex')
    LIMIT 1`;
  const { rows } = await getPool().query(statement.text, statement.values);
  if (!rows[0]) return null;
  const row = rowSchema.parse(rows[0]);
  return {
    spanId: row.span_id,
    scopeName: row.scope_name,
    promptPrefixHash: row.prompt_prefix_hash,
    requestModel: row.request_model,
    responseModel: row.response_model,
    userId: row.user_id,
    sessionId: row.session_id,
    workload: row.workload,
    attributes: row.attributes,
    events: row.events ?? [],
    content: row.has_content
      ? {
          systemPrompt: row.system_prompt,
          inputMessages: row.input_messages ?? null,
          outputMessages: row.output_messages ?? null,
          isTruncated: row.is_truncated ?? false,
        }
      : null,
  };
}
