import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { ChartLoading } from "@/components/latency/over-time-panels";
import { AsyncPanel } from "@/components/ui/async-panel";
import { isBlank } from "@/lib/dashboard/chart-data";
import type { LatencyPercentile } from "@/lib/dashboard/latency-params";
import type { StreamingSide, StreamingSplit } from "@/lib/dashboard/streaming-split";
import { formatCount, formatMs } from "@/lib/format/numbers";

/**
 * Streamed against non-streamed calls by what users wait for before they see anything: the first
 * token when streamed, the whole answer when not. Side by side, then the wait over time.
 */
export function StreamingPanel({
  split,
  percentile,
  timeZone,
  budgetMs,
  empty,
}: {
  split: Promise<StreamingSplit>;
  percentile: LatencyPercentile;
  timeZone: string;
  budgetMs: number;
  empty: React.ReactNode;
}) {
  return (
    <AsyncPanel
      title="Streamed vs not streamed"
      description="What users wait for before they see anything: the first token of a streamed answer, the whole answer otherwise"
      testId="streaming-panel"
      load={() => split}
      isEmpty={(data) => data.streamed.calls + data.notStreamed.calls + data.unknownCalls === 0}
      empty={empty}
      loading={<ChartLoading />}
    >
      {(data) => (
        <div className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-2">
            <SideCard
              testId="streamed-side"
              title="Streamed"
              side={data.streamed}
              waitLabel="first token after"
              extra={`whole answer p95 ${formatMs(data.streamed.durationMs.p95)}`}
            />
            <SideCard testId="not-streamed-side" title="Not streamed" side={data.notStreamed} waitLabel="whole answer after" />
          </div>
          {data.unknownCalls > 0 ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="streaming-unknown">
              {formatCount(data.unknownCalls)} {data.unknownCalls === 1 ? "call does" : "calls do"} not say whether {data.unknownCalls === 1 ? "it was" : "they were"}{" "}
              streamed (left out above).
            </p>
          ) : null}
          {isBlank(data.waitOverTime) ? null : (
            <TimeSeriesChart
              data={data.waitOverTime.rows}
              series={data.waitOverTime.series}
              unit="ms"
              timeZone={timeZone}
              height={200}
              label={`Wait before the first output, ${percentile}, streamed vs not streamed`}
              referenceLine={{ value: budgetMs, label: `budget ${formatMs(budgetMs)}` }}
            />
          )}
        </div>
      )}
    </AsyncPanel>
  );
}

function SideCard({ title, side, waitLabel, extra, testId }: { title: string; side: StreamingSide; waitLabel: string; extra?: string; testId: string }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" data-testid={testId}>
      <p className="flex items-baseline justify-between gap-2 text-sm font-medium">
        {title}
        <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">
          <span data-cell="calls">{formatCount(side.calls)}</span> calls
        </span>
      </p>
      {side.calls === 0 ? (
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">No calls</p>
      ) : (
        <>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Users see the {waitLabel}</p>
          <p className="tabular-nums">
            <span className="text-lg font-semibold" data-cell="wait-p50">
              {formatMs(side.waitMs.p50)}
            </span>{" "}
            <span className="text-xs text-zinc-500">p50</span>
            <span className="mx-2 text-zinc-300 dark:text-zinc-700">·</span>
            <span className="text-lg font-semibold" data-cell="wait-p95">
              {formatMs(side.waitMs.p95)}
            </span>{" "}
            <span className="text-xs text-zinc-500">p95</span>
          </p>
          {extra ? <p className="text-xs text-zinc-500 dark:text-zinc-400">{extra}</p> : null}
        </>
      )}
    </div>
  );
}
