import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { generateApiKey } from "@/lib/auth/api-key-format";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { upsertSeedPrices } from "@/lib/pricing/seed-prices";
import { bootstrapDefaultProject } from "@/lib/projects/bootstrap";

/**
 * The benchmark's PostgreSQL: the same embedded server `npm start` runs (lib/db/embedded.ts), with
 * production durability (fsync, synchronous_commit and full_page_writes on), kept between runs in
 * .bench-data so the preloaded spans are reused. Migrated, priced and bootstrapped as the launcher
 * does, with an ingest key kept next to the data so every run uses the same default project.
 */
export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  projectId: string;
  apiKey: string;
  dataDir: string;
  /** The postmaster's pid, root of the server's process tree. */
  postmasterPid: number;
  /** The server's last log lines (errors, checkpoints), for a failure report. */
  logLines: string[];
  stop: () => Promise<void>;
}

export interface BenchDatabaseOptions {
  dataDir: string;
}

const MAX_KEPT_LOG_LINES = 2_000;

export async function startBenchDatabase(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const logLines: string[] = [];
  const onLog = (message: string) => {
    for (const line of message.split("\n")) {
      if (line.trim() === "") continue;
      logLines.push(line);
      if (logLines.length > MAX_KEPT_LOG_LINES) logLines.shift();
    }
  };
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbeddedDatabase({ dataDir: options.dataDir, isPersistent: true, isDurable: true, onLog });
  } catch (error) {
    process.stderr.write(logLines.slice(-20).join("\n") + "\n");
    throw error;
  }
  await applyMigrations(embedded.url);
  const pool = new pg.Pool({ connectionString: embedded.url, max: 6, application_name: "sous-bench", options: "-c jit=off" });
  pool.on("error", () => {});
  await upsertSeedPrices(pool);
  const apiKey = readOrCreateKey(path.join(path.dirname(options.dataDir), "ingest-key"));
  const boot = await bootstrapDefaultProject(pool, { initProjectKey: apiKey });
  for (const warning of boot.warnings) process.stdout.write(`[bench] bootstrap warning: ${warning}\n`);
  const postmasterPid = Number(readFileSync(path.join(embedded.dataDir, "postmaster.pid"), "utf8").split("\n", 1)[0]);
  return {
    url: embedded.url,
    pool,
    projectId: boot.project.id,
    apiKey,
    dataDir: embedded.dataDir,
    postmasterPid,
    logLines,
    stop: async () => {
      await pool.end();
      await embedded.stop();
    },
  };
}

function readOrCreateKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = generateApiKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The server settings that decide durability and write throughput, as the report states them. */
export async function readServerSettings(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
    [[
      "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers", "max_wal_size",
      "checkpoint_timeout", "wal_compression", "wal_buffers", "commit_delay", "autovacuum", "server_version",
    ]],
  );
  const settings: Record<string, string> = {};
  for (const row of rows) {
    const value = row.unit === "8kB" ? `${(Number(row.setting) * 8) / 1024}MB` : `${row.setting}${row.unit ?? ""}`;
    settings[row.name] = value;
  }
  return settings;
}
