import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Allocation tag values (team, feature, customer, …): the span's attribute of that name (resource
 * attributes are merged into the stored attributes, lib/normalize/stored-attributes.ts). A key
 * naming an LlmCall field that has its own column (userId, sessionId) reads that column. The
 * writer's rollup deltas, the rebuild and the raw-span queries all read them in SQL, through here.
 */
const FIELD_TAGS: Record<string, { column: string }> = {
  userId: { column: "user_id" },
  sessionId: { column: "session_id" },
};

/** Longest tag value kept; longer values are cut (they are labels, not content). */
export const MAX_TAG_VALUE_CHARS = 200;

/**
 * A tag's value over a `spans` row aliased `alias`: strings, and JSON numbers and booleans as text;
 * arrays and maps are not tag values (NULL). Cut to MAX_TAG_VALUE_CHARS characters.
 */
export function tagValueSql(key: string, alias = "s"): Prisma.Sql {
  const field = FIELD_TAGS[key];
  const raw = field
    ? Prisma.raw(`${alias}.${field.column}`)
    : Prisma.sql`(CASE WHEN jsonb_typeof(${Prisma.raw(alias)}.attributes -> ${key}) IN ('string', 'number', 'boolean')
                       THEN ${Prisma.raw(alias)}.attributes ->> ${key} END)`;
  return Prisma.sql`left(${raw}, ${MAX_TAG_VALUE_CHARS})`;
}
