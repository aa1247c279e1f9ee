import { StatTile } from "@/components/ui/stat-tile";
import type { CostSummary } from "@/lib/dashboard/load-cost-panels";
import { TOKEN_KINDS } from "@/lib/dashboard/token-kinds";
import { formatCount, formatTokens, relativeChange } from "@/lib/format/numbers";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

/**
 * Spend over the range, cost per call, calls without a price and tokens. Spend that misses
 * unpriced calls reads "≥ $x": a lower bound, never a total that quietly counts them as $0.
 */
export function CostSummaryTiles({ summary, changeLabel }: { summary: CostSummary; changeLabel: string }) {
  const hasUnknown = summary.unknownCostCalls > 0;
  const known = TOKEN_KINDS.map((kind) => summary.tokens.totals[kind.key]).filter((value): value is number => value !== null);
  const totalTokens = known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0);
  const cacheRead = summary.tokens.totals.cacheRead;
  return (
    <>
      <StatTile
        label="Spend"
        value={summary.costUsd}
        unit="usd"
        display={hasUnknown && summary.costUsd !== null ? formatUsdBound(summary.costUsd, "at-least") : undefined}
        change={hasUnknown ? undefined : (relativeChange(summary.costUsd, summary.previousCostUsd) ?? undefined)}
        goodDirection="down"
        changeLabel={changeLabel}
        trend={summary.spendTrend}
        hint={hasUnknown ? `${formatCount(summary.unknownCostCalls)} calls without a cost not included` : undefined}
        testId="tile-spend"
      />
      <StatTile
        label="Cost per call"
        value={summary.costPerCallUsd}
        unit="usd"
        hint={`over ${formatCount(summary.calls - summary.unknownCostCalls)} priced calls`}
        testId="tile-cost-per-call"
      />
      <StatTile
        label="Calls without a cost"
        value={summary.unknownCostCalls}
        unit="count"
        hint={hasUnknown ? "no price or no token counts: see Prices" : `all ${formatCount(summary.calls)} calls priced`}
        testId="tile-unpriced-calls"
      />
      <StatTile
        label="Tokens"
        value={totalTokens}
        unit="tokens"
        display={totalTokens === null ? undefined : formatTokens(totalTokens, { compact: true })}
        hint={cacheRead === null ? "cache use not reported" : `${formatTokens(cacheRead, { compact: true })} read from the cache`}
        testId="tile-tokens"
      />
    </>
  );
}
