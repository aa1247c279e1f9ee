import type { CpuBreakdown, MemoryPeaks } from "./monitor";
import type { DatabaseCounters } from "./database-stats";
import type { ExportRecord } from "./load-protocol";
import type { RollupLagResult } from "./rollup-lag";
import type { VerifyResult } from "./verify-run";
import type { ProfileSummary } from "./cpu-profile";
import { formatCount, formatMegabytes, quantiles, round } from "./format";

/** Everything one run measured; also written as JSON next to the data for later comparison. */
export interface IngestBenchResult {
  label: string;
  command: string;
  /** The checkout that ran, with its commit. */
  app: string;
  startedAt: string;
  machine: string;
  settings: Record<string, string>;
  load: { generators: number; inFlight: number; batchSize: number; warmupSeconds: number; durationSeconds: number };
  spansBefore: { preloaded: number; estimated: number; databaseBytes: number };
  throughput: { spansPerSecond: number; exportsPerSecond: number; slowest10sSpansPerSecond: number | null; medianOf10sSpansPerSecond: number | null };
  ackLatencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  failedExports: number;
  failureExamples: string[];
  memory: MemoryPeaks;
  cpu: CpuBreakdown;
  database: DatabaseCounters;
  verify: VerifyResult;
  databaseBytesAfter: number;
  /** Null when the app ran without rollups (SOUS_BENCH_NO_ROLLUPS=1). */
  rollups: RollupLagResult | null;
  profile: ProfileSummary | null;
  targets: { throughput: boolean; p99: boolean; appRss: boolean; verified: boolean; rollups: boolean };
}

export const TARGETS = { spansPerSecond: 25_000, p99Ms: 250, appRssBytes: 400 * 1024 * 1024, rollupLagMs: 5_000 };

/** Throughput and latency of the measured window [windowStart, windowEnd] (epoch ms). */
export function measureWindow(exports: readonly ExportRecord[], windowStart: number, windowEnd: number) {
  const seconds = (windowEnd - windowStart) / 1000;
  const finished = exports.filter((r) => r.isOk && r.startedAt + r.latencyMs >= windowStart && r.startedAt + r.latencyMs < windowEnd);
  const started = exports.filter((r) => r.startedAt >= windowStart && r.startedAt < windowEnd);
  const spans = finished.reduce((sum, r) => sum + r.spanCount, 0);
  const buckets = new Map<number, number>();
  for (const r of finished) {
    const bucket = Math.floor((r.startedAt + r.latencyMs - windowStart) / 10_000);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + r.spanCount);
  }
  const fullBuckets = Math.floor(seconds / 10);
  const rates = Array.from({ length: fullBuckets }, (_, i) => (buckets.get(i) ?? 0) / 10);
  const [slowest, median] = quantiles(rates, [0, 0.5]);
  const [p50, p90, p99, max] = quantiles(started.map((r) => r.latencyMs), [0.5, 0.9, 0.99, 1]);
  return {
    throughput: {
      spansPerSecond: Math.round(spans / seconds),
      exportsPerSecond: round(finished.length / seconds, 1)!,
      slowest10sSpansPerSecond: slowest === null ? null : Math.round(slowest),
      medianOf10sSpansPerSecond: median === null ? null : Math.round(median),
    },
    ackLatencyMs: { p50: round(p50), p90: round(p90), p99: round(p99), max: round(max) },
  };
}

