import { getPool } from "@/lib/db/pool";
import { maintainPartitions } from "@/lib/ingest/partitions";

const HOUR_MS = 60 * 60 * 1000;
const globalForJobs = globalThis as unknown as { sousJobsStarted?: boolean };

/** Background jobs, once per process. Cluster-wide work inside them takes advisory locks. */
export function startBackgroundJobs(): void {
  if (globalForJobs.sousJobsStarted || !process.env.DATABASE_URL) return;
  globalForJobs.sousJobsStarted = true;
  const runPartitions = () =>
    maintainPartitions(getPool()).catch((error: unknown) =>
      console.error("[sous] partition maintenance failed:", (error as Error).message),
    );
  void runPartitions();
  setInterval(runPartitions, HOUR_MS).unref();
}
