import { describe, expect, it } from "vitest";
import { computeCacheSavings, computeCost, utcDay } from "@/lib/pricing/compute-cost";
import { PriceBook } from "@/lib/pricing/price-book";
import { llmCall, priceRecord, seedRecords, unixNano } from "@/lib/pricing/test-fixtures";

const book = PriceBook.fromRecords(seedRecords());
const PROJECT = "11111111-1111-4111-8111-111111111111";

// Expected costs below are worked by hand: Σ tokens × USD per 1M tokens / 1e6, in nano-USD.
describe("computeCost", () => {
  it("prices OpenAI calls with cached tokens counted inside the input", () => {
    // gpt-4o: 6,000 uncached × 2.50 + 4,000 cached × 1.25 + 500 output × 10.00 = 25,000 µ$ → $0.025
    const call = llmCall({ responseModel: "gpt-4o-2024-08-06", inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 500 });
    expect(computeCost(PROJECT, call, book)).toEqual({ costNanoUsd: 25_000_000n, costSource: "computed" });
  });

  it("prices Anthropic cache writes at 1.25× for the 5-minute TTL and 2× for 1 hour", () => {
    const base = {
      provider: "anthropic",
      requestModel: "claude-sonnet-4-5",
      responseModel: "claude-sonnet-4-5-20250929",
      inputTokens: 12_000,
      cacheReadTokens: 8_000,
      cacheWriteTokens: 2_000,
      outputTokens: 1_000,
    };
    // 2,000 × 3.00 + 8,000 × 0.30 + 2,000 × 3.75 + 1,000 × 15.00 = 30,900 µ$
    expect(computeCost(PROJECT, llmCall(base), book).costNanoUsd).toBe(30_900_000n);
    expect(computeCost(PROJECT, llmCall({ ...base, cacheWriteTtl: "5m" }), book).costNanoUsd).toBe(30_900_000n);
    // the write at 6.00 instead: 35,400 µ$
    expect(computeCost(PROJECT, llmCall({ ...base, cacheWriteTtl: "1h" }), book).costNanoUsd).toBe(35_400_000n);
  });

  it("counts reasoning tokens once, inside the output", () => {
    // gpt-5: 1,000 × 1.25 + 2,000 × 10.00 = 21,250 µ$, whatever part of the output was reasoning
    const call = llmCall({ requestModel: "gpt-5", inputTokens: 1_000, outputTokens: 2_000 });
    expect(computeCost(PROJECT, { ...call }, book).costNanoUsd).toBe(21_250_000n);
    const withReasoning = { ...call, reasoningTokens: 1_500 } as typeof call;
    expect(computeCost(PROJECT, withReasoning, book).costNanoUsd).toBe(21_250_000n);
  });

  it("says unknown, never $0, when the model, the provider or the tokens are unknown", () => {
    const unknown = { costNanoUsd: null, costSource: "unknown" };
    expect(computeCost(PROJECT, llmCall({ requestModel: "my-private-model", inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
    expect(computeCost(PROJECT, llmCall({ provider: "cohere", inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
    expect(computeCost(PROJECT, llmCall({ provider: null, inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
    expect(computeCost(PROJECT, llmCall({ requestModel: null, inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
    expect(computeCost(PROJECT, llmCall({ inputTokens: null, outputTokens: null }), book)).toEqual(unknown);
    // Newer model names are not guessed from an older price.
    expect(computeCost(PROJECT, llmCall({ requestModel: "gpt-5-pro", inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
    expect(computeCost(PROJECT, llmCall({ requestModel: "o3-pro", inputTokens: 10, outputTokens: 10 }), book)).toEqual(unknown);
  });

  it("prices a call that reports only input tokens (embeddings) from the input alone", () => {
    const call = llmCall({ requestModel: "gpt-4.1", inputTokens: 1_000_000, outputTokens: null });
    expect(computeCost(PROJECT, call, book)).toEqual({ costNanoUsd: 2_000_000_000n, costSource: "computed" });
  });

  it("uses a reported cost over the price list, even $0", () => {
    const call = llmCall({ inputTokens: 1_000, outputTokens: 1_000, reportedCostNanoUsd: 123_456n });
    expect(computeCost(PROJECT, call, book)).toEqual({ costNanoUsd: 123_456n, costSource: "reported" });
    expect(computeCost(PROJECT, { ...call, reportedCostNanoUsd: 0n }, book)).toEqual({ costNanoUsd: 0n, costSource: "reported" });
  });

  it("gives non-LLM spans no cost at all", () => {
    expect(computeCost(PROJECT, llmCall({ isLlm: false, inputTokens: 5, outputTokens: 5 }), book)).toEqual({
      costNanoUsd: null,
      costSource: null,
    });
  });

  it("never goes negative on inconsistent cache counts", () => {
    // 0 uncached (clamped) + 2,000 cached × 1.25 = 2,500 µ$
    const call = llmCall({ inputTokens: 1_000, cacheReadTokens: 2_000, outputTokens: 0 });
    expect(computeCost(PROJECT, call, book).costNanoUsd).toBe(2_500_000n);
  });

  it("rounds each call once, half up, to the nano-dollar", () => {
    const tiny = PriceBook.fromRecords([
      priceRecord({ provider: "openai", modelPattern: "half", inputUsdPerMtok: "0.0005", outputUsdPerMtok: "0.000499" }),
    ]);
    // 1 token × 0.0005 $/M = 500 pico-USD → 1 nano; 1 token × 0.000499 $/M = 499 pico-USD → 0 nano
    expect(computeCost(PROJECT, llmCall({ requestModel: "half", inputTokens: 1, outputTokens: 0 }), tiny).costNanoUsd).toBe(1n);
    expect(computeCost(PROJECT, llmCall({ requestModel: "half", inputTokens: 0, outputTokens: 1 }), tiny).costNanoUsd).toBe(0n);
    // 3 tokens × 500 pico = 1,500 pico → 2 nano
    expect(computeCost(PROJECT, llmCall({ requestModel: "half", inputTokens: 3, outputTokens: 0 }), tiny).costNanoUsd).toBe(2n);
  });

  it("adds up exactly: the sum of per-call costs equals an independent exact computation", () => {
    const random = mulberry32(7);
    let total = 0n;
    let reference = 0n;
    const models = ["gpt-4o", "gpt-4o-mini", "gpt-5-nano", "o4-mini"];
    for (let index = 0; index < 20_000; index++) {
      const model = models[index % models.length]!;
      const input = Math.floor(random() * 200_000);
      const cacheRead = Math.floor(random() * input);
      const output = Math.floor(random() * 5_000);
      total += computeCost(PROJECT, llmCall({ requestModel: model, inputTokens: input, cacheReadTokens: cacheRead, outputTokens: output }), book)
        .costNanoUsd!;
      const price = book.lookup(null, "openai", model, "2026-11-20")!;
      const pico =
        BigInt(input - cacheRead) * price.inputPicoUsdPerToken +
        BigInt(cacheRead) * price.cacheReadPicoUsdPerToken! +
        BigInt(output) * price.outputPicoUsdPerToken;
      // round half up: floor((2·pico + 1000) / 2000)
      reference += (2n * pico + 1000n) / 2000n;
    }
    expect(total).toBe(reference);
  });

  it("prices by the request model when the response model has no price", () => {
    const call = llmCall({ provider: "azure.ai.openai", requestModel: "gpt-4o", responseModel: "my-deployment", inputTokens: 1_000_000, outputTokens: 0 });
    expect(computeCost(PROJECT, call, book).costNanoUsd).toBe(2_500_000_000n);
  });

  it("uses the price in effect on the call's UTC day", () => {
    const o3 = { requestModel: "o3", inputTokens: 1_000_000, outputTokens: 0 };
    const before = llmCall({ ...o3, startTimeUnixNano: unixNano("2025-06-09T23:59:59Z") });
    const after = llmCall({ ...o3, startTimeUnixNano: unixNano("2025-06-10T00:00:00Z") });
    expect(computeCost(PROJECT, before, book).costNanoUsd).toBe(10_000_000_000n);
    expect(computeCost(PROJECT, after, book).costNanoUsd).toBe(2_000_000_000n);
  });
});

describe("computeCacheSavings", () => {
  it("counts reads as saved and write premiums as spent, against all-input pricing", () => {
    const call = llmCall({
      provider: "anthropic",
      requestModel: "claude-haiku-4-5",
      inputTokens: 10_000,
      cacheReadTokens: 6_000,
      cacheWriteTokens: 4_000,
      outputTokens: 100,
    });
    // reads: 6,000 × (1.00 − 0.10) = 5,400 µ$ saved; writes: 4,000 × (1.00 − 1.25) = −1,000 µ$
    expect(computeCacheSavings(PROJECT, call, book)).toBe(4_400_000n);
    expect(computeCacheSavings(PROJECT, llmCall({ inputTokens: 10, outputTokens: 1 }), book)).toBeNull();
  });
});

describe("utcDay", () => {
  it("gives the UTC calendar day of a start time", () => {
    expect(utcDay(unixNano("2026-11-20T23:59:59.999Z"))).toBe("2026-11-20");
    expect(utcDay(unixNano("2026-11-21T00:00:00Z"))).toBe("2026-11-21");
    expect(utcDay(unixNano("2026-11-20T00:00:00Z"))).toBe("2026-11-20");
  });
});

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
