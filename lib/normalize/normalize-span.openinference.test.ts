import { describe, expect, it } from "vitest";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) =>
  normalizeSpan(makeSpan({ scope: "@arizeai/openinference-instrumentation-anthropic", ...input }), {});

describe("OpenInference (JS @arizeai/openinference-instrumentation-*, Python openinference.instrumentation.*)", () => {
  it("Anthropic: llm.token_count.prompt is inclusive — no double count", () => {
    const call = normalize({
      name: "Anthropic Messages",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.provider": "anthropic",
        "llm.system": "anthropic",
        "llm.model_name": "claude-sonnet-4-5-20250929",
        "llm.request.model_name": "claude-sonnet-4-5",
        "llm.response.model_name": "claude-sonnet-4-5-20250929",
        "llm.invocation_parameters": '{"model":"claude-sonnet-4-5","max_tokens":256}',
        "llm.token_count.prompt": 2400,
        "llm.token_count.completion": 50,
        "llm.token_count.prompt_details.cache_write": 300,
        "llm.token_count.prompt_details.cache_read": 2000,
        "llm.finish_reason": "end_turn",
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      provider: "anthropic",
      requestModel: "claude-sonnet-4-5",
      responseModel: "claude-sonnet-4-5-20250929",
      inputTokens: 2400,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      streaming: false, // complete invocation parameters without "stream"
      finishReason: "end_turn",
    });
  });

  it("Anthropic: cache attributes left out (they are only set when > 0) mean 0", () => {
    const call = normalize({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.provider": "anthropic",
        "llm.model_name": "claude-sonnet-4-5",
        "llm.token_count.prompt": 120,
        "llm.token_count.completion": 9,
      },
    });
    expect(call).toMatchObject({ inputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it("Anthropic without recorded usage: cache stays unknown", () => {
    const call = normalize({ attributes: { "openinference.span.kind": "LLM", "llm.provider": "anthropic" } });
    expect(call).toMatchObject({ inputTokens: null, cacheReadTokens: null, cacheWriteTokens: null });
  });

  it("OpenAI: request model from invocation parameters, cache read null when not reported", () => {
    const call = normalize({
      scope: "@arizeai/openinference-instrumentation-openai",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.system": "openai",
        "llm.model_name": "gpt-4o-2024-08-06",
        "llm.invocation_parameters": '{"model":"gpt-4o","stream":true}',
        "llm.token_count.prompt": 2400,
      },
    });
    expect(call).toMatchObject({
      provider: "openai",
      requestModel: "gpt-4o",
      responseModel: "gpt-4o-2024-08-06",
      streaming: true,
      cacheReadTokens: null,
    });
  });

  it("Python: TTFT from the First Token Stream Event", () => {
    const call = normalize({
      scope: "openinference.instrumentation.openai",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.provider": "openai",
        "llm.invocation_parameters": '{"model":"gpt-4o","stream":true}',
      },
      events: [{ name: "First Token Stream Event", atMs: 310.7 }],
    });
    expect(call.ttftMs).toBeCloseTo(310.7, 6);
    expect(call.streaming).toBe(true);
  });

  it("llm.provider azure / aws / google map to well-known values", () => {
    const providerOf = (provider: string) =>
      normalize({ attributes: { "openinference.span.kind": "LLM", "llm.provider": provider, "llm.system": "openai" } }).provider;
    expect(providerOf("azure")).toBe("azure.ai.openai");
    expect(providerOf("aws")).toBe("aws.bedrock");
    expect(providerOf("google")).toBe("gcp.gemini");
    expect(providerOf("xai")).toBe("x_ai");
  });

  it("CHAIN / AGENT / TOOL / RETRIEVER spans are not LLM calls; EMBEDDING is", () => {
    for (const kind of ["CHAIN", "AGENT", "TOOL", "RETRIEVER", "RERANKER"]) {
      expect(normalize({ attributes: { "openinference.span.kind": kind, "llm.token_count.prompt": 5 } }).isLlm, kind).toBe(false);
    }
    const embedding = normalize({
      attributes: { "openinference.span.kind": "EMBEDDING", "embedding.model_name": "text-embedding-3-small", "llm.token_count.prompt": 7 },
    });
    expect(embedding).toMatchObject({ isLlm: true, operation: "embeddings", requestModel: "text-embedding-3-small", inputTokens: 7 });
  });

  it("reads reported cost, total first, else prompt + completion", () => {
    const total = normalize({ attributes: { "openinference.span.kind": "LLM", "llm.cost.total": 0.0066, "llm.cost.prompt": 1 } });
    expect(total.reportedCostNanoUsd).toBe(6_600_000n);
    const split = normalize({ attributes: { "openinference.span.kind": "LLM", "llm.cost.prompt": 0.0021, "llm.cost.completion": "0.0045" } });
    expect(split.reportedCostNanoUsd).toBe(6_600_000n);
    const half = normalize({ attributes: { "openinference.span.kind": "LLM", "llm.cost.prompt": 0.0021 } });
    expect(half.reportedCostNanoUsd).toBeNull();
  });

  it("reads prompt template version, user and session", () => {
    const call = normalize({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.prompt_template.version": "v1.0",
        "prompt.id": "support-answer",
        "user.id": "user-42",
        "session.id": "session-7",
      },
    });
    expect(call).toMatchObject({ promptVersion: "v1.0", promptName: "support-answer", userId: "user-42", sessionId: "session-7" });
  });

  it("rebuilds flattened messages, hashes the system prompt with llm.tools, and drops the content attributes", () => {
    const schema = '{"type":"function","function":{"name":"get_menu"}}';
    const call = normalize({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.provider": "anthropic",
        "input.value": '{"model":"claude-sonnet-4-5","system":"You are the host.","messages":[]}',
        "input.mime_type": "application/json",
        "llm.input_messages.0.message.role": "system",
        "llm.input_messages.0.message.content": "You are the host.",
        "llm.input_messages.1.message.role": "user",
        "llm.input_messages.1.message.contents.0.message_content.type": "text",
        "llm.input_messages.1.message.contents.0.message_content.text": "Table for two",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.contents.0.message_content.type": "text",
        "llm.output_messages.0.message.contents.0.message_content.text": "This way.",
        "output.value": '{"id":"msg_1"}',
        "llm.tools.0.tool.json_schema": schema,
      },
    });
    expect(call.content).toEqual({
      systemPrompt: "You are the host.",
      inputMessages: [
        { role: "system", content: "You are the host." },
        { role: "user", content: "Table for two" },
      ],
      outputMessages: [{ role: "assistant", content: "This way." }],
      isTruncated: false,
    });
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("You are the host.", JSON.stringify([JSON.parse(schema)])));
    expect(Object.keys(call.attributes).sort()).toEqual([
      "input.mime_type",
      "llm.provider",
      "llm.tools.0.tool.json_schema",
      "openinference.span.kind",
    ]);
  });
});
