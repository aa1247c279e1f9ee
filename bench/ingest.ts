/**
 * `npm run bench:ingest`: the ingest benchmark of issue 2 (results in BENCHMARKS.md).
 *
 *   npm run bench:ingest -- [--duration 5m] [--warmup 20s] [--label NAME] [--preload 10000000]
 *     [--exporters 4] [--in-flight 2] [--batch 512] [--export-timeout 10s] [--data-dir .bench-data]
 *     [--cpu-prof] [--keep-run-spans] [--preload-only] [--app-env KEY=VALUE ...] [--app-dir DIR]
 *
 * 1. PostgreSQL: the embedded server of lib/db/embedded.ts with production durability (fsync,
 *    synchronous_commit, full_page_writes on), data kept in .bench-data/ between runs.
 * 2. History: the database is filled to --preload spans (default 10M) without HTTP, once
 *    (bench/ingest/preload.ts); later runs reuse it.
 * 3. Sous as in production: the `npm start` launcher against that database (builds if stale).
 * 4. Load: --exporters child processes, each one official OTLP protobuf exporter with --in-flight
 *    export() calls of --batch LLM spans back to back; --warmup, then --duration measured.
 * 5. Read-back: every span sent is read once and checked stored exactly once (verify-run.ts).
 * 6. Report: sustained spans/s, ack latency percentiles, peak RSS of the app and PostgreSQL, CPU
 *    per process group, WAL; a one-line summary; JSON in .bench-data/results/.
 */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startBenchDatabase, readServerSettings } from "./ingest/bench-database";
import { summarizeCpuProfile, type ProfileSummary } from "./ingest/cpu-profile";
import { countersBetween, readDatabaseCounters, readDatabaseSize, type DatabaseCounters } from "./ingest/database-stats";
import { formatCount, formatMegabytes, parseDuration } from "./ingest/format";
import { MAX_GENERATORS } from "./ingest/load-protocol";
import { Monitor, cpuBetween, type CpuSnapshot } from "./ingest/monitor";
import { PRELOAD_CHUNK_ROWS, preloadSpans, settleDatabase } from "./ingest/preload";
import { TARGETS, formatReport, measureWindow, summaryLine, type IngestBenchResult } from "./ingest/report";
import { RollupLagSampler, type RollupLagResult } from "./ingest/rollup-lag";
import { runLoad } from "./ingest/run-load";
import { startApp } from "./ingest/start-app";
import { deleteRunSpans, verifyRun } from "./ingest/verify-run";

const ISSUE_PRELOAD = 10_000_000;
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv,
  options: {
    duration: { type: "string", default: "5m" },
    warmup: { type: "string", default: "20s" },
    label: { type: "string", default: "ingest" },
    preload: { type: "string", default: String(ISSUE_PRELOAD) },
    exporters: { type: "string", default: "4" },
    "in-flight": { type: "string", default: "2" },
    batch: { type: "string", default: "512" },
    "export-timeout": { type: "string", default: "10s" },
    "data-dir": { type: "string", default: ".bench-data" },
    "cpu-prof": { type: "boolean", default: false },
    "keep-run-spans": { type: "boolean", default: false },
    "preload-only": { type: "boolean", default: false },
    "app-env": { type: "string", multiple: true, default: [] },
    "app-dir": { type: "string" },
  },
});

