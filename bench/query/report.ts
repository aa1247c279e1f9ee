import os from "node:os";
import { FILTER_KINDS, type FilterKind, type Variant } from "./catalog";
import { formatBytes, type TableSize } from "./data-size";
import type { BenchMeta } from "./load-calls";
import { percentile, type VariantTiming } from "./time-queries";
import type { TotalsCheck } from "./check-totals";

/** The run's figures as Markdown, ready for BENCHMARKS.md ("Analytics queries (issue 3)"). */
export interface RunReport {
  command: string;
  meta: BenchMeta;
  dataSize: { tables: TableSize[]; databaseBytes: number };
  rollupDims: { cube: string; tagKey: string | null; count: number }[];
  timings: VariantTiming[];
  skipped: Variant[];
  iterations: number;
  targetMs: number;
  totals: TotalsCheck | null;
  serverSettings: Record<string, string>;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

export function formatReport(report: RunReport): string {
  const { meta, dataSize, timings } = report;
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  lines.push(`Run on ${new Date().toISOString().slice(0, 16)}Z: \`${report.command}\``);
  lines.push(
    `Machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, shared with other work ` +
      `(load average ${os.loadavg().map((load) => load.toFixed(1)).join(" / ")} at the end). PostgreSQL: ` +
      Object.entries(report.serverSettings).map(([name, value]) => `${name}=${value}`).join(", ") + ".",
  );
  lines.push("");
  lines.push(`**Data**: ${meta.rows.toLocaleString("en-US")} LLM calls over the ${(meta.anchorMs - meta.windowStartMs) / 86_400_000} days before ${new Date(meta.anchorMs).toISOString()}`);
  if (meta.combinations) {
    lines.push(
      `(${meta.combinations.coreAndTags.toLocaleString("en-US")} distinct combinations of the core dimensions and the team/feature/customer tags; ` +
        `${meta.combinations.core.toLocaleString("en-US")} of the core dimensions alone).`,
    );
  }
  lines.push(
    `Load (INSERT … SELECT, 2 at a time): ${meta.loadSeconds === null ? "n/a" : `${meta.loadSeconds.toFixed(0)} s`}; ` +
      `rollup rebuild (rebuildRollups, day by day): ${meta.rebuildSeconds === null ? "n/a" : `${meta.rebuildSeconds.toFixed(0)} s`}.`,
  );
  lines.push("");
  lines.push("| table | rows | size (incl. indexes) | of which indexes |");
  lines.push("|---|---:|---:|---:|");
  for (const table of dataSize.tables) {
    lines.push(`| ${table.table} | ${table.rows.toLocaleString("en-US")} | ${formatBytes(table.bytes)} | ${formatBytes(table.indexBytes)} |`);
  }
  lines.push(`| **whole database** | | **${formatBytes(dataSize.databaseBytes)}** | |`);
  lines.push("");
  lines.push(
    "rollup_dims per cube: " +
      report.rollupDims.map((row) => `${row.cube}${row.tagKey ? `(${row.tagKey})` : ""} ${row.count.toLocaleString("en-US")}`).join(", ") + ".",
  );
  lines.push("");
  const all = timings.flatMap((timing) => timing.totalMs);
  const failing = timings.filter((timing) => percentile(timing.totalMs, 0.95) > report.targetMs);
  lines.push(
    `**Queries**: ${timings.length} variants × ${report.iterations} iterations (${all.length.toLocaleString("en-US")} queries), ` +
      `one at a time; each iteration has its own range end (anchor − random 0–12 h, unaligned) and filter value. ` +
      `Overall p50 ${ms(percentile(all, 0.5))} ms, p95 ${ms(percentile(all, 0.95))} ms, max ${ms(Math.max(...all))} ms. ` +
      (failing.length === 0
        ? `**Every variant's p95 ≤ ${report.targetMs} ms.**`
        : `**${failing.length} variant(s) over ${report.targetMs} ms at p95**: ${failing.map((timing) => timing.variant.name).join("; ")}.`),
  );
  lines.push("");
  lines.push("Each cell: p50 / p95 / max in ms over the iterations; — not timed (see below).");
  lines.push("");
  lines.push(`| query | range | ${FILTER_KINDS.map((filter) => (filter === "none" ? "unfiltered" : `${filter}=…`)).join(" | ")} |`);
  lines.push(`|---|---|${FILTER_KINDS.map(() => "---:").join("|")}|`);
  const rows = new Map<string, Map<FilterKind, VariantTiming>>();
  for (const timing of timings) {
    const key = `${timing.variant.query.id} | ${timing.variant.range}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(timing.variant.filter, timing);
  }
  for (const [key, byFilter] of rows) {
    const cells = FILTER_KINDS.map((filter) => {
      const timing = byFilter.get(filter);
      if (!timing) return "—";
      const p95 = percentile(timing.totalMs, 0.95);
      const text = `${ms(percentile(timing.totalMs, 0.5))} / ${ms(p95)} / ${ms(Math.max(...timing.totalMs))}`;
      return p95 > report.targetMs ? `**${text}**` : text;
    });
    lines.push(`| ${key} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  if (report.skipped.length > 0) {
    lines.push("");
    lines.push(
      `Not timed (two allocation tags at once, answered from raw spans by design): ${report.skipped.map((variant) => variant.name).join("; ")}.`,
    );
  }
  lines.push("");
  if (report.totals === null) lines.push("Totals check: not run (--no-check).");
  else {
    const raw = report.totals.raw;
    lines.push(
      `**Totals check** (whole window): ${raw.calls!.toLocaleString("en-US")} calls, ${raw.input_tokens!.toLocaleString("en-US")} input / ` +
        `${raw.output_tokens!.toLocaleString("en-US")} output / ${raw.cache_read_tokens!.toLocaleString("en-US")} cache-read tokens, ` +
        `${raw.cost_nano_usd!.toLocaleString("en-US")} nano-USD: ` +
        (report.totals.mismatches.length === 0
          ? `rollups equal raw spans exactly in all ${report.totals.checkedCubes} cubes of the day tier, the hour tier and runAnalyticsQuery.`
          : `**MISMATCH**: ${report.totals.mismatches.join("; ")}`),
    );
  }
  return lines.join("\n");
}

/** Per variant: where the answer came from, how many groups, and the share spent in PostgreSQL. */
export function formatDetail(timings: readonly VariantTiming[]): string {
  const lines = ["| query | range | filter | source | groups | p50 ms | p95 ms | max ms | SQL p50 ms |", "|---|---|---|---|---:|---:|---:|---:|---:|"];
  for (const timing of timings) {
    const { variant } = timing;
    lines.push(
      `| ${variant.query.id} | ${variant.range} | ${variant.filter} | ${[...timing.sources].join(", ")} | ${percentile(timing.groups, 0.5)} | ` +
        `${ms(percentile(timing.totalMs, 0.5))} | ${ms(percentile(timing.totalMs, 0.95))} | ${ms(Math.max(...timing.totalMs))} | ` +
        `${ms(percentile(timing.sqlMs, 0.5))} |`,
    );
  }
  return lines.join("\n");
}
