import "server-only";
import { cache } from "react";
import { findCacheBusters, type CacheBusterReport } from "@/lib/cache/find-cache-busters";
import { getPool } from "@/lib/db/pool";
import { groupLabel, metricNumber, pivotGroupsOverTime, type SeriesTable } from "@/lib/dashboard/chart-data";
import type { BreakdownOption } from "@/lib/dashboard/breakdown-params";
import { previousTimeRange, toCallFilters } from "@/lib/dashboard/view-params";
import { queryAnalytics } from "@/lib/dashboard/query-analytics";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { loadPriceBook } from "@/lib/pricing/price-book";

/**
 * The Cache screen's data, one loader per panel (each panel streams on its own). Every number comes
 * from the shared query layer or the cache-buster detector, for the view's project, range and
 * filters.
 */

/** Lines on a hit-rate chart: the busiest groups, the rest added up as "Other". */
const HIT_RATE_GROUPS = 6;

export interface CacheSummary {
  calls: number;
  cacheHitRate: number | null;
  cachedCallRate: number | null;
  cacheSavingsUsd: number | null;
  ttftCacheHitP50: number | null;
  ttftNoCacheHitP50: number | null;
  previous: { cacheHitRate: number | null; cachedCallRate: number | null; cacheSavingsUsd: number | null };
  trend: { cacheHitRate: (number | null)[]; cachedCallRate: (number | null)[]; cacheSavingsUsd: (number | null)[] };
}

export async function loadCacheSummary(context: DashboardContext): Promise<CacheSummary> {
  const metrics = ["calls", "cacheHitRate", "cachedCallRate", "cacheSavingsUsd", "ttftCacheHitMs", "ttftNoCacheHitMs"] as const;
  const [current, previous] = await Promise.all([
    queryAnalytics(context, { metrics, interval: "auto" }),
    queryAnalytics(context, { metrics: ["cacheHitRate", "cachedCallRate", "cacheSavingsUsd"], range: previousTimeRange(context.range) }),
  ]);
  const total = current.groups[0]?.values;
  const before = previous.groups[0]?.values;
  const trend = (metric: "cacheHitRate" | "cachedCallRate" | "cacheSavingsUsd") =>
    (current.groups[0]?.points ?? []).map((point) => metricNumber(point, metric));
  return {
    calls: metricNumber(total, "calls") ?? 0,
    cacheHitRate: metricNumber(total, "cacheHitRate"),
    cachedCallRate: metricNumber(total, "cachedCallRate"),
    cacheSavingsUsd: metricNumber(total, "cacheSavingsUsd"),
    ttftCacheHitP50: metricNumber(total, "ttftCacheHitMs", "p50"),
    ttftNoCacheHitP50: metricNumber(total, "ttftNoCacheHitMs", "p50"),
    previous: {
      cacheHitRate: metricNumber(before, "cacheHitRate"),
      cachedCallRate: metricNumber(before, "cachedCallRate"),
      cacheSavingsUsd: metricNumber(before, "cacheSavingsUsd"),
    },
    trend: { cacheHitRate: trend("cacheHitRate"), cachedCallRate: trend("cachedCallRate"), cacheSavingsUsd: trend("cacheSavingsUsd") },
  };
}

export interface CacheGroupRow {
  label: string;
  calls: number;
  cacheHitRate: number | null;
  cachedCallRate: number | null;
  inputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheSavingsUsd: number | null;
}

export interface CacheHitRates {
  tokenWeighted: SeriesTable;
  callWeighted: SeriesTable;
  rows: CacheGroupRow[];
}

export async function loadCacheHitRates(context: DashboardContext, breakdown: BreakdownOption): Promise<CacheHitRates> {
  const result = await queryAnalytics(context, {
    metrics: ["calls", "cacheHitRate", "cachedCallRate", "inputTokens", "cacheReadTokens", "cacheWriteTokens", "cacheSavingsUsd"],
    groupBy: breakdown.groupBy,
    interval: "auto",
    limitGroups: HIT_RATE_GROUPS,
  });
  const label = (group: (typeof result.groups)[number]) => groupLabel(group, breakdown.kind);
  return {
    tokenWeighted: pivotGroupsOverTime(result, "cacheHitRate", label),
    callWeighted: pivotGroupsOverTime(result, "cachedCallRate", label),
    rows: result.groups.map((group) => ({
      label: label(group),
      calls: metricNumber(group.values, "calls") ?? 0,
      cacheHitRate: metricNumber(group.values, "cacheHitRate"),
      cachedCallRate: metricNumber(group.values, "cachedCallRate"),
      inputTokens: metricNumber(group.values, "inputTokens"),
      cacheReadTokens: metricNumber(group.values, "cacheReadTokens"),
      cacheWriteTokens: metricNumber(group.values, "cacheWriteTokens"),
      cacheSavingsUsd: metricNumber(group.values, "cacheSavingsUsd"),
    })),
  };
}

export interface PromptTtftRow {
  label: string;
  calls: number;
  cachedCallRate: number | null;
  hit: { p50: number | null; p95: number | null };
  noHit: { p50: number | null; p95: number | null };
}

export interface PromptTtft {
  rows: PromptTtftRow[];
  /** Prompt versions left out because none of their calls reports cache use (nothing to compare). */
  notReporting: number;
}

/**
 * TTFT of calls with a cache hit against those without, per prompt version (same prompt, same
 * work). A prompt version whose calls do not report cache use is left out: the query layer's
 * "without a hit" side would hold all its calls, which are not known misses.
 */
export async function loadTtftByPrompt(context: DashboardContext): Promise<PromptTtft> {
  const result = await queryAnalytics(context, {
    metrics: ["calls", "cachedCallRate", "ttftCacheHitMs", "ttftNoCacheHitMs"],
    groupBy: "promptVersion",
  });
  const rows = result.groups
    .map((group) => ({
      label: groupLabel(group, "promptVersion"),
      calls: metricNumber(group.values, "calls") ?? 0,
      cachedCallRate: metricNumber(group.values, "cachedCallRate"),
      hit: { p50: metricNumber(group.values, "ttftCacheHitMs", "p50"), p95: metricNumber(group.values, "ttftCacheHitMs", "p95") },
      noHit: { p50: metricNumber(group.values, "ttftNoCacheHitMs", "p50"), p95: metricNumber(group.values, "ttftNoCacheHitMs", "p95") },
    }))
    .filter((row) => row.hit.p50 !== null || row.noHit.p50 !== null);
  const reporting = rows.filter((row) => row.cachedCallRate !== null);
  return { rows: reporting, notReporting: rows.length - reporting.length };
}

/** The detector over the view; memoized per request, since the "missed" tile and the panel share it. */
export const loadCacheBusters = cache(async (context: DashboardContext): Promise<CacheBusterReport> => {
  const { from, to, ...filters } = toCallFilters(context.view, context.now);
  return findCacheBusters(getPool(), context.project.id, { from, to }, filters, await loadPriceBook());
});
