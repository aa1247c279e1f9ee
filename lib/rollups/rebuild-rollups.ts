import type pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { ROLLUP_LOCK_KEY, deltaOfRow } from "@/lib/rollups/apply-deltas";
import { deltaMetricsSql, deltaTagsSql } from "@/lib/rollups/record-deltas";
import { accumulateDeltas, rollUpTier, TierAccumulator, TIERS, TIER_TABLES, writeTierRows } from "@/lib/rollups/fold-deltas";
import { FOLD_LOCK_KEY } from "@/lib/rollups/fold-sealed-hours";
import { retainedFrom, rollupRetention } from "@/lib/rollups/rollup-retention";
import { ensureWatermark } from "@/lib/rollups/watermark";
import { dayStart, nextBucketStart } from "@/lib/rollups/time-buckets";
import type { ProjectSettings } from "@/lib/settings/project-settings";

/**
 * Recomputes a project's rollups from its raw spans over whole local days covering [from, to):
 * after a price, tag, budget or time-zone change, and to fill the tiers after a bulk load.
 *
 * Each day is one REPEATABLE READ transaction under the rollup lock: its tier rows and waiting
 * deltas are deleted, then rebuilt hour by hour from the spans this snapshot sees. A writer that
 * commits later is not in the snapshot, and its deltas (also not seen, so not deleted) are folded in
 * by the job afterwards: nothing is lost or counted twice while ingest goes on. Days older than the
 * minute tier's retention are read per hour instead of per minute. Hours at or after the project's
 * watermark are written to the minute tier only, as the job writes them (watermark.ts).
 */
export interface RebuildProgress {
  dayStartMs: number;
  days: number;
  daysDone: number;
  calls: number;
  tierRows: number;
}

export async function rebuildRollups(
  pool: pg.Pool,
  projectId: string,
  settings: ProjectSettings,
  range: { fromMs: number; toMs: number },
  onProgress: (progress: RebuildProgress) => void = () => {},
): Promise<{ days: number; calls: number; tierRows: number }> {
  const days: number[] = [];
  for (let day = dayStart(range.fromMs, settings.timeZone); day < range.toMs; day = nextBucketStart("day", day, settings.timeZone)) {
    days.push(day);
  }
  let calls = 0;
  let tierRows = 0;
  for (const [index, day] of days.entries()) {
    const result = await rebuildDay(pool, projectId, settings, day);
    calls += result.calls;
    tierRows += result.tierRows;
    onProgress({ dayStartMs: day, days: days.length, daysDone: index + 1, calls, tierRows });
  }
  return { days: days.length, calls, tierRows };
}

async function rebuildDay(pool: pg.Pool, projectId: string, settings: ProjectSettings, day: number) {
  const end = nextBucketStart("day", day, settings.timeZone);
  // One "now" for the whole day: which tiers keep which buckets must not move while it is rebuilt.
  const now = Date.now();
  const client = await pool.connect();
  let isBroken = false;
  try {
    // Session locks taken before the snapshot: neither the job nor a fold of sealed hours
    // (fold-sealed-hours.ts) can change the tiers under this rebuild.
    await client.query("SELECT pg_advisory_lock($1)", [FOLD_LOCK_KEY]);
    await client.query("SELECT pg_advisory_lock($1)", [ROLLUP_LOCK_KEY]);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const watermark = await ensureWatermark(client, projectId, settings.timeZone, now);
    // Minutes after the watermark are kept whatever their age (the job folds them later).
    const minuteCutoff = Math.min(minuteTierCutoff(now), watermark);
    const bounds = [projectId, new Date(day).toISOString(), new Date(end).toISOString()];
    for (const tier of TIERS) {
      await client.query(`DELETE FROM ${TIER_TABLES[tier]} WHERE project_id = $1 AND bucket >= $2 AND bucket < $3`, bounds);
    }
    await client.query("DELETE FROM rollup_deltas WHERE project_id = $1 AND minute >= $2 AND minute < $3", bounds);
    const dayAccumulator = new TierAccumulator();
    let calls = 0;
    let tierRows = 0;
    for (let hour = day; hour < end; ) {
      const next = Math.min(end, nextBucketStart("hour", hour, settings.timeZone));
      const grain = next <= minuteCutoff ? "hour" : "minute";
      // The hour holding the minute tier's cutoff keeps only some of its minutes.
      const hasAllMinutes = hour >= minuteCutoff;
      const isAfterWatermark = hour >= watermark;
      const statement = rawDeltasSql(projectId, settings, hour, next, grain);
      hour = next;
      const { rows } = await client.query(statement.text, statement.values);
      if (rows.length === 0) continue;
      const deltas = rows.map(deltaOfRow);
      for (const delta of deltas) calls += delta.metrics.counts.calls;
      // Minutes from the deltas, then the hour from its minutes and the day from its hours.
      const hourAccumulator = new TierAccumulator();
      if (isAfterWatermark) {
        // Not folded into hours and days yet: minutes only, as the job writes them.
        await accumulateDeltas(client, projectId, deltas, settings, hourAccumulator, ["minute"], now, watermark);
        tierRows += await writeTierRows(client, projectId, hourAccumulator, { merge: false });
        continue;
      }
      if (grain === "minute" && hasAllMinutes) {
        await accumulateDeltas(client, projectId, deltas, settings, hourAccumulator, ["minute"], now);
        rollUpTier(hourAccumulator, "minute", "hour", settings.timeZone, hourAccumulator, now);
      } else {
        await accumulateDeltas(client, projectId, deltas, settings, hourAccumulator, grain === "minute" ? ["minute", "hour"] : ["hour"], now);
      }
      tierRows += await writeTierRows(client, projectId, hourAccumulator, { merge: false });
      if (hourAccumulator.rows.hour.size > 0) {
        rollUpTier(hourAccumulator, "hour", "day", settings.timeZone, dayAccumulator, now);
      } else {
        // The hour tier is past its retention here: the day comes from the deltas themselves.
        await accumulateDeltas(client, projectId, deltas, settings, dayAccumulator, ["day"], now);
      }
    }
    tierRows += await writeTierRows(client, projectId, dayAccumulator, { merge: false });
    await client.query("COMMIT");
    return { calls, tierRows };
  } catch (error) {
    isBroken = true;
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    if (!isBroken) await client.query("SELECT pg_advisory_unlock_all()").catch(() => {});
    client.release(isBroken);
  }
}

function minuteTierCutoff(now: number): number {
  return retainedFrom("minute", rollupRetention(), now);
}

/**
 * The raw spans of [from, to) added up like the writer's deltas (record-deltas.ts), per minute or
 * per local hour. Histograms are built unsorted, one entry per call: a multiset the fold sums.
 */
export function rawDeltasSql(projectId: string, settings: ProjectSettings, fromMs: number, toMs: number, grain: "minute" | "hour"): Prisma.Sql {
  return Prisma.sql`
    SELECT ${projectId}::uuid AS project_id,
           extract(epoch FROM date_trunc(${grain}, s.start_time, ${settings.timeZone})) * 1000 AS minute_ms,
           s.service_name, s.provider, COALESCE(s.response_model, s.request_model) AS model, s.prompt_name,
           s.prompt_version, s.environment, s.workload, s.streaming, ${deltaTagsSql(settings.allocationTagKeys)} AS tags,
           ${deltaMetricsSql(settings)}
    FROM spans s
    WHERE s.project_id = ${projectId}::uuid AND s.is_llm
      AND s.start_time >= ${new Date(fromMs)} AND s.start_time < ${new Date(toMs)}
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`;
}
