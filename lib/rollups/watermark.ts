import type pg from "pg";
import { cubeCode } from "@/lib/rollups/cubes";
import { hourStart, nextBucketStart } from "@/lib/rollups/time-buckets";

/**
 * The hour and day tiers of a project are complete for every bucket that ends at or before its
 * watermark (rollup_watermarks.complete_until, a local hour boundary). The rollup job sends a delta
 * of a minute at or after the watermark to the minute tier only, and a delta older than the
 * watermark (a late span) to all three tiers at once. Once an hour has been closed for
 * SEAL_GRACE_MS, the job seals it (sealClosedHours): it stops taking deltas of the sealed minutes
 * [complete_until, sealed_until), so their minute rows stop changing, and fold-sealed-hours.ts adds
 * those rows into the hour and day tiers and moves the watermark to sealed_until in one
 * transaction, beside the job rather than inside it: the job goes on applying every other delta
 * meanwhile, and the deltas of the sealed minutes wait for the fold, then count as late. So every
 * call is counted once in each tier, the hour and day rows are written once per closed hour instead
 * of on every run, and queries read those tiers only before the watermark
 * (lib/analytics/plan-query.ts), the minute tier after it. Minute rows are never removed by the
 * fold: a query that read an older watermark still finds every call.
 */

/** Hours sealed (and folded) at once at most, so a job that was down for days catches up in bounded steps. */
const MAX_HOURS_PER_FOLD = 24;

/**
 * How long after its end an hour is sealed. A delta of a sealed minute waits for the fold (seconds),
 * so the hour is left open while spans of calls that started in it still arrive in numbers: an
 * exporter sends a span when its call ends, a few seconds after, and few LLM calls last minutes.
 */
export const SEAL_GRACE_MS = 5 * 60_000;

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

/** A project's sealed range: the minutes [fromMs, toMs) wait to be folded into hours and days. */
export interface SealedRange {
  projectId: string;
  fromMs: number;
  toMs: number;
}

/**
 * Seals the hours of every project that have been closed for SEAL_GRACE_MS and are not folded yet
 * (at most MAX_HOURS_PER_FOLD of them per project). Runs in the rollup job's transaction, under its
 * lock: no run that routed a delta of those minutes to the minute tier is still uncommitted.
 * Returns every project's sealed range, new or still waiting for its fold.
 */
export async function sealClosedHours(
  client: pg.ClientBase,
  timeZoneOf: (projectId: string) => Promise<string>,
  now: number,
): Promise<SealedRange[]> {
  const { rows } = await client.query<{ project_id: string; from_ms: string; sealed_ms: string | null }>(
    `SELECT project_id, extract(epoch FROM complete_until) * 1000 AS from_ms, extract(epoch FROM sealed_until) * 1000 AS sealed_ms
     FROM rollup_watermarks WHERE sealed_until IS NOT NULL OR complete_until <= $1 ORDER BY complete_until`,
    // Not now − 1 h − grace: a watermark need not start a local hour (the time zone was changed).
    [new Date(now - SEAL_GRACE_MS)],
  );
  const sealed: SealedRange[] = [];
  for (const row of rows) {
    const fromMs = Number(row.from_ms);
    if (row.sealed_ms !== null) {
      sealed.push({ projectId: row.project_id, fromMs, toMs: Number(row.sealed_ms) });
      continue;
    }
    const timeZone = await timeZoneOf(row.project_id);
    const closedUntil = hourStart(now - SEAL_GRACE_MS, timeZone);
    let toMs = fromMs;
    for (let hours = 0; toMs < closedUntil && hours < MAX_HOURS_PER_FOLD; hours++) {
      toMs = nextBucketStart("hour", hourStart(toMs, timeZone), timeZone);
    }
    if (toMs === fromMs) continue;
    await client.query("UPDATE rollup_watermarks SET sealed_until = $2, updated_at = now() WHERE project_id = $1", [
      row.project_id,
      new Date(toMs),
    ]);
    sealed.push({ projectId: row.project_id, fromMs, toMs });
  }
  return sealed;
}

/** The oldest watermark of any project (null when none): minute rows from there on must be kept. */
export async function earliestWatermark(client: pg.ClientBase | pg.Pool): Promise<number | null> {
  const { rows } = await client.query<{ ms: string | null }>("SELECT extract(epoch FROM min(complete_until)) * 1000 AS ms FROM rollup_watermarks");
  return rows[0]?.ms === null || rows[0]?.ms === undefined ? null : Number(rows[0].ms);
}
