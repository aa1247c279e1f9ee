import { describe, expect, it } from "vitest";
import { decimalStringToNano, usdToNanoUsd } from "./cost";

describe("usdToNanoUsd", () => {
  it("parses decimal strings exactly", () => {
    expect(usdToNanoUsd("0.000123")).toBe(123_000n);
    expect(usdToNanoUsd("12.5")).toBe(12_500_000_000n);
    expect(usdToNanoUsd("0")).toBe(0n);
    expect(usdToNanoUsd(" 3 ")).toBe(3_000_000_000n);
    expect(usdToNanoUsd(".5")).toBe(500_000_000n);
  });

  it("reads numbers through their shortest decimal string, without float error", () => {
    expect(usdToNanoUsd(0.000123)).toBe(123_000n);
    expect(usdToNanoUsd(0.1 + 0.2)).toBe(300_000_000n); // "0.30000000000000004" rounds at 9 digits
    expect(usdToNanoUsd(0.002775)).toBe(2_775_000n);
    expect(usdToNanoUsd(1e-7)).toBe(100n);
    expect(usdToNanoUsd(2)).toBe(2_000_000_000n);
  });

  it("accepts exponents in strings", () => {
    expect(usdToNanoUsd("1.5e-6")).toBe(1_500n);
    expect(usdToNanoUsd("2E+2")).toBe(200_000_000_000n);
  });

  it("rounds digits past nano half away from zero", () => {
    expect(usdToNanoUsd("0.0000000015")).toBe(2n);
    expect(usdToNanoUsd("0.0000000014999")).toBe(1n);
    expect(usdToNanoUsd("0.00000000001")).toBe(0n);
  });

  it("accepts JSON-quoted strings", () => {
    expect(usdToNanoUsd('"0.25"')).toBe(250_000_000n);
  });

  it("rejects what is not a cost", () => {
    expect(usdToNanoUsd(-0.5)).toBeNull();
    expect(usdToNanoUsd("-0.5")).toBeNull();
    expect(usdToNanoUsd(Number.NaN)).toBeNull();
    expect(usdToNanoUsd(Number.POSITIVE_INFINITY)).toBeNull();
    expect(usdToNanoUsd("abc")).toBeNull();
    expect(usdToNanoUsd("1.2.3")).toBeNull();
    expect(usdToNanoUsd("")).toBeNull();
    expect(usdToNanoUsd(true)).toBeNull();
    expect(decimalStringToNano("1e999999")).toBeNull();
  });
});
