import type pg from "pg";
import { accumulateDeltas, TierAccumulator, TIERS, writeTierRows } from "@/lib/rollups/fold-deltas";
import { emptyMetrics, HISTOGRAM_COLUMNS, metricsFromRow, METRIC_COLUMNS } from "@/lib/rollups/metrics";
import type { Delta, SettingsLoader } from "@/lib/rollups/record-deltas";
import { ensureWatermark, sealClosedHours, type SealedRange } from "@/lib/rollups/watermark";

/**
 * One run of the rollup job: takes up to `batchSize` deltas, folds them into the tiers and deletes
 * them, in one transaction, so every delta is applied exactly once even if the process dies midway.
 * Deltas after a project's watermark go to the minute tier only, those before it to every tier;
 * deltas of sealed minutes are left waiting for their fold. In the same transaction, hours closed
 * long enough are sealed (watermark.ts); the caller runs their fold (fold-sealed-hours.ts) after
 * the commit.
 * Cluster-wide, only one instance runs it at a time (a transaction-level advisory lock); the others
 * skip the run. Returns null when another instance holds the lock.
 */
export const ROLLUP_LOCK_KEY = 7_305_114_213; // arbitrary, constant: "sous rollups"

export interface ApplyResult {
  deltas: number;
  tierRows: number;
  /** Age of the oldest delta still waiting after this run, in ms (0 when none). */
  lagMs: number;
  /** The ranges sealed and waiting for their fold (foldSealedHours). */
  sealed: SealedRange[];
}

/**
 * Takes up to $1 deltas and adds up, inside PostgreSQL, those of the same minute, dimensions and
 * tags (each writer transaction records its own, so a batch repeats them): counts summed,
 * histograms concatenated (histogram.ts reads a concatenation as their sum). `taken` is how many
 * delta rows each returned row stands for. Deltas of a project's sealed minutes stay: their minute
 * rows are being folded (watermark.ts).
 */
const DELTA_IDENTITY = "project_id, minute, service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming, tags";
const TAKE_DELTAS_SQL = `
WITH taken AS (
  DELETE FROM rollup_deltas
  WHERE ctid = ANY (ARRAY(
    SELECT d.ctid FROM rollup_deltas d LEFT JOIN rollup_watermarks w ON w.project_id = d.project_id
    WHERE w.sealed_until IS NULL OR d.minute < w.complete_until OR d.minute >= w.sealed_until
    LIMIT $1))
  RETURNING ${DELTA_IDENTITY}, ${METRIC_COLUMNS.join(", ")}
)
SELECT project_id, extract(epoch FROM minute) * 1000 AS minute_ms, service_name, provider, model, prompt_name,
       prompt_version, environment, workload, streaming, tags, count(*) AS taken,
       ${METRIC_COLUMNS.map((c) => ((HISTOGRAM_COLUMNS as readonly string[]).includes(c) ? `string_agg(${c}, ''::bytea) AS ${c}` : `sum(${c}) AS ${c}`)).join(", ")}
FROM taken
GROUP BY ${DELTA_IDENTITY}`;

export async function applyRollupDeltas(
  pool: pg.Pool,
  settingsFor: SettingsLoader,
  { batchSize = 20_000, now = Date.now() }: { batchSize?: number; now?: number } = {},
): Promise<ApplyResult | null> {
  const client = await pool.connect();
  let isBroken = false;
  try {
    await client.query("BEGIN");
    const { rows: lock } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [ROLLUP_LOCK_KEY]);
    if (!lock[0]!.locked) {
      await client.query("ROLLBACK");
      return null;
    }
    const { rows } = await client.query(TAKE_DELTAS_SQL, [batchSize]);
    let taken = 0;
    const byProject = new Map<string, Delta[]>();
    for (const row of rows) {
      taken += Number(row.taken);
      const delta = deltaOfRow(row);
      const list = byProject.get(delta.projectId);
      if (list) list.push(delta);
      else byProject.set(delta.projectId, [delta]);
    }
    let tierRows = 0;
    for (const [projectId, deltas] of byProject) {
      const settings = await settingsFor(projectId);
      const watermark = await ensureWatermark(client, projectId, settings.timeZone, now);
      const accumulator = new TierAccumulator();
      await accumulateDeltas(client, projectId, deltas, settings, accumulator, TIERS, now, watermark);
      tierRows += await writeTierRows(client, projectId, accumulator, { merge: true });
    }
    const sealed = await sealClosedHours(client, async (projectId) => (await settingsFor(projectId)).timeZone, now);
    const { rows: waiting } = await client.query<{ lag_ms: string | null }>(
      "SELECT extract(epoch FROM clock_timestamp() - min(created_at)) * 1000 AS lag_ms FROM rollup_deltas",
    );
    await client.query("COMMIT");
    return { deltas: taken, tierRows, lagMs: Math.max(0, Math.round(Number(waiting[0]?.lag_ms ?? 0))), sealed };
  } catch (error) {
    isBroken = true;
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release(isBroken);
  }
}

export function deltaOfRow(row: Record<string, unknown>): Delta {
  return {
    projectId: row.project_id as string,
    minuteMs: Number(row.minute_ms),
    service: row.service_name as string,
    provider: (row.provider as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    promptName: (row.prompt_name as string | null) ?? null,
    promptVersion: (row.prompt_version as string | null) ?? null,
    environment: (row.environment as string | null) ?? null,
    workload: (row.workload as string | null) ?? null,
    streaming: (row.streaming as boolean | null) ?? null,
    tags: (row.tags as Record<string, string | null>) ?? {},
    metrics: row.calls === undefined ? emptyMetrics() : metricsFromRow(row),
  };
}
