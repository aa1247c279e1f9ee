import type pg from "pg";
import { queryBinaryArrays } from "@/lib/ingest/binary-query";
import { BinaryValues, PgOid, type BinaryArrayParameter } from "@/lib/ingest/pg-binary";
import { Prisma } from "@/lib/generated/prisma/client";
import { CONTENT_COLUMNS, SPAN_COLUMNS, groupParameterParts, type EncodedSpans } from "@/lib/ingest/encode-spans";

/**
 * The one statement that stores a group of spans, set-wise: every column is a binary array
 * parameter, unnested in the select list (ProjectSet streams the arrays in lockstep; unnest in
 * FROM would first copy them into tuplestores). ON CONFLICT DO NOTHING skips keys already stored,
 * and also a key repeated inside the group, which PostgreSQL inserts for its first occurrence only.
 *
 * The statement answers with the 1-based positions (in group order) of the rows it inserted, as
 * one int4[] in one row (thousands of result rows would cost the app more than the array):
 * RETURNING cannot name the position, so the returned keys are joined back to the key arrays, and
 * min(position) picks the occurrence that was inserted when a key repeats. Captured content goes to
 * span_contents for exactly those rows, in the same statement.
 */
const spanColumnList = SPAN_COLUMNS.map(([name]) => name).join(", ");
const unnestList = SPAN_COLUMNS.map(([, type], i) => `unnest($${i + 1}::${type}[])`).join(",\n    ");
const contentParameter = (i: number) => `$${SPAN_COLUMNS.length + 1 + i}`;
const contentUnnestList = [
  `unnest(${contentParameter(0)}::int4[]) AS position`,
  ...CONTENT_COLUMNS.map(([name, type], i) => `unnest(${contentParameter(i + 1)}::${type}[]) AS ${name}`),
].join(", ");
const contentColumnList = CONTENT_COLUMNS.map(([name]) => name).join(", ");
const KEY = "project_id, start_time, trace_id, span_id";

/**
 * The statement; `extension` (SpanWriter.extendInsert) is one more data-modifying CTE over the
 * inserted rows, `inserted`, which then also returns the `returning` expressions (record-deltas.ts).
 */
export function insertSpansSql(extension: { text: string; returning: string } | null = null): string {
  return `
WITH inserted AS (
  INSERT INTO spans (${spanColumnList})
  SELECT
    ${unnestList}
  ON CONFLICT (${KEY}) DO NOTHING
  RETURNING ${KEY}${extension ? `, ${extension.returning}` : ""}
), new_rows AS (
  SELECT min(k.position) AS position, inserted.project_id, inserted.start_time, inserted.trace_id, inserted.span_id
  FROM inserted
  JOIN (
    SELECT unnest($1::uuid[]) AS project_id, unnest($2::timestamptz[]) AS start_time,
           unnest($3::bytea[]) AS trace_id, unnest($4::bytea[]) AS span_id,
           generate_subscripts($2::timestamptz[], 1) AS position
  ) k USING (${KEY})
  GROUP BY inserted.project_id, inserted.start_time, inserted.trace_id, inserted.span_id
), contents AS (
  INSERT INTO span_contents (${KEY}, ${contentColumnList})
  SELECT n.project_id, n.start_time, n.trace_id, n.span_id, ${CONTENT_COLUMNS.map(([name]) => `c.${name}`).join(", ")}
  FROM (SELECT ${contentUnnestList}) c
  JOIN new_rows n USING (position)
  ON CONFLICT (${KEY}) DO NOTHING
)${extension ? `, extension AS (
${extension.text}
)` : ""}
SELECT array_agg(position) AS positions FROM new_rows`;
}

export const INSERT_SPANS_SQL = insertSpansSql();

/**
 * What an insert extension adds: expressions over the inserted spans' columns that `inserted` also
 * returns (each `expression AS name`, or a column; `spans.` qualifies a column), and its statement
 * over `inserted`. Parameters of either may be text, numbers, booleans, dates or arrays of text.
 */
export interface InsertExtensionSql {
  returning: Prisma.Sql;
  statement: Prisma.Sql;
}

/** The first parameter after the span and content arrays: the extension's scalars, as one text[]. */
const EXTENSION_PARAMETER = SPAN_COLUMNS.length + 1 + CONTENT_COLUMNS.length + 1;
/** Cannot occur in SQL the extension builds (its values travel as parameters). */
const PART_SEPARATOR = "\u0000";

/**
 * The extension's SQL with its parameters moved into binary parameters after the span INSERT's own
 * (which are all binary arrays: binary-query.ts). Scalars go into one text[]: each $n becomes that
 * array's element, cast back to the type its JavaScript value had. An array of text becomes a
 * text[] parameter of its own, so that PostgreSQL plans with it as a constant (`= ANY` over it is
 * then a hash lookup).
 */
export function extensionParameters(extension: InsertExtensionSql): { returning: string; text: string; parameters: BinaryArrayParameter[] } {
  const combined = Prisma.join([extension.returning, extension.statement], PART_SEPARATOR);
  const values = new BinaryValues();
  const arrays: BinaryArrayParameter[] = [];
  const placeholders: string[] = [];
  for (const value of combined.values) {
    const element = (cast: string) => `(($${EXTENSION_PARAMETER}::text[])[${values.count}])${cast}`;
    if (value === null || value === undefined) {
      values.text(null);
      placeholders.push(element(""));
    } else if (typeof value === "string") {
      values.text(value);
      placeholders.push(element(""));
    } else if (typeof value === "number") {
      values.text(String(value));
      placeholders.push(element(Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? "::int4" : Number.isInteger(value) ? "::int8" : "::float8"));
    } else if (typeof value === "boolean") {
      values.text(String(value));
      placeholders.push(element("::bool"));
    } else if (value instanceof Date) {
      values.text(value.toISOString());
      placeholders.push(element("::timestamptz"));
    } else if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      const array = new BinaryValues();
      for (const item of value as string[]) array.text(item);
      arrays.push({ elementOid: PgOid.text, count: array.count, parts: [array.bytes()] });
      placeholders.push(`$${EXTENSION_PARAMETER + arrays.length}::text[]`);
    } else {
      throw new TypeError(`an insert extension's parameter must be text, a number, a boolean, a date or an array of text, not ${typeof value}`);
    }
  }
  const [returning, text] = combined.text.replace(/\$(\d+)/g, (_, n: string) => placeholders[Number(n) - 1]!).split(PART_SEPARATOR);
  return {
    returning: returning!,
    text: text!,
    parameters: [{ elementOid: PgOid.text, count: values.count, parts: [values.bytes()] }, ...arrays],
  };
}

/**
 * Inserts the group inside the caller's transaction and returns a 0/1 flag per row (group order):
 * 1 when the row was new and stored by this statement. An extension runs in the same statement.
 */
export async function insertSpanGroup(
  client: pg.ClientBase,
  group: readonly EncodedSpans[],
  extension: InsertExtensionSql | null = null,
): Promise<Uint8Array> {
  let rowCount = 0;
  for (const encoded of group) rowCount += encoded.rowCount;
  const parameters = groupParameterParts(group);
  let text = INSERT_SPANS_SQL;
  if (extension) {
    const moved = extensionParameters(extension);
    text = insertSpansSql(moved);
    parameters.push(...moved.parameters);
  }
  const rows = await queryBinaryArrays(client, text, parameters);
  const positions = (rows[0]?.[0] ?? null) as number[] | null; // NULL when nothing was new
  const isNew = new Uint8Array(rowCount);
  if (positions !== null) for (const position of positions) isNew[position - 1] = 1;
  return isNew;
}
