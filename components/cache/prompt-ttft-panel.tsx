import { BarChart } from "@/components/charts/bar-chart";
import { DataTable } from "@/components/ui/data-table";
import type { PromptTtft as PromptTtftData, PromptTtftRow } from "@/lib/dashboard/load-cache-panels";
import { compareTtft, MIN_SIDE_CALLS } from "@/lib/dashboard/ttft-comparison";
import { formatCount, formatMs, formatPercent } from "@/lib/format/numbers";

/**
 * TTFT with a cache hit against without, per prompt version: the same prompt doing the same work,
 * so the difference is what the cache does to prefill. A side with no calls is "—", not 0 ms.
 */
const CHART_PROMPTS = 10;

export function PromptTtft({ data }: { data: PromptTtftData }) {
  const rows = data.rows;
  const charted = [...rows].sort((a, b) => b.calls - a.calls).slice(0, CHART_PROMPTS);
  return (
    <div className="space-y-4">
      <BarChart
        data={charted.map((row) => ({ prompt: row.label, hit: row.hit.p50, noHit: row.noHit.p50 }))}
        categoryKey="prompt"
        series={[
          { key: "hit", label: "p50 with a cache hit", color: "var(--chart-3)" },
          { key: "noHit", label: "p50 without", color: "var(--chart-2)" },
        ]}
        unit="ms"
        layout="horizontal"
        height={Math.max(140, 48 + charted.length * 44)}
        label="TTFT p50 with and without a cache hit, per prompt version"
      />
      <DataTable
        caption="TTFT with and without a cache hit, per prompt version"
        rows={rows}
        rowKey={(row) => row.label}
        rowTestId="prompt-ttft-row"
        columns={[
          { key: "prompt", header: "Prompt version", cell: (row) => <span data-cell="prompt" className="font-medium">{row.label}</span> },
          { key: "calls", header: "Calls", align: "right", isSecondary: true, cell: (row) => formatCount(row.calls) },
          { key: "cached", header: "With a hit", align: "right", isSecondary: true, cell: (row) => formatPercent(row.cachedCallRate) },
          { key: "hitP50", header: "p50 hit", align: "right", cell: (row) => <span data-cell="hit-p50">{formatMs(row.hit.p50)}</span> },
          { key: "noHitP50", header: "p50 no hit", align: "right", cell: (row) => <span data-cell="no-hit-p50">{formatMs(row.noHit.p50)}</span> },
          { key: "hitP95", header: "p95 hit", align: "right", cell: (row) => <span data-cell="hit-p95">{formatMs(row.hit.p95)}</span> },
          { key: "noHitP95", header: "p95 no hit", align: "right", cell: (row) => <span data-cell="no-hit-p95">{formatMs(row.noHit.p95)}</span> },
          { key: "faster", header: "Faster with a hit", align: "right", isSecondary: true, cell: (row) => <Faster row={row} /> },
        ]}
      />
      {data.notReporting > 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {data.notReporting} prompt version{data.notReporting === 1 ? " is" : "s are"} left out: {data.notReporting === 1 ? "its" : "their"} calls do
          not report cache use, so hits and misses cannot be told apart.
        </p>
      ) : null}
    </div>
  );
}

/** How much lower the median TTFT is with a hit: "42.0% faster", or why it cannot say. */
function Faster({ row }: { row: PromptTtftRow }) {
  const comparison = compareTtft({ calls: row.calls, cachedCallRate: row.cachedCallRate, hitP50: row.hit.p50, noHitP50: row.noHit.p50 });
  if (comparison.kind === "unknown") return <span>—</span>;
  if (comparison.kind === "too-few") {
    return (
      <span className="text-zinc-500 dark:text-zinc-400" data-cell="faster" title={`Fewer than ${MIN_SIDE_CALLS} calls ${comparison.side === "hits" ? "with" : "without"} a hit`}>
        too few {comparison.side}
      </span>
    );
  }
  const { change } = comparison;
  return <span data-cell="faster">{change <= 0 ? `${formatPercent(-change)} faster` : `${formatPercent(change)} slower`}</span>;
}
