/**
 * How much faster the first token comes with a cache hit than without, for one prompt version:
 * the relative change of the median TTFT, or why there is nothing to compare. A median of three
 * misses against thousands of hits says nothing, so a side with fewer than MIN_SIDE_CALLS calls
 * (estimated from the share of calls with a hit: the query layer does not count each side) is
 * "too few".
 */
export const MIN_SIDE_CALLS = 10;

export type TtftComparison =
  | { kind: "change"; change: number }
  | { kind: "too-few"; side: "hits" | "misses" }
  | { kind: "unknown" };

export function compareTtft(row: { calls: number; cachedCallRate: number | null; hitP50: number | null; noHitP50: number | null }): TtftComparison {
  if (row.hitP50 === null || row.noHitP50 === null || row.noHitP50 === 0 || row.cachedCallRate === null) return { kind: "unknown" };
  const hits = Math.round(row.calls * row.cachedCallRate);
  if (hits < MIN_SIDE_CALLS) return { kind: "too-few", side: "hits" };
  if (row.calls - hits < MIN_SIDE_CALLS) return { kind: "too-few", side: "misses" };
  return { kind: "change", change: (row.hitP50 - row.noHitP50) / row.noHitP50 };
}
