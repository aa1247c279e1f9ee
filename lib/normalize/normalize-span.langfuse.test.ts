import { describe, expect, it } from "vitest";
import { makeSpan, TEST_START_NANOS, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan({ scope: "langfuse-sdk", ...input }), {});

/** The span start as an ISO string, plus `ms`. */
const isoAfterStart = (ms: number) => new Date(Number(TEST_START_NANOS / 1_000_000n) + ms).toISOString();

describe("Langfuse SDK (scope langfuse-sdk, langfuse.observation.*)", () => {
  it("generation: usage_details input is the uncached part; cost_details total; JSON-quoted completion start", () => {
    const call = normalize({
      name: "answer",
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.model.name": "claude-sonnet-4-5-20250929",
        "langfuse.observation.usage_details": '{"input":100,"input_cached_tokens":2000,"input_cache_creation":300,"output":50}',
        "langfuse.observation.cost_details": '{"input":0.0003,"input_cached_tokens":0.0006,"input_cache_creation":0.001125,"output":0.00075,"total":0.002775}',
        "langfuse.observation.completion_start_time": JSON.stringify(isoAfterStart(301)),
        "langfuse.observation.prompt.name": "support-answer",
        "langfuse.observation.prompt.version": 3,
        "langfuse.environment": "fixtures",
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      provider: null, // Langfuse names no provider
      requestModel: "claude-sonnet-4-5-20250929",
      responseModel: "claude-sonnet-4-5-20250929",
      inputTokens: 2400,
      outputTokens: 50,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      ttftMs: 301,
      streaming: null, // Langfuse never says
      reportedCostNanoUsd: 2_775_000n,
      promptName: "support-answer",
      promptVersion: "3",
      environment: "fixtures",
    });
  });

  it("output leaves reasoning out, as Langfuse itemises it", () => {
    const call = normalize({
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.model.name": "gpt-4o-2024-08-06",
        "langfuse.observation.usage_details": '{"input":400,"input_cached_tokens":2000,"output":42,"output_reasoning_tokens":8}',
      },
    });
    expect(call).toMatchObject({ inputTokens: 2400, outputTokens: 50, reasoningTokens: 8, cacheReadTokens: 2000, cacheWriteTokens: null });
  });

  it("sums cost details when no total is given, and TTL-split cache writes", () => {
    const call = normalize({
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.usage_details": '{"input":10,"input_cache_creation_5m":100,"input_cache_creation_1h":50}',
        "langfuse.observation.cost_details": '{"input":0.1,"output":0.2}',
      },
    });
    expect(call).toMatchObject({ cacheWriteTokens: 150, inputTokens: 160, cacheWriteTtl: "1h", reportedCostNanoUsd: 300_000_000n });
  });

  it("reads ISO completion start with microseconds and an offset", () => {
    const call = normalize({
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.completion_start_time": "2026-01-01T01:00:00.250125+01:00",
      },
    });
    expect(call.ttftMs).toBeCloseTo(250.125, 9);
  });

  it("ignores a completion start before the span start", () => {
    const call = normalize({
      attributes: { "langfuse.observation.type": "generation", "langfuse.observation.completion_start_time": isoAfterStart(-5) },
    });
    expect(call.ttftMs).toBeNull();
  });

  it("embedding observations are LLM calls; span / agent / tool observations are not", () => {
    expect(normalize({ attributes: { "langfuse.observation.type": "embedding" } })).toMatchObject({ isLlm: true, operation: "embeddings" });
    for (const type of ["span", "agent", "tool", "chain", "event"]) {
      expect(normalize({ attributes: { "langfuse.observation.type": type, "langfuse.observation.model.name": "gpt-4o" } }).isLlm).toBe(false);
    }
  });

  it("reads user and session (and their compatibility names) and the ERROR level", () => {
    const call = normalize({
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.user.id": "user-42",
        "langfuse.session.id": "session-7",
        "langfuse.observation.level": "ERROR",
        "langfuse.observation.status_message": "upstream failed",
      },
    });
    expect(call).toMatchObject({ userId: "user-42", sessionId: "session-7", status: "error" });
    expect(normalize({ attributes: { "langfuse.observation.type": "generation", "user.id": "u", "session.id": "s" } })).toMatchObject({
      userId: "u",
      sessionId: "s",
    });
  });

  it("takes content from observation input / output", () => {
    const call = normalize({
      attributes: {
        "langfuse.observation.type": "generation",
        "langfuse.observation.input": '[{"role":"system","content":"Greet guests."},{"role":"user","content":"Hello"}]',
        "langfuse.observation.output": '{"role":"assistant","content":"Welcome!"}',
      },
    });
    expect(call.content?.systemPrompt).toBe("Greet guests.");
    expect(call.content?.outputMessages).toEqual({ role: "assistant", content: "Welcome!" });
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("Greet guests.", null));
    expect(call.attributes["langfuse.observation.input"]).toBeUndefined();
  });
});
