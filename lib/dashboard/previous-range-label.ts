import { RANGE_PRESET_LABELS, type TimeRangeSelection } from "@/lib/dashboard/view-params";

/** What a change compares with, for tooltips: "vs the previous 24 hours", "vs the 3 hours before". */
export function previousRangeLabel(range: TimeRangeSelection, resolved: { from: Date; to: Date }): string {
  if (range.kind === "preset") return `vs the ${RANGE_PRESET_LABELS[range.preset].replace(/^Last /, "previous ")}`;
  const minutes = Math.round((resolved.to.getTime() - resolved.from.getTime()) / 60_000);
  const length = minutes % 1440 === 0 ? plural(minutes / 1440, "day") : minutes % 60 === 0 ? plural(minutes / 60, "hour") : plural(minutes, "minute");
  return `vs the ${length} before`;
}

function plural(count: number, unit: string): string {
  return count === 1 ? `${unit}` : `${count} ${unit}s`;
}
