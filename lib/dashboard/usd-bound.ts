import { formatUsd } from "@/lib/format/numbers";

/**
 * An amount that is a bound, not a total: "≥ $0.117" when some calls have no price (the real
 * spend is higher), "≤ $0.03" for an upper-bound estimate. A no-break space keeps the sign with
 * the number when a tile or a table cell wraps.
 */
export function formatUsdBound(usd: number | null, bound: "at-least" | "at-most" | null): string {
  const amount = formatUsd(usd);
  if (usd === null || bound === null) return amount;
  return `${bound === "at-least" ? "≥" : "≤"}\u00a0${amount}`;
}
