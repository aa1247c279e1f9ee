import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { DataTable } from "@/components/ui/data-table";
import { isBlank } from "@/lib/dashboard/chart-data";
import type { CacheGroupRow, CacheHitRates } from "@/lib/dashboard/load-cache-panels";
import { formatCount, formatPercent, formatTokens, formatUsd } from "@/lib/format/numbers";

/**
 * Hit rates over time by the chosen dimension: by tokens (what caching does to the input bill and
 * prefill time) and by calls (how often a call found its prefix cached), then the same per group
 * over the whole range.
 */
export function HitRateCharts({ data, timeZone, groupNoun }: { data: CacheHitRates; timeZone: string; groupNoun: string }) {
  const hasRates = !isBlank(data.tokenWeighted) || !isBlank(data.callWeighted);
  return (
    <div className="space-y-4">
      {hasRates ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <figure className="min-w-0">
            <figcaption className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-medium text-zinc-800 dark:text-zinc-200">By tokens</span>: cache reads ÷ input tokens
            </figcaption>
            <TimeSeriesChart data={data.tokenWeighted.rows} series={data.tokenWeighted.series} unit="percent" timeZone={timeZone} yDomain={[0, 1]} label={`Token hit rate by ${groupNoun}`} />
          </figure>
          <figure className="min-w-0">
            <figcaption className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-medium text-zinc-800 dark:text-zinc-200">By calls</span>: calls with a cache hit ÷ calls reporting cache use
            </figcaption>
            <TimeSeriesChart data={data.callWeighted.rows} series={data.callWeighted.series} unit="percent" timeZone={timeZone} yDomain={[0, 1]} label={`Cached-call rate by ${groupNoun}`} />
          </figure>
        </div>
      ) : (
        <p className="rounded-md border border-dashed border-zinc-300 px-4 py-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No call in this range reports cache use, so there is no hit rate to show (that is not 0 % hits). Sous reads cache tokens from
          the usual attributes, e.g. <code className="font-mono text-xs">gen_ai.usage.cache_read.input_tokens</code>.
        </p>
      )}
      <HitRateTable rows={data.rows} groupNoun={groupNoun} />
      {data.rows.some((row) => row.cacheSavingsUsd !== null && row.cacheSavingsUsd < 0) ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Saved is net of cache-write premiums: it is negative where writing prefixes to the cache cost more than reading them saved (prefixes
          written but rarely read again).
        </p>
      ) : null}
    </div>
  );
}

function HitRateTable({ rows, groupNoun }: { rows: CacheGroupRow[]; groupNoun: string }) {
  const notReported = <span title="No call of this group reports cache use">not reported</span>;
  return (
    <DataTable
      caption={`Cache use by ${groupNoun}`}
      rows={rows}
      rowKey={(row) => row.label}
      rowTestId="cache-group-row"
      columns={[
        { key: "group", header: groupNoun[0]!.toUpperCase() + groupNoun.slice(1), cell: (row) => <span data-cell="group" className="font-medium">{row.label}</span> },
        { key: "calls", header: "Calls", align: "right", cell: (row) => <span data-cell="calls">{formatCount(row.calls)}</span> },
        {
          key: "tokenRate",
          header: "Token hit rate",
          align: "right",
          cell: (row) => <span data-cell="token-hit-rate">{row.cacheHitRate === null ? notReported : formatPercent(row.cacheHitRate)}</span>,
        },
        {
          key: "callRate",
          header: "Calls with a hit",
          align: "right",
          cell: (row) => <span data-cell="cached-call-rate">{row.cachedCallRate === null ? notReported : formatPercent(row.cachedCallRate)}</span>,
        },
        { key: "reads", header: "Cache reads", align: "right", isSecondary: true, cell: (row) => <span data-cell="cache-reads">{formatTokens(row.cacheReadTokens)}</span> },
        { key: "writes", header: "Cache writes", align: "right", isSecondary: true, cell: (row) => <span data-cell="cache-writes">{formatTokens(row.cacheWriteTokens)}</span> },
        { key: "saved", header: "Saved", align: "right", cell: (row) => <span data-cell="saved">{formatUsd(row.cacheSavingsUsd)}</span> },
      ]}
    />
  );
}
