import { z } from "zod";
import { CORE_DIMENSIONS } from "@/lib/rollups/cubes";

/**
 * The one analytics query shape (STYLE.md "Data"): metrics, an optional group dimension, an
 * optional time-bucket dimension, filters and a range. The dashboards build it directly; the
 * public API parses it from a query string (parse-query-params.ts). Validated once here, planned by
 * plan-query.ts, compiled by compile-query.ts, run by run-query.ts.
 */
export const PERCENTILE_METRICS = ["ttftMs", "durationMs", "ttftCacheHitMs", "ttftNoCacheHitMs"] as const;
export const VALUE_METRICS = [
  "calls",
  "errors",
  "errorRate",
  "ttftCalls",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "cacheHitRate",
  "cachedCallRate",
  "costUsd",
  "costPerCallUsd",
  "unknownCostCalls",
  "cacheSavingsUsd",
  "withinBudgetRate",
] as const;
export const METRICS = [...VALUE_METRICS, ...PERCENTILE_METRICS] as const;
export type PercentileMetric = (typeof PERCENTILE_METRICS)[number];
export type ValueMetric = (typeof VALUE_METRICS)[number];
export type Metric = (typeof METRICS)[number];

/** Metrics that add up (0 in an empty time bucket); the others are ratios or percentiles (null). */
export const ADDITIVE_METRICS: ReadonlySet<Metric> = new Set([
  "calls",
  "errors",
  "ttftCalls",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costUsd",
  "unknownCostCalls",
  "cacheSavingsUsd",
]);

export const PERCENTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const;
export type Percentiles = Record<keyof typeof PERCENTILES, number | null>;

/** The dimensions a query groups and filters by: the rollups' core dimensions. */
export const GROUP_DIMENSIONS = CORE_DIMENSIONS;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
/** A core dimension, or `attribute:<key>` (an allocation tag, else a raw-span attribute). */
export type GroupBy = GroupDimension | `attribute:${string}`;

export const INTERVALS = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Interval = keyof typeof INTERVALS;

export interface AnalyticsFilters {
  service?: string;
  model?: string;
  provider?: string;
  promptName?: string;
  promptVersion?: string;
  environment?: string;
  workload?: string;
  streaming?: boolean;
  /** attribute key → value: allocation tags from rollups, other attributes from raw spans. */
  attributes: Record<string, string>;
}

export interface AnalyticsQuery {
  projectId: string;
  metrics: readonly Metric[];
  groupBy: GroupBy | null;
  interval: Interval | null;
  filters: AnalyticsFilters;
  range: { from: Date; to: Date };
  /** Keep the `limitGroups` largest groups (by `rankBy`) and add the rest up as one "__rest__" group. */
  limitGroups?: number;
  /** What makes a group large for limitGroups: its calls (the default) or its known spend (then calls). */
  rankBy?: RankBy;
}

export const RANK_BY = ["calls", "costUsd"] as const;
export type RankBy = (typeof RANK_BY)[number];

/** Longest range a time series may cover at each interval (about 3,000 buckets at most). */
export const MAX_BUCKETS = 3_000;

const groupBySchema = z.union([
  z.enum(GROUP_DIMENSIONS),
  z.string().regex(/^attribute:[^\s,]{1,128}$/, "attribute:KEY with a key of 1–128 characters") as z.ZodType<`attribute:${string}`>,
]);

export const analyticsQuerySchema = z
  .object({
    projectId: z.uuid(),
    metrics: z.array(z.enum(METRICS)).min(1),
    groupBy: groupBySchema.nullable(),
    interval: z.enum(Object.keys(INTERVALS) as [Interval, ...Interval[]]).nullable(),
    filters: z.object({
      service: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      provider: z.string().min(1).optional(),
      promptName: z.string().min(1).optional(),
      promptVersion: z.string().min(1).optional(),
      environment: z.string().min(1).optional(),
      workload: z.string().min(1).optional(),
      streaming: z.boolean().optional(),
      attributes: z.record(z.string().min(1).max(128), z.string()),
    }),
    range: z.object({ from: z.date(), to: z.date() }),
    limitGroups: z.number().int().min(1).max(1000).optional(),
    rankBy: z.enum(RANK_BY).optional(),
  })
  .superRefine((query, context) => {
    if (query.range.from.getTime() >= query.range.to.getTime()) {
      context.addIssue({ code: "custom", path: ["from"], message: "`from` must be before `to`" });
    }
    if (query.interval) {
      const buckets = (query.range.to.getTime() - query.range.from.getTime()) / INTERVALS[query.interval];
      if (buckets > MAX_BUCKETS) {
        context.addIssue({
          code: "custom",
          path: ["interval"],
          message: `interval ${query.interval} gives ${Math.ceil(buckets)} buckets over this range; at most ${MAX_BUCKETS} (use a longer interval)`,
        });
      }
    }
  });

export function validateQuery(query: AnalyticsQuery): AnalyticsQuery {
  return analyticsQuerySchema.parse(query) as AnalyticsQuery;
}

/** A sensible interval for a range: at most a few hundred points on a chart. */
export function autoInterval(fromMs: number, toMs: number): Interval {
  const span = toMs - fromMs;
  if (span <= 3 * 3_600_000) return "1m";
  if (span <= 12 * 3_600_000) return "5m";
  if (span <= 36 * 3_600_000) return "15m";
  if (span <= 14 * 86_400_000) return "1h";
  return "1d";
}
