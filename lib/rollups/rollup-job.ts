import type pg from "pg";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { foldSealedHours } from "@/lib/rollups/fold-sealed-hours";
import type { SettingsLoader } from "@/lib/rollups/record-deltas";

/**
 * The rollup job of one process: applies waiting deltas every `intervalMs` (at once again while a
 * backlog remains), so the tiers lag ingest by a few seconds at most. A call waits for up to the
 * rest of a run, the interval and its own run: at 1 s, lag stayed under 4.4 s at ingest's saturating
 * load on 2 cores, against 5.8 s at 2 s, for ~10 % less throughput (BENCHMARKS.md). Each run adds
 * to the minute rows it touches in PostgreSQL. Hour and day rows are written once per closed hour,
 * by a fold that runs beside the runs, not inside them (watermark.ts, fold-sealed-hours.ts), so
 * closing an hour does not hold deltas up. Its status feeds /api/health.
 */
export interface RollupJobStatus {
  lastRunAt: string | null;
  /** Age of the oldest delta still waiting after the last run, in ms. */
  lagMs: number | null;
  appliedDeltas: number;
  /** Closed hours folded into the hour and day tiers. */
  foldedHours: number;
  failures: number;
  lastError: string | null;
}

export interface RollupJob {
  status: () => RollupJobStatus;
  stop: () => Promise<void>;
}

const BATCH_SIZE = 20_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

/**
 * The delta queue is filled by every writer transaction and emptied by every run: at 6k calls/s it
 * turns over ~10 MB a second. Autovacuum visits it about once a minute, so between visits the table
 * grew to ~110 MB of dead rows, which each run's take (and every lag reading) scanned: 14 % and
 * 10 % of PostgreSQL's time at that load (BENCHMARKS.md). The job vacuums it itself after a run,
 * beside the next one, so the space is reused and the table stays a few MB.
 */
const VACUUM_QUEUE_EVERY_MS = 2_000;

export function startRollupJob(pool: pg.Pool, settingsFor: SettingsLoader, { intervalMs = 1_000 } = {}): RollupJob {
  const status: RollupJobStatus = { lastRunAt: null, lagMs: null, appliedDeltas: 0, foldedHours: 0, failures: 0, lastError: null };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let folding: Promise<void> | null = null;
  let foldRetryAt = 0;
  let vacuuming: Promise<void> | null = null;
  let lastVacuumAt = Number.NEGATIVE_INFINITY;
  let isStopped = false;

  const recordFailure = (what: string, error: unknown) => {
    status.failures++;
    status.lastError = (error as Error).message;
    console.error(`[sous] ${what} failed:`, (error as Error).message);
  };

  /** Folds the sealed hours beside the runs, one fold at a time (none for a while after a failure). */
  const fold = (): void => {
    if (folding || performance.now() < foldRetryAt) return;
    folding = foldSealedHours(pool, settingsFor, { giveWay: () => running ?? Promise.resolve() })
      .then((result) => {
        status.foldedHours += result?.hours ?? 0;
      })
      .catch((error) => {
        recordFailure("rollup fold", error);
        foldRetryAt = performance.now() + RETRY_AFTER_FAILURE_MS;
      })
      .finally(() => {
        folding = null;
      });
  };

  /** Vacuums the delta queue (skipped while a vacuum already runs, or if its lock is taken). */
  const vacuumQueue = (): void => {
    if (vacuuming || performance.now() - lastVacuumAt < VACUUM_QUEUE_EVERY_MS) return;
    lastVacuumAt = performance.now();
    vacuuming = pool
      .query("VACUUM (SKIP_LOCKED) rollup_deltas")
      .then(() => {})
      .catch((error) => recordFailure("vacuum of the rollup delta queue", error))
      .finally(() => {
        vacuuming = null;
      });
  };

  const runOnce = async (): Promise<number> => {
    try {
      const result = await applyRollupDeltas(pool, settingsFor, { batchSize: BATCH_SIZE });
      status.lastRunAt = new Date().toISOString();
      if (result === null) return 0; // another instance holds the lock and does the work
      status.lagMs = result.lagMs;
      status.appliedDeltas += result.deltas;
      if (result.sealed.length > 0 && !isStopped) fold();
      if (result.deltas > 0 && !isStopped) vacuumQueue();
      return result.deltas;
    } catch (error) {
      recordFailure("rollup job", error);
      return -1;
    }
  };

  const schedule = (delayMs: number) => {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = runOnce();
      void running.then((applied) => {
        running = null;
        schedule(applied >= BATCH_SIZE ? 0 : applied < 0 ? RETRY_AFTER_FAILURE_MS : intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    status: () => ({ ...status }),
    stop: async () => {
      isStopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
      if (folding) await folding;
      if (vacuuming) await vacuuming;
    },
  };
}
