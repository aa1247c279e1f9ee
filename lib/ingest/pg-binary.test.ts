import { describe, expect, it } from "vitest";
import { BinaryValues, PgOid, binaryArray } from "@/lib/ingest/pg-binary";

describe("PostgreSQL binary values", () => {
  it("writes each value as a length and its bytes, NULL as length -1", () => {
    const values = new BinaryValues(4);
    values.text("hé");
    values.text(null);
    values.int8(2 ** 40 + 5);
    values.int8(-3);
    values.bool(true);
    values.hex("00ff");
    const bytes = values.bytes();
    expect(values.count).toBe(6);
    expect([...bytes.subarray(0, 7)]).toEqual([0, 0, 0, 3, 0x68, 0xc3, 0xa9]);
    expect(bytes.readInt32BE(7)).toBe(-1);
    expect(bytes.readInt32BE(11)).toBe(8);
    expect(bytes.readBigInt64BE(15)).toBe(2n ** 40n + 5n);
    expect(bytes.readBigInt64BE(27)).toBe(-3n);
    expect([...bytes.subarray(35, 40)]).toEqual([0, 0, 0, 1, 1]);
    expect([...bytes.subarray(40)]).toEqual([0, 0, 0, 2, 0, 255]);
  });

  it("writes timestamptz as microseconds since 2000-01-01 and jsonb with its version byte", () => {
    const values = new BinaryValues();
    values.timestamptzMicros(946_684_800_000_001n);
    values.jsonb({ a: 1 });
    const bytes = values.bytes();
    expect(bytes.readBigInt64BE(4)).toBe(1n);
    expect(bytes.readInt32BE(12)).toBe(8);
    expect(bytes[16]).toBe(1);
    expect(bytes.subarray(17).toString()).toBe('{"a":1}');
  });

  it("refuses what PostgreSQL would refuse later", () => {
    const values = new BinaryValues();
    expect(() => values.hex("abc")).toThrow(TypeError);
    expect(() => values.hex("xyz0")).toThrow(TypeError);
    expect(() => values.int8(Number.NaN)).toThrow(TypeError);
    expect(() => values.bigint8(2n ** 63n)).toThrow(RangeError);
    expect(values.count).toBe(0);
  });

  it("frames values as a one-dimensional array", () => {
    const values = new BinaryValues();
    values.int4(7);
    const array = binaryArray(PgOid.int4, 1, [values.bytes()]);
    expect([array.readInt32BE(0), array.readInt32BE(8), array.readInt32BE(12), array.readInt32BE(16)]).toEqual([1, PgOid.int4, 1, 1]);
    expect(array.readInt32BE(24)).toBe(7);
    expect(binaryArray(PgOid.text, 0, []).readInt32BE(0)).toBe(0);
  });
});
