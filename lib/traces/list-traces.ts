import "server-only";
import { z } from "zod";
import { filterConditions, type CallFilters } from "@/lib/calls/call-filters";
import { getPool } from "@/lib/db/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import { selectTracePage } from "@/lib/traces/select-trace-page";
import { decodeTraceCursor, encodeTraceCursor } from "@/lib/traces/trace-cursor";
import { traceSearchCondition, type TraceSearch } from "@/lib/traces/trace-search";
import type { TracePage, TraceSummary } from "@/lib/traces/trace-types";

/**
 * The trace list: traces with a span in the range that matches the filters (any span: a model filter
 * finds the traces holding a call to that model), newest first by their first matching span,
 * keyset-paginated.
 *
 * Two steps, so the cost does not grow with the range: (1) the newest SCAN_CAP matching spans are
 * read backwards along the primary key (project_id, start_time, …) and grouped into a page of trace
 * ids (lib/traces/select-trace-page keeps the pages exact at the cap's edge); (2) only those traces
 * are summarized, each whole, through the (project_id, trace_id) index.
 */
export const TRACE_PAGE_SIZE = 50;
export const SCAN_CAP = 20_000;

export interface ListTracesQuery {
  filters: CallFilters;
  search: TraceSearch | null;
  isErrorsOnly: boolean;
  /** An opaque cursor from a previous page's `nextCursor`; an invalid one starts from the newest. */
  cursor: string | null;
  limit?: number;
}

const MICROSECOND_TEXT = "YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"";

const candidateRowSchema = z.object({
  trace_id: z.string(),
  first_match: z.string(),
  floor_time: z.string().nullable(),
  scanned: z.coerce.number(),
});

const summaryRowSchema = z.object({
  trace_id: z.string(),
  start_ms: z.number(),
  duration_ms: z.number(),
  span_count: z.number(),
  llm_call_count: z.number(),
  input_tokens: z.string().nullable(),
  output_tokens: z.string().nullable(),
  cost_nano_usd: z.string().nullable(),
  has_unknown_cost: z.boolean(),
  has_error: z.boolean(),
  root_name: z.string(),
  root_service_name: z.string(),
  service_names: z.array(z.string()),
});

const toNumber = (value: string | null) => (value === null ? null : Number(value));

export async function listTraces(projectId: string, query: ListTracesQuery): Promise<TracePage> {
  const limit = query.limit ?? TRACE_PAGE_SIZE;
  const cursor = decodeTraceCursor(query.cursor);
  const { from, to, attributes, ...dimensions } = query.filters;
  // A whole trace id is looked up wherever it is in time.
  const range = query.search?.traceId ? Prisma.sql`TRUE` : Prisma.sql`start_time >= ${from} AND start_time < ${to}`;
  const scanAfterCursor = cursor ? Prisma.sql`start_time <= ${cursor.time}::timestamptz` : Prisma.sql`TRUE`;
  const pageAfterCursor = cursor
    ? Prisma.sql`(min(s.start_time), s.trace_id) < (${cursor.time}::timestamptz, decode(${cursor.traceId}, 'hex'))`
    : Prisma.sql`TRUE`;
  const candidates = Prisma.sql`
    WITH scanned AS (
      SELECT trace_id, start_time
      FROM spans
      WHERE project_id = ${projectId}::uuid AND ${range} AND ${scanAfterCursor}
        AND ${filterConditions({ ...dimensions, attributes })}
        AND ${traceSearchCondition(query.search)}
        AND ${query.isErrorsOnly ? Prisma.sql`status = 'error'` : Prisma.sql`TRUE`}
      ORDER BY start_time DESC
      LIMIT ${SCAN_CAP}
    )
    -- The scan's size and floor as uncorrelated subqueries: computed once (InitPlans), whatever
    -- the planner estimates for a fresh partition without statistics.
    SELECT encode(s.trace_id, 'hex') AS trace_id,
           to_char(min(s.start_time) AT TIME ZONE 'UTC', ${MICROSECOND_TEXT}) AS first_match,
           (SELECT to_char(min(start_time) AT TIME ZONE 'UTC', ${MICROSECOND_TEXT}) FROM scanned) AS floor_time,
           (SELECT count(*) FROM scanned) AS scanned
    FROM scanned s
    GROUP BY s.trace_id
    HAVING ${pageAfterCursor}
    ORDER BY min(s.start_time) DESC, s.trace_id DESC
    LIMIT ${limit + 1}`;
  const pool = getPool();
  const candidateRows = (await pool.query(candidates.text, candidates.values)).rows.map((row) => candidateRowSchema.parse(row));
  const isScanCapped = (candidateRows[0]?.scanned ?? 0) >= SCAN_CAP;
  const page = selectTracePage(
    candidateRows.map((row) => ({ traceId: row.trace_id, firstMatchTime: row.first_match })),
    { isCapped: isScanCapped, floorTime: candidateRows[0]?.floor_time ?? null },
    limit,
  );
  if (page.traceIds.length === 0) return { traces: [], nextCursor: null, isScanCapped };

  const summaries = Prisma.sql`
    SELECT encode(trace_id, 'hex') AS trace_id,
           (extract(epoch FROM min(start_time)) * 1000)::float8 AS start_ms,
           (extract(epoch FROM max(end_time) - min(start_time)) * 1000)::float8 AS duration_ms,
           count(*)::int AS span_count,
           (count(*) FILTER (WHERE is_llm))::int AS llm_call_count,
           sum(input_tokens)::text AS input_tokens,
           sum(output_tokens)::text AS output_tokens,
           sum(cost_nano_usd)::text AS cost_nano_usd,
           coalesce(bool_or(is_llm AND (cost_source IS NULL OR cost_source = 'unknown')), false) AS has_unknown_cost,
           bool_or(status = 'error') AS has_error,
           (array_agg(name ORDER BY parent_span_id IS NOT NULL, start_time))[1] AS root_name,
           (array_agg(service_name ORDER BY parent_span_id IS NOT NULL, start_time))[1] AS root_service_name,
           array_agg(DISTINCT service_name) AS service_names
    FROM spans
    WHERE project_id = ${projectId}::uuid
      AND trace_id IN (SELECT decode(id, 'hex') FROM unnest(${page.traceIds}::text[]) AS id)
    GROUP BY trace_id`;
  const byId = new Map(
    (await pool.query(summaries.text, summaries.values)).rows.map((row) => {
      const parsed = summaryRowSchema.parse(row);
      return [parsed.trace_id, toTraceSummary(parsed)] as const;
    }),
  );
  return {
    traces: page.traceIds.flatMap((traceId) => byId.get(traceId) ?? []),
    nextCursor: page.nextCursor ? encodeTraceCursor(page.nextCursor) : null,
    isScanCapped,
  };
}

function toTraceSummary(row: z.infer<typeof summaryRowSchema>): TraceSummary {
  const others = row.service_names.filter((name) => name !== row.root_service_name).sort();
  return {
    traceId: row.trace_id,
    startMs: row.start_ms,
    durationMs: row.duration_ms,
    rootName: row.root_name,
    rootServiceName: row.root_service_name,
    serviceNames: [row.root_service_name, ...others].slice(0, 5),
    spanCount: row.span_count,
    llmCallCount: row.llm_call_count,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    costUsd: row.cost_nano_usd === null ? null : Number(row.cost_nano_usd) / 1e9,
    hasUnknownCost: row.has_unknown_cost,
    hasError: row.has_error,
  };
}
