import { MISSING } from "@/lib/format/numbers";

/**
 * A change between two ratios in percentage points, with its sign: 0.012 → "+1.2 pp",
 * −0.05 → "−5.0 pp", a change under 0.05 pp → "±0 pp". Rates (error rate, hit rate, share within
 * budget) change in points: a relative change of a rate ("+100 %" for 1 % → 2 %) misleads.
 */
export function formatPointChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return MISSING;
  const points = change * 100;
  if (Math.abs(points) < 0.05) return "±0 pp";
  return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pp`;
}
