/** Small statistics for the web benchmark: nearest-rank quantiles over a handful of runs. */
export interface Summary {
  median: number;
  p75: number;
  max: number;
  runs: number[];
}

/** Nearest-rank quantile of ascending-sorted values (q in (0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), max: sorted.at(-1) ?? Number.NaN, runs: [...values] };
}
