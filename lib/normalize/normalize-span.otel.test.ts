import { describe, expect, it } from "vitest";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan(input), {});

describe("OpenTelemetry GenAI semantic conventions", () => {
  it("reads a current (v1.41 / genai repo) chat span", () => {
    const call = normalize({
      name: "chat claude-sonnet-4-5",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.response.model": "claude-sonnet-4-5-20250929",
        "gen_ai.usage.input_tokens": 2400,
        "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cache_read.input_tokens": 2000,
        "gen_ai.usage.cache_write.input_tokens": 300,
        "gen_ai.usage.reasoning.output_tokens": 8,
        "gen_ai.request.stream": true,
        "gen_ai.response.time_to_first_chunk": 0.304,
        "gen_ai.response.finish_reasons": ["stop"],
        "gen_ai.prompt.name": "support-answer",
        "gen_ai.prompt.version": "3",
        "gen_ai.conversation.id": "conv-9",
        "user.id": "user-42",
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      provider: "anthropic",
      requestModel: "claude-sonnet-4-5",
      responseModel: "claude-sonnet-4-5-20250929",
      inputTokens: 2400, // spec counts are inclusive: not corrected
      outputTokens: 50,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      reasoningTokens: 8,
      streaming: true,
      finishReason: "stop",
      promptName: "support-answer",
      promptVersion: "3",
      sessionId: "conv-9",
      userId: "user-42",
      reportedCostNanoUsd: null,
    });
    expect(call.ttftMs).toBeCloseTo(304, 6);
  });

  it("accepts the v1.40 cache_creation spelling and the deprecated gen_ai.system", () => {
    const call = normalize({
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "az.ai.openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 1000,
        "gen_ai.usage.cache_creation.input_tokens": 200,
      },
    });
    expect(call.provider).toBe("azure.ai.openai");
    expect(call.cacheWriteTokens).toBe(200);
    expect(call.cacheReadTokens).toBeNull();
  });

  it("reads v1.26 names (prompt_tokens / completion_tokens) and content events", () => {
    const call = normalize({
      attributes: {
        "gen_ai.system": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.prompt_tokens": "2400",
        "gen_ai.usage.completion_tokens": 50.0,
      },
      events: [
        {
          name: "gen_ai.content.prompt",
          atMs: 0,
          attributes: { "gen_ai.prompt": '[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]' },
        },
        { name: "gen_ai.content.completion", atMs: 900, attributes: { "gen_ai.completion": '[{"role":"assistant","content":"Hello"}]' } },
      ],
    });
    expect(call).toMatchObject({ isLlm: true, operation: "chat", provider: "openai", inputTokens: 2400, outputTokens: 50 });
    expect(call.content?.systemPrompt).toBe("Be brief.");
    expect(call.content?.outputMessages).toEqual([{ role: "assistant", content: "Hello" }]);
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("Be brief.", null));
    expect(call.events).toBeNull(); // content events are stored with the content
  });

  it("fills both model fields from the one that arrived", () => {
    const call = normalize({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.response.model": "gpt-4o-mini" } });
    expect(call.requestModel).toBe("gpt-4o-mini");
    expect(call.responseModel).toBe("gpt-4o-mini");
  });

  it("keeps unreported facts null, never 0", () => {
    const call = normalize({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" } });
    expect(call).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
      ttftMs: null,
      streaming: null,
      reportedCostNanoUsd: null,
      cacheWriteTtl: null,
      promptName: null,
      promptVersion: null,
      promptPrefixHash: null,
      content: null,
      provider: null,
    });
  });

  it("keeps a reported 0 as 0", () => {
    const call = normalize({
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 10, "gen_ai.usage.cache_read.input_tokens": 0 },
    });
    expect(call.cacheReadTokens).toBe(0);
  });

  it("counts embeddings as LLM calls and agents / tools as not", () => {
    expect(normalize({ attributes: { "gen_ai.operation.name": "embeddings", "gen_ai.usage.input_tokens": 12 } })).toMatchObject({
      isLlm: true,
      operation: "embeddings",
      inputTokens: 12,
    });
    for (const operation of ["invoke_agent", "execute_tool", "create_agent", "invoke_workflow", "retrieval"]) {
      const span = normalize({
        attributes: { "gen_ai.operation.name": operation, "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 9 },
      });
      expect(span.isLlm, operation).toBe(false);
      expect(span.inputTokens).toBeNull();
      expect(span.requestModel).toBeNull();
    }
  });

  it("marks errors from status, error.type or the exception event", () => {
    const failed = normalize({
      statusCode: 2,
      attributes: { "gen_ai.operation.name": "chat" },
      events: [{ name: "exception", atMs: 10, attributes: { "exception.type": "RateLimitError", "exception.message": "slow down" } }],
    });
    expect(failed.status).toBe("error");
    expect(failed.errorType).toBe("RateLimitError");
    expect(failed.events).toEqual([
      {
        name: "exception",
        timeUnixNano: (makeSpan({}).startTimeUnixNano + 10_000_000n).toString(),
        attributes: { "exception.type": "RateLimitError", "exception.message": "slow down" },
      },
    ]);
    expect(normalize({ attributes: { "gen_ai.operation.name": "chat", "error.type": "timeout" } })).toMatchObject({
      status: "error",
      errorType: "timeout",
    });
    expect(normalize({ attributes: { "gen_ai.operation.name": "chat" } })).toMatchObject({ status: "ok", errorType: null });
  });

  it("takes content from gen_ai.system_instructions / input / output messages and drops those attributes", () => {
    const tools = [{ type: "function", name: "get_menu", parameters: { type: "object" } }];
    const call = normalize({
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.system_instructions": '[{"type":"text","content":"You are the maître d\'."}]',
        "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"A table for two?"}]}]',
        "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"Yes."}],"finish_reason":"stop"}]',
        "gen_ai.tool.definitions": JSON.stringify(tools, null, 2),
      },
    });
    expect(call.content).toEqual({
      systemPrompt: "You are the maître d'.",
      inputMessages: [{ role: "user", parts: [{ type: "text", content: "A table for two?" }] }],
      outputMessages: [{ role: "assistant", parts: [{ type: "text", content: "Yes." }], finish_reason: "stop" }],
      isTruncated: false,
    });
    expect(call.finishReason).toBe("stop");
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("You are the maître d'.", JSON.stringify(tools)));
    expect(Object.keys(call.attributes).sort()).toEqual(["gen_ai.operation.name", "gen_ai.request.model", "gen_ai.tool.definitions"]);
  });

  it("prefers the prefix hash the instrumentation sent", () => {
    const sent = "a".repeat(64);
    const call = normalize({
      attributes: { "gen_ai.operation.name": "chat", "sous.prompt.prefix_hash": sent, "gen_ai.system_instructions": "Be brief." },
    });
    expect(call.promptPrefixHash).toBe(sent);
    expect(
      normalize({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.prompt.prefix_hash": sent.toUpperCase() } }).promptPrefixHash,
    ).toBe(sent);
  });

  it("reads the 1h cache-write TTL when the instrumentation reports it", () => {
    const call = normalize({
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.usage.input_tokens": 1500,
        "gen_ai.usage.cache_write.input_tokens": 1000,
        "anthropic.usage.cache_creation.ephemeral_1h_input_tokens": 1000,
      },
    });
    expect(call.cacheWriteTtl).toBe("1h");
    expect(call.inputTokens).toBe(1500);
  });
});