const command = ["npm run bench:ingest", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" ");
const durationMs = parseDuration(args.duration!);
const warmupMs = parseDuration(args.warmup!);
const preloadTarget = Number(args.preload);
const generators = Number(args.exporters);
const dataDir = path.resolve(args["data-dir"]!);
if (!(generators >= 1 && generators <= MAX_GENERATORS)) throw new Error(`--exporters must be 1–${MAX_GENERATORS}`);
const appEnv = Object.fromEntries(
  args["app-env"]!.map((pair) => {
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`--app-env takes KEY=VALUE, not "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}-${args.label}`;
const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

log(command);
if (preloadTarget < ISSUE_PRELOAD) log(`--preload ${preloadTarget} < ${formatCount(ISSUE_PRELOAD)}: a development run, not the issue's measurement`);
if (durationMs < 300_000) log(`--duration ${args.duration} < 5m: a development run, not the issue's measurement`);

const database = await startBenchDatabase({ dataDir: path.join(dataDir, "postgres") });
let stopApp: (() => Promise<void>) | null = null;
try {
  const settings = await readServerSettings(database.pool);
  const preload = await preloadSpans(database.pool, database.projectId, preloadTarget);
  if (preload.chunksAdded > 0) {
    log(`preloaded ${formatCount(preload.rowsAdded)} spans in ${Math.round(preload.seconds)} s (${formatCount(preload.rowsPerSecond ?? 0)}/s); vacuum, analyze, checkpoint`);
    const settled = await settleDatabase(database.pool);
    log(`settled in ${Math.round(settled.vacuumSeconds + settled.checkpointSeconds)} s`);
  }
  const before = await readDatabaseSize(database.pool);
  const preloaded = (preload.chunksBefore + preload.chunksAdded) * PRELOAD_CHUNK_ROWS;
  log(`database: ~${formatCount(before.estimatedSpans)} spans (${formatCount(preloaded)} preloaded), ${formatMegabytes(before.databaseBytes)}`);
  if (args["preload-only"]) {
    await database.stop();
    process.exit(0);
  }

  const profileDir = path.join(dataDir, "profiles", runId);
  if (args["cpu-prof"]) mkdirSync(profileDir, { recursive: true });
  log("starting Sous (the npm start launcher; it builds the web app first if the build is stale)");
  const appDir = args["app-dir"] ? path.resolve(args["app-dir"]) : path.resolve(import.meta.dirname, "..");
  // The code the app runs: read now, not after the run (a commit made meanwhile is not in it).
  const appCheckout = describeCheckout(appDir);
  const app = await startApp({
    appDir,
    databaseUrl: database.url,
    apiKey: database.apiKey,
    env: {
      ...appEnv,
      ...(args["cpu-prof"]
        ? {
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(import.meta.dirname, "ingest/cpu-profiler-preload.cjs")}`.trim(),
            SOUS_BENCH_PROFILE_DIR: profileDir,
          }
        : {}),
    },
    onOutput: (line) => (line.includes("error") || line.includes("warning") ? log(`app: ${line}`) : undefined),
  });
  stopApp = app.stop;
  if (args["cpu-prof"]) copySourceMaps(path.join(appDir, ".next/server"), path.join(profileDir, "maps"));
  log(`app ready at ${app.baseUrl} (launcher pid ${app.launcherPid}, next start pid ${app.serverPid}); PostgreSQL pid ${database.postmasterPid}`);

  const runTag = randomInt(1, 2 ** 32 - 1);
  const runFrom = new Date(Date.now() - 3_600_000);
  let monitor: Monitor | null = null;
  let cpuStart: CpuSnapshot | null = null;
  let cpuEnd: CpuSnapshot | null = null;
  let countersStart: DatabaseCounters | null = null;
  let countersEnd: DatabaseCounters | null = null;
  const hasRollups = appEnv.SOUS_BENCH_NO_ROLLUPS !== "1";
  const rollupLag = hasRollups ? new RollupLagSampler(database.pool, database.projectId, runFrom) : null;
  await rollupLag?.start();
  log(`load: ${generators} exporters × ${args["in-flight"]} in flight × ${args.batch} spans, run tag ${runTag.toString(16)}; ${args.warmup} warm-up, ${args.duration} measured`);
  const load = await runLoad({
    url: `${app.baseUrl}/api/otlp/v1/traces`,
    apiKey: database.apiKey,
    generators,
    inFlight: Number(args["in-flight"]),
    batchSize: Number(args.batch),
    runTag,
    timeoutMs: parseDuration(args["export-timeout"]!),
    warmupMs,
    durationMs,
    onStarted: (pids) => {
      monitor = new Monitor({ appServerPid: app.serverPid, appLauncherPid: app.launcherPid, postgresPid: database.postmasterPid, generatorPids: pids });
      monitor.start();
    },
    onWindowStart: async () => {
      if (args["cpu-prof"]) process.kill(app.serverPid, "SIGUSR2"); // starts the profiler
      cpuStart = monitor!.snapshot();
      countersStart = await readDatabaseCounters(database.pool);
    },
    onWindowEnd: async () => {
      if (args["cpu-prof"]) process.kill(app.serverPid, "SIGUSR2"); // stops it and writes the profile
      cpuEnd = monitor!.snapshot();
      countersEnd = await readDatabaseCounters(database.pool);
    },
    progress: () => {
      const last = monitor?.last;
      return last ? `app RSS ${formatMegabytes(last.server.rssBytes)}, PG PSS ${formatMegabytes(last.postgres.pssBytes)}` : "";
    },
  });
  monitor!.stop();
  let rollups: RollupLagResult | null = null;
  if (rollupLag) {
    log("waiting for the rollup job to fold the last deltas");
    rollups = await rollupLag.finish();
  }
  const profileFile = path.join(profileDir, `app-${app.serverPid}.cpuprofile`);
  for (let wait = 0; args["cpu-prof"] && !existsSync(profileFile) && wait < 60; wait++) await new Promise((r) => setTimeout(r, 500));
  await app.stop();
  stopApp = null;

  log("reading back every span of the run");
  const verify = await verifyRun(database.pool, {
    projectId: database.projectId,
    runTag,
    from: runFrom,
    to: new Date(Date.now() + 3_600_000),
    exports: load.exports,
  });
  const databaseBytesAfter = (await readDatabaseSize(database.pool)).databaseBytes;
  const window = measureWindow(load.exports, load.windowStart, load.windowEnd);
  const memory = monitor!.peaks;
  const failed = load.exports.filter((r) => !r.isOk);
  let profile: ProfileSummary | null = null;
  if (args["cpu-prof"]) {
    if (existsSync(profileFile)) {
      profile = summarizeCpuProfile(profileFile, 25, path.join(profileDir, "maps"));
      const memoryFile = path.join(profileDir, `app-${app.serverPid}.memory.json`);
      if (existsSync(memoryFile)) profile.memoryPeaks = JSON.parse(readFileSync(memoryFile, "utf8"));
      log(`app CPU profile: ${profileFile} (open in Chrome DevTools › Performance)`);
    } else {
      log(`no CPU profile written by pid ${app.serverPid} in ${profileDir}`);
    }
  }
  const result: IngestBenchResult = {
    label: args.label!,
    command,
    startedAt: new Date(load.firstStart).toISOString(),
    app: appCheckout,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${formatMegabytes(os.totalmem())} RAM, Linux ${os.release()}, Node ${process.version}, load average at start ${os.loadavg()[0]!.toFixed(2)}`,
    settings,
    load: { generators, inFlight: Number(args["in-flight"]), batchSize: Number(args.batch), warmupSeconds: warmupMs / 1000, durationSeconds: durationMs / 1000 },
    spansBefore: { preloaded, estimated: before.estimatedSpans, databaseBytes: before.databaseBytes },
    ...window,
    failedExports: failed.length,
    failureExamples: [...new Set(failed.map((r) => r.error ?? "?"))].slice(0, 3),
    memory,
    cpu: cpuBetween(cpuStart!, cpuEnd!),
    database: countersBetween(countersStart!, countersEnd!),
    verify,
    databaseBytesAfter,
    rollups,
    profile,
    targets: {
      throughput: window.throughput.spansPerSecond >= TARGETS.spansPerSecond && verify.isOk,
      p99: (window.ackLatencyMs.p99 ?? Infinity) <= TARGETS.p99Ms,
      appRss: memory.appServerRssBytes <= TARGETS.appRssBytes,
      verified: verify.isOk,
      rollups: rollups === null || ((rollups.maxMs ?? 0) <= TARGETS.rollupLagMs && rollups.callsCounted === verify.distinctSpans),
    },
  };
  process.stdout.write(formatReport(result));
  const resultsDir = path.join(dataDir, "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${runId}.json`), JSON.stringify(result, null, 2));
  writeFileSync(path.join(resultsDir, "summaries.txt"), `${result.startedAt} ${summaryLine(result)}\n`, { flag: "a" });
  log(`result: ${path.join(resultsDir, `${runId}.json`)}`);

  if (!args["keep-run-spans"]) {
    const removed = await deleteRunSpans(database.pool, { projectId: database.projectId, runTag, from: runFrom });
    log(`removed the run's ${formatCount(removed.rows)} spans in ${Math.round(removed.seconds)} s (--keep-run-spans keeps them), so runs stay comparable`);
  }
  if (!verify.isOk || !result.targets.rollups) process.exitCode = 1;
} finally {
  if (stopApp) await stopApp().catch(() => {});
  await database.stop();
}
// Nothing is left to wait for; a handle a child left open must not keep the run from ending.
process.exit(process.exitCode ?? 0);

/** The build's source maps, kept with the profile: another build may replace .next meanwhile. */
function copySourceMaps(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".js.map")) copyFileSync(path.join(entry.parentPath, entry.name), path.join(to, entry.name));
  }
}

/** Which code ran: the checkout's commit, and whether app or lib code differed from it. */
function describeCheckout(directory: string): string {
  const git = (...gitArgs: string[]) => spawnSync("git", gitArgs, { cwd: directory, encoding: "utf8" }).stdout.trim();
  const dirty = git("status", "--porcelain", "--", "app", "lib", "components", "prisma") !== "";
  return `${directory} at ${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes" : ""}`;
}
