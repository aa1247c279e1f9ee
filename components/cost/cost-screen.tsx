import { StatTilesLoading } from "@/components/ui/stat-tiles-loading";
import { CostSummaryTiles } from "@/components/cost/cost-summary-tiles";
import { PricesByUse, UnpricedModels } from "@/components/cost/price-table";
import { CostPerCallOverTime, SpendOverTime } from "@/components/cost/spend-panel";
import { TokensByKind } from "@/components/cost/tokens-panel";
import { SpenderList } from "@/components/cost/top-spenders";
import { AsyncBlock, AsyncPanel } from "@/components/ui/async-panel";
import { PanelEmpty, PanelLoading } from "@/components/ui/panel-states";
import { SegmentedLinks } from "@/components/ui/segmented-links";
import type { GroupBy } from "@/lib/analytics/query";
import { BREAKDOWN_PARAM, costBreakdowns, type BreakdownOption } from "@/lib/dashboard/breakdown-params";
import type { GroupKind } from "@/lib/dashboard/chart-data";
import { loadCostSummary, loadPriceTable, loadSpendBreakdown, loadTopSpenders, SPEND_GROUPS } from "@/lib/dashboard/load-cost-panels";
import { bucketLabel } from "@/lib/dashboard/bucket-label";
import { previousRangeLabel } from "@/lib/dashboard/previous-range-label";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { activeFilters, viewHref } from "@/lib/dashboard/view-params";

/**
 * The Cost screen: where the money goes (by model, service or allocation tag), what kind of tokens
 * it buys, cost per call, the biggest spenders, and the prices it is computed from.
 */
export function CostScreen({ context, breakdown }: { context: DashboardContext; breakdown: BreakdownOption }) {
  const timeZone = context.settings.timeZone;
  const groupNoun = breakdown.label.toLowerCase();
  const isFiltered = activeFilters(context.view.filters).length > 0;
  const noData = <PanelEmpty title={isFiltered ? "No calls match these filters in this range" : "No calls in this range"} hint={isFiltered ? null : undefined} />;
  const tagKeys = context.settings.allocationTagKeys;
  const spenderLists: { title: string; noun: string; groupBy: GroupBy; kind: GroupKind; testId: string }[] = [
    ...["customer", "feature"]
      .filter((key) => tagKeys.includes(key))
      .map((key) => ({ title: `${key[0]!.toUpperCase()}${key.slice(1)}s`, noun: `${key}s`, groupBy: `attribute:${key}` as const, kind: "tag" as const, testId: `spenders-${key}` })),
    { title: "Users", noun: "users", groupBy: "attribute:userId", kind: "user", testId: "spenders-user" },
  ];
  const breakdownLinks = (
    <SegmentedLinks
      label="By"
      testId="cost-breakdown"
      options={costBreakdowns(tagKeys).map((option) => ({
        label: option.label,
        href: viewHref("/cost", context.view, { [BREAKDOWN_PARAM]: option.value }),
        isActive: option.value === breakdown.value,
      }))}
    />
  );

  return (
    <main className="space-y-4 p-4 md:p-6">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="cost-tiles">
        <AsyncBlock load={() => loadCostSummary(context)} isEmpty={(summary) => summary.calls === 0} empty={<div className="col-span-full">{noData}</div>} loading={<StatTilesLoading count={4} />}>
          {(summary) => <CostSummaryTiles summary={summary} changeLabel={previousRangeLabel(context.view.range, context.range)} />}
        </AsyncBlock>
      </div>

      <AsyncPanel
        title={`Spend over time by ${groupNoun}`}
        description={`Spend ${bucketLabel(context.range)}, stacked: the ${SPEND_GROUPS} biggest spenders, the rest as Other`}
        actions={breakdownLinks}
        testId="spend-panel"
        loading={<PanelLoading variant="chart" />}
        load={() => loadSpendBreakdown(context, breakdown)}
        isEmpty={(data) => data.totalCalls === 0}
        empty={noData}
      >
        {(data) => <SpendOverTime breakdown={data} timeZone={timeZone} groupNoun={groupNoun} />}
      </AsyncPanel>

      <div className="grid gap-4 lg:grid-cols-2">
        <AsyncPanel
          title="Tokens by kind"
          description={`Tokens ${bucketLabel(context.range)}, by how they are billed: fresh input, cache reads (cheap), cache writes (a premium), output`}
          testId="tokens-panel"
          loading={<PanelLoading variant="chart" />}
          load={() => loadCostSummary(context)}
          isEmpty={(summary) => summary.calls === 0}
          empty={noData}
        >
          {(summary) => <TokensByKind tokens={summary.tokens} timeZone={timeZone} />}
        </AsyncPanel>
        <AsyncPanel
          title={`Cost per call by ${groupNoun}`}
          description="Known spend ÷ calls with a price"
          testId="cost-per-call-panel"
          loading={<PanelLoading variant="chart" />}
          load={() => loadSpendBreakdown(context, breakdown)}
          isEmpty={(data) => data.totalCalls === 0}
          empty={noData}
        >
          {(data) => <CostPerCallOverTime breakdown={data} timeZone={timeZone} groupNoun={groupNoun} />}
        </AsyncPanel>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        {spenderLists.map((list) => (
          <AsyncPanel
            key={list.testId}
            title={`Top spenders: ${list.title.toLowerCase()}`}
            description={list.kind === "user" ? "By user id (read from raw calls, not rollups)" : `By the ${list.noun.slice(0, -1)} tag`}
            testId={`${list.testId}-panel`}
            load={() => loadTopSpenders(context, list.groupBy, list.kind)}
            isEmpty={(data) => data.spenders.length === 0}
            empty={noData}
          >
            {(data) => <SpenderList data={data} noun={list.noun} testId={list.testId} />}
          </AsyncPanel>
        ))}
      </div>

      <AsyncPanel
        title="Prices"
        description="USD per 1M tokens, the rows that cost this project's calls; read-only here"
        testId="prices-panel"
        load={() => loadPriceTable(context)}
        isEmpty={(data) => data.inUse.length + data.others.length === 0 && data.unpriced.length === 0}
        empty={<PanelEmpty title="No prices" hint="Sous seeds the major providers' prices at start; none are in the database." />}
      >
        {(data) => (
          <div className="space-y-3">
            {data.unpriced.length > 0 ? <UnpricedModels models={data.unpriced} /> : null}
            <PricesByUse inUse={data.inUse} others={data.others} />
          </div>
        )}
      </AsyncPanel>
    </main>
  );
}