export function formatReport(result: IngestBenchResult): string {
  const t = result.throughput;
  const l = result.ackLatencyMs;
  const m = result.memory;
  const c = result.cpu;
  const v = result.verify;
  const d = result.database;
  const spans = Math.max(1, d.rowsInserted);
  const yes = (ok: boolean) => (ok ? "met" : "NOT met");
  const lines = [
    "",
    `== Ingest benchmark (issue 2): ${result.label} ==`,
    `command:   ${result.command}`,
    `app:       ${result.app}`,
    `machine:   ${result.machine}`,
    `postgres:  ${Object.entries(result.settings).map(([k, v]) => `${k}=${v}`).join(" ")}`,
    `load:      ${result.load.generators} exporters × ${result.load.inFlight} in flight, batches of ${result.load.batchSize} LLM spans, ` +
      `${result.load.warmupSeconds}s warm-up + ${result.load.durationSeconds}s measured`,
    `database:  ${formatCount(result.spansBefore.estimated)} spans before the run (${formatCount(result.spansBefore.preloaded)} preloaded), ` +
      `${formatMegabytes(result.spansBefore.databaseBytes)} → ${formatMegabytes(result.databaseBytesAfter)}`,
    "",
    `throughput: ${formatCount(t.spansPerSecond)} LLM spans/s sustained (${t.exportsPerSecond} exports/s; 10-s windows: slowest ${formatCount(t.slowest10sSpansPerSecond ?? 0)}, median ${formatCount(t.medianOf10sSpansPerSecond ?? 0)})  [target ≥ ${formatCount(TARGETS.spansPerSecond)}: ${yes(result.targets.throughput)}]`,
    `ack latency (export() → callback): p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms  [target p99 ≤ ${TARGETS.p99Ms} ms: ${yes(result.targets.p99)}]`,
    `failed exports: ${result.failedExports}${result.failureExamples.length > 0 ? ` (e.g. ${result.failureExamples.join("; ")})` : ""}`,
    `peak RSS: app (next start) ${formatMegabytes(m.appServerRssBytes)} [target ≤ 400 MB: ${yes(result.targets.appRss)}], launcher tree ${formatMegabytes(m.appTreeRssBytes)}; ` +
      `PostgreSQL ${formatMegabytes(m.postgresPssBytes)} PSS (${formatMegabytes(m.postgresRssBytes)} RSS summed over processes, largest process ${formatMegabytes(m.postgresLargestProcessRssBytes)}); ` +
      `load generators ${formatMegabytes(m.generatorsRssBytes)}`,
    `CPU (cores, of 2): app ${c.app.toFixed(2)}, PostgreSQL ${c.postgres.toFixed(2)}, load generators ${c.generators.toFixed(2)}, ` +
      `bench coordinator ${c.coordinator.toFixed(2)}, other processes ${c.other.toFixed(2)}; machine busy ${c.machine.toFixed(2)}, iowait ${c.iowait.toFixed(2)}`,
    `CPU per span: app ${perSpan(c.app, t.spansPerSecond)} µs, PostgreSQL ${perSpan(c.postgres, t.spansPerSecond)} µs, load generators ${perSpan(c.generators, t.spansPerSecond)} µs`,
    `PostgreSQL in the window: ${formatCount(d.commits)} commits (${formatCount(spans / Math.max(1, d.commits))} rows each), ` +
      `WAL ${formatMegabytes(d.walBytes)} (${formatCount(d.walBytes / spans)} B/span, ${formatCount(d.walFullPageImages)} full-page images), ` +
      `${d.checkpoints} checkpoint(s), ${formatCount(d.blocksRead)} blocks read`,
    `read-back: ${v.isOk ? "OK" : "FAILED"}: ${formatCount(v.acknowledgedSpans)} acknowledged spans, ${formatCount(v.storedRows)} stored rows, ` +
      `${formatCount(v.distinctSpans)} distinct, ${v.missingSpans} missing, ${v.duplicatedSpans} duplicated, ${v.unexpectedSpans} unexpected, ` +
      `${v.storedFromFailedExports} from failed exports; Σ input tokens ${v.inputTokensStored === v.inputTokensSent ? "match" : `differ (${v.inputTokensStored} stored vs ${v.inputTokensSent} sent)`} ` +
      `(${v.seconds.toFixed(1)} s)`,
    rollupLine(result),
  ];
  if (result.profile) {
    lines.push("", `app CPU profile (${Math.round(result.profile.totalMs / 1000)} s sampled), by area:`);
    for (const a of result.profile.areas.slice(0, 12)) lines.push(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
    const memory = result.profile.memoryPeaks;
    if (memory) {
      lines.push(
        `app memory peaks (process.memoryUsage): rss ${formatMegabytes(memory.rss)}, V8 heap ${formatMegabytes(memory.heapUsed)} used of ` +
          `${formatMegabytes(memory.heapTotal)}, external ${formatMegabytes(memory.external)} (array buffers ${formatMegabytes(memory.arrayBuffers)})`,
      );
    }
    lines.push("top functions (self time):");
    for (const f of result.profile.functions.slice(0, 20)) lines.push(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`);
  }
  lines.push("", `summary: ${summaryLine(result)}`, "");
  return lines.join("\n");
}

/** One line per run, for comparing runs (e.g. with and without rollups). */
export function summaryLine(result: IngestBenchResult): string {
  const t = result.throughput;
  const l = result.ackLatencyMs;
  const c = result.cpu;
  return (
    `[${result.label}] ${formatCount(t.spansPerSecond)} spans/s, ack p50 ${l.p50} ms p99 ${l.p99} ms, ` +
    `app RSS ${formatMegabytes(result.memory.appServerRssBytes)}, PG PSS ${formatMegabytes(result.memory.postgresPssBytes)}, ` +
    `CPU app/pg/load ${c.app.toFixed(2)}/${c.postgres.toFixed(2)}/${c.generators.toFixed(2)} (other ${c.other.toFixed(2)}), ` +
    `read-back ${result.verify.isOk ? "ok" : "FAILED"} (${formatCount(result.verify.storedRows)} spans), ` +
    `${result.rollups ? `rollup lag p99 ${result.rollups.p99Ms} ms max ${result.rollups.maxMs} ms` : "no rollups"}, ${result.load.durationSeconds}s`
  );
}

function perSpan(cores: number, spansPerSecond: number): string {
  return spansPerSecond > 0 ? ((cores * 1e6) / spansPerSecond).toFixed(0) : "?";
}

function rollupLine(result: IngestBenchResult): string {
  const r = result.rollups;
  if (!r) return "rollups: not maintained in this run (SOUS_BENCH_NO_ROLLUPS=1)";
  const counted = r.callsCounted === result.verify.distinctSpans ? "equal to the spans stored" : `NOT equal to the ${formatCount(result.verify.distinctSpans)} spans stored`;
  return (
    `rollups: lag (oldest unfolded delta, ${r.samples} samples) p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms ` +
    `[target ≤ ${TARGETS.rollupLagMs} ms: ${result.targets.rollups ? "met" : "NOT met"}]; drained ${r.drainSeconds} s after the load; ` +
    `${formatCount(r.callsCounted)} calls counted, ${counted}`
  );
}
