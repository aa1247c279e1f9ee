import type pg from "pg";

/**
 * Loads numbered chunks on `parallel` connections at once, each chunk in a transaction of its own
 * (what `load` writes, including its record that the chunk is done, commits together), so an
 * interrupted load resumes with the chunks still missing. `prepare` runs once per connection.
 */
export async function loadChunksInParallel(
  pool: pg.Pool,
  chunks: readonly number[],
  parallel: number,
  load: (client: pg.PoolClient, chunk: number) => Promise<void>,
  { prepare = async () => {}, onCommitted = () => {} }: {
    prepare?: (client: pg.PoolClient) => Promise<void>;
    /** After each chunk's commit, with the number of chunks not yet started (progress). */
    onCommitted?: (chunk: number, notStarted: number) => void;
  } = {},
): Promise<void> {
  const queue = [...chunks];
  const worker = async () => {
    const client = await pool.connect();
    try {
      await prepare(client);
      for (let chunk = queue.shift(); chunk !== undefined; chunk = queue.shift()) {
        await client.query("BEGIN");
        await load(client, chunk);
        await client.query("COMMIT");
        onCommitted(chunk, queue.length);
      }
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
