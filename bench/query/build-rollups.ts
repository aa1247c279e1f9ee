import type pg from "pg";
import { rebuildRollups } from "@/lib/rollups/rebuild-rollups";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { rollupRetention } from "@/lib/rollups/rollup-retention";
import { dayStart, DAY_MS, nextBucketStart } from "@/lib/rollups/time-buckets";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import type { BenchMeta } from "./load-calls";

/**
 * Fills the rollup tiers from the loaded calls with lib/rollups rebuildRollups, one local day at a
 * time, newest first (each day is recorded, so an interrupted run resumes where it stopped).
 *
 * The queries take the anchor (the end of the data) as "now", so the minute tier must hold at least
 * the 7 days before the anchor. rebuildRollups keeps minutes for the minute retention before the
 * wall clock; while it runs, that retention is lengthened by the time elapsed since the anchor
 * (plus a day), so the minute tier covers [anchor − 7 d, anchor] whenever the rebuild runs.
 */
export async function buildRollups(
  pool: pg.Pool,
  projectId: string,
  settings: ProjectSettings,
  meta: BenchMeta,
): Promise<{ seconds: number; daysBuilt: number }> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_query_rebuilt_days (
    day timestamptz PRIMARY KEY, calls bigint NOT NULL, tier_rows bigint NOT NULL, seconds float8 NOT NULL)`);
  const done = new Set<number>(
    (await pool.query<{ day: Date }>("SELECT day FROM bench_query_rebuilt_days")).rows.map((row) => row.day.getTime()),
  );
  const days: number[] = [];
  for (let day = dayStart(meta.windowStartMs, settings.timeZone); day <= meta.anchorMs; day = nextBucketStart("day", day, settings.timeZone)) {
    if (!done.has(day)) days.push(day);
  }
  // Newest first: the 7-day queries can be looked at (`--only`, EXPLAIN) while older days build.
  days.reverse();
  if (days.length === 0) return { seconds: 0, daysBuilt: 0 };

  const minuteDays = rollupRetention().minute;
  const previous = process.env.SOUS_ROLLUP_MINUTE_DAYS;
  if (minuteDays !== null) {
    process.env.SOUS_ROLLUP_MINUTE_DAYS = String(minuteDays + 1 + Math.ceil(Math.max(0, Date.now() - meta.anchorMs) / DAY_MS));
  }
  const startedAt = performance.now();
  try {
    log(`rebuilding ${days.length} days (${done.size} already built), minute tier kept ${process.env.SOUS_ROLLUP_MINUTE_DAYS ?? "7"} days`);
    for (const day of days) {
      const dayStartedAt = performance.now();
      const result = await rebuildRollups(pool, projectId, settings, { fromMs: day, toMs: day + 1 });
      const seconds = (performance.now() - dayStartedAt) / 1000;
      await pool.query("INSERT INTO bench_query_rebuilt_days (day, calls, tier_rows, seconds) VALUES ($1, $2, $3, $4)", [
        new Date(day),
        result.calls,
        result.tierRows,
        seconds,
      ]);
      log(
        `${new Date(day).toISOString().slice(0, 10)}: ${result.calls.toLocaleString("en-US")} calls → ` +
          `${result.tierRows.toLocaleString("en-US")} tier rows in ${seconds.toFixed(1)} s`,
      );
    }
  } finally {
    if (previous === undefined) delete process.env.SOUS_ROLLUP_MINUTE_DAYS;
    else process.env.SOUS_ROLLUP_MINUTE_DAYS = previous;
  }
  await pool.query("VACUUM (ANALYZE) rollup_dims, rollup_minute, rollup_hour, rollup_day");
  const seconds = (performance.now() - startedAt) / 1000;
  await pool.query("UPDATE bench_query_meta SET rebuild_seconds = coalesce(rebuild_seconds, 0) + $1", [seconds]);
  return { seconds, daysBuilt: days.length };
}

/**
 * Folds the hours that have closed since the rebuild into the hour and day tiers, as the rollup
 * job does (watermark.ts): a rebuild leaves the hour that was current when it ran in the minute
 * tier only. Returns the number of hours folded.
 */
export async function foldClosedHours(pool: pg.Pool, settings: ProjectSettings): Promise<number> {
  return (await runRollupsUntilIdle(pool, async () => settings)).hours;
}

function log(message: string): void {
  process.stdout.write(`[rollups] ${message}\n`);
}
