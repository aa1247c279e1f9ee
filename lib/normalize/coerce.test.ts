import { describe, expect, it } from "vitest";
import { parseJsonDocument, toBoolean, toJsonSafe, toNonEmptyString, toTokenCount, unquoteJsonString } from "./coerce";

describe("coercion of attribute values as they arrive", () => {
  it("reads token counts from numbers, numeric strings and integral doubles", () => {
    expect(toTokenCount(12)).toBe(12);
    expect(toTokenCount("12")).toBe(12);
    expect(toTokenCount(12.0)).toBe(12);
    expect(toTokenCount(" 7 ")).toBe(7);
    expect(toTokenCount(-1)).toBeNull();
    expect(toTokenCount("n/a")).toBeNull();
    expect(toTokenCount("")).toBeNull();
    expect(toTokenCount(true)).toBeNull();
  });

  it("reads booleans and strings", () => {
    expect(toBoolean("TRUE")).toBe(true);
    expect(toBoolean(false)).toBe(false);
    expect(toBoolean("yes")).toBeNull();
    expect(toNonEmptyString(3)).toBe("3");
    expect(toNonEmptyString("  ")).toBeNull();
  });

  it("parses only strings that look like JSON documents", () => {
    expect(parseJsonDocument(' {"a":1}')).toEqual({ a: 1 });
    expect(parseJsonDocument("[1]")).toEqual([1]);
    expect(parseJsonDocument("hello")).toBeUndefined();
    expect(parseJsonDocument("{broken")).toBeUndefined();
  });

  it("unquotes a JSON-stringified string", () => {
    expect(unquoteJsonString('"2025-01-01T00:00:00Z"')).toBe("2025-01-01T00:00:00Z");
    expect(unquoteJsonString("2025-01-01T00:00:00Z")).toBe("2025-01-01T00:00:00Z");
  });

  it("makes values JSON-serializable and caps long strings", () => {
    expect(toJsonSafe(new Uint8Array([1, 2, 3]), 100)).toBe("AQID");
    expect(toJsonSafe(Number.NaN, 100)).toBe("NaN");
    expect(toJsonSafe({ list: [new Uint8Array([255]), Number.POSITIVE_INFINITY] }, 100)).toEqual({ list: ["/w==", "Infinity"] });
    expect(toJsonSafe("abcdef", 3)).toBe("abc…[truncated by Sous: 6 characters]");
    expect(toJsonSafe("ab😀cd", 3)).toBe("ab…[truncated by Sous: 6 characters]"); // never half a surrogate pair
  });
});
