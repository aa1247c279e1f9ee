import type { Random } from "./random";

/**
 * The models the simulated services call, with latency characteristics close to what these
 * providers show in practice: TTFT grows with uncached input (prefill), cached input costs about a
 * tenth of that, and output streams at a per-model token rate.
 */
export interface ModelProfile {
  provider: string; // gen_ai.provider.name
  requestModel: string;
  responseModel: string;
  serverAddress: string;
  serverPort: number;
  /** Median TTFT of a short, uncached prompt. */
  baseTtftMs: number;
  /** Extra prefill time per 1,000 uncached input tokens. */
  prefillMsPer1kTokens: number;
  outputTokensPerSecond: number;
  /** Finish reasons in the provider's own spelling: [normal, truncated]. */
  finishReasons: readonly [string, string];
  /** The error this provider most often returns under load. */
  overloadError: { type: string; message: string };
}

const openAi = { provider: "openai", serverAddress: "api.openai.com", serverPort: 443 } as const;
const openAiRateLimit = (model: string) => ({
  type: "429",
  message: `Rate limit reached for ${model} in organization org-sous on tokens per min (TPM)`,
});

export const models = {
  claudeSonnet: {
    provider: "anthropic",
    requestModel: "claude-sonnet-4-5",
    responseModel: "claude-sonnet-4-5-20250929",
    serverAddress: "api.anthropic.com",
    serverPort: 443,
    baseTtftMs: 560,
    prefillMsPer1kTokens: 32,
    outputTokensPerSecond: 62,
    finishReasons: ["end_turn", "max_tokens"],
    overloadError: { type: "529", message: "overloaded_error: Overloaded" },
  },
  gpt4oMini: {
    ...openAi,
    requestModel: "gpt-4o-mini",
    responseModel: "gpt-4o-mini-2024-07-18",
    baseTtftMs: 290,
    prefillMsPer1kTokens: 12,
    outputTokensPerSecond: 85,
    finishReasons: ["stop", "length"],
    overloadError: openAiRateLimit("gpt-4o-mini"),
  },
  gpt41: {
    ...openAi,
    requestModel: "gpt-4.1",
    responseModel: "gpt-4.1-2025-04-14",
    baseTtftMs: 430,
    prefillMsPer1kTokens: 22,
    outputTokensPerSecond: 68,
    finishReasons: ["stop", "length"],
    overloadError: openAiRateLimit("gpt-4.1"),
  },
  gpt41Mini: {
    ...openAi,
    requestModel: "gpt-4.1-mini",
    responseModel: "gpt-4.1-mini-2025-04-14",
    baseTtftMs: 330,
    prefillMsPer1kTokens: 14,
    outputTokensPerSecond: 80,
    finishReasons: ["stop", "length"],
    overloadError: openAiRateLimit("gpt-4.1-mini"),
  },
  textEmbedding3Small: {
    ...openAi,
    requestModel: "text-embedding-3-small",
    responseModel: "text-embedding-3-small",
    baseTtftMs: 90,
    prefillMsPer1kTokens: 6,
    outputTokensPerSecond: 1,
    finishReasons: ["stop", "length"],
    overloadError: openAiRateLimit("text-embedding-3-small"),
  },
  geminiFlash: {
    provider: "gcp.gemini",
    requestModel: "gemini-2.5-flash",
    responseModel: "gemini-2.5-flash",
    serverAddress: "generativelanguage.googleapis.com",
    serverPort: 443,
    baseTtftMs: 380,
    prefillMsPer1kTokens: 9,
    outputTokensPerSecond: 160,
    finishReasons: ["STOP", "MAX_TOKENS"],
    overloadError: { type: "429", message: "RESOURCE_EXHAUSTED: Resource has been exhausted" },
  },
  llama70b: {
    provider: "vllm",
    requestModel: "meta-llama/Llama-3.3-70B-Instruct",
    responseModel: "meta-llama/Llama-3.3-70B-Instruct",
    serverAddress: "vllm.internal",
    serverPort: 8000,
    baseTtftMs: 140,
    // About 10k tokens/s of prefill on the team's GPUs: a 60k-token prompt takes ~6 s.
    prefillMsPer1kTokens: 100,
    outputTokensPerSecond: 32,
    finishReasons: ["stop", "length"],
    overloadError: { type: "503", message: "Service Unavailable: the engine's waiting queue is full" },
  },
} satisfies Record<string, ModelProfile>;

export interface CallLatency {
  ttftMs: number;
  durationMs: number;
}

/** Samples TTFT and total duration for a call of the given size. */
export function sampleLatency(
  rng: Random,
  model: ModelProfile,
  usage: { inputTokens: number; cacheReadTokens: number; outputTokens: number },
): CallLatency {
  const uncachedTokens = Math.max(0, usage.inputTokens - usage.cacheReadTokens);
  const prefillMs =
    ((uncachedTokens + usage.cacheReadTokens * 0.1) / 1000) * model.prefillMsPer1kTokens;
  const ttftMs = rng.logNormal(model.baseTtftMs, 0.3) + prefillMs * rng.logNormal(1, 0.15);
  const decodeMs = (usage.outputTokens / (model.outputTokensPerSecond * rng.logNormal(1, 0.15))) * 1000;
  return { ttftMs, durationMs: ttftMs + decodeMs };
}

/** A failed call returns quickly: the provider rejects it before doing any work. */
export function sampleErrorDurationMs(rng: Random): number {
  return rng.logNormal(220, 0.5);
}

/** Rough token count of text (about four characters per token for English). */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface CallOutcome {
  durationMs: number;
  ttftMs?: number;
  /** The usage to report; undefined when the call failed. */
  usage?: { inputTokens: number; outputTokens?: number; cacheReadTokens?: number; cacheWriteTokens?: number };
  error?: { type: string; message: string };
}

/** Either a successful call of this size, or (at `errorRate`) the provider's overload error. */
export function sampleCall(
  rng: Random,
  model: ModelProfile,
  usage: NonNullable<CallOutcome["usage"]>,
  errorRate: number,
): CallOutcome {
  if (rng.chance(errorRate)) {
    return { durationMs: sampleErrorDurationMs(rng), error: model.overloadError };
  }
  const latency = sampleLatency(rng, model, {
    inputTokens: usage.inputTokens,
    cacheReadTokens: usage.cacheReadTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
  });
  return { ...latency, usage };
}
