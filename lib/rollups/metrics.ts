import { SparseHistogram } from "@/lib/analytics/histogram";

/**
 * What one rollup row holds: the numerators and denominators every metric needs (DESIGN.md), exact
 * money in nano-USD, and three histograms. The same columns, in this order, in rollup_deltas and the
 * three tiers (migration 20261201040000_rollups).
 */
export const COUNT_COLUMNS = [
  "calls",
  "errors",
  "ttft_calls", // calls with TTFT known
  "within_budget_calls", // calls with TTFT ≤ the TTFT budget of their service (at ingest)
  "token_calls", // calls reporting input or output tokens
  "unknown_cost_calls", // calls with no cost (no price for the model, or no tokens)
  "input_tokens", // all input tokens, cache reads and writes included
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cache_reported_calls", // calls whose instrumentation reported cache use (0 included)
  "cache_reported_input_tokens", // input tokens of those calls: the cache hit rate's denominator
  "cache_hit_calls", // calls with cache read tokens > 0
] as const;
export const MONEY_COLUMNS = ["cost_nano_usd", "cache_savings_nano_usd"] as const;
export const HISTOGRAM_COLUMNS = ["ttft_hist", "ttft_cache_hit_hist", "duration_hist"] as const;
export const METRIC_COLUMNS = [...COUNT_COLUMNS, ...MONEY_COLUMNS, ...HISTOGRAM_COLUMNS] as const;

export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type MoneyColumn = (typeof MONEY_COLUMNS)[number];

/** A rollup row's metrics while they are being added up. */
export interface RollupMetrics {
  counts: Record<CountColumn, number>;
  money: Record<MoneyColumn, bigint>;
  ttft: SparseHistogram;
  ttftCacheHit: SparseHistogram;
  duration: SparseHistogram;
}

export function emptyMetrics(): RollupMetrics {
  const counts = {} as Record<CountColumn, number>;
  for (const column of COUNT_COLUMNS) counts[column] = 0;
  return {
    counts,
    money: { cost_nano_usd: 0n, cache_savings_nano_usd: 0n },
    ttft: new SparseHistogram(),
    ttftCacheHit: new SparseHistogram(),
    duration: new SparseHistogram(),
  };
}

/** An independent copy (a new tier row starts as a copy of its first delta). */
export function cloneMetrics(from: RollupMetrics): RollupMetrics {
  return {
    counts: { ...from.counts },
    money: { ...from.money },
    ttft: from.ttft.clone(),
    ttftCacheHit: from.ttftCacheHit.clone(),
    duration: from.duration.clone(),
  };
}

export function mergeMetrics(into: RollupMetrics, from: RollupMetrics): void {
  for (const column of COUNT_COLUMNS) into.counts[column] += from.counts[column];
  for (const column of MONEY_COLUMNS) into.money[column] += from.money[column];
  into.ttft.merge(from.ttft);
  into.ttftCacheHit.merge(from.ttftCacheHit);
  into.duration.merge(from.duration);
}

/** Reads a row of METRIC_COLUMNS (counts as strings or numbers, money as strings, histograms as bytea). */
export function metricsFromRow(row: Record<string, unknown>): RollupMetrics {
  const metrics = emptyMetrics();
  for (const column of COUNT_COLUMNS) metrics.counts[column] = Number(row[column]);
  for (const column of MONEY_COLUMNS) metrics.money[column] = BigInt(row[column] as string);
  metrics.ttft.addEncoded(row.ttft_hist as Buffer);
  metrics.ttftCacheHit.addEncoded(row.ttft_cache_hit_hist as Buffer);
  metrics.duration.addEncoded(row.duration_hist as Buffer);
  return metrics;
}

/** Column-wise arrays of many rows' metrics, in METRIC_COLUMNS order, for an unnest() statement. */
export function metricArrays(rows: readonly RollupMetrics[]): unknown[][] {
  const arrays: unknown[][] = [];
  for (const column of COUNT_COLUMNS) arrays.push(rows.map((m) => m.counts[column]));
  for (const column of MONEY_COLUMNS) arrays.push(rows.map((m) => m.money[column].toString()));
  arrays.push(rows.map((m) => m.ttft.encode()));
  arrays.push(rows.map((m) => m.ttftCacheHit.encode()));
  arrays.push(rows.map((m) => m.duration.encode()));
  return arrays;
}

/** `unnest($n::int8[]) AS calls, …` for METRIC_COLUMNS, parameters starting at `firstParameter`. */
export function metricUnnestList(firstParameter: number): string {
  return METRIC_COLUMNS.map((column, i) => {
    const type = (HISTOGRAM_COLUMNS as readonly string[]).includes(column) ? "bytea" : "int8";
    return `unnest($${firstParameter + i}::${type}[]) AS ${column}`;
  }).join(", ");
}
