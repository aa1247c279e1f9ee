import { describe, expect, it } from "vitest";
import { picoUsdPerToken } from "@/lib/pricing/money";
import { validateModelPattern } from "@/lib/pricing/model-pattern";
import { SEED_PRICES } from "@/lib/pricing/seed-prices";

describe("SEED_PRICES", () => {
  it("has valid, unique rows with a source page and a checked date", () => {
    const identities = new Set<string>();
    for (const price of SEED_PRICES) {
      expect(validateModelPattern(price.modelPattern)).toBeNull();
      expect(price.modelPattern).toBe(price.modelPattern.toLowerCase());
      for (const value of [price.inputUsdPerMtok, price.outputUsdPerMtok]) expect(() => picoUsdPerToken(value)).not.toThrow();
      expect(price.source).toMatch(/^https:\/\//);
      expect(price.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      identities.add(`${price.provider} ${price.modelPattern} ${price.effectiveFrom}`);
    }
    expect(identities.size).toBe(SEED_PRICES.length);
  });

  it("prices every Anthropic row's cache at 0.1× read, 1.25× (5 min) and 2× (1 h) write", () => {
    const rows = SEED_PRICES.filter((price) => price.provider === "anthropic");
    expect(rows.length).toBeGreaterThan(0);
    for (const price of rows) {
      const input = picoUsdPerToken(price.inputUsdPerMtok);
      expect(picoUsdPerToken(price.cacheReadUsdPerMtok!) * 10n).toBe(input);
      expect(picoUsdPerToken(price.cacheWrite5mUsdPerMtok!) * 4n).toBe(input * 5n);
      expect(picoUsdPerToken(price.cacheWrite1hUsdPerMtok!)).toBe(input * 2n);
    }
  });

  it("carries the ECONOMICS.md figures", () => {
    const find = (provider: string, pattern: string) =>
      SEED_PRICES.find((price) => price.provider === provider && price.modelPattern === pattern)!;
    expect(find("openai", "gpt-4o")).toMatchObject({ inputUsdPerMtok: "2.50", cacheReadUsdPerMtok: "1.25", outputUsdPerMtok: "10.00" });
    expect(find("openai", "gpt-4.1")).toMatchObject({ inputUsdPerMtok: "2.00", cacheReadUsdPerMtok: "0.50", outputUsdPerMtok: "8.00" });
    expect(find("openai", "gpt-5")).toMatchObject({ inputUsdPerMtok: "1.25", cacheReadUsdPerMtok: "0.125", outputUsdPerMtok: "10.00" });
    expect(find("anthropic", "claude-sonnet-4*")).toMatchObject({ inputUsdPerMtok: "3.00", outputUsdPerMtok: "15.00" });
    expect(find("anthropic", "claude-haiku-4-5*")).toMatchObject({ inputUsdPerMtok: "1.00", outputUsdPerMtok: "5.00" });
    expect(find("anthropic", "claude-opus-4*")).toMatchObject({ inputUsdPerMtok: "5.00", outputUsdPerMtok: "25.00" });
    expect(find("gcp.gemini", "gemini-2.5-pro*")).toMatchObject({ inputUsdPerMtok: "1.25", outputUsdPerMtok: "10.00", checkedAt: "2026-10-07" });
    expect(find("gcp.gemini", "gemini-2.5-flash")).toMatchObject({ inputUsdPerMtok: "0.30" });
    expect(find("gcp.gemini", "gemini-2.5-flash").notes).toMatch(/UNCONFIRMED/);
  });

  it("says so in the notes for every figure not taken from ECONOMICS.md", () => {
    const fromEconomics = new Set([
      "openai gpt-4o",
      "openai gpt-4.1",
      "openai gpt-5",
      "anthropic claude-sonnet-4*",
      "anthropic claude-haiku-4-5*",
      "anthropic claude-opus-4*",
      "gcp.gemini gemini-2.5-pro*",
      "gcp.gemini gemini-2.5-flash",
    ]);
    for (const price of SEED_PRICES) {
      if (fromEconomics.has(`${price.provider} ${price.modelPattern}`)) continue;
      expect(price.notes, `${price.provider} ${price.modelPattern}`).toMatch(/Not in ECONOMICS\.md/);
      expect(price.checkedAt < "2026-11-01", `${price.provider} ${price.modelPattern}`).toBe(true);
    }
  });
});
