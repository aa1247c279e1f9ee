import { StatTile } from "@/components/ui/stat-tile";
import { budgetStatus, type KeyFigure } from "@/lib/dashboard/key-figures";
import { previousRangeLabel } from "@/lib/dashboard/previous-range-label";
import type { OverviewFigures } from "@/lib/dashboard/load-overview-figures";
import type { TimeRange, TimeRangeSelection } from "@/lib/dashboard/view-params";
import { formatCount, formatMs, formatPercent } from "@/lib/format/numbers";

/**
 * The range's key figures: traffic, latency against the TTFT budget, cache and errors, each with
 * its trend over the range and the change against the range before. Plain server HTML (the
 * sparklines are SVG), so the tiles paint with the first response.
 */
export const TILE_GRID = "grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3";

function tileProps(figure: KeyFigure, changeLabel: string) {
  return {
    value: figure.value,
    // No badge without a previous value to compare with (nothing before, or 0 calls).
    change: figure.change ?? undefined,
    changeFormat: figure.changeKind,
    changeLabel,
    trend: figure.trend,
  };
}

function BudgetHint({ valueMs, budgetMs, isDefault }: { valueMs: number | null; budgetMs: number; isDefault: boolean }) {
  const status = budgetStatus(valueMs, budgetMs);
  const budget = `${formatMs(budgetMs)} ${isDefault ? "default " : ""}budget`;
  if (status.isWithin === null) return <span>the {budget}</span>;
  return status.isWithin ? (
    <span>
      <span aria-hidden>✓ </span>within the {budget}
    </span>
  ) : (
    <span className="font-medium text-red-700 dark:text-red-400">
      <span aria-hidden>✗ </span>
      {formatPercent(status.overBy)} over the {budget}
    </span>
  );
}

export function KeyFigureTiles({ figures, selection, range }: { figures: OverviewFigures; selection: TimeRangeSelection; range: TimeRange }) {
  const changeLabel = previousRangeLabel(selection, range);
  const isDefaultBudget = figures.hasServiceBudgets;
  return (
    <div className={TILE_GRID} data-testid="range-figures">
      <StatTile label="LLM calls" unit="count" {...tileProps(figures.calls, changeLabel)} testId="tile-calls" />
      <StatTile
        label="TTFT p50"
        unit="ms"
        goodDirection="down"
        {...tileProps(figures.ttftP50, changeLabel)}
        hint={<BudgetHint valueMs={figures.ttftP50.value} budgetMs={figures.budgetMs} isDefault={isDefaultBudget} />}
        testId="tile-ttft-p50"
      />
      <StatTile
        label="TTFT p95"
        unit="ms"
        goodDirection="down"
        {...tileProps(figures.ttftP95, changeLabel)}
        hint={<BudgetHint valueMs={figures.ttftP95.value} budgetMs={figures.budgetMs} isDefault={isDefaultBudget} />}
        testId="tile-ttft-p95"
      />
      <StatTile
        label={`Within the ${formatMs(figures.budgetMs)} TTFT budget`}
        unit="percent"
        goodDirection="up"
        {...tileProps(figures.withinBudgetRate, changeLabel)}
        hint={`of ${formatCount(figures.ttftCalls)} calls with a TTFT`}
        testId="tile-within-budget"
      />
      <StatTile
        label="Cache hit rate"
        unit="percent"
        goodDirection="up"
        {...tileProps(figures.cacheHitRate, changeLabel)}
        hint="of input tokens read from cache"
        testId="tile-cache-hit-rate"
      />
      <StatTile
        label="Error rate"
        unit="percent"
        goodDirection="down"
        {...tileProps(figures.errorRate, changeLabel)}
        hint={`${formatCount(figures.errors)} failed ${figures.errors === 1 ? "call" : "calls"}`}
        testId="tile-error-rate"
      />
    </div>
  );
}
