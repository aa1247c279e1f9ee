import { ADDITIVE_METRICS, type Metric, type Percentiles } from "@/lib/analytics/query";
import { metricNumber, type ResultLike } from "@/lib/dashboard/chart-data";
import { relativeChange } from "@/lib/format/numbers";

/**
 * A key figure of the Overview: its value over a period, the value over the period before, the
 * change between them, and its trend (one value per time bucket). Built from ungrouped query
 * results; no server imports, so it is unit-tested.
 *
 * Rates (error rate, cache hit rate, share within budget) change in percentage points, shown as
 * "+1.2 pp": a relative change of a rate ("+100 %" for 1 % → 2 % errors) reads as alarm or noise.
 */
export interface KeyFigure {
  value: number | null;
  previous: number | null;
  /** Relative change (0.12 = +12 %) for amounts; the difference of the ratios for rates. */
  change: number | null;
  changeKind: "relative" | "points";
  trend: (number | null)[];
}

type Pick = keyof Percentiles;

/** The total of an ungrouped result: no group means no calls (0 for amounts, null for the rest). */
export function totalOf(result: ResultLike, metric: Metric, pick?: Pick): number | null {
  const group = result.groups[0];
  if (!group) return ADDITIVE_METRICS.has(metric) ? 0 : null;
  return metricNumber(group.values, metric, pick);
}

/** One value per bucket of an ungrouped result, for a sparkline. */
export function trendOf(result: ResultLike, metric: Metric, pick?: Pick): (number | null)[] {
  const buckets = result.buckets ?? [];
  const points = result.groups[0]?.points;
  if (!points) return buckets.map(() => (ADDITIVE_METRICS.has(metric) ? 0 : null));
  return points.map((point) => metricNumber(point, metric, pick));
}

const RATE_METRICS: ReadonlySet<Metric> = new Set(["errorRate", "cacheHitRate", "cachedCallRate", "withinBudgetRate"]);

export function changeBetween(value: number | null, previous: number | null, kind: KeyFigure["changeKind"]): number | null {
  if (kind === "relative") return relativeChange(value, previous);
  return value === null || previous === null ? null : value - previous;
}

/** A key figure from the current result (with buckets) and the previous period's (totals only). */
export function keyFigure(current: ResultLike, previous: ResultLike, metric: Metric, pick?: Pick): KeyFigure {
  const value = totalOf(current, metric, pick);
  const before = totalOf(previous, metric, pick);
  const changeKind = RATE_METRICS.has(metric) ? "points" : "relative";
  return { value, previous: before, change: changeBetween(value, before, changeKind), changeKind, trend: trendOf(current, metric, pick) };
}

/**
 * How a TTFT percentile stands against the budget, in words (never color alone):
 * "within the 300 ms budget" or "38% over the 300 ms budget".
 */
export function budgetStatus(valueMs: number | null, budgetMs: number): { isWithin: boolean | null; overBy: number | null } {
  if (valueMs === null) return { isWithin: null, overBy: null };
  return valueMs <= budgetMs ? { isWithin: true, overBy: null } : { isWithin: false, overBy: (valueMs - budgetMs) / budgetMs };
}

/** Adds up a trend (hourly spend → spend so far); null values count as nothing. */
export function cumulative(trend: readonly (number | null)[]): (number | null)[] {
  let sum = 0;
  let seen = false;
  return trend.map((value) => {
    if (value !== null) {
      sum += value;
      seen = true;
    }
    return seen ? sum : null;
  });
}

const TREND_INTERVALS = [
  ["1m", 60_000],
  ["5m", 300_000],
  ["15m", 900_000],
  ["1h", 3_600_000],
  ["1d", 86_400_000],
] as const;
export const MAX_TREND_POINTS = 48;

/**
 * The bucket size of a sparkline: the finest that gives at most MAX_TREND_POINTS points over the
 * range (1 h → 5 min, 24 h → 1 h, 30 d → 1 day). A chart's `auto` interval is finer (hundreds of
 * points); on a 96-pixel sparkline sparse traffic would read as noise and gaps.
 */
export function trendInterval(range: { from: Date; to: Date }): (typeof TREND_INTERVALS)[number][0] {
  const length = range.to.getTime() - range.from.getTime();
  for (const [interval, size] of TREND_INTERVALS) if (length / size <= MAX_TREND_POINTS) return interval;
  return "1d";
}
