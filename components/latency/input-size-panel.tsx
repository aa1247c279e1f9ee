import { TtftScatter } from "@/components/latency/ttft-scatter";
import { ChartLoading } from "@/components/latency/over-time-panels";
import { AsyncPanel } from "@/components/ui/async-panel";
import { DataTable } from "@/components/ui/data-table";
import type { RecentCallSample } from "@/lib/dashboard/load-latency";
import { ttftByInputSize, ttftScatter } from "@/lib/dashboard/recent-call-latency";
import { formatCount, formatMs } from "@/lib/format/numbers";

/**
 * TTFT against input size, from the newest calls of the range: long prompts take longer to
 * prefill (and, on a self-hosted server without chunked prefill, stall short requests behind them).
 */
export function InputSizePanel({ sample, budgetMs, empty }: { sample: Promise<RecentCallSample>; budgetMs: number; empty: React.ReactNode }) {
  return (
    <AsyncPanel
      title="TTFT against input tokens"
      description="One dot per call with a TTFT and an input size; long prompts take longer to prefill"
      testId="input-size-panel"
      load={async () => {
        const loaded = await sample;
        return { ...ttftScatter(loaded.calls), bands: ttftByInputSize(loaded.calls), sampled: loaded.calls.length, isCapped: loaded.isCapped };
      }}
      isEmpty={(data) => data.plotted === 0}
      empty={empty}
      loading={<ChartLoading />}
    >
      {(data) => (
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="min-w-0 space-y-2 lg:col-span-2">
            <TtftScatter series={data.series} budgetMs={budgetMs} />
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {formatCount(data.plotted)} of the {data.isCapped ? "newest " : ""}
              {formatCount(data.sampled)} calls {data.isCapped ? "of the range" : "in the range"} have both a TTFT and an input size.
            </p>
          </div>
          <div className="min-w-0">
            <DataTable
              testId="input-size-bands"
              rowTestId="input-size-row"
              rows={data.bands}
              rowKey={(row) => row.label}
              columns={[
                { key: "band", header: "Input tokens", cell: (row) => <span data-cell="band">{row.label}</span> },
                { key: "calls", header: "Calls", align: "right", cell: (row) => <span data-cell="calls">{formatCount(row.calls)}</span> },
                { key: "p50", header: "TTFT p50", align: "right", cell: (row) => <span data-cell="ttft-p50">{formatMs(row.ttftP50)}</span> },
                { key: "p95", header: "TTFT p95", align: "right", cell: (row) => <span data-cell="ttft-p95">{formatMs(row.ttftP95)}</span> },
              ]}
            />
          </div>
        </div>
      )}
    </AsyncPanel>
  );
}
