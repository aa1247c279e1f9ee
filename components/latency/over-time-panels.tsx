import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { AsyncPanel } from "@/components/ui/async-panel";
import { PanelEmpty, SendDataHint } from "@/components/ui/panel-states";
import type { AnalyticsResult } from "@/lib/analytics/run-query";
import { isBlank, pivotMetricsOverTime } from "@/lib/dashboard/chart-data";
import { totalOf } from "@/lib/dashboard/key-figures";
import { formatCount, formatMs, formatPercent } from "@/lib/format/numbers";

/**
 * The whole view's latency over time: TTFT and duration percentiles (p50, p95, p99), the TTFT
 * budget as a line, and the share of calls within the budget (the SLO view).
 */
const PERCENTILE_SERIES = (metric: "ttftMs" | "durationMs") =>
  (["p50", "p95", "p99"] as const).map((pick) => ({ metric, pick, label: pick }));

export function PercentilePanel({
  result,
  metric,
  budgetMs,
  timeZone,
  empty,
}: {
  result: Promise<AnalyticsResult>;
  metric: "ttftMs" | "durationMs";
  budgetMs?: number;
  timeZone: string;
  empty: React.ReactNode;
}) {
  const isTtft = metric === "ttftMs";
  return (
    <AsyncPanel
      title={isTtft ? "Time to first token" : "Total duration"}
      description={
        isTtft
          ? "How long users wait for the first token of a streamed answer: p50, p95 and p99 per time bucket"
          : "From request to the last token: p50, p95 and p99 per time bucket"
      }
      testId={isTtft ? "ttft-over-time" : "duration-over-time"}
      load={async () => pivotMetricsOverTime(await result, PERCENTILE_SERIES(metric))}
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
          label={isTtft ? "TTFT percentiles over time" : "Duration percentiles over time"}
          referenceLine={budgetMs === undefined ? undefined : { value: budgetMs, label: `budget ${formatMs(budgetMs)}` }}
        />
      )}
    </AsyncPanel>
  );
}

export function WithinBudgetPanel({
  result,
  budgetMs,
  timeZone,
  empty,
}: {
  result: Promise<AnalyticsResult>;
  budgetMs: number;
  timeZone: string;
  empty: React.ReactNode;
}) {
  return (
    <AsyncPanel
      title={`Calls within the ${formatMs(budgetMs)} TTFT budget`}
      description="The share of calls with a TTFT whose first token came within budget, per time bucket"
      testId="within-budget"
      load={async () => {
        const loaded = await result;
        return {
          table: pivotMetricsOverTime(loaded, [{ metric: "withinBudgetRate", label: "within budget" }]),
          share: totalOf(loaded, "withinBudgetRate"),
          ttftCalls: totalOf(loaded, "ttftCalls") ?? 0,
        };
      }}
      isEmpty={(data) => isBlank(data.table)}
      empty={empty}
      loading={<ChartLoading />}
    >
      {({ table, share, ttftCalls }) => (
        <div className="space-y-2">
          <p className="text-sm" data-testid="within-budget-total">
            <span className="text-2xl font-semibold tabular-nums" data-value>
              {formatPercent(share)}
            </span>{" "}
            <span className="text-zinc-500 dark:text-zinc-400">
              of {formatCount(ttftCalls)} calls with a TTFT over the whole range ({formatCount(Math.round((1 - (share ?? 1)) * ttftCalls))} over
              budget)
            </span>
          </p>
          <TimeSeriesChart data={table.rows} series={table.series} unit="percent" timeZone={timeZone} height={200} yDomain={[0, 1]} label="Share within budget over time" />
        </div>
      )}
    </AsyncPanel>
  );
}

export function ChartLoading() {
  return <div aria-busy="true" aria-label="Loading" className="h-60 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />;
}

/**
 * The empty state of a latency panel. The first panel of the screen gives the whole send-data hint;
 * the others a one-line version of it (eight copies of the same block would bury the screen).
 */
export function LatencyEmpty({ hasFilters, isCompact = false, isTtft = false }: { hasFilters: boolean; isCompact?: boolean; isTtft?: boolean }) {
  if (isTtft) {
    // Calls may match and still have no TTFT (not streamed, or not reported).
    return (
      <PanelEmpty
        title={`No calls with a TTFT in this range${hasFilters ? " and these filters" : ""}`}
        hint={
          <div className="space-y-2 text-xs text-zinc-600 dark:text-zinc-400">
            <p>TTFT is known for streamed calls whose instrumentation reports it.</p>
            {isCompact ? <CompactSendDataHint /> : <SendDataHint />}
          </div>
        }
      />
    );
  }
  if (hasFilters) return <PanelEmpty title="No calls match these filters in this range" hint={null} />;
  return isCompact ? <PanelEmpty hint={<CompactSendDataHint />} /> : <PanelEmpty />;
}

function CompactSendDataHint() {
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      Send OpenTelemetry traces to <code className="font-mono">/api/otlp</code> with your ingest key, or run{" "}
      <code className="font-mono">npm run simulate</code>.
    </p>
  );
}
