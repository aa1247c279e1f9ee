import "server-only";
import type { AnalyticsResult } from "@/lib/analytics/run-query";
import { listCalls, MAX_CALLS_LIMIT } from "@/lib/calls/list-calls";
import type { LatencyDimension, LatencyPercentile } from "@/lib/dashboard/latency-params";
import { queryAnalytics } from "@/lib/dashboard/query-analytics";
import { toCallSample, type CallSample } from "@/lib/dashboard/recent-call-latency";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { splitByStreaming, type StreamingSplit } from "@/lib/dashboard/streaming-split";
import { toCallFilters } from "@/lib/dashboard/view-params";

/**
 * The Latency screen's queries, one per panel group, so each panel streams in on its own. All
 * but the recent-call sample read rollups; the sample reads the newest raw calls of the range,
 * capped at RECENT_CALL_CAP.
 */
export const RECENT_CALL_CAP = MAX_CALLS_LIMIT;
/** Groups drawn per chart; the rest is added up as "Other". */
export const GROUP_LIMIT = 6;

/** TTFT and duration percentiles and the share within budget, over time, for the whole view. */
export function loadLatencyOverTime(context: DashboardContext): Promise<AnalyticsResult> {
  return queryAnalytics(context, { metrics: ["calls", "ttftCalls", "ttftMs", "durationMs", "withinBudgetRate"], interval: "auto" });
}

/** The same by model, service or prompt version: the largest groups, the rest as "Other". */
export function loadLatencyByDimension(context: DashboardContext, by: LatencyDimension): Promise<AnalyticsResult> {
  return queryAnalytics(context, {
    metrics: ["calls", "ttftMs", "durationMs", "withinBudgetRate"],
    groupBy: by,
    interval: "auto",
    limitGroups: GROUP_LIMIT,
  });
}

export async function loadStreamingSplit(context: DashboardContext, percentile: LatencyPercentile): Promise<StreamingSplit> {
  const result = await queryAnalytics(context, { metrics: ["calls", "ttftMs", "durationMs"], groupBy: "streaming", interval: "auto" });
  return splitByStreaming(result, percentile);
}

export interface RecentCallSample {
  calls: CallSample[];
  /** True when the range holds more calls than the sample (it is the newest RECENT_CALL_CAP). */
  isCapped: boolean;
}

export async function loadRecentCallSample(context: DashboardContext): Promise<RecentCallSample> {
  const page = await listCalls(context.project.id, {
    filters: toCallFilters(context.view, context.now),
    limit: RECENT_CALL_CAP,
    cursor: null,
  });
  return { calls: page.data.map(toCallSample), isCapped: page.nextCursor !== null };
}
