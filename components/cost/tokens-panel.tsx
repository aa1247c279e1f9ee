import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import type { TokenBreakdown } from "@/lib/dashboard/token-kinds";
import { TOKEN_KINDS } from "@/lib/dashboard/token-kinds";
import { formatTokens } from "@/lib/format/numbers";

/** Tokens by billing kind over time (stacked), with each kind's total over the range. */
export function TokensByKind({ tokens, timeZone }: { tokens: TokenBreakdown; timeZone: string }) {
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-4" data-testid="token-totals">
        {TOKEN_KINDS.map((kind) => (
          <div key={kind.key} className="min-w-0" data-kind={kind.key}>
            <dt className="flex items-center gap-1.5 truncate text-xs text-zinc-500 dark:text-zinc-400">
              <span aria-hidden className="inline-block size-2 shrink-0 rounded-full" style={{ background: kind.color }} />
              {kind.label}
            </dt>
            <dd className="text-sm font-semibold tabular-nums" data-value>
              {tokens.totals[kind.key] === null ? "not reported" : formatTokens(tokens.totals[kind.key])}
            </dd>
          </div>
        ))}
      </dl>
      <TimeSeriesChart data={tokens.overTime.rows} series={tokens.overTime.series} unit="tokens" kind="stacked-area" timeZone={timeZone} label="Tokens by kind over time" />
    </div>
  );
}
