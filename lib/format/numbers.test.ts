import { describe, expect, it } from "vitest";
import {
  formatAxisValue,
  formatChange,
  formatMs,
  formatPercent,
  formatTokens,
  formatUsd,
  formatValue,
  MISSING,
  relativeChange,
} from "@/lib/format/numbers";

describe("formatMs", () => {
  it.each([
    [0, "0 ms"],
    [0.42, "0.42 ms"],
    [4.25, "4.3 ms"],
    [345.4, "345 ms"],
    [999.4, "999 ms"],
    [999.6, "1.00 s"],
    [1250, "1.25 s"],
    [9_994, "9.99 s"],
    [9_996, "10.0 s"],
    [12_340, "12.3 s"],
    [59_940, "59.9 s"],
    [60_000, "1 min"],
    [125_000, "2 min 5 s"],
    [3_600_000, "1 h"],
    [4_980_000, "1 h 23 min"],
    [-250, "−250 ms"],
  ])("%d ms → %s", (input, expected) => {
    expect(formatMs(input)).toBe(expected);
  });

  it("shows unknown as a dash, never 0", () => {
    expect(formatMs(null)).toBe(MISSING);
    expect(formatMs(undefined)).toBe(MISSING);
    expect(formatMs(Number.NaN)).toBe(MISSING);
  });
});

describe("formatTokens", () => {
  it("groups thousands and compacts on request", () => {
    expect(formatTokens(4321)).toBe("4,321");
    expect(formatTokens(1_234_567)).toBe("1,234,567");
    expect(formatTokens(1_234_567, { compact: true })).toBe("1.2M");
    expect(formatTokens(9_999, { compact: true })).toBe("9,999");
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(null)).toBe(MISSING);
  });
});

describe("formatUsd", () => {
  it.each([
    [0, "$0.00"],
    [1234.567, "$1,234.57"],
    [12.3, "$12.30"],
    [0.996, "$1.00"],
    [0.0123456, "$0.0123"],
    [0.000456, "$0.000456"],
    [0.1, "$0.1"],
    [0.0000004, "<$0.000001"],
    [-3.5, "−$3.50"],
  ])("%d → %s", (input, expected) => {
    expect(formatUsd(input)).toBe(expected);
  });

  it("keeps unknown cost apart from $0", () => {
    expect(formatUsd(null)).toBe(MISSING);
  });
});

describe("formatPercent", () => {
  it.each([
    [0, "0%"],
    [1, "100%"],
    [0.1234, "12.3%"],
    [0.5, "50.0%"],
    [0.0004, "<0.1%"],
    [0.9996, ">99.9%"],
    [-0.25, "−25.0%"],
  ])("%d → %s", (input, expected) => {
    expect(formatPercent(input)).toBe(expected);
  });

  it("takes a precision", () => {
    expect(formatPercent(0.12345, { digits: 2 })).toBe("12.35%");
    expect(formatPercent(0.12345, { digits: 0 })).toBe("12%");
  });
});

describe("changes", () => {
  it("computes and signs relative changes", () => {
    expect(relativeChange(120, 100)).toBeCloseTo(0.2);
    expect(relativeChange(80, 100)).toBeCloseTo(-0.2);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 3)).toBeNull();
    expect(formatChange(0.2)).toBe("+20.0%");
    expect(formatChange(-0.04)).toBe("−4.0%");
    expect(formatChange(0.0001)).toBe("±0%");
    expect(formatChange(null)).toBe(MISSING);
    expect(formatChange(8.5)).toBe("+850.0%");
    expect(formatChange(9)).toBe("×10");
    expect(formatChange(4699.2)).toBe("×4,700");
  });
});

describe("formatValue and axes", () => {
  it("dispatches on the unit", () => {
    expect(formatValue(345, "ms")).toBe("345 ms");
    expect(formatValue(4321, "tokens")).toBe("4,321");
    expect(formatValue(2.5, "usd")).toBe("$2.50");
    expect(formatValue(0.25, "percent")).toBe("25.0%");
    expect(formatValue(7, "count")).toBe("7");
  });

  it("keeps axis ticks short", () => {
    expect(formatAxisValue(250, "ms")).toBe("250 ms");
    expect(formatAxisValue(1500, "ms")).toBe("1.5 s");
    expect(formatAxisValue(90_000, "ms")).toBe("1.5 min");
    expect(formatAxisValue(12_000, "tokens")).toBe("12K");
    expect(formatAxisValue(1200, "usd")).toBe("$1.2K");
    expect(formatAxisValue(2.5, "usd")).toBe("$2.5");
    expect(formatAxisValue(0.0042, "usd")).toBe("$0.0042");
    expect(formatAxisValue(0.25, "percent")).toBe("25%");
    expect(formatAxisValue(0, "ms")).toBe("0");
    expect(formatAxisValue(null, "ms")).toBe("");
  });
});
