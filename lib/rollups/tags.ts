import { Prisma } from "@/lib/generated/prisma/client";
import { OTHER_TAG_VALUE } from "@/lib/rollups/cubes";

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

/**
 * `value` (a tag value, or NULL) as the rollups count it once the key's admission is over: itself
 * when admitted, OTHER_TAG_VALUE when not, NULL when absent. The admitted values go in as a JSON
 * object from each value to itself, so each span costs one keyed lookup. An `= ANY(array)` test
 * here searched the array linearly: PostgreSQL hashes a large constant array only in some places,
 * and a UNION ALL arm's or a pulled-up subquery's output is not one of them. With the 1,000 values of
 * a customer tag that was 6 µs a span: 30 of the 40 ms a month's top-customers list spent on its
 * raw-span edge.
 */
export function admittedTagValueSql(value: Prisma.Sql, admitted: readonly string[]): Prisma.Sql {
  const itself = JSON.stringify(Object.fromEntries(admitted.map((each) => [each, each])));
  return Prisma.sql`COALESCE(${itself}::jsonb ->> ${value}, CASE WHEN ${value} IS NOT NULL THEN ${OTHER_TAG_VALUE}::text END)`;
}
