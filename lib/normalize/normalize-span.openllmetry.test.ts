import { describe, expect, it } from "vitest";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan(input), {});

describe("OpenLLMetry Python (scope opentelemetry.instrumentation.*)", () => {
  it("reads pre-0.48 names: llm.request.type, prompt_tokens, cache_read_input_tokens", () => {
    const call = normalize({
      scope: "opentelemetry.instrumentation.anthropic",
      name: "anthropic.chat",
      attributes: {
        "gen_ai.system": "Anthropic",
        "llm.request.type": "chat",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.response.model": "claude-sonnet-4-5-20250929",
        "llm.is_streaming": false,
        "gen_ai.usage.prompt_tokens": 2400, // already input + cache read + cache creation
        "gen_ai.usage.completion_tokens": 50,
        "gen_ai.usage.cache_read_input_tokens": 2000,
        "gen_ai.usage.cache_creation_input_tokens": 300,
        "traceloop.association.properties.user_id": "user-42",
        "traceloop.association.properties.session_id": "session-7",
        "traceloop.prompt.key": "support-answer",
        "traceloop.prompt.version": 3,
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      provider: "anthropic",
      inputTokens: 2400,
      outputTokens: 50,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      streaming: false,
      ttftMs: null,
      userId: "user-42",
      sessionId: "session-7",
      promptName: "support-answer",
      promptVersion: "3",
    });
  });

  it("reads ≥ 0.55 names and the streaming flag", () => {
    const call = normalize({
      scope: "opentelemetry.instrumentation.openai.v1",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.is_streaming": true,
        "gen_ai.usage.input_tokens": 2400,
        "gen_ai.usage.cache_read.input_tokens": 0,
        "gen_ai.usage.reasoning_tokens": 8,
      },
    });
    expect(call).toMatchObject({ streaming: true, inputTokens: 2400, cacheReadTokens: 0, reasoningTokens: 8 });
  });

  it("takes TTFT from the first completion chunk event", () => {
    const call = normalize({
      scope: "opentelemetry.instrumentation.openai",
      attributes: { "llm.request.type": "chat", "gen_ai.system": "OpenAI", "gen_ai.request.model": "gpt-4o" },
      events: [
        { name: "llm.content.completion.chunk", atMs: 301.5 },
        { name: "llm.content.completion.chunk", atMs: 320 },
      ],
    });
    expect(call).toMatchObject({ streaming: true, ttftMs: 301.5, inputTokens: null });
  });

  it("maps llm.request.type values, and rerank is not a token-priced call", () => {
    const operationOf = (type: string) =>
      normalize({ scope: "opentelemetry.instrumentation.cohere", attributes: { "llm.request.type": type } });
    expect(operationOf("completion").operation).toBe("text_completion");
    expect(operationOf("embedding").operation).toBe("embeddings");
    expect(operationOf("rerank").isLlm).toBe(false);
  });

  it("workflow / task / agent / tool spans are not LLM calls", () => {
    for (const kind of ["workflow", "task", "agent", "tool"]) {
      const span = normalize({
        scope: "traceloop.tracer",
        attributes: { "traceloop.span.kind": kind, "traceloop.entity.name": "answer", "gen_ai.request.model": "gpt-4o" },
      });
      expect(span.isLlm, kind).toBe(false);
    }
  });

  it("rebuilds flattened gen_ai.prompt.N / gen_ai.completion.N content and hashes the system prompt with functions", () => {
    const call = normalize({
      scope: "opentelemetry.instrumentation.openai",
      attributes: {
        "llm.request.type": "chat",
        "gen_ai.system": "openai",
        "gen_ai.prompt.0.role": "system",
        "gen_ai.prompt.0.content": "You are the sommelier.",
        "gen_ai.prompt.1.role": "user",
        "gen_ai.prompt.1.content": "Red or white?",
        "gen_ai.completion.0.role": "assistant",
        "gen_ai.completion.0.content": "Red.",
        "gen_ai.completion.0.finish_reason": "stop",
        "llm.request.functions.0.name": "pair_wine",
        "llm.request.functions.0.parameters": '{"type":"object"}',
        "gen_ai.prompt.name": "sommelier",
      },
    });
    expect(call.content).toEqual({
      systemPrompt: "You are the sommelier.",
      inputMessages: [
        { role: "system", content: "You are the sommelier." },
        { role: "user", content: "Red or white?" },
      ],
      outputMessages: [{ role: "assistant", content: "Red.", finish_reason: "stop" }],
      isTruncated: false,
    });
    expect(call.finishReason).toBe("stop");
    expect(call.promptName).toBe("sommelier");
    expect(call.promptPrefixHash).toBe(
      computePromptPrefixHash("You are the sommelier.", JSON.stringify([{ name: "pair_wine", parameters: { type: "object" } }])),
    );
    expect(Object.keys(call.attributes).sort()).toEqual([
      "gen_ai.prompt.name",
      "gen_ai.system",
      "llm.request.functions.0.name",
      "llm.request.functions.0.parameters",
      "llm.request.type",
    ]);
  });
});

describe("Traceloop / OpenLLMetry JS (scope @traceloop/instrumentation-*)", () => {
  it("0.27 Anthropic: raw input_tokens are cache-exclusive and get the cache added", () => {
    const call = normalize({
      scope: "@traceloop/instrumentation-anthropic",
      name: "chat claude-sonnet-4-5",
      attributes: {
        "gen_ai.provider.name": "anthropic",
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.input_tokens": 100,
        "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cache_creation.input_tokens": 300,
        "gen_ai.usage.cache_read.input_tokens": 2000,
      },
    });
    expect(call).toMatchObject({ inputTokens: 2400, cacheReadTokens: 2000, cacheWriteTokens: 300, streaming: null });
  });

  it("0.27 Anthropic with no cache use: nothing to add", () => {
    const call = normalize({
      scope: "@traceloop/instrumentation-anthropic",
      attributes: { "gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 100 },
    });
    expect(call).toMatchObject({ inputTokens: 100, cacheReadTokens: null, cacheWriteTokens: null });
  });

  it("0.27 OpenAI: no cache figure is recorded, so cache stays unknown", () => {
    const call = normalize({
      scope: "@traceloop/instrumentation-openai",
      attributes: { "gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 2400 },
    });
    expect(call).toMatchObject({ inputTokens: 2400, cacheReadTokens: null, streaming: null });
  });

  it("≤ 0.19: capitalized gen_ai.system and prompt_tokens", () => {
    const call = normalize({
      scope: "@traceloop/instrumentation-openai",
      name: "openai.chat",
      attributes: { "gen_ai.system": "OpenAI", "llm.request.type": "chat", "gen_ai.usage.prompt_tokens": 12 },
    });
    expect(call).toMatchObject({ provider: "openai", inputTokens: 12 });
  });
});
