import { describe, expect, it } from "vitest";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan(input), {});

describe("pydantic-ai (scope pydantic-ai)", () => {
  it("reads gen_ai.usage.details.*, operation.cost and the v7-style TTFT attribute", () => {
    const call = normalize({
      scope: "pydantic-ai",
      name: "chat gpt-4o",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 2400,
        "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.details.cache_read_tokens": 2000,
        "gen_ai.usage.details.reasoning_tokens": 8,
        "gen_ai.client.operation.time_to_first_chunk": 0.3,
        "operation.cost": 0.004,
      },
    });
    expect(call).toMatchObject({
      provider: "openai",
      inputTokens: 2400,
      cacheReadTokens: 2000,
      cacheWriteTokens: null,
      reasoningTokens: 8,
      ttftMs: 300,
      streaming: true,
      reportedCostNanoUsd: 4_000_000n,
    });
  });

  it("old event mode: messages in the `events` JSON attribute become content", () => {
    const events = [
      { role: "system", content: "You are the chef.", "gen_ai.message.index": 0, "gen_ai.system": "openai" },
      { role: "user", content: "Soup?", "gen_ai.message.index": 0, "gen_ai.system": "openai" },
      { index: 0, message: { role: "assistant", content: "Yes." }, "gen_ai.system": "openai" },
    ];
    const call = normalize({
      scope: "pydantic-ai",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "openai",
        events: JSON.stringify(events),
        model_request_parameters: '{"function_tools":[{"name":"menu"}],"allow_text_output":true}',
      },
    });
    expect(call.content).toEqual({
      systemPrompt: "You are the chef.",
      inputMessages: events.slice(0, 2),
      outputMessages: [{ role: "assistant", content: "Yes." }],
      isTruncated: false,
    });
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("You are the chef.", '[{"name":"menu"}]'));
    expect(call.attributes.events).toBeUndefined();
    expect(call.attributes.model_request_parameters).toBeDefined();
  });
});

describe("Logfire (scope logfire.*)", () => {
  it("old OpenAI spans: facts from request_data / response_data JSON only", () => {
    const call = normalize({
      scope: "logfire.openai",
      name: "Chat Completion with {request_data[model]!r}",
      attributes: {
        "logfire.msg": "Chat Completion with 'gpt-4o'",
        request_data: JSON.stringify({ model: "gpt-4o", stream: false, messages: [{ role: "system", content: "Be terse." }] }),
        response_data: JSON.stringify({
          message: { role: "assistant", content: "Open." },
          usage: {
            prompt_tokens: 2400,
            completion_tokens: 50,
            prompt_tokens_details: { cached_tokens: 2000 },
            completion_tokens_details: { reasoning_tokens: 8 },
          },
        }),
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      requestModel: "gpt-4o",
      inputTokens: 2400,
      outputTokens: 50,
      cacheReadTokens: 2000,
      reasoningTokens: 8,
      streaming: false,
    });
    expect(call.content?.systemPrompt).toBe("Be terse.");
    expect(call.content?.outputMessages).toEqual({ role: "assistant", content: "Open." });
    expect(call.attributes.request_data).toBeUndefined();
  });

  it("Anthropic usage in response_data is raw: cache added to input once", () => {
    const call = normalize({
      scope: "logfire.anthropic",
      name: "Message with {request_data[model]!r}",
      attributes: {
        "gen_ai.system": "anthropic",
        request_data: JSON.stringify({ model: "claude-sonnet-4-5", system: "Be terse.", messages: [] }),
        response_data: JSON.stringify({
          message: { role: "assistant", content: [{ type: "text", text: "Open." }] },
          usage: { input_tokens: 3000, output_tokens: 50, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300 },
        }),
      },
    });
    expect(call).toMatchObject({ provider: "anthropic", inputTokens: 5300, cacheReadTokens: 2000, cacheWriteTokens: 300 });
    expect(call.content?.systemPrompt).toBe("Be terse.");
  });

  it("the per-stream log span is not a second call", () => {
    const span = normalize({
      scope: "logfire.openai",
      name: "streaming response from {request_data[model]!r} took {duration:.2f}s",
      attributes: { request_data: '{"model":"gpt-4o","stream":true}', response_data: '{"chunk_count":12}' },
    });
    expect(span.isLlm).toBe(false);
  });
});
