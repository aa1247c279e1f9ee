import "server-only";
import type { GroupBy } from "@/lib/analytics/query";
import { cache } from "react";
import { groupLabel, metricNumber, REST_GROUP, type GroupKind } from "@/lib/dashboard/chart-data";
import type { BreakdownOption } from "@/lib/dashboard/breakdown-params";
import { queryAnalytics } from "@/lib/dashboard/query-analytics";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { breakDownSpend, type SpendBreakdown } from "@/lib/dashboard/spend-groups";
import { breakDownTokens, type TokenBreakdown } from "@/lib/dashboard/token-kinds";
import { markPricedModels, patternsInUse, type UnpricedModel } from "@/lib/dashboard/price-coverage";
import { previousTimeRange } from "@/lib/dashboard/view-params";
import { listPrices } from "@/lib/pricing/manage-prices";
import type { Price } from "@/lib/pricing/price-schema";

/**
 * The Cost screen's data, one loader per panel (each panel streams on its own), all through the
 * shared query layer for the view's project, range and filters. Money that has no price stays
 * unknown (null) with the number of calls it misses, never $0.
 */

/** Series on the spend chart: the biggest spenders, the rest as "Other". */
export const SPEND_GROUPS = 8;
/** Rows in a top-spenders list. */
export const TOP_SPENDERS = 10;
/** Users are not an allocation tag (too many values): read from raw spans, newest first, this many at most. */
export const USER_SAMPLE_CALLS = 50_000;

export interface CostSummary {
  costUsd: number | null;
  previousCostUsd: number | null;
  calls: number;
  unknownCostCalls: number;
  costPerCallUsd: number | null;
  tokens: TokenBreakdown;
  spendTrend: (number | null)[];
}

/** Memoized per request: the tiles and the tokens panel share it. */
export const loadCostSummary = cache(async (context: DashboardContext): Promise<CostSummary> => {
  const [current, previous] = await Promise.all([
    queryAnalytics(context, {
      metrics: ["costUsd", "calls", "unknownCostCalls", "costPerCallUsd", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens"],
      interval: "auto",
    }),
    queryAnalytics(context, { metrics: ["costUsd"], range: previousTimeRange(context.range) }),
  ]);
  const total = current.groups[0]?.values;
  return {
    costUsd: metricNumber(total, "costUsd"),
    previousCostUsd: metricNumber(previous.groups[0]?.values, "costUsd"),
    calls: metricNumber(total, "calls") ?? 0,
    unknownCostCalls: metricNumber(total, "unknownCostCalls") ?? 0,
    costPerCallUsd: metricNumber(total, "costPerCallUsd"),
    tokens: breakDownTokens(current),
    spendTrend: (current.groups[0]?.points ?? []).map((point) => metricNumber(point, "costUsd")),
  };
});

/** Memoized per request: the spend chart and the cost-per-call chart share it. */
export const loadSpendBreakdown = cache(async (context: DashboardContext, breakdown: BreakdownOption): Promise<SpendBreakdown> => {
  // One more group than the chart shows: with no more groups than that, each is shown by name.
  const result = await queryAnalytics(context, {
    metrics: ["costUsd", "calls", "unknownCostCalls"],
    groupBy: breakdown.groupBy,
    interval: "auto",
    limitGroups: SPEND_GROUPS + 1,
    rankBy: "costUsd",
  });
  return breakDownSpend(result, SPEND_GROUPS, (group) => groupLabel(group, breakdown.kind));
});

export interface Spender {
  label: string;
  costUsd: number | null;
  calls: number;
  unknownCostCalls: number;
}

export interface TopSpenders {
  spenders: Spender[];
  /** How many groups there were in all (the list shows the top TOP_SPENDERS). */
  groupCount: number;
  /** Read from raw spans (not rollups), and whether the sample cap was hit. */
  isRaw: boolean;
  isSampled: boolean;
}

/**
 * The biggest spenders by a tag or the user id, by known spend: the query keeps the TOP_SPENDERS
 * largest and counts the groups, rather than handing every one of a 1,000-value tag's groups over.
 */
export async function loadTopSpenders(context: DashboardContext, groupBy: GroupBy, kind: GroupKind): Promise<TopSpenders> {
  const result = await queryAnalytics(context, {
    metrics: ["costUsd", "calls", "unknownCostCalls"],
    groupBy,
    limitGroups: TOP_SPENDERS,
    rankBy: "costUsd",
    ...(kind === "user" ? { rawSpanCap: USER_SAMPLE_CALLS } : {}),
  });
  const spenders = result.groups
    .filter((group) => group.group !== REST_GROUP)
    .map((group) => ({
      label: groupLabel(group, kind),
      costUsd: metricNumber(group.values, "costUsd"),
      calls: metricNumber(group.values, "calls") ?? 0,
      unknownCostCalls: metricNumber(group.values, "unknownCostCalls") ?? 0,
    }))
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.calls - a.calls);
  return {
    spenders: spenders.slice(0, TOP_SPENDERS),
    groupCount: result.groupCount ?? spenders.length,
    isRaw: result.source === "raw",
    isSampled: result.isTruncated === true,
  };
}

export interface PriceTable {
  /** The rows whose pattern prices a model called in the range (all dated versions of it). */
  inUse: Price[];
  others: Price[];
  /** Models with calls that have no cost, most such calls first. */
  unpriced: UnpricedModel[];
}

/** The price rows that apply to this project (the seeded list and its own), and the models they miss. */
export async function loadPriceTable(context: DashboardContext): Promise<PriceTable> {
  const [prices, byModel] = await Promise.all([
    listPrices(context.project.id),
    queryAnalytics(context, { metrics: ["calls", "unknownCostCalls"], groupBy: "model" }),
  ]);
  const models = byModel.groups.flatMap((group) => (group.group === null ? [] : [group.group]));
  const used = patternsInUse(models, prices.map((price) => price.modelPattern));
  const unpriced = byModel.groups
    .map((group) => ({
      model: groupLabel(group, "model"),
      unknownCostCalls: metricNumber(group.values, "unknownCostCalls") ?? 0,
      calls: metricNumber(group.values, "calls") ?? 0,
    }))
    .filter((row) => row.unknownCostCalls > 0)
    .sort((a, b) => b.unknownCostCalls - a.unknownCostCalls);
  return {
    inUse: prices.filter((price) => used.has(price.modelPattern)),
    others: prices.filter((price) => !used.has(price.modelPattern)),
    unpriced: markPricedModels(unpriced, prices.map((price) => price.modelPattern)),
  };
}
