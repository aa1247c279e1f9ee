import type pg from "pg";
import { cubeCode } from "@/lib/rollups/cubes";
import { dimKeyOfRow, KEY_COLUMN_LIST, type DimRow } from "@/lib/rollups/dimensions";
import { rollUpTier, TierAccumulator, writeTierRows } from "@/lib/rollups/fold-deltas";
import { metricsFromRow, METRIC_COLUMNS } from "@/lib/rollups/metrics";
import { HOUR_MS, hourStart, nextBucketStart } from "@/lib/rollups/time-buckets";

/**
 * The hour and day tiers of a project are complete for every bucket that ends at or before its
 * watermark (rollup_watermarks.complete_until, a local hour boundary). The rollup job sends a delta
 * of a minute at or after the watermark to the minute tier only; once an hour has closed, it adds
 * that hour's minute rows into the hour and day tiers in one pass and moves the watermark past it
 * (advanceWatermark). A delta older than the watermark (a late span) goes to all three tiers at
 * once. So every call is counted once in each tier, the hour and day rows are written once per hour
 * instead of on every run, and queries read those tiers only before the watermark
 * (lib/analytics/plan-query.ts), the minute tier after it. Minute rows are never removed by the
 * fold: a query that read an older watermark still finds every call.
 *
 * Everything here runs under the rollup lock (apply-deltas.ts), in the caller's transaction.
 */

/** Hours folded per run at most, so a job that was down for days catches up in bounded steps. */
const MAX_HOURS_PER_FOLD = 24;

/** The project's watermark in ms, or null when it has none (every hour and day row is complete). */
export async function readWatermark(client: pg.ClientBase | pg.Pool, projectId: string): Promise<number | null> {
  const { rows } = await client.query<{ ms: string }>(
    "SELECT extract(epoch FROM complete_until) * 1000 AS ms FROM rollup_watermarks WHERE project_id = $1",
    [projectId],
  );
  return rows.length === 0 ? null : Number(rows[0]!.ms);
}

/**
 * The project's watermark, created when missing: at the start of the current local hour, or after
 * the last hour the hour tier already holds (rows written before watermarks existed, all tiers at
 * once), so that no minute already counted in an hour row is folded into it again.
 */
export async function ensureWatermark(client: pg.ClientBase, projectId: string, timeZone: string, now: number): Promise<number> {
  const existing = await readWatermark(client, projectId);
  if (existing !== null) return existing;
  const { rows } = await client.query<{ ms: string | null }>(
    "SELECT extract(epoch FROM max(bucket)) * 1000 AS ms FROM rollup_hour WHERE project_id = $1 AND cube = $2",
    [projectId, cubeCode("total")],
  );
  const lastHour = rows[0]?.ms === null || rows[0]?.ms === undefined ? null : Number(rows[0].ms);
  let watermark = hourStart(now, timeZone);
  if (lastHour !== null) watermark = Math.max(watermark, nextBucketStart("hour", lastHour, timeZone));
  await client.query(
    "INSERT INTO rollup_watermarks (project_id, complete_until) VALUES ($1, $2) ON CONFLICT (project_id) DO NOTHING",
    [projectId, new Date(watermark)],
  );
  return (await readWatermark(client, projectId))!;
}

/** Projects whose watermark is at least an hour old: candidates for advanceWatermark. */
export async function projectsBehind(client: pg.ClientBase, now: number): Promise<string[]> {
  const { rows } = await client.query<{ project_id: string }>(
    "SELECT project_id FROM rollup_watermarks WHERE complete_until <= $1 ORDER BY complete_until",
    [new Date(now - HOUR_MS)],
  );
  return rows.map((row) => row.project_id);
}

/**
 * Folds the minute rows of the project's closed hours (up to MAX_HOURS_PER_FOLD of them) into the
 * hour and day tiers, adding to what those hold, and moves the watermark past them. Returns the
 * number of hours folded (0 when the current hour is the watermark's).
 */
export async function advanceWatermark(
  client: pg.ClientBase,
  projectId: string,
  timeZone: string,
  now: number,
): Promise<{ hours: number; tierRows: number }> {
  const from = await readWatermark(client, projectId);
  if (from === null) return { hours: 0, tierRows: 0 };
  const currentHour = hourStart(now, timeZone);
  let to = from;
  let hours = 0;
  while (to < currentHour && hours < MAX_HOURS_PER_FOLD) {
    to = nextBucketStart("hour", to, timeZone);
    hours++;
  }
  if (hours === 0) return { hours: 0, tierRows: 0 };

  const { rows } = await client.query<DimRow & Record<string, unknown>>(
    `SELECT extract(epoch FROM t.bucket) * 1000 AS bucket_ms, ${KEY_COLUMN_LIST.map((c) => `d.${c}`).join(", ")},
            ${METRIC_COLUMNS.map((c) => `t.${c}`).join(", ")}
     FROM rollup_minute t JOIN rollup_dims d ON d.project_id = t.project_id AND d.dim_id = t.dim_id
     WHERE t.project_id = $1 AND t.bucket >= $2 AND t.bucket < $3`,
    [projectId, new Date(from), new Date(to)],
  );
  const minutes = new TierAccumulator();
  for (const row of rows) minutes.add("minute", Number(row.bucket_ms), dimKeyOfRow(row), metricsFromRow(row));
  const folded = new TierAccumulator();
  rollUpTier(minutes, "minute", "hour", timeZone, folded, now);
  rollUpTier(folded, "hour", "day", timeZone, folded, now);
  const tierRows = await writeTierRows(client, projectId, folded, { merge: true });
  await client.query("UPDATE rollup_watermarks SET complete_until = $2, updated_at = now() WHERE project_id = $1", [
    projectId,
    new Date(to),
  ]);
  return { hours, tierRows };
}

/** The oldest watermark of any project (null when none): minute rows from there on must be kept. */
export async function earliestWatermark(client: pg.ClientBase | pg.Pool): Promise<number | null> {
  const { rows } = await client.query<{ ms: string | null }>("SELECT extract(epoch FROM min(complete_until)) * 1000 AS ms FROM rollup_watermarks");
  return rows[0]?.ms === null || rows[0]?.ms === undefined ? null : Number(rows[0].ms);
}
