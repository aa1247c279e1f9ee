import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type pg from "pg";
import { ensurePartitions, utcDay } from "@/lib/ingest/partitions";
import { normalizeSpan } from "@/lib/normalize/normalize-span";
import { decodeProtobufTraceRequest } from "@/lib/otlp/decode-protobuf";
import { computeCacheSavings, computeCost } from "@/lib/pricing/compute-cost";
import { readPriceBook } from "@/lib/pricing/price-book";
import { LlmSpanFactory, SERVICES } from "./llm-span-factory";
import { formatCount, formatDuration } from "./format";
import { loadChunksInParallel } from "../load-chunks";

/**
 * Fills the database with history before the load run, fast and without HTTP: one
 * INSERT … SELECT … FROM generate_series per chunk, run by PostgreSQL itself, two chunks at a time.
 *
 * The rows are realistic because their fixed part comes from the real ingest path: spans from the
 * load generator's factory are serialized by the official OTLP protobuf serializer, decoded,
 * normalized and priced by lib/ (as the receiver does), and each preloaded row copies one of these
 * templates, with fresh ids, its own time, user, session and response id. Times are spread evenly
 * over the PRELOAD_WINDOW before an anchor fixed at the first preload, oldest chunk first, so each
 * partition fills in time order as it would in production.
 *
 * Idempotent: a chunk's rows and its line in bench_preload_chunks commit together, so a later run
 * (or an interrupted one) only adds the chunks missing for the requested total.
 */
export const PRELOAD_CHUNK_ROWS = 100_000;
const PRELOAD_WINDOW_MS = 27 * 86_400_000; // inside the default 30-day retention, with slack
const TEMPLATE_COUNT = 600;
const PARALLEL_CHUNKS = 2;

export interface PreloadResult {
  chunksBefore: number;
  chunksAdded: number;
  rowsAdded: number;
  seconds: number;
  rowsPerSecond: number | null;
  anchor: string;
}

export async function preloadSpans(pool: pg.Pool, projectId: string, targetRows: number): Promise<PreloadResult> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_preload_chunks (
    chunk integer PRIMARY KEY, row_count integer NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`);
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_preload_meta (
    id boolean PRIMARY KEY DEFAULT true CHECK (id), anchor timestamptz NOT NULL)`);
  await pool.query(`INSERT INTO bench_preload_meta (anchor) VALUES (now() - interval '2 minutes') ON CONFLICT DO NOTHING`);
  const anchor: Date = (await pool.query("SELECT anchor FROM bench_preload_meta")).rows[0].anchor;
  const done = new Set<number>((await pool.query("SELECT chunk FROM bench_preload_chunks")).rows.map((row) => row.chunk));
  const chunkCount = Math.ceil(targetRows / PRELOAD_CHUNK_ROWS);
  const missing: number[] = [];
  for (let chunk = 0; chunk < chunkCount; chunk++) if (!done.has(chunk)) missing.push(chunk);
  const result: PreloadResult = { chunksBefore: done.size, chunksAdded: 0, rowsAdded: 0, seconds: 0, rowsPerSecond: null, anchor: anchor.toISOString() };
  if (missing.length === 0) return result;

  const windowStart = anchor.getTime() - PRELOAD_WINDOW_MS;
  await ensurePartitions(pool, utcDay(new Date(windowStart)), utcDay(anchor));
  const templates = await buildTemplates(pool, projectId);
  const totalRows = missing.length * PRELOAD_CHUNK_ROWS;
  const stepMicros = Math.max(1, Math.floor((PRELOAD_WINDOW_MS * 1000) / (chunkCount * PRELOAD_CHUNK_ROWS)));
  const startedAt = performance.now();
  process.stdout.write(
    `[preload] adding ${formatCount(totalRows)} spans (${missing.length} chunks of ${formatCount(PRELOAD_CHUNK_ROWS)}) ` +
      `over ${PRELOAD_WINDOW_MS / 86_400_000} days before ${anchor.toISOString()}; ${done.size} chunks already loaded\n`,
  );

  await loadChunksInParallel(
    pool,
    missing,
    PARALLEL_CHUNKS,
    async (client, chunk) => {
      await client.query(INSERT_CHUNK_SQL, [
        projectId, chunk * PRELOAD_CHUNK_ROWS, (chunk + 1) * PRELOAD_CHUNK_ROWS - 1, new Date(windowStart), stepMicros, TEMPLATE_COUNT,
      ]);
      await client.query("INSERT INTO bench_preload_chunks (chunk, row_count) VALUES ($1, $2)", [chunk, PRELOAD_CHUNK_ROWS]);
    },
    {
      prepare: async (client) => {
        await client.query("SET jit = off");
        await client.query(`CREATE TEMP TABLE IF NOT EXISTS bench_templates AS
          SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${TEMPLATE_COLUMNS})`, [JSON.stringify(templates)]);
        await client.query("CREATE UNIQUE INDEX IF NOT EXISTS bench_templates_k ON bench_templates (k)");
        await client.query("ANALYZE bench_templates");
      },
      onCommitted: () => {
        result.chunksAdded++;
        result.rowsAdded += PRELOAD_CHUNK_ROWS;
        const seconds = (performance.now() - startedAt) / 1000;
        const rate = result.rowsAdded / seconds;
        process.stdout.write(
          `[preload] ${formatCount(result.rowsAdded)} / ${formatCount(totalRows)} spans ` +
            `(${Math.round((100 * result.rowsAdded) / totalRows)} %), ${formatCount(Math.round(rate))} spans/s, ` +
            `ETA ${formatDuration((totalRows - result.rowsAdded) / rate)}\n`,
        );
      },
    },
  );
  result.seconds = (performance.now() - startedAt) / 1000;
  result.rowsPerSecond = Math.round(result.rowsAdded / result.seconds);
  return result;
}

