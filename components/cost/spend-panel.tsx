import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { DataTable } from "@/components/ui/data-table";
import { isBlank } from "@/lib/dashboard/chart-data";
import type { SpendBreakdown, SpendGroup } from "@/lib/dashboard/spend-groups";
import { formatCount, formatPercent, formatUsd } from "@/lib/format/numbers";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

/** Spend over time stacked by the chosen dimension, then each group's totals. */
export function SpendOverTime({ breakdown, timeZone, groupNoun }: { breakdown: SpendBreakdown; timeZone: string; groupNoun: string }) {
  return (
    <div className="space-y-4">
      {isBlank(breakdown.spendOverTime) ? (
        <NoKnownSpend />
      ) : (
        <TimeSeriesChart
          data={breakdown.spendOverTime.rows}
          series={breakdown.spendOverTime.series}
          unit="usd"
          kind="stacked-area"
          timeZone={timeZone}
          height={260}
          label={`Spend over time by ${groupNoun}`}
        />
      )}
      <SpendTable groups={breakdown.groups} groupNoun={groupNoun} />
    </div>
  );
}

/** Known spend ÷ priced calls over time, a line per group. */
export function CostPerCallOverTime({ breakdown, timeZone, groupNoun }: { breakdown: SpendBreakdown; timeZone: string; groupNoun: string }) {
  if (isBlank(breakdown.costPerCallOverTime)) return <NoKnownSpend />;
  return (
    <TimeSeriesChart
      data={breakdown.costPerCallOverTime.rows}
      series={breakdown.costPerCallOverTime.series}
      unit="usd"
      timeZone={timeZone}
      label={`Cost per call over time by ${groupNoun}`}
    />
  );
}

function NoKnownSpend() {
  return (
    <p className="rounded-md border border-dashed border-zinc-300 px-4 py-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
      No call in this range has a price, so its spend is unknown (not $0). See “Calls without a price” under Prices.
    </p>
  );
}

function SpendTable({ groups, groupNoun }: { groups: SpendGroup[]; groupNoun: string }) {
  return (
    <DataTable
      caption={`Spend by ${groupNoun}`}
      rows={groups}
      rowKey={(group) => group.label}
      rowTestId="spend-row"
      columns={[
        {
          key: "group",
          header: groupNoun[0]!.toUpperCase() + groupNoun.slice(1),
          cell: (group) => (
            <span data-cell="group" className={group.isOther ? "text-zinc-500 dark:text-zinc-400" : "font-medium"}>
              {group.label}
            </span>
          ),
        },
        {
          key: "spend",
          header: "Spend",
          align: "right",
          cell: (group) => (
            <span data-cell="spend">
              {group.costUsd === null ? "unknown" : formatUsdBound(group.costUsd, group.unknownCostCalls > 0 ? "at-least" : null)}
            </span>
          ),
        },
        { key: "share", header: "Share", align: "right", isSecondary: true, cell: (group) => <span data-cell="share">{formatPercent(group.share)}</span> },
        { key: "calls", header: "Calls", align: "right", cell: (group) => <span data-cell="calls">{formatCount(group.calls)}</span> },
        { key: "perCall", header: "Per call", align: "right", cell: (group) => <span data-cell="per-call">{formatUsd(group.costPerCallUsd)}</span> },
        {
          key: "unpriced",
          header: "Without a price",
          align: "right",
          isSecondary: true,
          cell: (group) => <span data-cell="unpriced">{group.unknownCostCalls === 0 ? "—" : `${formatCount(group.unknownCostCalls)} calls`}</span>,
        },
      ]}
    />
  );
}
