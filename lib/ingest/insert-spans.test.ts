import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { extensionParameter } from "@/lib/ingest/insert-spans";
import { PgOid } from "@/lib/ingest/pg-binary";

describe("extensionParameter", () => {
  it("moves every parameter into one text[] element, cast back to its JavaScript type", () => {
    const statement = Prisma.sql`SELECT ${"a$1"}::text, left(x, ${200}), ${1.5}::float8, ${2 ** 40}, ${true}, ${new Date(0)}, ${null}`;
    const { text, parameter } = extensionParameter(statement);
    const p = `$${/\(\(\$(\d+)::text\[\]\)/.exec(text)![1]}`;
    expect(text).toBe(
      `SELECT ((${p}::text[])[1])::text, left(x, ((${p}::text[])[2])::int4), ((${p}::text[])[3])::float8::float8, ((${p}::text[])[4])::int8, ` +
        `((${p}::text[])[5])::bool, ((${p}::text[])[6])::timestamptz, ((${p}::text[])[7])`,
    );
    expect(parameter.elementOid).toBe(PgOid.text);
    expect(parameter.count).toBe(7);
    // The values as text, in order (a value containing "$1" is data, not a placeholder).
    const bytes = Buffer.concat(parameter.parts);
    const values: (string | null)[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      const length = bytes.readInt32BE(offset);
      offset += 4;
      values.push(length < 0 ? null : bytes.subarray(offset, offset + length).toString("utf8"));
      offset += Math.max(length, 0);
    }
    expect(values).toEqual(["a$1", "200", "1.5", String(2 ** 40), "true", "1970-01-01T00:00:00.000Z", null]);
  });

  it("refuses a parameter it cannot cast back", () => {
    expect(() => extensionParameter(Prisma.sql`SELECT ${{ a: 1 }}`)).toThrow(/insert extension/);
  });
});
