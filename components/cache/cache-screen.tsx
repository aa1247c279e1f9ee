import { CacheBusterEmpty, CacheBusterFindings } from "@/components/cache/cache-buster-panel";
import { CacheSummaryTiles, MissedSavingsTile } from "@/components/cache/cache-summary-tiles";
import { StatTilesLoading } from "@/components/ui/stat-tiles-loading";
import { HitRateCharts } from "@/components/cache/hit-rate-panel";
import { PromptTtft } from "@/components/cache/prompt-ttft-panel";
import { AsyncBlock, AsyncPanel } from "@/components/ui/async-panel";
import { PanelEmpty, PanelLoading } from "@/components/ui/panel-states";
import { SegmentedLinks } from "@/components/ui/segmented-links";
import { BREAKDOWN_PARAM, CACHE_BREAKDOWNS, type BreakdownOption } from "@/lib/dashboard/breakdown-params";
import { loadCacheBusters, loadCacheHitRates, loadCacheSummary, loadTtftByPrompt } from "@/lib/dashboard/load-cache-panels";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { bucketLabel } from "@/lib/dashboard/bucket-label";
import { previousRangeLabel } from "@/lib/dashboard/previous-range-label";
import { activeFilters, viewHref } from "@/lib/dashboard/view-params";

/**
 * The Cache screen: is prompt caching working, what is it worth, and which prompts defeat it.
 * Each panel loads and streams on its own (components/ui/async-panel).
 */
export function CacheScreen({ context, breakdown }: { context: DashboardContext; breakdown: BreakdownOption }) {
  const timeZone = context.settings.timeZone;
  const groupNoun = breakdown.label.toLowerCase();
  const isFiltered = activeFilters(context.view.filters).length > 0;
  const noData = <PanelEmpty title={isFiltered ? "No calls match these filters in this range" : "No calls in this range"} hint={isFiltered ? null : undefined} />;
  const changeLabel = previousRangeLabel(context.view.range, context.range);
  return (
    <main className="space-y-4 p-4 md:p-6">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="cache-tiles">
        <AsyncBlock load={() => loadCacheSummary(context)} isEmpty={(summary) => summary.calls === 0} empty={<div className="col-span-2 lg:col-span-3">{noData}</div>} loading={<StatTilesLoading count={3} />}>
          {(summary) => <CacheSummaryTiles summary={summary} changeLabel={changeLabel} />}
        </AsyncBlock>
        <AsyncBlock load={() => loadCacheBusters(context)} loading={<StatTilesLoading count={1} />}>
          {(report) => <MissedSavingsTile report={report} />}
        </AsyncBlock>
      </div>

      <AsyncPanel
        title={`Hit rate over time by ${groupNoun}`}
        description={`Token-weighted: the share of input the cache served. Call-weighted: the share of calls that found their prefix cached. One point ${bucketLabel(context.range)}.`}
        actions={
          <SegmentedLinks
            label="By"
            testId="cache-breakdown"
            options={CACHE_BREAKDOWNS.map((option) => ({
              label: option.label,
              href: viewHref("/cache", context.view, { [BREAKDOWN_PARAM]: option.value }),
              isActive: option.value === breakdown.value,
            }))}
          />
        }
        testId="hit-rate-panel"
        loading={<PanelLoading variant="chart" />}
        load={() => loadCacheHitRates(context, breakdown)}
        isEmpty={(data) => data.rows.length === 0}
        empty={noData}
      >
        {(data) => <HitRateCharts data={data} timeZone={timeZone} groupNoun={groupNoun} />}
      </AsyncPanel>

      <AsyncPanel
        title="Cache-buster detector"
        description="Prompts whose system-prompt prefix changes from call to call"
        testId="cache-buster-panel"
        load={() => loadCacheBusters(context)}
        isEmpty={(report) => report.promptsExamined === 0}
        empty={<CacheBusterEmpty />}
      >
        {(report) => <CacheBusterFindings report={report} />}
      </AsyncPanel>

      <AsyncPanel
        title="TTFT with vs without a cache hit"
        description="Per prompt version, so both sides do the same work: the gap is what the cache does to prefill"
        testId="prompt-ttft-panel"
        loading={<PanelLoading variant="chart" />}
        load={() => loadTtftByPrompt(context)}
        isEmpty={(data) => data.rows.length === 0}
        empty={
          <PanelEmpty
            title="No prompt version with both a time to first token and cache use in this range"
            hint={isFiltered ? null : <p className="text-xs text-zinc-600 dark:text-zinc-400">Streamed calls report TTFT; cache use comes from the cache token counts (e.g. <code className="font-mono">gen_ai.usage.cache_read.input_tokens</code>).</p>}
          />
        }
      >
        {(data) => <PromptTtft data={data} />}
      </AsyncPanel>
    </main>
  );
}
