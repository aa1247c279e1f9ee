/**
 * Exact money arithmetic for pricing. No floating point anywhere on the way from a price to a
 * stored cost:
 * - a price is a decimal string in USD per 1M tokens with at most 6 decimals (the column is
 *   numeric(14, 6)), so it is an exact integer number of pico-USD per token:
 *   1 USD / 1M tokens = 10^-6 USD per token = 10^6 pico-USD per token;
 * - a call's cost is Σ tokens × pico-USD per token, an exact bigint in pico-USD;
 * - it is rounded once, half up, to whole nano-USD (the stored unit, spans.cost_nano_usd).
 * Because each call is rounded exactly once and stored as an integer, any grouping of calls sums
 * to the same total, to the nano-dollar, in SQL or in JS.
 */
const DECIMAL_PRICE = /^(\d{1,8})(?:\.(\d{1,6}))?$/;

export class PriceFormatError extends Error {}

/** "2.50" (USD per 1M tokens) → 2_500_000n pico-USD per token. */
export function picoUsdPerToken(usdPerMillionTokens: string): bigint {
  const match = DECIMAL_PRICE.exec(usdPerMillionTokens.trim());
  if (!match) {
    throw new PriceFormatError(
      `"${usdPerMillionTokens}" is not a price in USD per 1M tokens (a non-negative decimal with at most 6 decimals).`,
    );
  }
  const whole = BigInt(match[1]!);
  const fraction = BigInt((match[2] ?? "").padEnd(6, "0"));
  return whole * 1_000_000n + fraction;
}

/** The inverse of picoUsdPerToken, without trailing zeros beyond two decimals ("2.5" → "2.50"). */
export function usdPerMillionTokens(picoPerToken: bigint): string {
  const whole = picoPerToken / 1_000_000n;
  const fraction = (picoPerToken % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${whole}.${fraction}`;
}

/** Rounds a non-negative pico-USD amount half up to nano-USD; a negative one half away from zero. */
export function picoToNanoUsd(pico: bigint): bigint {
  return pico >= 0n ? (pico + 500n) / 1000n : -((-pico + 500n) / 1000n);
}

/** Scales a decimal price by numerator/denominator exactly (cache multipliers such as 1.25×). */
export function scalePrice(usdPerMillionTokens_: string, numerator: bigint, denominator: bigint): string {
  const scaled = picoUsdPerToken(usdPerMillionTokens_) * numerator;
  if (scaled % denominator !== 0n) {
    throw new PriceFormatError(`${usdPerMillionTokens_} × ${numerator}/${denominator} needs more than 6 decimals.`);
  }
  return usdPerMillionTokens(scaled / denominator);
}

/** nano-USD → a decimal USD string with 9 decimals ("1234567" → "0.001234567"), for display and export. */
export function nanoUsdToDecimal(nano: bigint): string {
  const sign = nano < 0n ? "-" : "";
  const magnitude = nano < 0n ? -nano : nano;
  return `${sign}${magnitude / 1_000_000_000n}.${(magnitude % 1_000_000_000n).toString().padStart(9, "0")}`;
}
