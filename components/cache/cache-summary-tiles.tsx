import { StatTile } from "@/components/ui/stat-tile";
import type { CacheBusterReport } from "@/lib/cache/find-cache-busters";
import type { CacheSummary } from "@/lib/dashboard/load-cache-panels";
import { formatCount, relativeChange } from "@/lib/format/numbers";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

/**
 * The Cache screen's key figures: how much of the input the cache served (by tokens and by calls),
 * what that saved, and (from the detector) what cache busters cost. A hit rate nobody reported is
 * "—" with the reason, never 0 %.
 */
export function CacheSummaryTiles({ summary, changeLabel }: { summary: CacheSummary; changeLabel: string }) {
  const notReported = "no call reports cache use";
  return (
    <>
      <StatTile
        label="Token hit rate"
        value={summary.cacheHitRate}
        unit="percent"
        trend={summary.trend.cacheHitRate}
        hint={summary.cacheHitRate === null ? notReported : "of input tokens read from the cache"}
        testId="tile-token-hit-rate"
      />
      <StatTile
        label="Calls with a cache hit"
        value={summary.cachedCallRate}
        unit="percent"
        trend={summary.trend.cachedCallRate}
        hint={summary.cachedCallRate === null ? notReported : "of calls reporting cache use"}
        testId="tile-cached-call-rate"
      />
      <StatTile
        label="Saved by caching"
        value={summary.cacheSavingsUsd}
        unit="usd"
        trend={summary.trend.cacheSavingsUsd}
        change={relativeChange(summary.cacheSavingsUsd, summary.previous.cacheSavingsUsd) ?? undefined}
        goodDirection="up"
        changeLabel={changeLabel}
        hint={summary.cacheSavingsUsd === null ? notReported : "vs. paying full input price"}
        testId="tile-cache-savings"
      />
    </>
  );
}

/** What the detected cache busters would have saved; an estimate without captured content is an upper bound. */
export function MissedSavingsTile({ report }: { report: CacheBusterReport }) {
  const priced = report.busters.filter((buster) => buster.missedSavingsUsd !== null);
  const total = priced.reduce((sum, buster) => sum + Math.round(buster.missedSavingsUsd! * 1e9), 0) / 1e9;
  const isUpperBound = priced.some((buster) => buster.missedSavingsBasis === "upper-bound");
  const count = report.busters.length;
  let hint: string;
  if (report.promptsExamined === 0) hint = "no call carries a prompt-prefix hash";
  else if (count === 0) hint = `no cache busters among ${formatCount(report.promptsExamined)} prompts`;
  else hint = `${count} cache-busting prompt${count === 1 ? "" : "s"}${isUpperBound ? " · upper bound" : ""}`;
  const value = report.promptsExamined === 0 || (count > 0 && priced.length === 0) ? null : total;
  return (
    <StatTile
      label="Missed: cache busters"
      value={value}
      unit="usd"
      display={value !== null && isUpperBound ? formatUsdBound(value, "at-most") : undefined}
      hint={hint}
      testId="tile-missed-savings"
    />
  );
}
