import type pg from "pg";
import { dimKeyOfRow, KEY_COLUMN_LIST, type DimRow } from "@/lib/rollups/dimensions";
import { compareTierRows, rollUpTier, TierAccumulator, writeTierRows, type TierRow } from "@/lib/rollups/fold-deltas";
import { metricsFromRow, METRIC_COLUMNS } from "@/lib/rollups/metrics";
import type { SettingsLoader } from "@/lib/rollups/record-deltas";
import { HOUR_MS, MINUTE_MS } from "@/lib/rollups/time-buckets";

/**
 * Folds the sealed hours of every project (watermark.ts) into the hour and day tiers and moves each
 * watermark past them: beside the rollup job, not under its lock, so the job goes on applying
 * deltas while an hour of minute rows is read and added up.
 *
 * Why no other writer can spoil the fold: the sealed minutes' rows do not change (the job takes no
 * delta of a sealed minute, a rebuild takes FOLD_LOCK_KEY first, retention keeps every minute from
 * the oldest watermark on); the hour rows of the sealed hours are written by nobody else (late
 * deltas are those before the watermark); the day rows it adds to may also take a late delta from
 * the job meanwhile, so both read the stored rows FOR UPDATE (fold-deltas.ts writeTierRows) and the
 * second waits for the first to commit. The watermark moves in the transaction that writes the
 * rows, and only from the range the fold read: a fold that died midway left nothing, and is redone.
 */
export const FOLD_LOCK_KEY = 7_305_114_214; // arbitrary, constant: "sous rollup fold"

/** Minutes read per query: each slice is added up before the next is read (the job shares the process). */
const SLICE_MS = 5 * MINUTE_MS;

export interface FoldResult {
  hours: number;
  tierRows: number;
}

export interface FoldOptions {
  now?: number;
  /**
   * Awaited between two chunks of the fold's reading and adding up (not while it holds row locks):
   * the rollup job passes its run in progress, so that the fold, which shares its process, does
   * not slow a run down (rollup lag).
   */
  giveWay?: () => Promise<unknown>;
}

/**
 * Folds every sealed range. Returns null when another process holds the fold lock (it folds them).
 * Cluster-wide one fold runs at a time: a session lock on the connection that does the work.
 */
export async function foldSealedHours(
  pool: pg.Pool,
  settingsFor: SettingsLoader,
  { now = Date.now(), giveWay = async () => {} }: FoldOptions = {},
): Promise<FoldResult | null> {
  const client = await pool.connect();
  let isBroken = false;
  try {
    const { rows: lock } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [FOLD_LOCK_KEY]);
    if (!lock[0]!.locked) return null;
    const { rows: sealed } = await client.query<{ project_id: string; from_ms: string; to_ms: string }>(
      `SELECT project_id, extract(epoch FROM complete_until) * 1000 AS from_ms, extract(epoch FROM sealed_until) * 1000 AS to_ms
       FROM rollup_watermarks WHERE sealed_until IS NOT NULL ORDER BY complete_until`,
    );
    const result: FoldResult = { hours: 0, tierRows: 0 };
    const pause = async () => {
      await nextTurn();
      await giveWay();
    };
    for (const range of sealed) {
      const { timeZone } = await settingsFor(range.project_id);
      const fromMs = Number(range.from_ms);
      const toMs = Number(range.to_ms);
      result.tierRows += await foldRange(client, range.project_id, timeZone, fromMs, toMs, now, pause);
      result.hours += Math.round((toMs - fromMs) / HOUR_MS);
    }
    await client.query("SELECT pg_advisory_unlock($1)", [FOLD_LOCK_KEY]);
    return result;
  } catch (error) {
    isBroken = true; // dropping the connection releases the session lock and any open transaction
    throw error;
  } finally {
    client.release(isBroken);
  }
}

