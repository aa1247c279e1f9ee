import Link from "next/link";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { ChartLoading } from "@/components/latency/over-time-panels";
import { AsyncPanel } from "@/components/ui/async-panel";
import { DataTable } from "@/components/ui/data-table";
import type { AnalyticsResult } from "@/lib/analytics/run-query";
import { groupLabel, isBlank, isRestGroup, metricNumber, pivotGroupsOverTime, type GroupValues } from "@/lib/dashboard/chart-data";
import { dimensionLabel, type LatencyDimension, type LatencyPercentile } from "@/lib/dashboard/latency-params";
import { updateView, viewHref, type ViewParams, type ViewPatch } from "@/lib/dashboard/view-params";
import { formatCount, formatMs, formatPercent } from "@/lib/format/numbers";

/**
 * Latency split by model, service or prompt version: a chart per metric at the chosen percentile
 * (a line per group, the largest groups and the rest as "Other"), and a table of every percentile.
 */
interface DimensionProps {
  result: Promise<AnalyticsResult>;
  by: LatencyDimension;
  percentile: LatencyPercentile;
  timeZone: string;
  budgetMs: number;
  empty: React.ReactNode;
}

export function DimensionChartPanel({ result, by, percentile, timeZone, budgetMs, empty, metric }: DimensionProps & { metric: "ttftMs" | "durationMs" }) {
  const isTtft = metric === "ttftMs";
  const dimension = dimensionLabel(by).toLowerCase();
  return (
    <AsyncPanel
      title={`${isTtft ? "TTFT" : "Duration"} ${percentile} by ${dimension}`}
      description={`The ${percentile} of each ${dimension} per time bucket; the largest groups, the rest as "Other"`}
      testId={isTtft ? "ttft-by-dimension" : "duration-by-dimension"}
      load={async () => pivotGroupsOverTime(await result, metric, (group) => groupLabel(group, by), { pick: percentile })}
      isEmpty={isBlank}
      empty={empty}
      loading={<ChartLoading />}
    >
      {(table) => (
        <TimeSeriesChart
          data={table.rows}
          series={table.series}
          unit="ms"
          timeZone={timeZone}
          label={`${isTtft ? "TTFT" : "Duration"} ${percentile} by ${dimension} over time`}
          referenceLine={isTtft ? { value: budgetMs, label: `budget ${formatMs(budgetMs)}` } : undefined}
        />
      )}
    </AsyncPanel>
  );
}

function filterPatch(group: GroupValues, by: LatencyDimension): ViewPatch | null {
  if (isRestGroup(group) || group.group === null) return null;
  if (by === "promptVersion") {
    return group.promptName ? { filters: { promptName: group.promptName, promptVersion: group.promptVersion ?? null } } : null;
  }
  return { filters: { [by]: group.group } };
}

const ms = (group: GroupValues, metric: "ttftMs" | "durationMs", pick: "p50" | "p95" | "p99") => formatMs(metricNumber(group.values, metric, pick));

export function DimensionTablePanel({ result, by, empty, view, pageParams }: Omit<DimensionProps, "percentile" | "timeZone" | "budgetMs"> & {
  view: ViewParams;
  pageParams: Record<string, string | null>;
}) {
  const dimension = dimensionLabel(by);
  return (
    <AsyncPanel
      title={`Percentiles by ${dimension.toLowerCase()}`}
      description="Over the whole range. A name filters the screen to it."
      testId="latency-by-dimension-table"
      load={() => result}
      isEmpty={(loaded) => loaded.groups.length === 0}
      empty={empty}
    >
      {(loaded) => (
        <DataTable
          testId="latency-groups"
          rowTestId="latency-group-row"
          rows={loaded.groups}
          rowKey={(group) => `${group.group}|${group.promptName}|${group.promptVersion}`}
          columns={[
            {
              key: "group",
              header: dimension,
              className: "max-w-[14rem] truncate",
              cell: (group) => {
                const patch = filterPatch(group, by);
                const label = groupLabel(group, by);
                return patch ? (
                  <Link href={viewHref("/latency", updateView(view, patch), pageParams)} className="text-sky-800 hover:underline dark:text-sky-300" data-cell="group">
                    {label}
                  </Link>
                ) : (
                  <span data-cell="group">{label}</span>
                );
              },
            },
            { key: "calls", header: "Calls", align: "right", cell: (group) => <span data-cell="calls">{formatCount(metricNumber(group.values, "calls"))}</span> },
            { key: "ttft50", header: "TTFT p50", align: "right", cell: (group) => <span data-cell="ttft-p50">{ms(group, "ttftMs", "p50")}</span> },
            { key: "ttft95", header: "TTFT p95", align: "right", cell: (group) => <span data-cell="ttft-p95">{ms(group, "ttftMs", "p95")}</span> },
            { key: "ttft99", header: "TTFT p99", align: "right", isSecondary: true, cell: (group) => <span data-cell="ttft-p99">{ms(group, "ttftMs", "p99")}</span> },
            { key: "dur50", header: "Duration p50", align: "right", cell: (group) => <span data-cell="duration-p50">{ms(group, "durationMs", "p50")}</span> },
            { key: "dur95", header: "Duration p95", align: "right", isSecondary: true, cell: (group) => <span data-cell="duration-p95">{ms(group, "durationMs", "p95")}</span> },
            { key: "dur99", header: "Duration p99", align: "right", isSecondary: true, cell: (group) => <span data-cell="duration-p99">{ms(group, "durationMs", "p99")}</span> },
            {
              key: "within",
              header: "Within budget",
              align: "right",
              cell: (group) => <span data-cell="within-budget">{formatPercent(metricNumber(group.values, "withinBudgetRate"))}</span>,
            },
          ]}
        />
      )}
    </AsyncPanel>
  );
}
