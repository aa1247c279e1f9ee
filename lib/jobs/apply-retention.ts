import type pg from "pg";
import { dropPartitionsBefore, utcDay } from "@/lib/ingest/partitions";
import { ROLLUP_LOCK_KEY } from "@/lib/rollups/apply-deltas";
import { dropRollupPartitionsBefore } from "@/lib/rollups/rollup-partitions";
import { retainedFrom, rollupRetention } from "@/lib/rollups/rollup-retention";
import { earliestWatermark } from "@/lib/rollups/watermark";
import { DAY_MS } from "@/lib/rollups/time-buckets";
import { readSettingsDefaults } from "@/lib/settings/settings-defaults";

/**
 * Retention, by dropping whole partitions (never bulk DELETEs of spans):
 * - raw spans and captured content: days older than the longest retentionDays of any project (a
 *   project with a shorter retention stops receiving older spans at ingest, and its older days go
 *   with the partitions);
 * - rollup tiers: minute partitions (days) and hour partitions (months) wholly before what the tier
 *   holds (retainedFrom: the retention, and for minutes a margin day; minutes not yet folded into
 *   hours, after a project's watermark, are kept);
 *   day rows only when SOUS_ROLLUP_DAY_DAYS is set (they are a few rows per day: a DELETE).
 */
export interface RetentionResult {
  droppedSpanPartitions: string[];
  droppedRollupPartitions: string[];
  deletedDayRows: number;
}

export async function applyRetention(pool: pg.Pool, now = Date.now()): Promise<RetentionResult> {
  const { rows } = await pool.query<{ days: number | null }>(
    "SELECT max(retention_days) AS days FROM project_settings WHERE retention_days IS NOT NULL",
  );
  const rawDays = Math.max(rows[0]?.days ?? 0, readSettingsDefaults().retentionDays);
  const droppedSpanPartitions = await dropPartitionsBefore(pool, utcDay(new Date(now - rawDays * DAY_MS)));

  const retention = rollupRetention();
  const client = await pool.connect();
  let isBroken = false;
  const droppedRollupPartitions: string[] = [];
  let deletedDayRows = 0;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ROLLUP_LOCK_KEY]);
    // Minutes from the oldest watermark on are kept whatever their age: they are not in the hour
    // and day tiers yet (lib/rollups/watermark.ts; a job that was stopped for days catches up).
    const watermark = (await earliestWatermark(client)) ?? Number.POSITIVE_INFINITY;
    for (const tier of ["minute", "hour"] as const) {
      if (retention[tier] === null) continue;
      const retained = retainedFrom(tier, retention, now);
      const before = tier === "minute" ? Math.min(retained, watermark) : retained;
      droppedRollupPartitions.push(...(await dropRollupPartitionsBefore(client, tier, before)));
    }
    if (retention.day !== null) {
      const result = await client.query("DELETE FROM rollup_day WHERE bucket < $1", [new Date(now - retention.day * DAY_MS)]);
      deletedDayRows = result.rowCount ?? 0;
    }
  } catch (error) {
    isBroken = true;
    throw error;
  } finally {
    if (!isBroken) await client.query("SELECT pg_advisory_unlock($1)", [ROLLUP_LOCK_KEY]).catch(() => {});
    client.release(isBroken);
  }
  return { droppedSpanPartitions, droppedRollupPartitions, deletedDayRows };
}
