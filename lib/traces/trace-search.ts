import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The Traces screen's free-text search. A full trace id (32 hex characters) finds that trace
 * whatever the time range; anything else matches span names and service names (case-insensitive,
 * substring) and, when it looks like hex, the start of trace ids.
 */
export interface TraceSearch {
  text: string;
  /** Set when the text is a whole trace id. */
  traceId: string | null;
}

export const MAX_SEARCH_LENGTH = 200;

export function parseTraceSearch(query: string | null | undefined): TraceSearch | null {
  const text = (query ?? "").trim().slice(0, MAX_SEARCH_LENGTH);
  if (text === "") return null;
  return { text, traceId: /^[0-9a-f]{32}$/i.test(text) ? text.toLowerCase() : null };
}

/** `text` as a LIKE pattern matching it anywhere, its own % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The search as one SQL condition on `spans` (TRUE without a search). */
export function traceSearchCondition(search: TraceSearch | null): Prisma.Sql {
  if (search === null) return Prisma.sql`TRUE`;
  if (search.traceId !== null) return Prisma.sql`trace_id = decode(${search.traceId}, 'hex')`;
  const pattern = containsPattern(search.text);
  const conditions = [Prisma.sql`name ILIKE ${pattern}`, Prisma.sql`service_name ILIKE ${pattern}`];
  if (/^[0-9a-f]{4,31}$/i.test(search.text)) {
    conditions.push(Prisma.sql`encode(trace_id, 'hex') LIKE ${`${search.text.toLowerCase()}%`}`);
  }
  return Prisma.sql`(${Prisma.join(conditions, " OR ")})`;
}
