import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { updateProjectSettings } from "@/lib/settings/project-settings";
import { startBenchDatabase } from "./query/bench-database";
import { buildRollups, foldClosedHours } from "./query/build-rollups";
import { variants } from "./query/catalog";
import { checkTotals } from "./query/check-totals";
import { TAG_KEYS, CUSTOMER_COUNT } from "./query/dataset";
import { formatBytes, measureDataSize } from "./query/data-size";
import { checkSampleCosts, countCombinations, loadCalls, readOrCreateMeta } from "./query/load-calls";
import { formatDetail, formatReport } from "./query/report";
import { percentile, timeQueries } from "./query/time-queries";

/**
 * npm run bench:query: issue 3's analytics benchmark. Loads 10M LLM calls over 30 days into a
 * durable embedded PostgreSQL kept in .bench-data/query (once), builds the rollups from them (once),
 * then times every dashboard summary and time-series query through runAnalyticsQuery, and checks
 * that the rollups add up to the raw spans. Writes the Markdown report to
 * .bench-data/query/results/ and prints it.
 *
 *   npm run bench:query -- [--iterations 30] [--only <regex>] [--no-check] [--rows 10000000] [--data-dir …]
 */
const TARGET_MS = 100;

const { values: args } = parseArgs({
  options: {
    "data-dir": { type: "string", default: ".bench-data/query" },
    rows: { type: "string", default: "10000000" },
    iterations: { type: "string", default: "30" },
    only: { type: "string" },
    "no-check": { type: "boolean", default: false },
  },
});
const dataDir = path.resolve(args["data-dir"]!);
const rows = Number(args.rows);
const iterations = Number(args.iterations);

const db = await startBenchDatabase(path.join(dataDir, "pg"));
const stopDatabase = async () => {
  await db.stop().catch((error) => process.stderr.write(`[bench] stopping PostgreSQL: ${String(error)}\n`));
};
process.once("SIGINT", () => void stopDatabase().then(() => process.exit(130)));
try {
  const settings = await updateProjectSettings(db.projectId, { allocationTagKeys: [...TAG_KEYS], allocationTagLimit: CUSTOMER_COUNT }, db.pool);
  let meta = await readOrCreateMeta(db.pool, rows);

  const load = await loadCalls(db.pool, db.projectId, meta);
  if (load.chunksAdded > 0) {
    log(`loaded ${load.chunksAdded} chunks in ${load.seconds.toFixed(0)} s; vacuuming, analyzing, checkpointing`);
    await db.pool.query("VACUUM (ANALYZE) spans");
    await db.pool.query("CHECKPOINT");
  }
  if (load.chunksAdded > 0 || (await readOrCreateMeta(db.pool, rows)).combinations === null) {
    const combinations = await countCombinations(db.pool, db.projectId);
    log(`distinct dimension combinations: ${combinations.coreAndTags} (core + tags), ${combinations.core} (core)`);
    const costs = await checkSampleCosts(db.pool, db.projectId, meta);
    log(`re-priced ${costs.checked} sampled calls with lib/pricing: ${costs.mismatches} mismatches`);
    if (costs.mismatches > 0) throw new Error("stored costs disagree with lib/pricing");
  }
  const rebuild = await buildRollups(db.pool, db.projectId, settings, meta);
  if (rebuild.daysBuilt > 0) log(`rebuilt ${rebuild.daysBuilt} days of rollups in ${rebuild.seconds.toFixed(0)} s`);
  const foldedHours = await foldClosedHours(db.pool, settings);
  if (foldedHours > 0) log(`folded ${foldedHours} closed hour(s) into the hour and day tiers, as the rollup job would`);
  meta = await readOrCreateMeta(db.pool, rows);

  const dataSize = await measureDataSize(db.pool);
  for (const table of dataSize.tables) log(`${table.table}: ${table.rows.toLocaleString("en-US")} rows, ${formatBytes(table.bytes)}`);
  log(`database: ${formatBytes(dataSize.databaseBytes)}`);
  const { rows: dimRows } = await db.pool.query<{ cube: string; tag_key: string | null; count: string }>(
    "SELECT cube, tag_key, count(*) FROM rollup_dims WHERE project_id = $1 GROUP BY 1, 2 ORDER BY 3 DESC",
    [db.projectId],
  );

  const all = variants();
  const only = args.only ? new RegExp(args.only) : null;
  const timed = only ? all.timed.filter((variant) => only.test(variant.name)) : all.timed;
  log(`timing ${timed.length} query variants × ${iterations} iterations`);
  const timings = await timeQueries(db.pool, db.projectId, settings, meta.anchorMs, timed, iterations, (round) => {
    if (round % 5 === 0 || round === iterations) log(`round ${round}/${iterations}`);
  });
  for (const timing of timings) {
    const p95 = percentile(timing.totalMs, 0.95);
    log(`${p95 > TARGET_MS ? "SLOW" : "ok  "} ${timing.variant.name}: p50 ${percentile(timing.totalMs, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  }

  const totals = args["no-check"] ? null : await checkTotals(db.pool, db.projectId, settings, meta);
  if (totals) log(totals.mismatches.length === 0 ? "totals: rollups equal raw spans" : `totals: MISMATCH\n  ${totals.mismatches.join("\n  ")}`);

  const { rows: settingRows } = await db.pool.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'jit', 'max_parallel_workers_per_gather', 'fsync', 'synchronous_commit')
     ORDER BY name`,
  );
  const serverSettings = Object.fromEntries(
    settingRows.map((row) => [row.name, row.unit === "8kB" ? `${(Number(row.setting) * 8) / 1024}MB` : `${row.setting}${row.unit ?? ""}`]),
  );
  const command = `npm run bench:query${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const markdown = formatReport({
    command,
    meta,
    dataSize,
    rollupDims: dimRows.map((row) => ({ cube: row.cube, tagKey: row.tag_key, count: Number(row.count) })),
    timings,
    skipped: only ? all.skipped.filter((variant) => only.test(variant.name)) : all.skipped,
    iterations,
    targetMs: TARGET_MS,
    totals,
    serverSettings,
  });
  const resultsDir = path.join(dataDir, "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date().toISOString().replaceAll(":", "-").slice(0, 19)}.md`);
  writeFileSync(file, `${markdown}\n\n### Per variant\n\n${formatDetail(timings)}\n`);
  process.stdout.write(`\n${markdown}\n\n`);
  log(`report written to ${path.relative(process.cwd(), file)}`);
  process.exitCode = totals && totals.mismatches.length > 0 ? 1 : 0;
} finally {
  await stopDatabase();
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}
