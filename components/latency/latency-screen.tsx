import { DimensionChartPanel, DimensionTablePanel } from "@/components/latency/by-dimension-panels";
import { InputSizePanel } from "@/components/latency/input-size-panel";
import { LatencyEmpty, PercentilePanel, WithinBudgetPanel } from "@/components/latency/over-time-panels";
import { SlowestCallsPanel } from "@/components/latency/slowest-calls-panel";
import { StreamingPanel } from "@/components/latency/streaming-panel";
import { SegmentedLinks } from "@/components/ui/segmented-links";
import { LATENCY_DIMENSIONS, LATENCY_PERCENTILES, latencyPageParams, type LatencyParams } from "@/lib/dashboard/latency-params";
import { loadLatencyByDimension, loadLatencyOverTime, loadRecentCallSample, loadStreamingSplit } from "@/lib/dashboard/load-latency";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { activeFilters, viewHref } from "@/lib/dashboard/view-params";
import { viewTtftBudget } from "@/lib/dashboard/view-ttft-budget";

/**
 * The Latency screen: the whole view's percentiles over time with the budget and the share within
 * it, streamed vs not, the split by model / service / prompt version (`?by=`, at `?p=`), TTFT
 * against input size and the slowest calls. Each panel streams in when its query answers; queries
 * shared by several panels run once.
 *
 * The panels are keyed by the view: a new range, filter or split mounts them afresh, so they show
 * their loading state at once and the navigation commits without waiting for every query (in a
 * transition React would otherwise hold the old screen until the slowest panel is ready). The same
 * URL (auto-refresh) keeps the panels and refreshes them in place.
 */
export function LatencyScreen({ context, params }: { context: DashboardContext; params: LatencyParams }) {
  const { view, settings } = context;
  const { budgetMs } = viewTtftBudget(context);
  const timeZone = settings.timeZone;
  const hasFilters = activeFilters(view.filters).length > 0;
  const empty = <LatencyEmpty hasFilters={hasFilters} isCompact />;
  const ttftEmpty = <LatencyEmpty hasFilters={hasFilters} isCompact isTtft />;
  const overTime = loadLatencyOverTime(context);
  const byDimension = loadLatencyByDimension(context, params.by);
  const sample = loadRecentCallSample(context);
  const pageParams = latencyPageParams(params);
  const href = (next: Partial<LatencyParams>) => viewHref("/latency", view, latencyPageParams({ ...params, ...next }));

  return (
    <div key={viewHref("/latency", view, pageParams)} className="space-y-6">
      <div className="grid gap-4 xl:grid-cols-2">
        <PercentilePanel result={overTime} metric="ttftMs" budgetMs={budgetMs} timeZone={timeZone} empty={<LatencyEmpty hasFilters={hasFilters} isTtft />} />
        <PercentilePanel result={overTime} metric="durationMs" timeZone={timeZone} empty={empty} />
        <WithinBudgetPanel result={overTime} budgetMs={budgetMs} timeZone={timeZone} empty={ttftEmpty} />
        <StreamingPanel
          split={loadStreamingSplit(context, params.percentile)}
          percentile={params.percentile}
          timeZone={timeZone}
          budgetMs={budgetMs}
          empty={empty}
        />
      </div>

      <section aria-labelledby="split-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h2 id="split-heading" className="text-base font-medium">
            Split by {LATENCY_DIMENSIONS.find((dimension) => dimension.key === params.by)!.label.toLowerCase()}
          </h2>
          <div className="flex flex-wrap gap-4">
            <SegmentedLinks
              label="Split by"
              testId="dimension-picker"
              options={LATENCY_DIMENSIONS.map((dimension) => ({ label: dimension.label, href: href({ by: dimension.key }), isActive: dimension.key === params.by }))}
            />
            <SegmentedLinks
              label="Percentile"
              testId="percentile-picker"
              options={LATENCY_PERCENTILES.map((percentile) => ({ label: percentile, href: href({ percentile }), isActive: percentile === params.percentile }))}
            />
          </div>
        </div>
        <div className="grid gap-4 xl:grid-cols-2">
          <DimensionChartPanel result={byDimension} metric="ttftMs" by={params.by} percentile={params.percentile} timeZone={timeZone} budgetMs={budgetMs} empty={ttftEmpty} />
          <DimensionChartPanel result={byDimension} metric="durationMs" by={params.by} percentile={params.percentile} timeZone={timeZone} budgetMs={budgetMs} empty={empty} />
        </div>
        <DimensionTablePanel result={byDimension} by={params.by} empty={empty} view={view} pageParams={pageParams} />
      </section>

      <div className="space-y-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <InputSizePanel sample={sample} budgetMs={budgetMs} empty={ttftEmpty} />
        <SlowestCallsPanel sample={sample} view={view} timeZone={timeZone} empty={empty} />
      </div>
    </div>
  );
}
