/**
 * Token counts with one meaning whatever the source: `inputTokens` includes cache reads and
 * writes, `outputTokens` includes reasoning, and a count that was not reported stays null.
 *
 * Langfuse `usage_details` follow Langfuse's own model, where `input` and `output` are the
 * parts not itemised elsewhere (cache and reasoning are separate keys): they are summed back.
 *
 * Cache-exclusive input counts (Anthropic's and Bedrock's raw `input_tokens`) are recognised by:
 * 1. the key itself: Langfuse `usage_details.input` is always the uncached part (Langfuse prices
 *    each usage key separately and its SDKs subtract cache details from `input`);
 * 2. provider ∈ {anthropic, aws.bedrock} and either a profile known to pass raw counts through
 *    (Traceloop JS, OpenLIT, AI SDK ≤ v5) or a raw provider usage key (`input_tokens` inside a
 *    Langfuse or Logfire usage document);
 * 3. the heuristic `input < cacheRead + cacheWrite`, which no inclusive count can satisfy.
 * An exclusive count gets the cache added once; an inclusive one is left alone (no double count).
 */
import { CACHE_EXCLUSIVE_PROVIDERS } from "./provider";
import type { FieldName } from "./rules/fields";
import { FIELD_SUMS } from "./rules/fields";
import type { InstrumentationProfile } from "./rules/profiles";
import { toTokenCount } from "./coerce";
import type { SpanFacts } from "./span-facts";

export interface TokenCounts {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  cacheWriteTtl: "1h" | null;
}

const ALWAYS_EXCLUSIVE_INPUT_KEYS: ReadonlySet<string> = new Set(["langfuse.observation.usage_details.input"]);
/** Langfuse's `output` likewise leaves its details (reasoning) out. */
const ALWAYS_EXCLUSIVE_OUTPUT_KEYS: ReadonlySet<string> = new Set(["langfuse.observation.usage_details.output"]);

const RAW_PROVIDER_INPUT_KEYS: ReadonlySet<string> = new Set([
  "langfuse.observation.usage_details.input_tokens",
  "langfuse.observation.usage_details.inputTokens",
  "response_data.usage.input_tokens",
]);

function tokenField(facts: SpanFacts, field: FieldName): number | null {
  const found = facts.get(field);
  if (found !== undefined) return found.value as number;
  for (const keys of FIELD_SUMS[field] ?? []) {
    let sum = 0;
    let isComplete = true;
    for (const key of keys) {
      const count = toTokenCount(facts.lookup(key));
      if (count === null) {
        isComplete = false;
        break;
      }
      sum += count;
    }
    if (isComplete) return sum;
  }
  return null;
}

export function resolveTokens(facts: SpanFacts, profile: InstrumentationProfile, provider: string | null): TokenCounts {
  const input = facts.get("inputTokens");
  let inputTokens = input !== undefined ? (input.value as number) : null;
  const output = facts.get("outputTokens");
  let outputTokens = output !== undefined ? (output.value as number) : null;
  let cacheReadTokens = tokenField(facts, "cacheReadTokens");
  let cacheWriteTokens = tokenField(facts, "cacheWriteTokens");
  const reasoningTokens = tokenField(facts, "reasoningTokens");
  const isCacheExclusiveProvider = provider !== null && CACHE_EXCLUSIVE_PROVIDERS.has(provider);

  if (input !== undefined && inputTokens !== null) {
    const cacheTokens = (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0);
    const isExclusive =
      ALWAYS_EXCLUSIVE_INPUT_KEYS.has(input.key) ||
      (isCacheExclusiveProvider &&
        (RAW_PROVIDER_INPUT_KEYS.has(input.key) || profile.sendsCacheExclusiveInput(facts.lookup))) ||
      inputTokens < cacheTokens;
    if (isExclusive) inputTokens += cacheTokens;

    // Usage was recorded, and Anthropic always reports both cache counts: what the
    // instrumentation left out was 0.
    if (profile.omitsZeroCacheTokensForAnthropic && provider === "anthropic") {
      cacheReadTokens ??= 0;
      cacheWriteTokens ??= 0;
    }
  }

  // Output includes reasoning. Langfuse's `output` leaves it out, and a count below the reasoning
  // count must have left it out too (AI SDK v5 with Gemini reports candidates and thoughts apart).
  if (
    output !== undefined &&
    outputTokens !== null &&
    reasoningTokens !== null &&
    (ALWAYS_EXCLUSIVE_OUTPUT_KEYS.has(output.key) || outputTokens < reasoningTokens)
  ) {
    outputTokens += reasoningTokens;
  }

  const oneHourWrites = tokenField(facts, "cacheWrite1hTokens");
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens,
    cacheWriteTtl: oneHourWrites !== null && oneHourWrites > 0 ? "1h" : null,
  };
}
