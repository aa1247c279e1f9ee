import { Sparkline } from "@/components/ui/sparkline";
import { formatPointChange } from "@/lib/dashboard/point-change";
import { formatChange, formatValue, type Unit } from "@/lib/format/numbers";

/**
 * One key figure: its value with its unit, the change against the previous range, and a trend.
 *
 *   <StatTile label="TTFT p95" value={412} unit="ms" change={-0.08} goodDirection="down" trend={[…]} />
 *
 * `change` is relative (0.12 = +12 %); `goodDirection` colors it (lower TTFT is good, more calls is
 * neutral). A null value reads "—" (unknown), never 0.
 */
export interface StatTileProps {
  label: string;
  value: number | null;
  unit: Unit;
  change?: number | null;
  /** Which way is better; "none" leaves the change uncolored. */
  goodDirection?: "up" | "down" | "none";
  /** What the change compares with, for the tooltip ("vs the previous 24 hours"). */
  changeLabel?: string;
  /** "relative" (default): `change` is relative, "+12.0%"; "points": a difference of ratios, "+1.2 pp". */
  changeFormat?: "relative" | "points";
  trend?: readonly (number | null)[];
  /** A short line under the value ("budget 300 ms", "of 1,204 calls"). */
  hint?: React.ReactNode;
  /** Overrides the formatted value (e.g. "≥ $12.30" when some cost is unknown). */
  display?: string;
  testId?: string;
}

export function StatTile({ label, value, unit, change, goodDirection = "none", changeLabel, changeFormat, trend, hint, display, testId }: StatTileProps) {
  return (
    <div className="min-w-0 rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-xs dark:border-zinc-800 dark:bg-zinc-900/40" data-testid={testId}>
      <p className="truncate text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <div className="mt-1 flex items-end justify-between gap-2">
        <p className="text-2xl font-semibold tabular-nums tracking-tight" data-value>
          {display ?? formatValue(value, unit)}
        </p>
        {trend ? <Sparkline values={trend} label={`${label} trend`} /> : null}
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-2 text-xs">
        {change !== undefined ? <ChangeBadge change={change} goodDirection={goodDirection} title={changeLabel} format={changeFormat} /> : null}
        {hint ? <span className="text-zinc-500 dark:text-zinc-400">{hint}</span> : null}
      </div>
    </div>
  );
}

export function ChangeBadge({
  change,
  goodDirection,
  title,
  format = "relative",
}: {
  change: number | null;
  goodDirection: "up" | "down" | "none";
  title?: string;
  format?: "relative" | "points";
}) {
  const text = format === "points" ? formatPointChange(change) : formatChange(change);
  if (change === null || !Number.isFinite(change) || Math.abs(change) < 0.0005) {
    return (
      <span className="text-zinc-500" title={title}>
        {text}
      </span>
    );
  }
  const isGood = goodDirection === "none" ? null : (change > 0) === (goodDirection === "up");
  const color =
    isGood === null ? "text-zinc-600 dark:text-zinc-300" : isGood ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400";
  return (
    <span className={`font-medium tabular-nums ${color}`} title={title}>
      {change > 0 ? "▲" : "▼"} {text}
    </span>
  );
}
