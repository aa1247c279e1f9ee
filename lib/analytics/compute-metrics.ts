import { bucketValue, DenseHistogram, HISTOGRAM_TOP_BUCKET } from "@/lib/analytics/histogram";
import { PERCENTILES, type Metric, type Percentiles } from "@/lib/analytics/query";

/**
 * The sums behind one result cell (a group, or a group in a time bucket), and the metrics computed
 * from them: rates are ratios of sums (never averages of ratios), percentiles come from the merged
 * histograms, money is exact nano-USD until it is shown in USD. A fact nobody reported is null
 * (tokens, cache, cost), not 0; in a cell with no calls the additive metrics are 0.
 */
export class CellSums {
  readonly counts = new Map<string, bigint>();
  /** Each histogram column's encoded histograms, merged only when a metric needs them (histogramPercentiles). */
  private readonly encoded = new Map<string, Uint8Array[]>();
  /** Histograms of calls to take away from those (subtracted edges, plan-query.ts). */
  private readonly takenAway = new Map<string, Uint8Array[]>();

  addCount(column: string, value: bigint): void {
    this.counts.set(column, (this.counts.get(column) ?? 0n) + value);
  }

  /** Adds an encoded histogram of the column; with sign −1, one whose calls are taken away. */
  addHistogram(column: string, encoded: Uint8Array | null, sign: 1 | -1 = 1): void {
    if (!encoded || encoded.length === 0) return;
    const histograms = sign === 1 ? this.encoded : this.takenAway;
    const chunks = histograms.get(column);
    if (chunks) chunks.push(encoded);
    else histograms.set(column, [encoded]);
  }

  merge(other: CellSums): void {
    for (const [column, value] of other.counts) this.addCount(column, value);
    for (const [column, chunks] of other.encoded) for (const chunk of chunks) this.addHistogram(column, chunk);
    for (const [column, chunks] of other.takenAway) for (const chunk of chunks) this.addHistogram(column, chunk, -1);
  }

  /**
   * Takes `other`'s counts away (a part of these sums, e.g. the largest groups from a total); its
   * histograms are not (runLargestGroupsFirst ranks sums only).
   */
  subtract(other: CellSums): void {
    if (other.encoded.size > 0 || other.takenAway.size > 0) throw new Error("a histogram cannot be subtracted from cell sums");
    for (const [column, value] of other.counts) this.addCount(column, -value);
  }

  count(column: string): bigint {
    return this.counts.get(column) ?? 0n;
  }

  /** Adds the column's histograms into `target`; false when no call reported it. */
  mergeHistogramInto(column: string, target: DenseHistogram): boolean {
    const chunks = this.encoded.get(column);
    if (!chunks) return false;
    for (const chunk of chunks) target.addEncoded(chunk);
    for (const chunk of this.takenAway.get(column) ?? []) target.addEncoded(chunk, -1);
    return true;
  }
}

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
/** Each bucket's value to six significant digits: the histogram is good to 0.9 %, more digits would only be noise. */
const SHOWN_BUCKET_VALUES = Float64Array.from({ length: HISTOGRAM_TOP_BUCKET + 1 }, (_, bucket) => Number(bucketValue(bucket).toPrecision(6)));

/**
 * Scratch histograms for merging a cell's chunks: a result holds a cell per group and time bucket,
 * and a dense histogram per cell and column would be ~9 KB each (thousands per grouped time series).
 * This runs once per cell and metric (thousands of times per query): no closures, no allocations
 * but the result.
 */
const MERGED = new DenseHistogram();
const TAKEN_AWAY = new DenseHistogram();
const BUCKETS = new Array<number>(PERCENTILE_LEVELS.length);

/** The percentiles of the column's merged histograms, less those of `without` when given; added to `totals` too. */
function histogramPercentiles(sums: CellSums, metric: HistogramMetric, totals: HistogramTotals | undefined): Percentiles {
  const [column, without] = HISTOGRAM_COLUMNS[metric];
  try {
    if (!sums.mergeHistogramInto(column, MERGED)) return percentilesOf(undefined);
    if (without !== undefined && sums.mergeHistogramInto(without, TAKEN_AWAY)) MERGED.subtract(TAKEN_AWAY);
    totals?.add(metric, MERGED);
    return percentilesOf(MERGED);
  } finally {
    MERGED.clear();
    TAKEN_AWAY.clear();
  }
}

