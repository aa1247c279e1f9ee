import type { NormalizedSpan } from "@/lib/ingest/types";
import type { CostInput } from "@/lib/pricing/compute-cost";
import type { PriceRecord } from "@/lib/pricing/price-book";
import { SEED_PRICES } from "@/lib/pricing/seed-prices";

/** Test helpers: the seeded list as PriceRecords, and an LLM call with only what pricing reads. */
export function seedRecords(): PriceRecord[] {
  return SEED_PRICES.map((price, index) => ({
    id: `seed-${index}`,
    projectId: null,
    provider: price.provider,
    modelPattern: price.modelPattern,
    inputUsdPerMtok: price.inputUsdPerMtok,
    cacheReadUsdPerMtok: price.cacheReadUsdPerMtok,
    cacheWrite5mUsdPerMtok: price.cacheWrite5mUsdPerMtok,
    cacheWrite1hUsdPerMtok: price.cacheWrite1hUsdPerMtok,
    outputUsdPerMtok: price.outputUsdPerMtok,
    effectiveFrom: price.effectiveFrom,
  }));
}

export function priceRecord(overrides: Partial<PriceRecord> & Pick<PriceRecord, "provider" | "modelPattern">): PriceRecord {
  return {
    id: `record-${overrides.provider}-${overrides.modelPattern}-${overrides.effectiveFrom ?? "2023-01-01"}-${overrides.projectId ?? "global"}`,
    projectId: null,
    inputUsdPerMtok: "1.00",
    cacheReadUsdPerMtok: null,
    cacheWrite5mUsdPerMtok: null,
    cacheWrite1hUsdPerMtok: null,
    outputUsdPerMtok: "2.00",
    effectiveFrom: "2023-01-01",
    ...overrides,
  };
}

/** 2026-11-20T12:00:00Z */
export const CALL_TIME_UNIX_NANO = 1_795_176_000_000_000_000n;

export function llmCall(overrides: Partial<NormalizedSpan> = {}): CostInput {
  return {
    isLlm: true,
    provider: "openai",
    requestModel: "gpt-4o",
    responseModel: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWriteTtl: null,
    reportedCostNanoUsd: null,
    startTimeUnixNano: CALL_TIME_UNIX_NANO,
    ...overrides,
  };
}

export function unixNano(isoTime: string): bigint {
  return BigInt(Date.parse(isoTime)) * 1_000_000n;
}