/** Leaves the database as a long-running one would be: vacuumed, analyzed, checkpointed. */
export async function settleDatabase(pool: pg.Pool): Promise<{ vacuumSeconds: number; checkpointSeconds: number }> {
  const t0 = performance.now();
  await pool.query("VACUUM (ANALYZE) spans");
  const t1 = performance.now();
  await pool.query("CHECKPOINT");
  const t2 = performance.now();
  return { vacuumSeconds: (t1 - t0) / 1000, checkpointSeconds: (t2 - t1) / 1000 };
}

const TEMPLATE_COLUMNS = `k int, service_name text, environment text, name text, kind int2, scope_name text, status text,
  error_type text, operation text, provider text, request_model text, response_model text, finish_reason text,
  streaming bool, ttft_ms float8, duration_ms float8, input_tokens int8, output_tokens int8, cache_read_tokens int8,
  cache_write_tokens int8, reasoning_tokens int8, cost_nano_usd int8, cost_source text, cache_savings_nano_usd int8, prompt_name text,
  prompt_version text, prompt_prefix_hash text, workload text, attributes jsonb, events jsonb,
  response_id_prefix text`;

/**
 * $1 project, $2..$3 the chunk's row numbers, $4 window start, $5 µs between rows, $6 template count.
 * Ids are random (gen_random_uuid's 16 bytes), as real trace and span ids are; users repeat.
 */
