import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { APP_SESSION_OPTIONS } from "@/lib/db/pool";
import { upsertSeedPrices } from "@/lib/pricing/seed-prices";
import { bootstrapDefaultProject } from "@/lib/projects/bootstrap";

/**
 * The query benchmark's PostgreSQL: the embedded server `npm start` runs (lib/db/embedded.ts) with
 * production durability, kept between runs under .bench-data/query so the 10M calls and their
 * rollups are loaded once. Migrated, priced and bootstrapped as the launcher does. The pool's
 * sessions are the app's (lib/db/pool.ts APP_SESSION_OPTIONS).
 */
export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  projectId: string;
  dataDir: string;
  serverPid: number;
  stop: () => Promise<void>;
}

export async function startBenchDatabase(dataDir: string, onLog?: (line: string) => void): Promise<BenchDatabase> {
  const server = await startEmbeddedDatabase({ dataDir, isPersistent: true, isDurable: true, onLog });
  await applyMigrations(server.url);
  const pool = new pg.Pool({ connectionString: server.url, max: 4, application_name: "sous-bench-query", options: APP_SESSION_OPTIONS });
  pool.on("error", () => {});
  await upsertSeedPrices(pool);
  const boot = await bootstrapDefaultProject(pool);
  const serverPid = Number(readFileSync(path.join(server.dataDir, "postmaster.pid"), "utf8").split("\n", 1)[0]);
  return {
    url: server.url,
    pool,
    projectId: boot.project.id,
    dataDir: server.dataDir,
    serverPid,
    stop: async () => {
      await pool.end();
      await server.stop();
    },
  };
}
