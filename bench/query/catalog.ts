import { METRICS, type AnalyticsFilters, type GroupBy, type Metric, type RankBy } from "@/lib/analytics/query";
import { CUSTOMER_COUNT, customerName, MODELS, SERVICES, TEAM_COUNT, teamName } from "./dataset";

/**
 * Every summary and time-series query the dashboards make (lib/dashboard/load-*.ts, DESIGN.md
 * "Screens"), each timed over a 7-day and a 30-day range, unfiltered and with one filter of the
 * global filter bar: a service, a model, a team or a customer. A query grouped by an allocation tag
 * and filtered by another would read raw spans ("more than one allocation tag at once"): those
 * pairs are listed as skipped, not timed.
 */
export interface CatalogQuery {
  id: string;
  metrics: readonly Metric[];
  groupBy: GroupBy | null;
  /** "auto": the dashboards' autoInterval for the range; null: totals over the range. */
  interval: "auto" | null;
  limitGroups?: number;
  rankBy?: RankBy;
}

const LATENCY = ["calls", "ttftMs", "durationMs", "withinBudgetRate"] as const;
const CACHE_BREAKDOWN = ["calls", "cacheHitRate", "cachedCallRate", "inputTokens", "cacheReadTokens", "cacheWriteTokens", "cacheSavingsUsd"] as const;
const SPEND = ["costUsd", "calls", "unknownCostCalls"] as const;
const OVERVIEW = ["calls", "errors", "errorRate", "ttftCalls", "ttftMs", "withinBudgetRate", "cacheHitRate", "costUsd", "unknownCostCalls"] as const;

/** The Cost screen's spend chart (load-cost-panels.ts): its SPEND_GROUPS + 1 biggest spenders, the rest added up. */
const SPEND_CHART = { limitGroups: 9, rankBy: "costUsd" } as const;
/** The Cost screen's top-spender lists (loadTopSpenders): its TOP_SPENDERS biggest, and how many there are. */
const TOP_SPENDERS = { limitGroups: 10, rankBy: "costUsd" } as const;

export const CATALOG: readonly CatalogQuery[] = [
  { id: "overview.summary", metrics: OVERVIEW, groupBy: null, interval: null },
  { id: "overview.timeseries", metrics: OVERVIEW, groupBy: null, interval: "auto" },
  { id: "latency.timeseries", metrics: ["calls", "ttftCalls", "ttftMs", "durationMs", "withinBudgetRate"], groupBy: null, interval: "auto" },
  { id: "latency.by-model", metrics: LATENCY, groupBy: "model", interval: "auto", limitGroups: 6 },
  { id: "latency.by-service", metrics: LATENCY, groupBy: "service", interval: "auto", limitGroups: 6 },
  { id: "latency.by-prompt-version", metrics: LATENCY, groupBy: "promptVersion", interval: "auto", limitGroups: 6 },
  { id: "latency.streaming-split", metrics: ["calls", "ttftMs", "durationMs"], groupBy: "streaming", interval: "auto" },
  {
    id: "cache.timeseries",
    metrics: ["calls", "cacheHitRate", "cachedCallRate", "cacheSavingsUsd", "ttftCacheHitMs", "ttftNoCacheHitMs"],
    groupBy: null,
    interval: "auto",
  },
  { id: "cache.by-model", metrics: CACHE_BREAKDOWN, groupBy: "model", interval: "auto", limitGroups: 6 },
  { id: "cache.by-prompt-version", metrics: CACHE_BREAKDOWN, groupBy: "promptVersion", interval: "auto", limitGroups: 6 },
  { id: "cache.ttft-by-prompt-version", metrics: ["calls", "cachedCallRate", "ttftCacheHitMs", "ttftNoCacheHitMs"], groupBy: "promptVersion", interval: null },
  {
    id: "cost.timeseries",
    metrics: ["costUsd", "calls", "unknownCostCalls", "costPerCallUsd", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens"],
    groupBy: null,
    interval: "auto",
  },
  { id: "cost.by-model", metrics: SPEND, groupBy: "model", interval: "auto", ...SPEND_CHART },
  { id: "cost.by-service", metrics: SPEND, groupBy: "service", interval: "auto", ...SPEND_CHART },
  { id: "cost.by-team", metrics: SPEND, groupBy: "attribute:team", interval: "auto", ...SPEND_CHART },
  { id: "cost.top-customers", metrics: ["costUsd", "calls", "unknownCostCalls"], groupBy: "attribute:customer", interval: null, ...TOP_SPENDERS },
  { id: "cost.top-features", metrics: ["costUsd", "calls", "unknownCostCalls"], groupBy: "attribute:feature", interval: null, ...TOP_SPENDERS },
  { id: "prompts.versions", metrics: METRICS, groupBy: "promptVersion", interval: null },
];

export const RANGES = { "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangeName = keyof typeof RANGES;

export type FilterKind = "none" | "service" | "model" | "team" | "customer";
export const FILTER_KINDS: readonly FilterKind[] = ["none", "service", "model", "team", "customer"];

export interface Variant {
  query: CatalogQuery;
  range: RangeName;
  filter: FilterKind;
  name: string;
}

const TAG_FILTERS: ReadonlySet<FilterKind> = new Set(["team", "customer"]);

export function variants(): { timed: Variant[]; skipped: Variant[] } {
  const timed: Variant[] = [];
  const skipped: Variant[] = [];
  for (const query of CATALOG) {
    for (const range of Object.keys(RANGES) as RangeName[]) {
      for (const filter of FILTER_KINDS) {
        const variant = { query, range, filter, name: `${query.id} ${range}${filter === "none" ? "" : ` ${filter}=…`}` };
        if (query.groupBy?.startsWith("attribute:") && TAG_FILTERS.has(filter)) skipped.push(variant);
        else timed.push(variant);
      }
    }
  }
  return { timed, skipped };
}

/** A filter value for one iteration, drawn with `random` (uniform in [0, 1)). */
export function filtersFor(kind: FilterKind, random: () => number): AnalyticsFilters {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  switch (kind) {
    case "none":
      return { attributes: {} };
    case "service":
      return { service: pick(SERVICES).name, attributes: {} };
    case "model":
      return { model: pick(MODELS).responseModel, attributes: {} };
    case "team":
      return { attributes: { team: teamName(Math.floor(random() * TEAM_COUNT)) } };
    case "customer":
      return { attributes: { customer: customerName(Math.floor(random() * CUSTOMER_COUNT)) } };
  }
}
