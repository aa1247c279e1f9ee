/**
 * `npm start`: the Sous launcher. Starts the embedded PostgreSQL (unless DATABASE_URL is set),
 * applies migrations, seeds prices and the default project, builds the web app if needed, then
 * runs Next.js (web app + OTLP receiver on one port). Ctrl-C stops everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { readLaunchConfig } from "@/lib/launcher/config";
import { buildWebApp, isBuildCurrent } from "@/lib/launcher/next-build";
import { removeRuntimeFile, writeRuntimeFile } from "@/lib/launcher/runtime-file";
import { upsertSeedPrices } from "@/lib/pricing/seed-prices";
import { bootstrapDefaultProject } from "@/lib/projects/bootstrap";
import { startRollupJob, type RollupJob } from "@/lib/rollups/rollup-job";
import { getProjectSettings } from "@/lib/settings/project-settings";
import { readSettingsDefaults } from "@/lib/settings/settings-defaults";

const root = path.resolve(import.meta.dirname, "..");
const isDev = process.argv.includes("--dev");

async function main(): Promise<void> {
  const config = readLaunchConfig();
  readSettingsDefaults(); // a bad SOUS_* setting stops the start here, with its message
  let embedded: EmbeddedDatabase | null = null;
  let next: ChildProcess | null = null;
  let rollups: { job: RollupJob; pool: pg.Pool } | null = null;
  let isStopping = false;

  const stop = async (code: number) => {
    if (isStopping) return;
    isStopping = true;
    if (next && next.exitCode === null) {
      next.kill("SIGTERM");
      await new Promise((resolve) => next!.once("exit", resolve));
    }
    if (rollups) {
      await rollups.job.stop();
      await rollups.pool.end();
    }
    if (embedded) {
      log("stopping the embedded PostgreSQL");
      removeRuntimeFile(config.dataDir);
      await embedded.stop();
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log(`starting the embedded PostgreSQL (data in ${config.dataDir})`);
    const pgLog: string[] = [];
    try {
      embedded = await startEmbeddedDatabase({
        dataDir: path.join(config.dataDir, "postgres"),
        isPersistent: true,
        isDurable: true,
        onLog: (line) => pgLog.push(line),
      });
    } catch (error) {
      process.stderr.write(pgLog.slice(-20).join(""));
      throw error;
    }
    databaseUrl = embedded.url;
    writeRuntimeFile(config.dataDir, { databaseUrl, pid: process.pid });
  }

  try {
    const migrations = await applyMigrations(databaseUrl);
    if (migrations.applied.length > 0) log(`applied ${migrations.applied.length} migration(s)`);

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await upsertSeedPrices(pool);
    const boot = await bootstrapDefaultProject(pool, {
      initProjectKey: config.initProjectKey,
      initAdminEmail: config.initAdminEmail,
      initAdminPassword: config.initAdminPassword,
      needsDemoKey: config.isDemo,
    });
    for (const warning of boot.warnings) log(`warning: ${warning}`);
    await pool.end();

    // Tests run many app instances at once from one build made beforehand: never rebuild there.
    const skipBuildCheck = process.env.SOUS_SKIP_BUILD_CHECK === "1";
    if (!isDev && !skipBuildCheck && !isBuildCurrent(root)) {
      log("building the web app (first start or new version; about a minute)");
      buildWebApp(root);
    }

    // The rollup job runs here, beside the web app rather than in it: folding deltas is CPU work
    // that would otherwise hold up the receiver's event loop (BENCHMARKS.md). The web app's writer
    // still records the deltas in its transactions; a bare `next start` runs the job itself.
    if (process.env.SOUS_BENCH_NO_ROLLUPS !== "1") {
      // Three connections: the job's runs, the fold of closed hours beside them, settings lookups.
      const rollupPool = new pg.Pool({ connectionString: databaseUrl, max: 3, application_name: "sous-rollups" });
      rollupPool.on("error", (error) => log(`rollup job: database connection lost (${error.message})`));
      rollups = { pool: rollupPool, job: startRollupJob(rollupPool, (projectId) => getProjectSettings(projectId, rollupPool)) };
    }

    const nextBin = path.join(root, "node_modules/next/dist/bin/next");
    next = spawn(process.execPath, [nextBin, isDev ? "dev" : "start", "-H", config.host, "-p", String(config.port)], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", SOUS_ROOT: root, SOUS_ROLLUP_JOB: "launcher" },
    });
    next.once("exit", (code) => {
      if (!isStopping) {
        log(`the web app exited (code ${code})`);
        void stop(code ?? 1);
      }
    });

    const displayHost = config.host === "0.0.0.0" ? "localhost" : config.host;
    const baseUrl = `http://${displayHost}:${config.port}`;
    await waitForHealth(`http://127.0.0.1:${config.port}/api/health`, () => isStopping);

    log(`ready: ${baseUrl}`);
    log(`OTLP endpoint: OTEL_EXPORTER_OTLP_ENDPOINT=${baseUrl}/api/otlp`);
    if (boot.createdProjectKey) {
      log("");
      log("first start: created the default project. Its ingest key is shown ONCE; store it now:");
      log(`  OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${boot.createdProjectKey}"`);
    }
    if (boot.createdAdmin) {
      log(`admin account: ${boot.createdAdmin.email} / ${boot.createdAdmin.password} (shown once)`);
    }
    if (boot.createdProjectKey && !config.isDemo) {
      log("");
      log("no data yet? send demo traffic with:");
      log(`  npm run simulate -- --key ${boot.createdProjectKey} --duration 2m`);
      log("  (or start with SOUS_DEMO=1 to run it alongside the app)");
    }
    if (config.isDemo) {
      const apiKey = boot.createdProjectKey ?? config.initProjectKey ?? boot.demoKey ?? undefined;
      const { runSimulation } = await import("@/lib/simulator/run-simulation");
      log("SOUS_DEMO=1: sending simulated traffic for 10 minutes");
      void runSimulation({ endpoint: `http://127.0.0.1:${config.port}/api/otlp`, apiKey, ratePerSecond: 5, durationMs: 10 * 60_000 })
        .catch((error: unknown) => log(`demo traffic stopped: ${(error as Error).message}`));
    }
  } catch (error) {
    process.stderr.write(`[sous] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

async function waitForHealth(url: string, isCancelled: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 600 && !isCancelled(); attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the web app did not become healthy at ${url}`);
}

function log(message: string): void {
  process.stdout.write(`[sous] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[sous] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