const INSERT_CHUNK_SQL = `
INSERT INTO spans (project_id, start_time, trace_id, span_id, parent_span_id, end_time, duration_ms, service_name,
  environment, name, kind, scope_name, status, error_type, is_llm, operation, provider, request_model, response_model,
  finish_reason, streaming, ttft_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  reasoning_tokens, cost_nano_usd, cost_source, cache_savings_nano_usd, prompt_name, prompt_version, prompt_prefix_hash,
  user_id, session_id, workload, attributes, events, received_at)
SELECT $1::uuid, s.start_time, s.trace_id, substring(s.ids from 1 for 8), substring(s.ids from 9 for 8),
  s.start_time + t.duration_ms * interval '1 millisecond', t.duration_ms, t.service_name, t.environment, t.name,
  t.kind, t.scope_name, t.status, t.error_type, true, t.operation, t.provider, t.request_model, t.response_model,
  t.finish_reason, t.streaming, t.ttft_ms, t.input_tokens, t.output_tokens, t.cache_read_tokens,
  t.cache_write_tokens, t.reasoning_tokens, t.cost_nano_usd, t.cost_source, t.cache_savings_nano_usd, t.prompt_name, t.prompt_version,
  t.prompt_prefix_hash, s.user_id, s.session_id, t.workload,
  t.attributes || jsonb_build_object('user.id', s.user_id, 'session.id', s.session_id, 'gen_ai.conversation.id', s.conversation_id)
    || CASE WHEN t.response_id_prefix IS NULL THEN '{}'::jsonb
            ELSE jsonb_build_object('gen_ai.response.id', t.response_id_prefix || substring(s.conversation_id from 1 for 24)) END,
  t.events, s.start_time + (t.duration_ms + 1500) * interval '1 millisecond'
FROM (
  SELECT i, $4::timestamptz + (i * $5::int8) * interval '1 microsecond' AS start_time,
         uuid_send(gen_random_uuid()) AS trace_id, uuid_send(gen_random_uuid()) AS ids,
         replace(gen_random_uuid()::text, '-', '') AS conversation_id,
         'user_' || lpad(to_hex((hashint8(i) & 65535) % 24000), 6, '0') AS user_id,
         'sess_' || to_hex(hashint8(i / 6) & 2147483647) AS session_id
  FROM generate_series($2::int8, $3::int8) AS i
) s
JOIN bench_templates t ON t.k = s.i % $6::int8`;

/**
 * Template rows: the load generator's spans through the receiver's own decode → normalize → price
 * steps, so preloaded rows hold what ingest would have stored for such calls.
 */
async function buildTemplates(pool: pg.Pool, projectId: string): Promise<Record<string, unknown>[]> {
  const priceBook = await readPriceBook(pool);
  const templates: Record<string, unknown>[] = [];
  let sequence = 0;
  const perService = Math.ceil(TEMPLATE_COUNT / SERVICES.length);
  for (let serviceIndex = 0; serviceIndex < SERVICES.length; serviceIndex++) {
    const factory = new LlmSpanFactory(serviceIndex, 0, (count) => (sequence += count) - count);
    const body = ProtobufTraceSerializer.serializeRequest(factory.batch(perService, Date.now()).spans);
    if (!body) throw new Error("the OTLP serializer produced no request");
    const decoded = decodeProtobufTraceRequest(body);
    for (const span of decoded.spans) {
      if (templates.length >= TEMPLATE_COUNT) break;
      const row = normalizeSpan(span);
      const cost = computeCost(projectId, row, priceBook);
      const savings = computeCacheSavings(projectId, row, priceBook);
      const { "gen_ai.response.id": responseId, "user.id": _user, "session.id": _session, "gen_ai.conversation.id": _conversation, ...attributes } =
        row.attributes as Record<string, unknown>;
      templates.push({
        k: templates.length,
        service_name: row.serviceName, environment: row.environment, name: row.name, kind: row.kind,
        scope_name: row.scopeName, status: row.status, error_type: row.errorType, operation: row.operation,
        provider: row.provider, request_model: row.requestModel, response_model: row.responseModel,
        finish_reason: row.finishReason, streaming: row.streaming, ttft_ms: row.ttftMs, duration_ms: row.durationMs,
        input_tokens: row.inputTokens, output_tokens: row.outputTokens, cache_read_tokens: row.cacheReadTokens,
        cache_write_tokens: row.cacheWriteTokens, reasoning_tokens: row.reasoningTokens,
        cost_nano_usd: cost.costNanoUsd === null ? null : cost.costNanoUsd.toString(), cost_source: cost.costSource,
        cache_savings_nano_usd: savings === null ? null : savings.toString(),
        prompt_name: row.promptName, prompt_version: row.promptVersion, prompt_prefix_hash: row.promptPrefixHash,
        workload: row.workload, attributes, events: row.events,
        response_id_prefix: typeof responseId === "string" ? responseId.replace(/[0-9a-f]{20,}$/, "") : null,
      });
    }
  }
  return templates;
}
