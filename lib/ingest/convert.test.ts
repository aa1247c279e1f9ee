import { describe, expect, it } from "vitest";
import { hexToBytea, toJsonbText, toPostgresText, unixNanoToMicros, unixNanoToTimestamptz } from "@/lib/ingest/convert";

describe("ingest conversions", () => {
  it("truncates nanoseconds to microseconds the same way everywhere", () => {
    expect(unixNanoToMicros(1_795_000_000_123_456_999n)).toBe(1_795_000_000_123_456n);
    expect(unixNanoToMicros(1_000n)).toBe(1n);
    expect(unixNanoToMicros(999n)).toBe(0n);
    expect(unixNanoToMicros(-1n)).toBe(-1n); // floor, not toward zero
    expect(unixNanoToTimestamptz(1_795_000_000_123_456_999n)).toBe("2026-11-18T11:06:40.123456Z");
    expect(unixNanoToTimestamptz(1_795_000_000_000_000_000n)).toBe("2026-11-18T11:06:40.000000Z");
  });

  it("decodes hex ids into bytes and refuses malformed ones", () => {
    expect(hexToBytea("0AF7651916CD43DD")).toEqual(hexToBytea("0af7651916cd43dd"));
    expect(hexToBytea("00ff")).toEqual(Buffer.from([0, 255]));
    for (const bad of ["", "abc", "zz", "0g"]) expect(() => hexToBytea(bad)).toThrow(TypeError);
  });

  it("makes text and JSON acceptable to PostgreSQL", () => {
    expect(toPostgresText("a\u0000b")).toBe("a\uFFFDb");
    expect(JSON.parse(toJsonbText({ k: "a\u0000b" }))).toEqual({ k: "a\uFFFDb" });
    expect(JSON.parse(toJsonbText({ k: "lone \ud800 surrogate" }))).toEqual({ k: "lone \uFFFD surrogate" });
    expect(JSON.parse(toJsonbText({ k: "pair 😀 kept" }))).toEqual({ k: "pair 😀 kept" });
    // A literal backslash followed by "u0000" is text, not an escape: left alone.
    expect(JSON.parse(toJsonbText({ k: "\\u0000" }))).toEqual({ k: "\\u0000" });
    expect(JSON.parse(toJsonbText({ big: 12345678901234567890n }))).toEqual({ big: "12345678901234567890" });
  });
});
