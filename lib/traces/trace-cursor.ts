/**
 * The trace list's keyset cursor: the sort key of the last trace on a page (its first matching
 * span's start, as PostgreSQL's microsecond text, and its trace id). Opaque to users (base64url).
 */
export interface TraceCursor {
  /** "2026-11-25T13:03:05.123456Z" */
  time: string;
  traceId: string;
}

export function encodeTraceCursor(cursor: TraceCursor): string {
  return Buffer.from(`${cursor.time}|${cursor.traceId}`).toString("base64url");
}

/** Null for anything that is not a cursor this module made (a stale or edited link starts over). */
export function decodeTraceCursor(value: string | null | undefined): TraceCursor | null {
  if (!value) return null;
  const [time, traceId, extra] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (extra !== undefined || !time || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(time)) return null;
  if (Number.isNaN(Date.parse(time)) || !/^[0-9a-f]{32}$/.test(traceId ?? "")) return null;
  return { time, traceId: traceId! };
}
