import { randomBytes } from "node:crypto";
import type { SpanRow } from "@/lib/ingest/types";

/** A complete LLM SpanRow for tests, with fresh ids and a start time (ns) of `startTimeUnixNano`. */
export function llmSpanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  const start = overrides.startTimeUnixNano ?? BigInt(Date.now()) * 1_000_000n + 123_456n;
  return {
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    parentSpanId: randomBytes(8).toString("hex"),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_250_000_789n,
    durationMs: 1250.000789,
    serviceName: "checkout-assistant",
    environment: "production",
    name: "chat gpt-4o",
    kind: 3,
    scopeName: "@opentelemetry/instrumentation-openai",
    status: "ok",
    errorType: null,
    isLlm: true,
    operation: "chat",
    provider: "openai",
    requestModel: "gpt-4o",
    responseModel: "gpt-4o-2024-08-06",
    finishReason: "stop",
    streaming: true,
    ttftMs: 212.5,
    inputTokens: 1200,
    outputTokens: 85,
    cacheReadTokens: 1024,
    cacheWriteTokens: 0,
    reasoningTokens: 12,
    reportedCostNanoUsd: null,
    cacheWriteTtl: null,
    promptName: "checkout/answer",
    promptVersion: "v7",
    promptPrefixHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    userId: "user-42",
    sessionId: "session-7",
    workload: "interactive",
    attributes: { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1200, "app.tags": ["a", "b"] },
    events: [{ name: "gen_ai.content.first_token", timeUnixNano: String(start + 212_500_000n), attributes: {} }],
    content: null,
    costNanoUsd: 9_007_199_254_740_993n, // 2^53 + 1: exact only if never a JS number
    costSource: "computed",
    ...overrides,
  };
}

/** A non-LLM span: every optional fact null. */
export function plainSpanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  return llmSpanRow({
    parentSpanId: null,
    environment: null,
    name: "GET /orders",
    kind: 2,
    scopeName: null,
    isLlm: false,
    operation: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    finishReason: null,
    streaming: null,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    promptName: null,
    promptVersion: null,
    promptPrefixHash: null,
    userId: null,
    sessionId: null,
    workload: null,
    attributes: {},
    events: null,
    costNanoUsd: null,
    costSource: null,
    ...overrides,
  });
}
