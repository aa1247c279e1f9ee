import type pg from "pg";
import { ensurePartitions } from "@/lib/ingest/partitions";
import { computeCacheSavings, computeCost, findPrice } from "@/lib/pricing/compute-cost";
import { readPriceBook } from "@/lib/pricing/price-book";
import { callGeneratorSql, CHUNK_PARAMETERS } from "./call-generator-sql";
import { MODELS } from "./dataset";
import { loadChunksInParallel } from "../load-chunks";

/**
 * Loads the benchmark's LLM calls straight into `spans` (no HTTP): chunks of CHUNK_ROWS rows, each
 * one INSERT … SELECT … FROM generate_series (call-generator-sql.ts) committed together with its
 * line in bench_query_chunks, two chunks at a time, oldest first. Idempotent: a later run only adds
 * the chunks still missing. The window ends at the anchor fixed by the first run; the queries use
 * that anchor as "now", so the data never ages between runs.
 */
export const DATASET_VERSION = 1;
export const CHUNK_ROWS = 100_000;
/** 30 days, plus half a day so a 30-day range ending up to 12 h before the anchor has data at both edges. */
export const WINDOW_MS = 30.5 * 86_400_000;
const PARALLEL_CHUNKS = 2;

export interface BenchMeta {
  anchorMs: number;
  windowStartMs: number;
  rows: number;
  loadSeconds: number | null;
  rebuildSeconds: number | null;
  combinations: { core: number; coreAndTags: number } | null;
}

