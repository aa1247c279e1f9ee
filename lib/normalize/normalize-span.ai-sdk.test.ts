import { describe, expect, it } from "vitest";
import type { Attributes } from "@/lib/otlp/types";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";
import { computePromptPrefixHash } from "./prompt-prefix-hash";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan({ scope: "ai", ...input }), {});

/** What every AI SDK (≤ v6) span carries. */
const telemetry = (operationId: string, provider: string, model: string): Attributes => ({
  "operation.name": `${operationId} answer-question`,
  "resource.name": "answer-question",
  "ai.operationId": operationId,
  "ai.telemetry.functionId": "answer-question",
  "ai.model.provider": provider,
  "ai.model.id": model,
  "ai.telemetry.metadata.userId": "user-42",
  "ai.telemetry.metadata.sessionId": "session-7",
});

const anthropicMetadata = (creation: number, oneHour = 0) =>
  JSON.stringify({
    anthropic: {
      usage: {
        input_tokens: 100,
        cache_creation_input_tokens: creation,
        cache_read_input_tokens: 2000,
        cache_creation: { ephemeral_5m_input_tokens: creation - oneHour, ephemeral_1h_input_tokens: oneHour },
      },
      cacheCreationInputTokens: creation,
    },
  });

describe("Vercel AI SDK v4–v6 (experimental_telemetry)", () => {
  it("v5 Anthropic generateText: adds cache back to the raw input count (only in providerMetadata)", () => {
    const call = normalize({
      name: "ai.generateText.doGenerate",
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "anthropic.messages", "claude-sonnet-4-5"),
        "gen_ai.system": "anthropic.messages",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.response.model": "claude-sonnet-4-5-20250929",
        "ai.usage.promptTokens": 100,
        "ai.usage.completionTokens": 50,
        "gen_ai.usage.input_tokens": 100,
        "gen_ai.usage.output_tokens": 50,
        "ai.response.providerMetadata": anthropicMetadata(300),
        "ai.response.finishReason": "stop",
        "ai.telemetry.metadata.langfusePrompt": '{"name":"support-answer","version":3,"isFallback":false}',
      },
    });
    expect(call).toMatchObject({
      isLlm: true,
      operation: "chat",
      provider: "anthropic",
      requestModel: "claude-sonnet-4-5",
      responseModel: "claude-sonnet-4-5-20250929",
      inputTokens: 2400,
      outputTokens: 50,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      streaming: false,
      ttftMs: null,
      finishReason: "stop",
      promptName: "support-answer",
      promptVersion: "3",
      userId: "user-42",
      sessionId: "session-7",
      cacheWriteTtl: null,
    });
  });

  it("v5 Anthropic streamText: ms TTFT, cachedInputTokens, exclusive input corrected once", () => {
    const call = normalize({
      name: "ai.streamText.doStream",
      attributes: {
        ...telemetry("ai.streamText.doStream", "anthropic.messages", "claude-sonnet-4-5"),
        "ai.usage.inputTokens": 100,
        "ai.usage.outputTokens": 50,
        "ai.usage.cachedInputTokens": 2000,
        "gen_ai.usage.input_tokens": 100,
        "ai.response.msToFirstChunk": 315.1088,
        "ai.response.providerMetadata": anthropicMetadata(300, 300),
      },
      events: [{ name: "ai.stream.firstChunk", atMs: 315.1, attributes: { "ai.response.msToFirstChunk": 315.1088 } }],
    });
    expect(call).toMatchObject({ streaming: true, inputTokens: 2400, cacheReadTokens: 2000, cacheWriteTokens: 300, cacheWriteTtl: "1h" });
    expect(call.ttftMs).toBeCloseTo(315.1088, 6);
    expect(call.events?.map((event) => event.name)).toEqual(["ai.stream.firstChunk"]);
  });

  it("v6 Anthropic: inputTokenDetails mean the count is inclusive — no double count", () => {
    const call = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "anthropic.messages", "claude-sonnet-4-5"),
        "ai.usage.inputTokens": 2400,
        "ai.usage.inputTokenDetails.noCacheTokens": 100,
        "ai.usage.inputTokenDetails.cacheReadTokens": 2000,
        "ai.usage.inputTokenDetails.cacheWriteTokens": 300,
        "ai.usage.outputTokens": 50,
        "gen_ai.usage.input_tokens": 2400,
        "ai.response.providerMetadata": anthropicMetadata(300),
      },
    });
    expect(call).toMatchObject({ inputTokens: 2400, cacheReadTokens: 2000, cacheWriteTokens: 300 });
  });

  it("v5 OpenAI: cached tokens are already inside the input count", () => {
    const call = normalize({
      attributes: {
        ...telemetry("ai.streamText.doStream", "openai.chat", "gpt-4o"),
        "ai.usage.inputTokens": 2400,
        "ai.usage.cachedInputTokens": 2000,
        "ai.usage.outputTokens": 50,
        "ai.usage.reasoningTokens": 8,
      },
    });
    expect(call).toMatchObject({ provider: "openai", inputTokens: 2400, cacheReadTokens: 2000, cacheWriteTokens: null, reasoningTokens: 8 });
  });

  it("v4: promptTokens and Anthropic cache in providerMetadata only", () => {
    const call = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "anthropic.messages", "claude-3-5-sonnet"),
        "ai.usage.promptTokens": 100,
        "ai.usage.completionTokens": 20,
        "ai.response.providerMetadata": JSON.stringify({ anthropic: { cacheCreationInputTokens: 300, cacheReadInputTokens: 2000 } }),
      },
    });
    expect(call).toMatchObject({ inputTokens: 2400, outputTokens: 20, cacheReadTokens: 2000, cacheWriteTokens: 300 });
  });

  it("Bedrock through the AI SDK is corrected like Anthropic", () => {
    const call = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "amazon-bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        "ai.usage.inputTokens": 50,
        "ai.response.providerMetadata": JSON.stringify({ bedrock: { usage: { cacheReadInputTokens: 1000, cacheWriteInputTokens: 0 } } }),
      },
    });
    expect(call).toMatchObject({ provider: "aws.bedrock", inputTokens: 1050, cacheReadTokens: 1000, cacheWriteTokens: 0 });
  });

  it("Claude on Vertex AI keeps Anthropic's cache-exclusive counts", () => {
    const call = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "vertex.anthropic.messages", "claude-sonnet-4-5@20250929"),
        "ai.usage.inputTokens": 5000,
        "ai.usage.cachedInputTokens": 0,
        "ai.response.providerMetadata": JSON.stringify({ anthropic: { cacheCreationInputTokens: 300 } }),
      },
    });
    expect(call).toMatchObject({ provider: "gcp.vertex_ai", inputTokens: 5300, cacheWriteTokens: 300 });
  });

  it("wrapper spans repeat their child's usage and are not LLM calls", () => {
    for (const operationId of ["ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject", "ai.embed", "ai.toolCall"]) {
      const wrapper = normalize({
        name: operationId,
        attributes: { ...telemetry(operationId, "openai.chat", "gpt-4o"), "ai.usage.promptTokens": 2400, "ai.prompt": '{"prompt":"Hi"}' },
      });
      expect(wrapper.isLlm, operationId).toBe(false);
      expect(wrapper.inputTokens).toBeNull();
      expect(wrapper.attributes["ai.prompt"]).toBe('{"prompt":"Hi"}');
    }
  });

  it("recognises the operation from operation.name when ai.operationId is missing", () => {
    const call = normalize({ attributes: { "operation.name": "ai.streamObject.doStream fn", "ai.model.id": "gpt-4o" } });
    expect(call).toMatchObject({ isLlm: true, operation: "chat", streaming: true });
    expect(normalize({ attributes: { "operation.name": "ai.streamObject fn", "ai.model.id": "gpt-4o" } }).isLlm).toBe(false);
  });

  it("doEmbed spans are embedding calls", () => {
    const call = normalize({
      attributes: { ...telemetry("ai.embedMany.doEmbed", "openai.embedding", "text-embedding-3-small"), "ai.usage.tokens": 42 },
    });
    expect(call).toMatchObject({ isLlm: true, operation: "embeddings", provider: "openai", inputTokens: 42, outputTokens: null });
  });

  it("reads provider ids of other AI SDK providers", () => {
    const providerOf = (id: string) => normalize({ attributes: telemetry("ai.generateText.doGenerate", id, "m") }).provider;
    expect(providerOf("openai.responses")).toBe("openai");
    expect(providerOf("google.generative-ai")).toBe("gcp.gemini");
    expect(providerOf("google.vertex.chat")).toBe("gcp.vertex_ai");
    expect(providerOf("azure.chat")).toBe("azure.ai.openai");
    expect(providerOf("mistral.chat")).toBe("mistral_ai");
    expect(providerOf("xai.chat")).toBe("x_ai");
  });

  it("takes prompt name/version from metadata, else the functionId as the name", () => {
    const explicit = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "openai.chat", "gpt-4o"),
        "ai.telemetry.metadata.promptName": "menu-helper",
        "ai.telemetry.metadata.promptVersion": 7,
      },
    });
    expect(explicit).toMatchObject({ promptName: "menu-helper", promptVersion: "7" });
    const fallback = normalize({ attributes: telemetry("ai.generateText.doGenerate", "openai.chat", "gpt-4o") });
    expect(fallback).toMatchObject({ promptName: "answer-question", promptVersion: null });
  });

  it("captures ai.prompt.messages / ai.response.text as content and hashes system prompt + tools", () => {
    const tool = { type: "function", name: "get_menu", inputSchema: { type: "object" } };
    const call = normalize({
      attributes: {
        ...telemetry("ai.generateText.doGenerate", "openai.chat", "gpt-4o"),
        "ai.prompt.messages": JSON.stringify([
          { role: "system", content: "You run the pass." },
          { role: "user", content: [{ type: "text", text: "Two soups" }] },
        ]),
        "ai.prompt.tools": [JSON.stringify(tool)],
        "ai.response.text": "Coming up.",
      },
    });
    expect(call.content).toEqual({
      systemPrompt: "You run the pass.",
      inputMessages: [
        { role: "system", content: "You run the pass." },
        { role: "user", content: [{ type: "text", text: "Two soups" }] },
      ],
      outputMessages: [{ role: "assistant", content: "Coming up." }],
      isTruncated: false,
    });
    expect(call.promptPrefixHash).toBe(computePromptPrefixHash("You run the pass.", JSON.stringify([tool])));
    expect(call.attributes["ai.prompt.messages"]).toBeUndefined();
    expect(call.attributes["ai.response.text"]).toBeUndefined();
    expect(call.attributes["ai.prompt.tools"]).toEqual([JSON.stringify(tool)]);
  });
});

