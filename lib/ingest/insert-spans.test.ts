import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { extensionParameters } from "@/lib/ingest/insert-spans";
import { PgOid, type BinaryArrayParameter } from "@/lib/ingest/pg-binary";

/** The text values of a binary text[] parameter, in order. */
function textValues(parameter: BinaryArrayParameter): (string | null)[] {
  const bytes = Buffer.concat(parameter.parts);
  const values: (string | null)[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = bytes.readInt32BE(offset);
    offset += 4;
    values.push(length < 0 ? null : bytes.subarray(offset, offset + length).toString("utf8"));
    offset += Math.max(length, 0);
  }
  return values;
}

describe("extensionParameters", () => {
  it("moves every scalar parameter into one text[] element, cast back to its JavaScript type", () => {
    const statement = Prisma.sql`SELECT ${"a$1"}::text, left(x, ${200}), ${1.5}::float8, ${2 ** 40}, ${true}, ${new Date(0)}, ${null}`;
    const { text, parameters } = extensionParameters({ returning: Prisma.raw("status"), statement });
    const p = `$${/\(\(\$(\d+)::text\[\]\)/.exec(text)![1]}`;
    expect(text).toBe(
      `SELECT ((${p}::text[])[1])::text, left(x, ((${p}::text[])[2])::int4), ((${p}::text[])[3])::float8::float8, ((${p}::text[])[4])::int8, ` +
        `((${p}::text[])[5])::bool, ((${p}::text[])[6])::timestamptz, ((${p}::text[])[7])`,
    );
    expect(parameters).toHaveLength(1);
    expect(parameters[0]!.elementOid).toBe(PgOid.text);
    expect(parameters[0]!.count).toBe(7);
    // The values as text, in order (a value containing "$1" is data, not a placeholder).
    expect(textValues(parameters[0]!)).toEqual(["a$1", "200", "1.5", String(2 ** 40), "true", "1970-01-01T00:00:00.000Z", null]);
  });

  it("numbers the RETURNING expressions' parameters and the statement's as one list", () => {
    const moved = extensionParameters({
      returning: Prisma.sql`left(spans.attributes ->> ${"team"}, ${200}) AS delta_tag_0`,
      statement: Prisma.sql`SELECT ${"x"}`,
    });
    const p = /\(\(\$(\d+)::text\[\]\)/.exec(moved.returning)![1];
    expect(moved.returning).toBe(`left(spans.attributes ->> (($${p}::text[])[1]), (($${p}::text[])[2])::int4) AS delta_tag_0`);
    expect(moved.text).toBe(`SELECT (($${p}::text[])[3])`);
    expect(textValues(moved.parameters[0]!)).toEqual(["team", "200", "x"]);
  });

  it("gives each array of text a text[] parameter of its own", () => {
    const moved = extensionParameters({
      returning: Prisma.raw("status"),
      statement: Prisma.sql`SELECT ${"a"} = ANY(${["b", "c"]}::text[]), ${[]}::text[], ${"d"}`,
    });
    const p = Number(/\(\(\$(\d+)::text\[\]\)/.exec(moved.text)![1]);
    expect(moved.text).toBe(`SELECT (($${p}::text[])[1]) = ANY($${p + 1}::text[]::text[]), $${p + 2}::text[]::text[], (($${p}::text[])[2])`);
    expect(moved.parameters.map(textValues)).toEqual([["a", "d"], ["b", "c"], []]);
    expect(moved.parameters.map((parameter) => parameter.count)).toEqual([2, 2, 0]);
  });

  it("refuses a parameter it cannot cast back", () => {
    expect(() => extensionParameters({ returning: Prisma.empty, statement: Prisma.sql`SELECT ${{ a: 1 }}` })).toThrow(/insert extension/);
    expect(() => extensionParameters({ returning: Prisma.empty, statement: Prisma.sql`SELECT ${[1, 2]}` })).toThrow(/insert extension/);
  });
});