export async function readOrCreateMeta(pool: pg.Pool, rows: number): Promise<BenchMeta> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_query_meta (
    id boolean PRIMARY KEY DEFAULT true CHECK (id), dataset_version integer NOT NULL, anchor timestamptz NOT NULL,
    window_ms bigint NOT NULL, total_rows bigint NOT NULL, load_seconds float8, rebuild_seconds float8,
    combinations jsonb)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_query_chunks (
    chunk integer PRIMARY KEY, seconds float8 NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`);
  await pool.query(
    `INSERT INTO bench_query_meta (dataset_version, anchor, window_ms, total_rows)
     VALUES ($1, date_trunc('second', now()), $2, $3) ON CONFLICT DO NOTHING`,
    [DATASET_VERSION, WINDOW_MS, rows],
  );
  const { rows: [meta] } = await pool.query("SELECT * FROM bench_query_meta");
  if (meta.dataset_version !== DATASET_VERSION || Number(meta.total_rows) !== rows || Number(meta.window_ms) !== WINDOW_MS) {
    throw new Error(
      `The data in this directory was loaded with dataset v${meta.dataset_version}, ${meta.total_rows} rows; ` +
        `this run wants v${DATASET_VERSION}, ${rows} rows. Delete the data directory (or pass another --data-dir) to reload.`,
    );
  }
  const anchorMs = (meta.anchor as Date).getTime();
  return {
    anchorMs,
    windowStartMs: anchorMs - WINDOW_MS,
    rows,
    loadSeconds: meta.load_seconds,
    rebuildSeconds: meta.rebuild_seconds,
    combinations: meta.combinations,
  };
}

export async function loadCalls(pool: pg.Pool, projectId: string, meta: BenchMeta): Promise<{ chunksAdded: number; seconds: number }> {
  const chunkCount = Math.ceil(meta.rows / CHUNK_ROWS);
  const done = new Set<number>((await pool.query("SELECT chunk FROM bench_query_chunks")).rows.map((row) => row.chunk));
  const queue: number[] = [];
  for (let chunk = 0; chunk < chunkCount; chunk++) if (!done.has(chunk)) queue.push(chunk);
  if (queue.length === 0) return { chunksAdded: 0, seconds: 0 };

  await ensurePartitions(pool, new Date(meta.windowStartMs), new Date(meta.anchorMs));
  const prices = await modelPrices(pool, projectId, meta.anchorMs);
  const statement = callGeneratorSql(projectId, { startMs: meta.windowStartMs, rows: meta.rows, durationMs: WINDOW_MS }, prices);
  const startedAt = performance.now();
  let added = 0;
  log(`loading ${queue.length} chunks of ${CHUNK_ROWS.toLocaleString("en-US")} calls (${done.size} already loaded)`);
  await loadChunksInParallel(
    pool,
    queue,
    PARALLEL_CHUNKS,
    async (client, chunk) => {
      const chunkStartedAt = performance.now();
      const values = [...statement.values];
      values[CHUNK_PARAMETERS.lo] = chunk * CHUNK_ROWS;
      values[CHUNK_PARAMETERS.hi] = Math.min(meta.rows, (chunk + 1) * CHUNK_ROWS) - 1;
      await client.query(statement.text, values);
      await client.query("INSERT INTO bench_query_chunks (chunk, seconds) VALUES ($1, $2)", [
        chunk,
        (performance.now() - chunkStartedAt) / 1000,
      ]);
    },
    {
      onCommitted: (_chunk, notStarted) => {
        added++;
        const seconds = (performance.now() - startedAt) / 1000;
        if (added % 5 === 0 || notStarted === 0) {
          log(`${added} chunks in ${seconds.toFixed(0)} s (${Math.round((added * CHUNK_ROWS) / seconds).toLocaleString("en-US")} calls/s)`);
        }
      },
    },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  await pool.query("UPDATE bench_query_meta SET load_seconds = coalesce(load_seconds, 0) + $1", [seconds]);
  return { chunksAdded: added, seconds };
}

/** Each model's price as the ingest path would resolve it (null: no price, cost unknown). */
async function modelPrices(pool: pg.Pool, projectId: string, atMs: number) {
  const book = await readPriceBook(pool);
  const startTimeUnixNano = BigInt(atMs) * 1_000_000n;
  return MODELS.map((model) =>
    findPrice(projectId, { provider: model.provider, requestModel: model.requestModel, responseModel: model.responseModel, startTimeUnixNano }, book),
  );
}

/**
 * Distinct dimension combinations of the loaded calls: the eight core dimensions, and those with
 * the three allocation tags (what the rollups' core+tag cube is built from).
 */
export async function countCombinations(pool: pg.Pool, projectId: string): Promise<{ core: number; coreAndTags: number }> {
  const { rows: [row] } = await pool.query(
    `SELECT count(DISTINCT (service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming)) AS core,
            count(*) AS core_and_tags
     FROM (SELECT DISTINCT service_name, provider, COALESCE(response_model, request_model) AS model, prompt_name,
                  prompt_version, environment, workload, streaming,
                  attributes ->> 'team' AS team, attributes ->> 'feature' AS feature, attributes ->> 'customer' AS customer
           FROM spans WHERE project_id = $1 AND is_llm) combinations`,
    [projectId],
  );
  const combinations = { core: Number(row.core), coreAndTags: Number(row.core_and_tags) };
  await pool.query("UPDATE bench_query_meta SET combinations = $1", [JSON.stringify(combinations)]);
  return combinations;
}

/**
 * Re-prices a sample of stored calls with lib/pricing (computeCost, computeCacheSavings): the
 * generator's SQL must give exactly what ingest would have stored.
 */
export async function checkSampleCosts(pool: pg.Pool, projectId: string, meta: BenchMeta): Promise<{ checked: number; mismatches: number }> {
  const book = await readPriceBook(pool);
  const from = new Date(meta.windowStartMs + (meta.anchorMs - meta.windowStartMs) / 3);
  const { rows } = await pool.query(
    `SELECT provider, request_model, response_model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
            cost_nano_usd, cost_source, cache_savings_nano_usd, extract(epoch FROM start_time) * 1000 AS start_ms
     FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $2::timestamptz + interval '15 minutes'`,
    [projectId, from],
  );
  let mismatches = 0;
  for (const row of rows) {
    const call = {
      isLlm: true,
      provider: row.provider,
      requestModel: row.request_model,
      responseModel: row.response_model,
      inputTokens: row.input_tokens === null ? null : Number(row.input_tokens),
      outputTokens: row.output_tokens === null ? null : Number(row.output_tokens),
      cacheReadTokens: row.cache_read_tokens === null ? null : Number(row.cache_read_tokens),
      cacheWriteTokens: row.cache_write_tokens === null ? null : Number(row.cache_write_tokens),
      cacheWriteTtl: null,
      reportedCostNanoUsd: null,
      startTimeUnixNano: BigInt(Math.floor(Number(row.start_ms))) * 1_000_000n,
    };
    const cost = computeCost(projectId, call, book);
    const savings = computeCacheSavings(projectId, call, book);
    const stored = (value: string | null) => (value === null ? null : BigInt(value));
    if (
      cost.costNanoUsd !== stored(row.cost_nano_usd) ||
      cost.costSource !== row.cost_source ||
      savings !== stored(row.cache_savings_nano_usd)
    ) {
      mismatches++;
    }
  }
  return { checked: rows.length, mismatches };
}

function log(message: string): void {
  process.stdout.write(`[load] ${message}\n`);
}
