import pg from "pg";

/**
 * The process-wide pg pool. DATABASE_URL is always set inside the app: by the user, or by the
 * launcher (scripts/start.ts) after it starts the embedded server.
 */
const globalForPool = globalThis as unknown as { sousPool?: pg.Pool };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Sous with `npm start`, which provides it.");
  return url;
}

/**
 * The session settings of the app's connections, which run the dashboards' and the API's queries:
 * no parallel workers. Those queries read rollups, a few thousand rows each, and a parallel worker
 * is a new process that must first fault in every shared-buffer page it touches; with the cache at
 * a quarter of RAM (embedded.ts) that start cost more than the split saved. bench:query, paired
 * runs on 2 cores: max 113 and 137 ms with workers, 85-103 ms without (BENCHMARKS.md "Analytics").
 * The rollup job and the rebuild keep PostgreSQL's default.
 */
export const APP_SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0";

export function getPool(): pg.Pool {
  if (!globalForPool.sousPool) {
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: Number(process.env.SOUS_DB_POOL_SIZE ?? 10),
      connectionTimeoutMillis: 5_000,
      options: APP_SESSION_OPTIONS,
    });
    // An idle client's error (database restarted) must not crash the process.
    pool.on("error", () => {});
    globalForPool.sousPool = pool;
  }
  return globalForPool.sousPool;
}

/** For tests and scripts that bring their own pool. */
export function setPool(pool: pg.Pool): void {
  globalForPool.sousPool = pool;
}
