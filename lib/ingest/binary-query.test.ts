import { describe, expect, it } from "vitest";
import { bindMessage } from "@/lib/ingest/binary-query";
import { BinaryValues, PgOid, binaryArray } from "@/lib/ingest/pg-binary";

describe("bindMessage", () => {
  it("frames binary array parameters from their parts, as one Bind message", () => {
    const first = new BinaryValues();
    first.int4(7);
    const second = new BinaryValues();
    second.int4(8);
    second.null();
    const parameters = [
      { elementOid: PgOid.int4, count: 3, parts: [first.bytes(), second.bytes()] },
      { elementOid: PgOid.text, count: 0, parts: [] },
    ];
    const message = Buffer.concat(bindMessage(parameters));
    expect(String.fromCharCode(message[0]!)).toBe("B");
    expect(message.readInt32BE(1)).toBe(message.length - 1);
    expect([message[5], message[6]]).toEqual([0, 0]); // unnamed portal and statement
    expect([message.readInt16BE(7), message.readInt16BE(9), message.readInt16BE(11)]).toEqual([1, 1, 2]);
    let offset = 13;
    const values: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const length = message.readInt32BE(offset);
      values.push(message.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    expect(values[0]).toEqual(binaryArray(PgOid.int4, 3, [first.bytes(), second.bytes()]));
    expect(values[1]).toEqual(binaryArray(PgOid.text, 0, []));
    expect([message.readInt16BE(offset), message.readInt16BE(offset + 2)]).toEqual([1, 0]); // text results
    expect(offset + 4).toBe(message.length);
  });
});
