import type pg from "pg";
import type { ExportRecord } from "./load-protocol";

/**
 * Reads back every span the run sent, once, and checks it was stored exactly once.
 *
 * A span of the run is found by its trace id (llm-span-factory.ts): bytes 9–12 are the run tag,
 * bytes 13–16 its sequence number, unique in the run. One scan of the run's time range (the run's
 * day partitions only) reads every stored row of the run; PostgreSQL then compares the stored
 * sequence numbers with the ranges the exporters sent:
 * - every span of an acknowledged export() is stored (missing = 0);
 * - no sequence number is stored twice (duplicated = 0), whatever its start time;
 * - nothing is stored that was not sent (unexpected = 0); spans of failed exports may be stored
 *   (the request was committed, the exporter timed out first) and are counted apart;
 * - Σ input_tokens of the stored acknowledged spans equals what the exporters sent, so the rows
 *   hold the normalized values, not just keys.
 */
export interface VerifyResult {
  storedRows: number;
  distinctSpans: number;
  duplicatedSpans: number;
  acknowledgedSpans: number;
  missingSpans: number;
  storedFromFailedExports: number;
  unexpectedSpans: number;
  inputTokensSent: number;
  inputTokensStored: number;
  seconds: number;
  isOk: boolean;
}

export async function verifyRun(
  pool: pg.Pool,
  options: { projectId: string; runTag: number; from: Date; to: Date; exports: readonly ExportRecord[] },
): Promise<VerifyResult> {
  const acknowledged = options.exports.filter((record) => record.isOk);
  const failed = options.exports.filter((record) => !record.isOk);
  const tag = Buffer.alloc(4);
  tag.writeUInt32BE(options.runTag >>> 0);
  const startedAt = performance.now();
  const client = await pool.connect();
  try {
    await client.query("SET jit = off");
    await client.query("SET work_mem = '256MB'");
    const { rows } = await client.query(VERIFY_SQL, [
      options.projectId,
      options.from,
      options.to,
      tag,
      acknowledged.map((record) => record.firstSequence),
      acknowledged.map((record) => record.spanCount),
      failed.map((record) => record.firstSequence),
      failed.map((record) => record.spanCount),
    ]);
    const row = rows[0];
    const inputTokensSent = acknowledged.reduce((sum, record) => sum + record.inputTokens, 0);
    const result: VerifyResult = {
      storedRows: Number(row.stored_rows),
      distinctSpans: Number(row.distinct_spans),
      duplicatedSpans: Number(row.duplicated_spans),
      acknowledgedSpans: Number(row.acknowledged_spans),
      missingSpans: Number(row.missing_spans),
      storedFromFailedExports: Number(row.stored_from_failed),
      unexpectedSpans: Number(row.unexpected_spans),
      inputTokensSent,
      inputTokensStored: Number(row.input_tokens_stored ?? 0),
      seconds: (performance.now() - startedAt) / 1000,
      isOk: false,
    };
    result.isOk =
      result.missingSpans === 0 &&
      result.duplicatedSpans === 0 &&
      result.unexpectedSpans === 0 &&
      result.storedRows === result.distinctSpans &&
      result.inputTokensStored === result.inputTokensSent;
    return result;
  } finally {
    client.release();
  }
}

/**
 * $1 project, $2..$3 time range, $4 run tag (4 bytes), $5/$6 acknowledged batches (first sequence,
 * span count), $7/$8 failed batches.
 */
const VERIFY_SQL = `
WITH run AS MATERIALIZED (
  SELECT (get_byte(trace_id, 12)::int8 << 24) | (get_byte(trace_id, 13) << 16) | (get_byte(trace_id, 14) << 8)
           | get_byte(trace_id, 15) AS sequence,
         input_tokens
  FROM spans
  WHERE project_id = $1 AND start_time >= $2 AND start_time < $3 AND substring(trace_id from 9 for 4) = $4
), stored AS MATERIALIZED (
  SELECT sequence, count(*) AS copies, sum(input_tokens) AS input_tokens FROM run GROUP BY sequence
), acknowledged AS MATERIALIZED (
  SELECT generate_series(first, first + n - 1) AS sequence FROM unnest($5::int8[], $6::int8[]) AS a(first, n)
), failed AS MATERIALIZED (
  SELECT generate_series(first, first + n - 1) AS sequence FROM unnest($7::int8[], $8::int8[]) AS f(first, n)
)
SELECT
  (SELECT count(*) FROM run) AS stored_rows,
  (SELECT count(*) FROM stored) AS distinct_spans,
  (SELECT count(*) FROM stored WHERE copies > 1) AS duplicated_spans,
  (SELECT count(*) FROM acknowledged) AS acknowledged_spans,
  (SELECT count(*) FROM acknowledged a LEFT JOIN stored s USING (sequence) WHERE s.sequence IS NULL) AS missing_spans,
  (SELECT count(*) FROM failed f JOIN stored s USING (sequence)) AS stored_from_failed,
  (SELECT count(*) FROM stored s WHERE NOT EXISTS (SELECT 1 FROM acknowledged a WHERE a.sequence = s.sequence)
     AND NOT EXISTS (SELECT 1 FROM failed f WHERE f.sequence = s.sequence)) AS unexpected_spans,
  (SELECT sum(s.input_tokens) FROM stored s JOIN acknowledged a USING (sequence)) AS input_tokens_stored`;

/**
 * Deletes the run's spans after the read-back and vacuums, so the next run starts from the same
 * database (the preloaded history, not the previous runs' spans) and the disk does not fill up.
 */
export async function deleteRunSpans(
  pool: pg.Pool,
  options: { projectId: string; runTag: number; from: Date },
): Promise<{ rows: number; seconds: number }> {
  const tag = Buffer.alloc(4);
  tag.writeUInt32BE(options.runTag >>> 0);
  const startedAt = performance.now();
  const { rowCount } = await pool.query(
    "DELETE FROM spans WHERE project_id = $1 AND start_time >= $2 AND substring(trace_id from 9 for 4) = $3",
    [options.projectId, options.from, tag],
  );
  // Only the run's day partitions: VACUUM of the whole table would read all history.
  const { rows } = await pool.query<{ partition: string }>(
    `SELECT c.relname AS partition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'spans'::regclass AND c.relname >= 'spans_p' || to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDD')
       AND c.relname <= 'spans_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')`,
    [options.from],
  );
  for (const { partition } of rows) await pool.query(`VACUUM (ANALYZE) ${partition}`);
  return { rows: rowCount ?? 0, seconds: (performance.now() - startedAt) / 1000 };
}
