import { describe, expect, it } from "vitest";
import { PriceBook } from "@/lib/pricing/price-book";
import { priceRecord, seedRecords } from "@/lib/pricing/test-fixtures";

const PROJECT = "11111111-1111-4111-8111-111111111111";
const OTHER_PROJECT = "22222222-2222-4222-8222-222222222222";
const DAY = "2026-11-20";
const seeded = PriceBook.fromRecords(seedRecords());

function patternFor(provider: string, model: string, book = seeded, projectId: string | null = PROJECT): string | null {
  return book.lookup(projectId, provider, model, DAY)?.modelPattern ?? null;
}

describe("PriceBook.lookup on the seeded list", () => {
  it("picks the most specific pattern", () => {
    expect(patternFor("openai", "gpt-4o-mini-2024-07-18")).toBe("gpt-4o-mini");
    expect(patternFor("openai", "gpt-4o-2024-08-06")).toBe("gpt-4o");
    expect(patternFor("openai", "gpt-4o-2024-05-13")).toBe("gpt-4o-2024-05-13");
    expect(patternFor("openai", "gpt-4.1-mini")).toBe("gpt-4.1-mini");
    expect(patternFor("anthropic", "claude-opus-4-5-20251101")).toBe("claude-opus-4*");
    expect(patternFor("anthropic", "claude-opus-4-20250514")).toBe("claude-opus-4");
    expect(patternFor("anthropic", "claude-opus-4-1-20250805")).toBe("claude-opus-4-1");
    expect(patternFor("gcp.gemini", "gemini-2.5-flash-lite")).toBe("gemini-2.5-flash-lite");
    expect(patternFor("gcp.gemini", "gemini-2.5-flash")).toBe("gemini-2.5-flash");
  });

  it("requires the provider to match, with resellers falling back to the model maker's prices", () => {
    expect(patternFor("anthropic", "gpt-4o")).toBeNull();
    expect(patternFor("azure.ai.openai", "gpt-4o-2024-11-20")).toBe("gpt-4o");
    expect(patternFor("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0")).toBe("claude-sonnet-4*");
    expect(patternFor("aws.bedrock", "us.anthropic.claude-opus-4-1-20250805-v1:0")).toBe("claude-opus-4-1");
    expect(patternFor("aws.bedrock", "meta.llama3-3-70b-instruct-v1:0")).toBeNull();
    expect(patternFor("gcp.vertex_ai", "claude-haiku-4-5@20251001")).toBe("claude-haiku-4-5*");
    expect(patternFor("gcp.vertex_ai", "gemini-2.5-pro")).toBe("gemini-2.5-pro*");
    expect(patternFor("groq", "llama-3.3-70b-versatile")).toBe("llama-3.3-70b-versatile");
    expect(patternFor("together_ai", "meta-llama/Llama-3.3-70B-Instruct-Turbo")).toBe("meta-llama/llama-3.3-70b-instruct-turbo");
  });

  it("returns exact integer prices", () => {
    const sonnet = seeded.lookup(null, "anthropic", "claude-sonnet-4-5", DAY)!;
    expect(sonnet.inputPicoUsdPerToken).toBe(3_000_000n);
    expect(sonnet.cacheReadPicoUsdPerToken).toBe(300_000n);
    expect(sonnet.cacheWrite5mPicoUsdPerToken).toBe(3_750_000n);
    expect(sonnet.cacheWrite1hPicoUsdPerToken).toBe(6_000_000n);
    expect(sonnet.outputPicoUsdPerToken).toBe(15_000_000n);
  });
});

describe("PriceBook project overrides and dates", () => {
  const book = PriceBook.fromRecords([
    priceRecord({ provider: "openai", modelPattern: "gpt-4o", inputUsdPerMtok: "2.50" }),
    priceRecord({ provider: "openai", modelPattern: "gpt-4o", inputUsdPerMtok: "2.00", projectId: PROJECT, effectiveFrom: "2026-06-01" }),
    priceRecord({ provider: "openai", modelPattern: "gpt-4o", inputUsdPerMtok: "1.50", projectId: PROJECT, effectiveFrom: "2026-09-01" }),
    priceRecord({ provider: "openai", modelPattern: "gpt-4*", inputUsdPerMtok: "9.00", projectId: PROJECT }),
  ]);
  const input = (projectId: string | null, day: string, model = "gpt-4o") =>
    book.lookup(projectId, "openai", model, day)?.inputPicoUsdPerToken ?? null;

  it("prefers the project's own row for the same pattern, newest effective version first", () => {
    expect(input(PROJECT, "2026-11-20")).toBe(1_500_000n);
    expect(input(PROJECT, "2026-08-31")).toBe(2_000_000n);
    expect(input(PROJECT, "2026-05-31")).toBe(2_500_000n); // before the override: the global row
    expect(input(OTHER_PROJECT, "2026-11-20")).toBe(2_500_000n);
    expect(input(null, "2026-11-20")).toBe(2_500_000n);
  });

  it("applies a broader project pattern only where no more specific row matches", () => {
    expect(input(PROJECT, "2026-11-20", "gpt-4.1")).toBe(9_000_000n);
    expect(input(OTHER_PROJECT, "2026-11-20", "gpt-4.1")).toBeNull();
  });

  it("has no price before any row is in effect", () => {
    expect(input(null, "2022-12-31")).toBeNull();
  });

  it("skips invalid rows instead of failing", () => {
    const invalid: string[] = [];
    const partial = PriceBook.fromRecords(
      [priceRecord({ provider: "openai", modelPattern: "*" }), priceRecord({ provider: "openai", modelPattern: "ok", inputUsdPerMtok: "abc" }), priceRecord({ provider: "openai", modelPattern: "fine" })],
      (record) => invalid.push(record.modelPattern),
    );
    expect(invalid).toEqual(["*", "ok"]);
    expect(partial.lookup(null, "openai", "fine", DAY)).not.toBeNull();
  });

  it("is not loaded when empty", () => {
    expect(PriceBook.empty().isLoaded).toBe(false);
    expect(PriceBook.fromRecords([]).isLoaded).toBe(true);
  });
});
