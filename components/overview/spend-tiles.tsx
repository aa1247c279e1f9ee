import { StatTile } from "@/components/ui/stat-tile";
import { TILE_GRID } from "@/components/overview/key-figure-tiles";
import type { KeyFigure } from "@/lib/dashboard/key-figures";
import type { OverviewFigures, SpendFigure } from "@/lib/dashboard/load-overview-figures";
import { monthProgress } from "@/lib/dashboard/spend-periods";
import { formatCount, formatPercent, formatUsd } from "@/lib/format/numbers";

/**
 * Spend by calendar period of the project's time zone: today so far, the month so far and the
 * month-end forecast, with how the forecast is made written under it.
 */
function display(figure: SpendFigure): string | undefined {
  // Some calls have no price: what is shown is a lower bound.
  return figure.unknownCostCalls > 0 && figure.value !== null ? `≥ ${formatUsd(figure.value)}` : undefined;
}

/** What the change compares with; when there is nothing to compare with, says so instead. */
function comparisonHint(figure: KeyFigure, comparison: string, nothingBefore: string): string {
  return figure.change === null && figure.previous === 0 ? nothingBefore : comparison;
}

function unpricedHint(figure: SpendFigure, comparison: string): React.ReactNode {
  if (figure.unknownCostCalls === 0) return comparison;
  return `${comparison}; ${formatCount(figure.unknownCostCalls)} ${figure.unknownCostCalls === 1 ? "call has" : "calls have"} no price`;
}

export function SpendTiles({ spend, timeZone }: { spend: OverviewFigures["spend"]; timeZone: string }) {
  const { elapsedDays, monthDays, elapsedShare } = monthProgress(spend.periods.month, spend.periods.now);
  return (
    <div className="space-y-2">
      <div className={TILE_GRID} data-testid="spend-figures">
        <StatTile
          label="Spend today"
          unit="usd"
          value={spend.today.value}
          display={display(spend.today)}
          change={spend.today.change ?? undefined}
          changeLabel="vs yesterday up to the same time"
          trend={spend.today.trend}
          hint={unpricedHint(spend.today, comparisonHint(spend.today, "vs yesterday by this time", "nothing spent yesterday by this time"))}
          testId="tile-spend-today"
        />
        <StatTile
          label="Spend this month"
          unit="usd"
          value={spend.monthToDate.value}
          display={display(spend.monthToDate)}
          change={spend.monthToDate.change ?? undefined}
          changeLabel="vs last month over the same number of days"
          trend={spend.monthToDate.trend}
          hint={unpricedHint(spend.monthToDate, comparisonHint(spend.monthToDate, "vs last month by this day", "nothing spent last month by this day"))}
          testId="tile-spend-month"
        />
        <StatTile
          label="Month-end forecast"
          unit="usd"
          value={spend.forecast.value}
          change={spend.forecast.change ?? undefined}
          changeLabel="vs last month's whole spend"
          trend={spend.forecast.trend}
          hint={comparisonHint(spend.forecast, "vs last month's total", "nothing spent last month")}
          testId="tile-spend-forecast"
        />
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="forecast-method">
        Days and months in {timeZone}. Month-end forecast = spend so far ÷ the share of the month elapsed ({formatPercent(elapsedShare)} of{" "}
        {monthDays} days): a straight-line extrapolation
        {spend.forecast.value === null ? ", shown once an hour of the month has passed" : elapsedDays < 3 ? ", rough in the first days of a month" : ""}.
      </p>
    </div>
  );
}