describe("Vercel AI SDK v7 (@ai-sdk/otel)", () => {
  it("chat span: TTFT in seconds as a span attribute, inclusive counts", () => {
    const call = normalizeSpan(
      makeSpan({
        scope: "gen_ai",
        name: "chat claude-sonnet-4-5",
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "anthropic",
          "gen_ai.request.model": "claude-sonnet-4-5",
          "gen_ai.response.model": "claude-sonnet-4-5-20250929",
          "gen_ai.client.operation.time_to_first_chunk": 0.31059614,
          "gen_ai.usage.input_tokens": 2400,
          "gen_ai.usage.output_tokens": 50,
          "gen_ai.usage.cache_read.input_tokens": 2000,
          "gen_ai.usage.cache_creation.input_tokens": 300,
        },
      }),
      {},
    );
    expect(call).toMatchObject({ isLlm: true, streaming: true, inputTokens: 2400, cacheReadTokens: 2000, cacheWriteTokens: 300 });
    expect(call.ttftMs).toBeCloseTo(310.59614, 6);
  });

  it("a TTFT of a whole second sent as intValue 1 is still seconds", () => {
    const call = normalizeSpan(
      makeSpan({ scope: "gen_ai", attributes: { "gen_ai.operation.name": "chat", "gen_ai.client.operation.time_to_first_chunk": 1 } }),
      {},
    );
    expect(call.ttftMs).toBe(1000);
  });

  it("invoke_agent and step spans are not LLM calls", () => {
    for (const operation of ["invoke_agent", "agent_step"]) {
      const span = normalizeSpan(
        makeSpan({ scope: "gen_ai", attributes: { "gen_ai.operation.name": operation, "gen_ai.usage.input_tokens": 2400 } }),
        {},
      );
      expect(span.isLlm).toBe(false);
    }
  });
});
