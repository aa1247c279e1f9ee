import "server-only";
import { getPool } from "@/lib/db/pool";
import { ADDITIVE_METRICS } from "@/lib/analytics/query";
import { parseTimeseriesParams } from "@/lib/analytics/parse-query-params";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { getProjectSettings } from "@/lib/settings/project-settings";

/**
 * GET /api/v1/timeseries: every bucket of the range listed explicitly (`buckets`), one series per
 * group, and for each metric what an empty bucket holds (`gaps`: 0 for counts and sums, null for
 * ratios and percentiles).
 */
export async function getTimeseries(projectId: string, params: URLSearchParams) {
  const query = parseTimeseriesParams(projectId, params);
  const settings = await getProjectSettings(projectId);
  const result = await runAnalyticsQuery(query, { db: getPool(), settings });
  const buckets = (result.buckets ?? []).map((t) => new Date(t).toISOString());
  return {
    from: query.range.from.toISOString(),
    to: query.range.to.toISOString(),
    interval: query.interval,
    timeZone: settings.timeZone,
    metrics: query.metrics,
    groupBy: query.groupBy ?? "none",
    gaps: Object.fromEntries(query.metrics.map((metric) => [metric, ADDITIVE_METRICS.has(metric) ? 0 : null])),
    buckets,
    source: result.source,
    ...(result.rawReason ? { rawReason: result.rawReason, truncated: result.isTruncated } : {}),
    data: result.groups.map((group) => ({
      group: group.group,
      ...(group.promptName !== undefined ? { promptName: group.promptName, promptVersion: group.promptVersion } : {}),
      points: (group.points ?? []).map((values, i) => ({ time: buckets[i], ...values })),
    })),
  };
}
