"use client";

import type { TooltipContentProps } from "recharts";
import { formatValue, type Unit } from "@/lib/format/numbers";

/** The tooltip of every chart: the x label, then each series with its color and formatted value. */
export function ChartTooltip({
  active,
  payload,
  label,
  unit,
  formatLabel,
}: Pick<TooltipContentProps, "active" | "payload" | "label"> & { unit: Unit; formatLabel: (label: string | number | undefined) => string }) {
  if (!active || !payload || payload.length === 0) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white/95 px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900/95">
      <p className="mb-1 font-medium text-zinc-700 dark:text-zinc-200">{formatLabel(label)}</p>
      <ul className="space-y-0.5">
        {payload.map((entry) => (
          <li key={String(entry.dataKey ?? entry.name)} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-zinc-600 dark:text-zinc-300">
              <span aria-hidden className="inline-block size-2 rounded-full" style={{ background: entry.color ?? entry.stroke ?? entry.fill }} />
              {entry.name}
            </span>
            <span className="font-medium tabular-nums text-zinc-900 dark:text-zinc-100">
              {formatValue(typeof entry.value === "number" ? entry.value : null, unit)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
