/**
 * Exact money parsing: a cost reported by an instrumentation (USD, as a JSON number or a decimal
 * string) becomes an integer count of nano-USD without passing through floating-point arithmetic.
 */
import type { AttributeValue } from "@/lib/otlp/types";
import { unquoteJsonString } from "./coerce";
import { FIELD_SUMS } from "./rules/fields";
import type { SpanFacts } from "./span-facts";

const NANO_DIGITS = 9;

/**
 * USD → nano-USD, exactly. Numbers are read through their shortest round-trip decimal string
 * (`String(0.000123)` is "0.000123", `String(1e-7)` is "1e-7"), so 0.000123 becomes 123000n and
 * not 122999n. Digits past the ninth decimal are rounded half away from zero. Negative, NaN,
 * infinite and non-numeric values give null: a reported cost is never negative.
 */
export function usdToNanoUsd(value: AttributeValue | undefined): bigint | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return null;
    return decimalStringToNano(String(value));
  }
  if (typeof value === "string") return decimalStringToNano(unquoteJsonString(value));
  return null;
}

/** Parses `[+]digits[.digits][e[+-]digits]` into nano units; null when the text is not that. */
export function decimalStringToNano(text: string): bigint | null {
  const trimmed = text.trim();
  let index = 0;
  if (trimmed.charCodeAt(0) === 43 /* + */) index = 1;
  let integerDigits = "";
  let fractionDigits = "";
  let seenPoint = false;
  for (; index < trimmed.length; index++) {
    const code = trimmed.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      if (seenPoint) fractionDigits += trimmed[index];
      else integerDigits += trimmed[index];
    } else if (code === 46 /* . */ && !seenPoint) {
      seenPoint = true;
    } else {
      break;
    }
  }
  if (integerDigits === "" && fractionDigits === "") return null;
  let exponent = 0;
  if (index < trimmed.length) {
    const marker = trimmed[index];
    if (marker !== "e" && marker !== "E") return null;
    const exponentText = trimmed.slice(index + 1);
    if (!/^[+-]?\d{1,4}$/.test(exponentText)) return null;
    exponent = Number(exponentText);
  }
  // value = 0.digits... shifted: all digits as one integer, scaled by 10^(exponent - fraction length).
  const digits = (integerDigits + fractionDigits).replace(/^0+(?=\d)/, "");
  const shift = exponent - fractionDigits.length + NANO_DIGITS;
  if (shift >= 0) {
    if (shift > 30) return null; // more than 10^21 USD: not a cost
    return BigInt(digits) * 10n ** BigInt(shift);
  }
  const dropped = -shift;
  if (dropped > digits.length) return 0n;
  const kept = digits.slice(0, digits.length - dropped);
  const firstDropped = digits.charCodeAt(digits.length - dropped) - 48;
  const base = kept === "" ? 0n : BigInt(kept);
  return firstDropped >= 5 ? base + 1n : base;
}

/**
 * The cost the instrumentation reported, first present wins (fields.ts `reportedCost`), else the
 * sum of a complete split (OpenInference prompt + completion), else Langfuse's own rule: without a
 * total, the cost is the sum of its cost details.
 */
export function resolveReportedCost(facts: SpanFacts): bigint | null {
  const reported = facts.get("reportedCost");
  if (reported !== undefined) return reported.value as bigint;
  for (const keys of FIELD_SUMS.reportedCost ?? []) {
    const total = sumOf(keys.map((key) => facts.lookup(key)), true);
    if (total !== null) return total;
  }
  const details = facts.document("langfuse.observation.cost_details");
  return details === undefined ? null : sumOf(Object.values(details) as AttributeValue[], false);
}

/** Exact sum of USD values; with `requireAll`, null as soon as one value is not a cost. */
function sumOf(values: readonly (AttributeValue | undefined)[], requireAll: boolean): bigint | null {
  let total: bigint | null = null;
  for (const value of values) {
    const part = usdToNanoUsd(value);
    if (part === null) {
      if (requireAll) return null;
      continue;
    }
    total = (total ?? 0n) + part;
  }
  return total;
}
