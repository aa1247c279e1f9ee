import "server-only";
import type { AnalyticsResult } from "@/lib/analytics/run-query";
import { changeBetween, cumulative, keyFigure, totalOf, trendInterval, trendOf, type KeyFigure } from "@/lib/dashboard/key-figures";
import { queryAnalytics } from "@/lib/dashboard/query-analytics";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { forecastMonthEnd, isNonEmptyRange, spendPeriods, type SpendPeriods } from "@/lib/dashboard/spend-periods";
import { previousTimeRange, type TimeRange } from "@/lib/dashboard/view-params";
import { viewTtftBudget } from "@/lib/dashboard/view-ttft-budget";

/**
 * The Overview's key figures, read on the server so they arrive with the first HTML (LCP does not
 * wait for client-side data): the range's figures with their trend and the change against the
 * previous range, and the spend of today, the month so far and its forecast (calendar periods of
 * the project's time zone). Nine small queries, in parallel, all from rollups.
 */
export interface SpendFigure extends KeyFigure {
  /** Calls in the period without a price: the spend shown leaves them out. */
  unknownCostCalls: number;
}

export interface OverviewFigures {
  calls: KeyFigure;
  errorRate: KeyFigure;
  ttftP50: KeyFigure;
  ttftP95: KeyFigure;
  withinBudgetRate: KeyFigure;
  cacheHitRate: KeyFigure;
  errors: number;
  /** Calls that reported a TTFT (the share within budget counts only these). */
  ttftCalls: number;
  budgetMs: number;
  /** True when a per-service budget differs from the default (and no service filter picks one). */
  hasServiceBudgets: boolean;
  spend: {
    periods: SpendPeriods;
    today: SpendFigure;
    monthToDate: SpendFigure;
    /** Compared with the previous month's whole spend. */
    forecast: KeyFigure;
  };
}

const RANGE_METRICS = ["calls", "errors", "errorRate", "ttftCalls", "ttftMs", "withinBudgetRate", "cacheHitRate"] as const;
const SPEND_METRICS = ["costUsd", "unknownCostCalls"] as const;

const EMPTY: AnalyticsResult = { groups: [], buckets: [], source: "rollups" };

export async function loadOverviewFigures(context: DashboardContext): Promise<OverviewFigures> {
  const periods = spendPeriods(context.now, context.settings.timeZone);
  const spend = (range: TimeRange, interval: "1h" | "1d" | null) =>
    isNonEmptyRange(range) ? queryAnalytics(context, { metrics: SPEND_METRICS, range, interval }) : Promise.resolve(EMPTY);
  const [current, previous, today, yesterday, monthToDate, previousMonthToDate, previousMonth] = await Promise.all([
    queryAnalytics(context, { metrics: RANGE_METRICS, interval: trendInterval(context.range) }),
    queryAnalytics(context, { metrics: RANGE_METRICS, range: previousTimeRange(context.range) }),
    spend(periods.today, "1h"),
    spend(periods.yesterdaySameTime, null),
    spend(periods.monthToDate, "1d"),
    spend(periods.previousMonthToDate, null),
    spend(periods.previousMonth, null),
  ]);

  const { budgetMs, hasServiceBudgets } = viewTtftBudget(context);
  const spendFigure = (now: AnalyticsResult, before: AnalyticsResult): SpendFigure => ({
    ...keyFigure(now, before, "costUsd"),
    unknownCostCalls: totalOf(now, "unknownCostCalls") ?? 0,
  });
  const monthSpend = totalOf(monthToDate, "costUsd");
  const forecast = forecastMonthEnd(monthSpend, periods.month, periods.now);
  const lastMonth = totalOf(previousMonth, "costUsd");

  return {
    calls: keyFigure(current, previous, "calls"),
    errorRate: keyFigure(current, previous, "errorRate"),
    ttftP50: keyFigure(current, previous, "ttftMs", "p50"),
    ttftP95: keyFigure(current, previous, "ttftMs", "p95"),
    withinBudgetRate: keyFigure(current, previous, "withinBudgetRate"),
    cacheHitRate: keyFigure(current, previous, "cacheHitRate"),
    errors: totalOf(current, "errors") ?? 0,
    ttftCalls: totalOf(current, "ttftCalls") ?? 0,
    budgetMs,
    hasServiceBudgets,
    spend: {
      periods,
      today: spendFigure(today, yesterday),
      monthToDate: spendFigure(monthToDate, previousMonthToDate),
      forecast: {
        value: forecast,
        previous: lastMonth,
        change: changeBetween(forecast, lastMonth, "relative"),
        changeKind: "relative",
        trend: cumulative(trendOf(monthToDate, "costUsd")),
      },
    },
  };
}
