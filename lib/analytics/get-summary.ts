import "server-only";
import { getPool } from "@/lib/db/pool";
import { parseSummaryParams } from "@/lib/analytics/parse-query-params";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { getProjectSettings } from "@/lib/settings/project-settings";

/**
 * GET /api/v1/summary: one row per group with every metric over the range (DESIGN.md), from the
 * rollups, or from raw spans (`"source": "raw"`) for attributes that are not allocation tags.
 */
export async function getSummary(projectId: string, params: URLSearchParams) {
  const query = parseSummaryParams(projectId, params);
  const settings = await getProjectSettings(projectId);
  const result = await runAnalyticsQuery(query, { db: getPool(), settings });
  return {
    from: query.range.from.toISOString(),
    to: query.range.to.toISOString(),
    groupBy: query.groupBy ?? "none",
    source: result.source,
    ...(result.rawReason ? { rawReason: result.rawReason, truncated: result.isTruncated } : {}),
    data: result.groups.map((group) => ({
      group: group.group,
      ...(group.promptName !== undefined ? { promptName: group.promptName, promptVersion: group.promptVersion } : {}),
      ...group.values,
    })),
  };
}
