import type { TraceCursor } from "@/lib/traces/trace-cursor";

/**
 * Picks a page of the trace list from the capped scan (lib/traces/list-traces): candidates are the
 * traces met in the newest `scanCap` matching spans, ordered by their first matching span, newest
 * first, at most `limit + 1` of them.
 *
 * When the scan hit its cap, a trace whose first matching span is exactly at the scan's floor may
 * have earlier spans below it: its key is not final, so it is left for the next page (unless it is
 * all there is: one trace larger than the cap). Every trace above the floor has all its matching
 * spans in the scan, so its key is exact, and keyset pages never skip or repeat a trace.
 */
export interface TraceCandidate {
  traceId: string;
  /** PostgreSQL microsecond text of the first matching span's start. */
  firstMatchTime: string;
}

export interface ScanOutcome {
  isCapped: boolean;
  /** The oldest span start the scan reached (microsecond text); null when nothing matched. */
  floorTime: string | null;
}

export function selectTracePage(
  candidates: readonly TraceCandidate[],
  scan: ScanOutcome,
  limit: number,
): { traceIds: string[]; nextCursor: TraceCursor | null } {
  let exact = [...candidates];
  if (scan.isCapped && scan.floorTime !== null) {
    const aboveFloor = exact.filter((candidate) => candidate.firstMatchTime !== scan.floorTime);
    if (aboveFloor.length > 0) exact = aboveFloor;
  }
  const page = exact.slice(0, limit);
  const last = page[page.length - 1];
  // A capped scan left older spans unread, so older traces may exist even on a short page.
  const hasMore = exact.length > limit || scan.isCapped;
  return {
    traceIds: page.map((candidate) => candidate.traceId),
    nextCursor: hasMore && last ? { time: last.firstMatchTime, traceId: last.traceId } : null,
  };
}
