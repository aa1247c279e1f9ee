import type pg from "pg";

/**
 * Runs `work` in one transaction that first takes the transaction-level advisory lock `lockKey`
 * (waiting for it), so that one caller at a time, cluster-wide, does it. Commits what `work` did,
 * or rolls it back if it throws.
 */
export async function inLockedTransaction<T>(pool: pg.Pool, lockKey: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [lockKey]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
