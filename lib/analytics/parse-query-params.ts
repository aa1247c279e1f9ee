import { z } from "zod";
import { parseCallFilters } from "@/lib/calls/call-filters";
import { autoInterval, GROUP_DIMENSIONS, INTERVALS, METRICS, type AnalyticsQuery, type GroupBy, type Interval, type Metric } from "@/lib/analytics/query";

/**
 * The public API's query strings → AnalyticsQuery (DESIGN.md "Public query API"): the shared
 * filters (service, model, provider, promptName, promptVersion, environment, attribute.KEY=value,
 * plus workload and streaming), `from` inclusive and `to` exclusive (default the last 24 hours),
 * `groupBy`, and for time series `metric` and `interval`.
 */
const SUMMARY_METRICS: readonly Metric[] = [
  "calls",
  "errors",
  "ttftMs",
  "durationMs",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "cacheHitRate",
  "cachedCallRate",
  "costUsd",
  "cacheSavingsUsd",
  "withinBudgetRate",
];

const groupByParam = z
  .string()
  .optional()
  .transform((value, context): GroupBy | null => {
    if (value === undefined || value === "" || value === "none") return null;
    if ((GROUP_DIMENSIONS as readonly string[]).includes(value)) return value as GroupBy;
    if (/^attribute:[^\s,]{1,128}$/.test(value)) return value as GroupBy;
    context.addIssue({
      code: "custom",
      message: `"${value}" is not a groupBy: use none, ${GROUP_DIMENSIONS.join(", ")} or attribute:KEY`,
    });
    return z.NEVER;
  });

const metricsParam = z
  .string()
  .transform((value, context): Metric[] => {
    const metrics = value.split(",").map((item) => item.trim()).filter(Boolean);
    const unknown = metrics.filter((metric) => !(METRICS as readonly string[]).includes(metric));
    if (metrics.length === 0 || unknown.length > 0) {
      context.addIssue({ code: "custom", message: `unknown metric ${unknown.join(", ") || "(none)"}; known: ${METRICS.join(", ")}` });
      return z.NEVER;
    }
    return [...new Set(metrics)] as Metric[];
  });

const streamingParam = z.enum(["true", "false"]).optional().transform((value) => (value === undefined ? undefined : value === "true"));

function baseQuery(projectId: string, params: URLSearchParams, now: Date) {
  const rest = new URLSearchParams();
  for (const [key, value] of params) {
    if (!["groupBy", "metric", "metrics", "interval", "workload", "streaming", "limitGroups"].includes(key)) rest.append(key, value);
  }
  const { from, to, attributes, ...dimensions } = parseCallFilters(rest, now);
  const extra = z
    .object({ workload: z.string().min(1).optional(), streaming: streamingParam, groupBy: groupByParam })
    .parse({ workload: params.get("workload") ?? undefined, streaming: params.get("streaming") ?? undefined, groupBy: params.get("groupBy") ?? undefined });
  return {
    projectId,
    groupBy: extra.groupBy,
    filters: { ...dimensions, workload: extra.workload, streaming: extra.streaming, attributes },
    range: { from, to },
  };
}

export function parseSummaryParams(projectId: string, params: URLSearchParams, now = new Date()): AnalyticsQuery {
  const metrics = params.get("metrics");
  return {
    ...baseQuery(projectId, params, now),
    metrics: metrics === null ? SUMMARY_METRICS : metricsParam.parse(metrics),
    interval: null,
  };
}

export function parseTimeseriesParams(projectId: string, params: URLSearchParams, now = new Date()): AnalyticsQuery {
  const base = baseQuery(projectId, params, now);
  const parsed = z
    .object({
      metric: metricsParam,
      interval: z
        .enum(["auto", ...(Object.keys(INTERVALS) as Interval[])], {
          message: `interval must be auto or one of ${Object.keys(INTERVALS).join(", ")}`,
        })
        .default("auto"),
      limitGroups: z.coerce.number().int().min(1).max(1000).optional(),
    })
    .parse({
      metric: params.get("metric") ?? params.get("metrics") ?? undefined,
      interval: params.get("interval") ?? undefined,
      limitGroups: params.get("limitGroups") ?? undefined,
    });
  const interval =
    parsed.interval === "auto" ? autoInterval(base.range.from.getTime(), base.range.to.getTime()) : (parsed.interval as Interval);
  return { ...base, metrics: parsed.metric, interval, limitGroups: parsed.limitGroups };
}
