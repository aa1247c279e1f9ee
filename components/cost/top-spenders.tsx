import { USER_SAMPLE_CALLS, type TopSpenders } from "@/lib/dashboard/load-cost-panels";
import { formatCount } from "@/lib/format/numbers";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

/**
 * One ranked list of spenders (customers, features, users): a bar per row, proportional to the
 * biggest, with the amount and calls. Unknown spend reads "unknown", not $0.
 */
export function SpenderList({ data, noun, testId }: { data: TopSpenders; noun: string; testId: string }) {
  const top = Math.max(0, ...data.spenders.map((spender) => spender.costUsd ?? 0));
  return (
    <div data-testid={testId}>
      <ol className="space-y-1.5">
        {data.spenders.map((spender) => (
          <li key={spender.label} className="text-sm" data-testid="spender">
            <div className="flex items-baseline justify-between gap-3">
              <span className="truncate font-medium" data-cell="name" title={spender.label}>
                {spender.label}
              </span>
              <span className="shrink-0 tabular-nums" data-cell="spend">
                {spender.costUsd === null ? "unknown" : formatUsdBound(spender.costUsd, spender.unknownCostCalls > 0 ? "at-least" : null)}
              </span>
            </div>
            <div className="mt-0.5 flex items-center gap-2">
              <div className="h-1.5 flex-1 rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                <div className="h-full rounded-full bg-[var(--chart-1)]" style={{ width: `${top > 0 ? ((spender.costUsd ?? 0) / top) * 100 : 0}%` }} />
              </div>
              <span className="w-20 shrink-0 text-right text-xs text-zinc-500 tabular-nums dark:text-zinc-400" data-cell="calls">
                {formatCount(spender.calls)} calls
              </span>
            </div>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
        {data.groupCount > data.spenders.length ? `Top ${data.spenders.length} of ${formatCount(data.groupCount)} ${noun}. ` : ""}
        {data.isSampled ? `Sampled: the newest ${formatCount(USER_SAMPLE_CALLS)} calls of the range.` : ""}
      </p>
    </div>
  );
}
