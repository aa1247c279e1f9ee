import { getPool } from "@/lib/db/pool";
import { maintainPartitions } from "@/lib/ingest/partitions";
import { getSpanWriter } from "@/lib/ingest/writer";
import { applyRetention } from "@/lib/jobs/apply-retention";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { startRollupJob, type RollupJob } from "@/lib/rollups/rollup-job";
import { getProjectSettings } from "@/lib/settings/project-settings";

const HOUR_MS = 60 * 60 * 1000;
const globalForJobs = globalThis as unknown as { sousJobsStarted?: boolean; sousRollupJob?: RollupJob };

/**
 * Background jobs, once per process (started from instrumentation.ts): the writer's rollup hook
 * and the rollup job, partition creation ahead of time, and retention. Cluster-wide work inside
 * them takes advisory locks, so any number of instances can run them.
 */
export function startBackgroundJobs(): void {
  if (globalForJobs.sousJobsStarted || !process.env.DATABASE_URL) return;
  globalForJobs.sousJobsStarted = true;
  const pool = getPool();
  const settingsFor = (projectId: string) => getProjectSettings(projectId);
  // Only for measuring what rollups cost ingest (npm run bench:ingest): dashboards stop updating.
  if (process.env.SOUS_BENCH_NO_ROLLUPS === "1") {
    console.warn("[sous] SOUS_BENCH_NO_ROLLUPS=1: rollups are not maintained; dashboards will not show new calls");
  } else {
    getSpanWriter().extendInsert(recordRollupDeltas(settingsFor));
    // The npm start launcher runs the job in its own process (scripts/start.ts).
    if (process.env.SOUS_ROLLUP_JOB !== "launcher") globalForJobs.sousRollupJob = startRollupJob(pool, settingsFor);
  }

  const runHourly = () => {
    maintainPartitions(pool).catch((error: unknown) =>
      console.error("[sous] partition maintenance failed:", (error as Error).message),
    );
    applyRetention(pool).catch((error: unknown) => console.error("[sous] retention failed:", (error as Error).message));
  };
  runHourly();
  setInterval(runHourly, HOUR_MS).unref();
}

/** The rollup job of this process, when it runs here (for /api/health). */
export function getRollupJob(): RollupJob | null {
  return globalForJobs.sousRollupJob ?? null;
}
