import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { filterConditions, parseCallFilters, type CallFilters } from "@/lib/calls/call-filters";
import { spanRowSchema, toLlmCall, type LlmCall } from "@/lib/calls/llm-call";

/**
 * GET /api/v1/calls: one normalized record per LLM call, newest first, keyset-paginated on
 * (start_time, trace_id, span_id), which is also the storage key, so pages never skip or repeat.
 */
export const MAX_CALLS_LIMIT = 1000;

const hexId = (length: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hex characters`)
    .transform((value) => value.toLowerCase());

const listCallsSchema = z.object({
  traceId: hexId(32).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CALLS_LIMIT).default(100),
  cursor: z.string().optional(),
});

export interface ListCallsQuery {
  filters: CallFilters;
  traceId?: string;
  limit: number;
  cursor: Cursor | null;
}

interface Cursor {
  startTime: string; // microsecond-precision ISO from PostgreSQL
  traceId: string;
  spanId: string;
}

export function parseListCallsQuery(params: URLSearchParams): ListCallsQuery {
  const { traceId, limit, cursor } = listCallsSchema.parse({
    traceId: params.get("traceId") ?? undefined,
    limit: params.get("limit") ?? undefined,
    cursor: params.get("cursor") ?? undefined,
  });
  const rest = new URLSearchParams(params);
  for (const key of ["traceId", "limit", "cursor"]) rest.delete(key);
  return { filters: parseCallFilters(rest), traceId, limit, cursor: cursor ? decodeCursor(cursor) : null };
}

export async function listCalls(projectId: string, query: ListCallsQuery): Promise<{ data: LlmCall[]; nextCursor: string | null }> {
  const { filters, traceId, limit, cursor } = query;
  const range = traceId
    ? Prisma.sql`trace_id = decode(${traceId}, 'hex')`
    : Prisma.sql`start_time >= ${filters.from} AND start_time < ${filters.to}`;
  const after = cursor
    ? Prisma.sql`(start_time, trace_id, span_id) < (${cursor.startTime}::timestamptz, decode(${cursor.traceId}, 'hex'), decode(${cursor.spanId}, 'hex'))`
    : Prisma.sql`TRUE`;
  const statement = Prisma.sql`
    SELECT project_id, start_time, end_time, trace_id, span_id, parent_span_id, duration_ms, service_name,
           environment, name, status, error_type, operation, provider, request_model, response_model,
           finish_reason, streaming, ttft_ms, input_tokens, output_tokens, cache_read_tokens,
           cache_write_tokens, reasoning_tokens, cost_nano_usd, cost_source, prompt_name, prompt_version,
           prompt_prefix_hash, user_id, session_id, workload, attributes,
           to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time
    FROM spans
    WHERE project_id = ${projectId}::uuid AND is_llm AND ${range} AND ${after} AND ${filterConditions(filters)}
    ORDER BY start_time DESC, trace_id DESC, span_id DESC
    LIMIT ${limit + 1}`;
  const { rows } = await getPool().query(statement.text, statement.values);
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    data: page.map((row) => toLlmCall(spanRowSchema.parse(row))),
    nextCursor: last
      ? encodeCursor({ startTime: last.cursor_time, traceId: last.trace_id.toString("hex"), spanId: last.span_id.toString("hex") })
      : null,
  };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.startTime}|${cursor.traceId}|${cursor.spanId}`).toString("base64url");
}

function decodeCursor(value: string): Cursor {
  const [startTime, traceId, spanId] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (!startTime || Number.isNaN(Date.parse(startTime)) || !/^[0-9a-f]{32}$/.test(traceId ?? "") || !/^[0-9a-f]{16}$/.test(spanId ?? "")) {
    throw new ApiError("bad_request", "cursor: not a cursor returned by this API (pass nextCursor back unchanged)");
  }
  return { startTime, traceId: traceId!, spanId: spanId! };
}
