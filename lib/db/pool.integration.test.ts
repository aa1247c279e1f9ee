import { afterAll, beforeAll, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  await db?.stop();
});

it("gives the app's queries sessions without parallel workers, whatever the server's default", async () => {
  // The database's own default for new sessions allows workers.
  const { rows: names } = await db.pool.query<{ name: string }>("SELECT current_database() AS name");
  await db.pool.query(`ALTER DATABASE "${names[0]!.name}" SET max_parallel_workers_per_gather = 2`);
  process.env.DATABASE_URL = db.url;
  const pool = getPool();
  try {
    const { rows } = await pool.query<{ max_parallel_workers_per_gather: string }>("SHOW max_parallel_workers_per_gather");
    expect(rows[0]!.max_parallel_workers_per_gather).toBe("0");
  } finally {
    await pool.end();
  }
});
