import { Prisma } from "@/lib/generated/prisma/client";
import type { SpanRow } from "@/lib/ingest/types";

/**
 * Allocation tag values (team, feature, customer, …): the span's attribute of that name (resource
 * attributes are merged into the stored attributes, lib/normalize/stored-attributes.ts). A key
 * naming an LlmCall field that has its own column (userId, sessionId) reads that column. The
 * rollup writer (JavaScript) and the raw-span queries (SQL) read them the same way through here.
 */
const FIELD_TAGS: Record<string, { column: string; read: (row: SpanRow) => string | null }> = {
  userId: { column: "user_id", read: (row) => row.userId },
  sessionId: { column: "session_id", read: (row) => row.sessionId },
};

/** Longest tag value kept; longer values are cut (they are labels, not content). */
export const MAX_TAG_VALUE_CHARS = 200;

export function tagValueOf(row: SpanRow, key: string): string | null {
  const field = FIELD_TAGS[key];
  const value = field ? field.read(row) : row.attributes[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > MAX_TAG_VALUE_CHARS ? cut(value) : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null; // arrays and maps are not tag values
}

/** The first MAX_TAG_VALUE_CHARS characters (code points, as SQL left() counts them). */
function cut(value: string): string {
  return Array.from(value).slice(0, MAX_TAG_VALUE_CHARS).join("");
}

/**
 * The same value in SQL, over a `spans` row aliased `alias`. JSON numbers and booleans read back as
 * text the way String() prints them for the values instrumentations send (integers, true/false).
 */
export function tagValueSql(key: string, alias = "s"): Prisma.Sql {
  const field = FIELD_TAGS[key];
  const raw = field
    ? Prisma.raw(`${alias}.${field.column}`)
    : Prisma.sql`(CASE WHEN jsonb_typeof(${Prisma.raw(alias)}.attributes -> ${key}) IN ('string', 'number', 'boolean')
                       THEN ${Prisma.raw(alias)}.attributes ->> ${key} END)`;
  return Prisma.sql`left(${raw}, ${MAX_TAG_VALUE_CHARS})`;
}
