import "server-only";
import { getPool } from "@/lib/db/pool";
import { autoInterval, type AnalyticsQuery, type GroupBy, type Interval, type Metric, type RankBy } from "@/lib/analytics/query";
import { runAnalyticsQuery, type AnalyticsResult } from "@/lib/analytics/run-query";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import type { TimeRange } from "@/lib/dashboard/view-params";

/**
 * The dashboards' door to the shared query layer (lib/analytics): a screen names the metrics, the
 * group and the time buckets it shows; the project, range and filters come from the view in the
 * URL (resolveDashboardContext), the same way for every screen.
 */
export interface PanelQuery {
  metrics: readonly Metric[];
  groupBy?: GroupBy | null;
  /** Time buckets: an interval, "auto" (by range length), or none for totals over the range. */
  interval?: Interval | "auto" | null;
  limitGroups?: number;
  /** What limitGroups keeps the largest of: calls (default) or known spend. */
  rankBy?: RankBy;
  /** Another range than the view's (e.g. the previous period, for changes). */
  range?: TimeRange;
  /** Extra filters on top of the view's (e.g. one prompt's versions). */
  filters?: Partial<AnalyticsQuery["filters"]>;
  /** For panels that may read raw spans (attributes that are not allocation tags): a smaller cap. */
  rawSpanCap?: number;
}

export function analyticsQueryFor(context: DashboardContext, panel: PanelQuery): AnalyticsQuery {
  const range = panel.range ?? context.range;
  const { attributes, ...dimensions } = context.view.filters;
  const interval = panel.interval === "auto" ? autoInterval(range.from.getTime(), range.to.getTime()) : (panel.interval ?? null);
  return {
    projectId: context.project.id,
    metrics: panel.metrics,
    groupBy: panel.groupBy ?? null,
    interval,
    filters: {
      ...dimensions,
      ...panel.filters,
      attributes: { ...attributes, ...(panel.filters?.attributes ?? {}) },
    },
    range: { from: range.from, to: range.to },
    limitGroups: panel.limitGroups,
    ...(panel.rankBy !== undefined ? { rankBy: panel.rankBy } : {}),
  };
}

export function queryAnalytics(context: DashboardContext, panel: PanelQuery): Promise<AnalyticsResult> {
  return runAnalyticsQuery(analyticsQueryFor(context, panel), {
    db: getPool(),
    settings: context.settings,
    now: context.now.getTime(),
    rawSpanCap: panel.rawSpanCap,
  });
}
