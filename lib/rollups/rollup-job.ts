import type pg from "pg";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import type { SettingsLoader } from "@/lib/rollups/record-deltas";

/**
 * The rollup job of one process: applies waiting deltas every `intervalMs` (at once again while a
 * backlog remains), so the tiers lag ingest by a few seconds at most. A call waits for up to the
 * rest of a run, the interval and its own run: at 1 s, lag stayed under 4.4 s at ingest's saturating
 * load on 2 cores, against 5.8 s at 2 s, for ~10 % less throughput (BENCHMARKS.md). Each run adds
 * to the minute rows it touches in PostgreSQL (hour and day rows once per closed hour:
 * watermark.ts). Its status feeds /api/health.
 */
export interface RollupJobStatus {
  lastRunAt: string | null;
  /** Age of the oldest delta still waiting after the last run, in ms. */
  lagMs: number | null;
  appliedDeltas: number;
  failures: number;
  lastError: string | null;
}

export interface RollupJob {
  status: () => RollupJobStatus;
  /** Runs until no delta is waiting (tests, benchmarks). */
  drain: () => Promise<void>;
  stop: () => Promise<void>;
}

const BATCH_SIZE = 20_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

export function startRollupJob(pool: pg.Pool, settingsFor: SettingsLoader, { intervalMs = 1_000 } = {}): RollupJob {
  const status: RollupJobStatus = { lastRunAt: null, lagMs: null, appliedDeltas: 0, failures: 0, lastError: null };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let isStopped = false;

  const runOnce = async (): Promise<number> => {
    try {
      const result = await applyRollupDeltas(pool, settingsFor, { batchSize: BATCH_SIZE });
      status.lastRunAt = new Date().toISOString();
      if (result === null) return 0; // another instance holds the lock and does the work
      status.lagMs = result.lagMs;
      status.appliedDeltas += result.deltas;
      return result.deltas;
    } catch (error) {
      status.failures++;
      status.lastError = (error as Error).message;
      console.error("[sous] rollup job failed:", (error as Error).message);
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
    drain: async () => {
      for (;;) {
        if (running) await running;
        const applied = await runOnce();
        if (applied === 0 && !running) return; // (a scheduled run may have taken the lock meanwhile)
        if (applied < 0) throw new Error(`the rollup job failed: ${status.lastError}`);
      }
    },
    stop: async () => {
      isStopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