function percentilesOf(histogram: DenseHistogram | undefined): Percentiles {
  const result: Percentiles = { p50: null, p90: null, p95: null, p99: null };
  if (!histogram?.quantileBuckets(PERCENTILE_LEVELS, BUCKETS)) return result;
  for (let i = 0; i < PERCENTILE_NAMES.length; i++) result[PERCENTILE_NAMES[i]!] = SHOWN_BUCKET_VALUES[BUCKETS[i]!]!;
  return result;
}

/** The metrics read from histograms: the column, and the one whose calls are taken away. */
const HISTOGRAM_COLUMNS = {
  ttftMs: ["ttft_hist"],
  durationMs: ["duration_hist"],
  ttftCacheHitMs: ["ttft_cache_hit_hist"],
  ttftNoCacheHitMs: ["ttft_hist", "ttft_cache_hit_hist"],
} as const satisfies Partial<Record<Metric, readonly [string, string?]>>;
type HistogramMetric = keyof typeof HISTOGRAM_COLUMNS;

export function isHistogramMetric(metric: Metric): metric is HistogramMetric {
  return metric in HISTOGRAM_COLUMNS;
}

/**
 * A group's histograms, added up from its time buckets' cells as computeMetric merges them: the
 * group's percentiles then need not merge every chunk a second time (a 7-day latency chart by
 * model merges ~2,700 chunks of ~190 entries for its cells; adding the merged cells is a few
 * hundred dense buckets each).
 */
export class HistogramTotals {
  private readonly merged = new Map<HistogramMetric, DenseHistogram>();

  add(metric: HistogramMetric, histogram: DenseHistogram): void {
    let total = this.merged.get(metric);
    if (!total) this.merged.set(metric, (total = new DenseHistogram()));
    total.add(histogram);
  }

  percentiles(metric: HistogramMetric): Percentiles {
    return percentilesOf(this.merged.get(metric));
  }
}

/** An amount some calls may not report: null when none of the calls did (0 without calls). */
function reported(calls: bigint, value: bigint, reportingCalls: bigint): number | null {
  return calls === 0n ? 0 : reportingCalls === 0n ? null : Number(value);
}

/** A metric of a cell; with `totals`, its merged histograms are also added to them (HistogramTotals). */
export function computeMetric(metric: Metric, sums: CellSums, totals?: HistogramTotals): MetricValue {
  const calls = sums.count("calls");
  switch (metric) {
    case "calls":
      return Number(calls);
    case "errors":
      return Number(sums.count("errors"));
    case "errorRate":
      return ratio(sums.count("errors"), calls);
    case "ttftCalls":
      return Number(sums.count("ttft_calls"));
    case "inputTokens":
      return reported(calls, sums.count("input_tokens"), sums.count("token_calls"));
    case "outputTokens":
      return reported(calls, sums.count("output_tokens"), sums.count("token_calls"));
    case "reasoningTokens":
      return reported(calls, sums.count("reasoning_tokens"), sums.count("token_calls"));
    case "cacheReadTokens":
      return reported(calls, sums.count("cache_read_tokens"), sums.count("cache_reported_calls"));
    case "cacheWriteTokens":
      return reported(calls, sums.count("cache_write_tokens"), sums.count("cache_reported_calls"));
    case "cacheHitRate":
      return ratio(sums.count("cache_read_tokens"), sums.count("cache_reported_input_tokens"));
    case "cachedCallRate":
      return ratio(sums.count("cache_hit_calls"), sums.count("cache_reported_calls"));
    case "costUsd":
      return calls === 0n ? 0 : sums.count("unknown_cost_calls") === calls ? null : nanoToUsd(sums.count("cost_nano_usd"));
    case "costPerCallUsd": {
      const priced = calls - sums.count("unknown_cost_calls");
      return priced === 0n ? null : nanoToUsd(sums.count("cost_nano_usd")) / Number(priced);
    }
    case "unknownCostCalls":
      return Number(sums.count("unknown_cost_calls"));
    case "cacheSavingsUsd":
      return calls === 0n ? 0 : sums.count("cache_reported_calls") === 0n ? null : nanoToUsd(sums.count("cache_savings_nano_usd"));
    case "withinBudgetRate":
      return ratio(sums.count("within_budget_calls"), sums.count("ttft_calls"));
    case "ttftMs":
    case "durationMs":
    case "ttftCacheHitMs":
    case "ttftNoCacheHitMs":
      return histogramPercentiles(sums, metric, totals);
  }
}
