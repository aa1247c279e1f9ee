/**
 * Runs once per Next.js server process: starts the background jobs (partition maintenance)
 * that the ingest writer relies on. The writer itself starts lazily on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundJobs } = await import("@/lib/jobs/start-background-jobs");
  startBackgroundJobs();
}
