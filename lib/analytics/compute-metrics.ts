import { DenseHistogram } from "@/lib/analytics/histogram";
import { PERCENTILES, type Metric, type Percentiles } from "@/lib/analytics/query";

/**
 * The sums behind one result cell (a group, or a group in a time bucket), and the metrics computed
 * from them: rates are ratios of sums (never averages of ratios), percentiles come from the merged
 * histograms, money is exact nano-USD until it is shown in USD. A fact nobody reported is null
 * (tokens, cache, cost), not 0; in a cell with no calls the additive metrics are 0.
 */
export class CellSums {
  readonly counts = new Map<string, bigint>();
  /**
   * Each histogram column's encoded histograms, merged only when a metric needs them: a result
   * holds a cell per group and time bucket, and a dense histogram per cell and column would be
   * ~9 KB each (thousands per grouped time series); see withHistogram().
   */
  private readonly encoded = new Map<string, Uint8Array[]>();

  addCount(column: string, value: bigint): void {
    this.counts.set(column, (this.counts.get(column) ?? 0n) + value);
  }

  addHistogram(column: string, encoded: Uint8Array | null): void {
    if (!encoded || encoded.length === 0) return;
    const chunks = this.encoded.get(column);
    if (chunks) chunks.push(encoded);
    else this.encoded.set(column, [encoded]);
  }

  merge(other: CellSums): void {
    for (const [column, value] of other.counts) this.addCount(column, value);
    for (const [column, chunks] of other.encoded) for (const chunk of chunks) this.addHistogram(column, chunk);
  }

  /** Takes `other`'s counts away (a part of these sums, e.g. the largest groups from a total); histograms cannot be. */
  subtract(other: CellSums): void {
    if (other.encoded.size > 0) throw new Error("a histogram cannot be subtracted");
    for (const [column, value] of other.counts) this.addCount(column, -value);
  }

  count(column: string): bigint {
    return this.counts.get(column) ?? 0n;
  }

  /**
   * Runs `use` with the column's merged histogram (undefined when no call reported it). The
   * histogram is scratch space, valid only inside `use`; calls may nest (two levels).
   */
  withHistogram<T>(column: string, use: (histogram: DenseHistogram | undefined) => T): T {
    const chunks = this.encoded.get(column);
    if (!chunks) return use(undefined);
    const histogram = SCRATCH[scratchDepth++];
    if (!histogram) throw new Error("withHistogram nests at most two levels");
    try {
      for (const chunk of chunks) histogram.addEncoded(chunk);
      return use(histogram);
    } finally {
      histogram.clear();
      scratchDepth--;
    }
  }
}

const SCRATCH = [new DenseHistogram(), new DenseHistogram()];
let scratchDepth = 0;

export type MetricValue = number | null | Percentiles;

const NANO_PER_USD = 1_000_000_000n;

/** nano-USD → USD, exact to the nano-dollar for any total a JavaScript number can show. */
export function nanoToUsd(nano: bigint): number {
  const sign = nano < 0n ? "-" : "";
  const magnitude = nano < 0n ? -nano : nano;
  return Number(`${sign}${magnitude / NANO_PER_USD}.${(magnitude % NANO_PER_USD).toString().padStart(9, "0")}`);
}

function ratio(numerator: bigint, denominator: bigint): number | null {
  return denominator === 0n ? null : Number(numerator) / Number(denominator);
}

const PERCENTILE_NAMES = (Object.keys(PERCENTILES) as (keyof Percentiles)[]).sort((a, b) => PERCENTILES[a] - PERCENTILES[b]);
const PERCENTILE_LEVELS = PERCENTILE_NAMES.map((name) => PERCENTILES[name]);

function percentiles(histogram: DenseHistogram | undefined): Percentiles {
  const result = { p50: null, p90: null, p95: null, p99: null } as Percentiles;
  if (!histogram || histogram.total <= 0) return result;
  // Six significant digits: the histogram is good to 0.9 %, more digits would only be noise.
  const values = histogram.quantiles(PERCENTILE_LEVELS);
  PERCENTILE_NAMES.forEach((name, i) => (result[name] = Number(values[i]!.toPrecision(6))));
  return result;
}

export function computeMetric(metric: Metric, sums: CellSums): MetricValue {
  const c = (column: string) => sums.count(column);
  const calls = c("calls");
  /** An amount some calls may not report: null when none of the calls did. */
  const reported = (value: bigint, reportingCalls: bigint) => (calls === 0n ? 0 : reportingCalls === 0n ? null : Number(value));
  switch (metric) {
    case "calls":
      return Number(calls);
    case "errors":
      return Number(c("errors"));
    case "errorRate":
      return ratio(c("errors"), calls);
    case "ttftCalls":
      return Number(c("ttft_calls"));
    case "inputTokens":
      return reported(c("input_tokens"), c("token_calls"));
    case "outputTokens":
      return reported(c("output_tokens"), c("token_calls"));
    case "reasoningTokens":
      return reported(c("reasoning_tokens"), c("token_calls"));
    case "cacheReadTokens":
      return reported(c("cache_read_tokens"), c("cache_reported_calls"));
    case "cacheWriteTokens":
      return reported(c("cache_write_tokens"), c("cache_reported_calls"));
    case "cacheHitRate":
      return ratio(c("cache_read_tokens"), c("cache_reported_input_tokens"));
    case "cachedCallRate":
      return ratio(c("cache_hit_calls"), c("cache_reported_calls"));
    case "costUsd":
      return calls === 0n ? 0 : c("unknown_cost_calls") === calls ? null : nanoToUsd(c("cost_nano_usd"));
    case "costPerCallUsd": {
      const priced = calls - c("unknown_cost_calls");
      return priced === 0n ? null : nanoToUsd(c("cost_nano_usd")) / Number(priced);
    }
    case "unknownCostCalls":
      return Number(c("unknown_cost_calls"));
    case "cacheSavingsUsd":
      return calls === 0n ? 0 : c("cache_reported_calls") === 0n ? null : nanoToUsd(c("cache_savings_nano_usd"));
    case "withinBudgetRate":
      return ratio(c("within_budget_calls"), c("ttft_calls"));
    case "ttftMs":
      return sums.withHistogram("ttft_hist", percentiles);
    case "durationMs":
      return sums.withHistogram("duration_hist", percentiles);
    case "ttftCacheHitMs":
      return sums.withHistogram("ttft_cache_hit_hist", percentiles);
    case "ttftNoCacheHitMs":
      return sums.withHistogram("ttft_hist", (all) => {
        if (!all) return percentiles(undefined);
        return sums.withHistogram("ttft_cache_hit_hist", (hits) => {
          if (hits) all.subtract(hits);
          return percentiles(all);
        });
      });
  }
}
