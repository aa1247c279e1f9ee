import type { CostSource, NormalizedSpan } from "@/lib/ingest/types";
import { picoToNanoUsd } from "@/lib/pricing/money";
import type { PriceLookup, ResolvedPrice } from "@/lib/pricing/price-book";

/**
 * A call's cost, settled once at ingest and stored as integer nano-USD (spans.cost_nano_usd).
 *
 * - A cost the instrumentation reported wins ("reported").
 * - Otherwise it is computed from the price list ("computed"), cache-aware. `inputTokens`
 *   includes cache reads and writes (DESIGN.md), so each input token is priced once:
 *     uncached × input + cacheRead × cacheRead price + cacheWrite × cacheWrite price + output × output
 *   where a missing cache-read price falls back to the input price, a cache write uses the 1-hour
 *   price when the call says its TTL was 1 h (else the 5-minute one, then the input price), and
 *   reasoning tokens are already inside `outputTokens` (never added again).
 * - No price for the provider and model, or no token counts at all → `{ null, "unknown" }`:
 *   an unknown cost is never shown as $0.
 * - Non-LLM spans carry no cost: `{ null, null }`.
 *
 * Exactness: Σ tokens × integer pico-USD per token, rounded half up once per call to nano-USD
 * (lib/pricing/money). Summing stored costs in any grouping therefore gives the same total.
 */
export interface CostResult {
  costNanoUsd: bigint | null;
  costSource: CostSource | null;
}

export type CostInput = Pick<
  NormalizedSpan,
  | "isLlm"
  | "provider"
  | "requestModel"
  | "responseModel"
  | "inputTokens"
  | "outputTokens"
  | "cacheReadTokens"
  | "cacheWriteTokens"
  | "cacheWriteTtl"
  | "reportedCostNanoUsd"
  | "startTimeUnixNano"
>;

const NO_COST: CostResult = { costNanoUsd: null, costSource: null };
const UNKNOWN: CostResult = { costNanoUsd: null, costSource: "unknown" };
let hasWarnedUnloaded = false;

export function computeCost(projectId: string | null, span: CostInput, priceBook: PriceLookup): CostResult {
  if (!span.isLlm) return NO_COST;
  if (span.reportedCostNanoUsd !== null) return { costNanoUsd: span.reportedCostNanoUsd, costSource: "reported" };
  if (span.inputTokens === null && span.outputTokens === null) return UNKNOWN;
  if (!priceBook.isLoaded && !hasWarnedUnloaded) {
    hasWarnedUnloaded = true;
    console.warn("[sous] spans priced before the price list was loaded: await loadPriceBook() before pricing.");
  }
  const price = findPrice(projectId, span, priceBook);
  if (!price) return UNKNOWN;
  return { costNanoUsd: picoToNanoUsd(costPicoUsd(span, price)), costSource: "computed" };
}

/**
 * The price for a call: by its response model, else its request model (a deployment alias in the
 * request and the real model in the response, or the reverse), on the UTC day the call started.
 */
export function findPrice(
  projectId: string | null,
  span: Pick<CostInput, "provider" | "requestModel" | "responseModel" | "startTimeUnixNano">,
  priceBook: PriceLookup,
): ResolvedPrice | null {
  const day = utcDay(span.startTimeUnixNano);
  const byResponse = priceBook.lookup(projectId, span.provider, span.responseModel, day);
  if (byResponse || span.requestModel === span.responseModel) return byResponse;
  return priceBook.lookup(projectId, span.provider, span.requestModel, day);
}

type TokenCounts = Pick<CostInput, "inputTokens" | "outputTokens" | "cacheReadTokens" | "cacheWriteTokens" | "cacheWriteTtl">;

/** The exact cost in pico-USD, before rounding. */
export function costPicoUsd(tokens: TokenCounts, price: ResolvedPrice): bigint {
  const input = tokenCount(tokens.inputTokens);
  const cacheRead = tokenCount(tokens.cacheReadTokens);
  const cacheWrite = tokenCount(tokens.cacheWriteTokens);
  const output = tokenCount(tokens.outputTokens);
  // Inconsistent counts (cache larger than the input total) must not make the cost negative.
  const uncached = input > cacheRead + cacheWrite ? input - cacheRead - cacheWrite : 0n;
  return (
    uncached * price.inputPicoUsdPerToken +
    cacheRead * (price.cacheReadPicoUsdPerToken ?? price.inputPicoUsdPerToken) +
    cacheWrite * cacheWritePrice(tokens.cacheWriteTtl, price) +
    output * price.outputPicoUsdPerToken
  );
}

/**
 * What prompt caching changed for this call, in nano-USD, against the same tokens all priced as
 * input: positive = saved (cheap reads), negative = cost more (write premiums). Null when the
 * call has no price or did not report cache use.
 */
export function computeCacheSavings(projectId: string | null, span: CostInput, priceBook: PriceLookup): bigint | null {
  if (!span.isLlm || (span.cacheReadTokens === null && span.cacheWriteTokens === null)) return null;
  const price = findPrice(projectId, span, priceBook);
  if (!price) return null;
  const input = price.inputPicoUsdPerToken;
  const readSaving = tokenCount(span.cacheReadTokens) * (input - (price.cacheReadPicoUsdPerToken ?? input));
  const writeSaving = tokenCount(span.cacheWriteTokens) * (input - cacheWritePrice(span.cacheWriteTtl, price));
  return picoToNanoUsd(readSaving + writeSaving);
}

function cacheWritePrice(ttl: CostInput["cacheWriteTtl"], price: ResolvedPrice): bigint {
  return (
    (ttl === "1h" ? price.cacheWrite1hPicoUsdPerToken : null) ??
    price.cacheWrite5mPicoUsdPerToken ??
    price.inputPicoUsdPerToken
  );
}

function tokenCount(value: number | null): bigint {
  if (value === null || !Number.isFinite(value) || value <= 0) return 0n;
  return BigInt(Math.round(value));
}

const NANOS_PER_DAY = 86_400_000_000_000n;
let lastEpochDay = Number.NaN;
let lastDayText = "";

/** The UTC calendar day (YYYY-MM-DD) of a span start; memoized because a batch shares a day. */
export function utcDay(unixNano: bigint): string {
  const epochDay = Number(unixNano / NANOS_PER_DAY);
  if (epochDay !== lastEpochDay) {
    lastDayText = new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
    lastEpochDay = epochDay;
  }
  return lastDayText;
}