const MINUTE_ROWS_SQL = `
SELECT extract(epoch FROM t.bucket) * 1000 AS bucket_ms, ${KEY_COLUMN_LIST.map((c) => `d.${c}`).join(", ")},
       ${METRIC_COLUMNS.map((c) => `t.${c}`).join(", ")}
FROM rollup_minute t JOIN rollup_dims d ON d.project_id = t.project_id AND d.dim_id = t.dim_id
WHERE t.project_id = $1 AND t.bucket >= $2 AND t.bucket < $3`;

async function foldRange(
  client: pg.ClientBase,
  projectId: string,
  timeZone: string,
  fromMs: number,
  toMs: number,
  now: number,
  pause: () => Promise<void>,
): Promise<number> {
  const folded = new TierAccumulator();
  for (let sliceFrom = fromMs; sliceFrom < toMs; sliceFrom += SLICE_MS) {
    const { rows } = await client.query<DimRow & Record<string, unknown>>(MINUTE_ROWS_SQL, [
      projectId,
      new Date(sliceFrom),
      new Date(Math.min(toMs, sliceFrom + SLICE_MS)),
    ]);
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
      const minutes = new TierAccumulator();
      for (const row of rows.slice(i, i + CHUNK_ROWS)) minutes.add("minute", Number(row.bucket_ms), dimKeyOfRow(row), metricsFromRow(row));
      rollUpTier(minutes, "minute", "hour", timeZone, folded, now);
      await pause();
    }
  }
  for (const hours of chunksOf(folded, "hour")) {
    rollUpTier(hours, "hour", "day", timeZone, folded, now);
    await pause();
  }
  await client.query("BEGIN");
  try {
    let tierRows = 0;
    for (const tier of ["hour", "day"] as const) {
      for (const chunk of chunksOf(folded, tier)) {
        tierRows += await writeTierRows(client, projectId, chunk, { merge: true });
        // Not giving way here: a run may wait for the day rows this transaction has locked.
        await nextTurn();
      }
    }
    const moved = await client.query(
      `UPDATE rollup_watermarks SET complete_until = sealed_until, sealed_until = NULL, updated_at = now()
       WHERE project_id = $1 AND complete_until = $2 AND sealed_until = $3`,
      [projectId, new Date(fromMs), new Date(toMs)],
    );
    if (moved.rowCount !== 1) throw new Error(`the sealed range of project ${projectId} changed during its fold`);
    await client.query("COMMIT");
    return tierRows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * Rows handled between two turns of the event loop. The fold shares its process with the rollup
 * job (and, without the launcher, with the web app): a fold done in one go kept the job from
 * applying any delta for 22 s (lag 2 → 13.5 s, BENCHMARKS.md); in chunks of 2,000 rows the runs
 * went on but took longer (lag up to 8 s); in smaller chunks, giving way to a run in progress,
 * a run waits for one chunk at most.
 */
const CHUNK_ROWS = 500;

/**
 * The rows of one tier of `accumulator`, CHUNK_ROWS at a time, each chunk an accumulator of its own,
 * a bucket's rows of one tag key after another: the hour rows of a closed hour are new, and
 * inserted in that order the rows a breakdown by a tag reads (one key's, in an hour) share pages
 * (run-query.ts fetches them by id). Grouped, not sorted: sorting an hour's ~100k rows would hold
 * the event loop the job shares for a tenth of a second or more.
 */
function* chunksOf(accumulator: TierAccumulator, tier: "hour" | "day"): Generator<TierAccumulator> {
  const groups = new Map<string, [string, TierRow][]>();
  for (const entry of accumulator.rows[tier]) {
    const group = `${entry[1].bucketMs}\u0001${entry[1].key.tagKey ?? ""}`;
    const list = groups.get(group);
    if (list) list.push(entry);
    else groups.set(group, [entry]);
  }
  let chunk = new TierAccumulator();
  for (const list of [...groups.values()].sort((a, b) => compareTierRows(a[0]![1], b[0]![1]))) {
    for (const [id, row] of list) {
      chunk.rows[tier].set(id, row);
      if (chunk.rows[tier].size >= CHUNK_ROWS) {
        yield chunk;
        chunk = new TierAccumulator();
      }
    }
  }
  if (chunk.rows[tier].size > 0) yield chunk;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
