import { describe, expect, it } from "vitest";
import { nanoUsdToDecimal, picoToNanoUsd, picoUsdPerToken, scalePrice, usdPerMillionTokens } from "@/lib/pricing/money";

describe("money", () => {
  it("turns USD per 1M tokens into exact pico-USD per token", () => {
    expect(picoUsdPerToken("2.50")).toBe(2_500_000n);
    expect(picoUsdPerToken("0.075")).toBe(75_000n);
    expect(picoUsdPerToken("15")).toBe(15_000_000n);
    expect(picoUsdPerToken("0.000001")).toBe(1n);
    expect(picoUsdPerToken("2.500000")).toBe(2_500_000n); // numeric(14,6) as PostgreSQL prints it
    expect(() => picoUsdPerToken("0.0000001")).toThrow(/at most 6 decimals/);
    expect(() => picoUsdPerToken("-1")).toThrow();
    expect(() => picoUsdPerToken("1e3")).toThrow();
  });

  it("round-trips and scales prices exactly", () => {
    expect(usdPerMillionTokens(2_500_000n)).toBe("2.50");
    expect(usdPerMillionTokens(75_000n)).toBe("0.075");
    expect(scalePrice("3.00", 5n, 4n)).toBe("3.75");
    expect(scalePrice("1.00", 1n, 10n)).toBe("0.10");
    expect(() => scalePrice("0.000001", 1n, 10n)).toThrow();
  });

  it("rounds pico-USD half up to nano-USD", () => {
    expect(picoToNanoUsd(499n)).toBe(0n);
    expect(picoToNanoUsd(500n)).toBe(1n);
    expect(picoToNanoUsd(1_499n)).toBe(1n);
    expect(picoToNanoUsd(1_500n)).toBe(2n);
    expect(picoToNanoUsd(-1_500n)).toBe(-2n);
  });

  it("prints nano-USD as a decimal", () => {
    expect(nanoUsdToDecimal(1_234_567n)).toBe("0.001234567");
    expect(nanoUsdToDecimal(12_000_000_000n)).toBe("12.000000000");
    expect(nanoUsdToDecimal(-5n)).toBe("-0.000000005");
  });
});
