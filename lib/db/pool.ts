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

export function getPool(): pg.Pool {
  if (!globalForPool.sousPool) {
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: Number(process.env.SOUS_DB_POOL_SIZE ?? 10),
      connectionTimeoutMillis: 5_000,
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
