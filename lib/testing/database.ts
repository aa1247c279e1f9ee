import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

/**
 * A real PostgreSQL for tests: a fresh database on DATABASE_URL's server when it is set,
 * otherwise a throwaway embedded server (fsync off: fine for tests, never for the app).
 */
export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  stop: () => Promise<void>;
}

export async function startTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const { url, release } = process.env.DATABASE_URL
    ? await createScratchDatabase(process.env.DATABASE_URL)
    : await startScratchServer();
  if (migrate) await applyMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // pool.end() resolves before its clients' sockets close; if the server stops first, their
  // "terminating connection" error comes back through the pool and must not go unhandled.
  pool.on("error", () => {});
  return {
    url,
    pool,
    stop: async () => {
      await pool.end();
      await release();
    },
  };
}

async function startScratchServer() {
  // Not under /root or a 0700 tmp dir: the 'postgres' user must reach it when tests run as root.
  const base = process.env.SOUS_TEST_PG_BASE ?? path.join(tmpdir(), "sous-test-pg");
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedDatabase({
    dataDir: path.join(base, `data-${process.pid}-${randomUUID().slice(0, 8)}`),
    isPersistent: false,
    isDurable: false,
  });
  return { url: server.url, release: server.stop };
}

async function createScratchDatabase(adminUrl: string) {
  const name = `sous_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    release: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
