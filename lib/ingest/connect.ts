import type pg from "pg";

const guarded = new WeakSet<pg.PoolClient>();

/**
 * A pool client whose connection errors cannot crash the process. When the server drops a
 * checked-out connection (restart, pg_terminate_backend), pg reports it to the running query and
 * then also emits "error" on the client, which has no listener while checked out; an unhandled
 * "error" event would kill the process. The query's own rejection is what the caller handles.
 */
export async function connectGuarded(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (!guarded.has(client)) {
    client.on("error", () => {});
    guarded.add(client);
  }
  return client;
}
