import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "./fake-llm-server";

/** Splits an SSE body into events the way a client would: blank-line separated, `event:` + `data:`. */
function parseSse(raw: string) {
  return raw
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? null;
      const data = lines
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      return { event, data: data === "[DONE]" ? data : JSON.parse(data) };
    });
}

const usage = { inputTokens: 2400, outputTokens: 50, cacheReadTokens: 2000, cacheWriteTokens: 300, reasoningTokens: 8 };

describe("fake LLM server", () => {
  let server: FakeLlmServer;
  beforeAll(async () => {
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("streams OpenAI chunks as SSE with a final usage chunk when include_usage is set", async () => {
    server.setNextResponse({ model: "gpt-4o-2024-08-06", text: "one two three", usage, firstChunkDelayMs: 60 });
    const sentAt = Date.now();
    const res = await fetch(`${server.openaiBaseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [] }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.at(-1)?.data).toBe("[DONE]");
    const text = events
      .map((event) => (event.data as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? "")
      .join("");
    expect(text).toBe("one two three");
    const usageChunk = events.at(-2)?.data as { choices: unknown[]; usage: Record<string, unknown> };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({
      prompt_tokens: 2400,
      completion_tokens: 50,
      prompt_tokens_details: { cached_tokens: 2000 },
      completion_tokens_details: { reasoning_tokens: 8 },
    });

    const call = server.lastCall();
    expect(call).toMatchObject({ provider: "openai", requestModel: "gpt-4o", isStreaming: true });
    expect(parseSse(call.rawResponseBody)).toEqual(events);
    expect(call.sentEvents.map((event) => event.data)).toEqual(events.map((event) => event.data));
    expect(call.firstChunkAtMs! - call.receivedAtMs).toBeGreaterThanOrEqual(55);
    expect(call.receivedAtMs).toBeGreaterThanOrEqual(sentAt - 5);
    expect(call.finishedAtMs).toBeGreaterThanOrEqual(call.firstChunkAtMs!);
  });

  it("sends no usage chunk on an OpenAI stream without include_usage", async () => {
    server.setNextResponse({ text: "hi", usage });
    const res = await fetch(`${server.openaiBaseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [] }),
    });
    const events = parseSse(await res.text());
    expect(events.some((event) => typeof event.data === "object" && "usage" in (event.data as object))).toBe(false);
  });

  it("answers non-streaming OpenAI calls with the configured usage", async () => {
    server.setNextResponse({ text: "done", usage });
    const res = await fetch(`${server.openaiBaseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }),
    });
    const body = await res.json();
    expect(body).toMatchObject({
      model: "gpt-4o-mini",
      choices: [{ message: { content: "done" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 2400, prompt_tokens_details: { cached_tokens: 2000 } },
    });
    expect(server.lastCall().sentBody).toEqual(body);
  });

  it("streams Anthropic events with cache-exclusive input in message_start and cumulative message_delta", async () => {
    server.setNextResponse({ model: "claude-sonnet-4-5-20250929", chunks: ["Hello", " there"], usage, chunkIntervalMs: 20 });
    const res = await fetch(`${server.anthropicBaseUrl}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-sonnet-4-5", stream: true, max_tokens: 100, messages: [] }),
    });
    const events = parseSse(await res.text());
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const start = events[0].data as { message: { model: string; usage: Record<string, number> } };
    expect(start.message.model).toBe("claude-sonnet-4-5-20250929");
    expect(start.message.usage).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 300,
    });
    expect((events[5].data as { usage: Record<string, number> }).usage).toMatchObject({ input_tokens: 100, output_tokens: 50 });
    const [first, second] = server.lastCall().sentEvents.filter((event) => event.event === "content_block_delta");
    expect(second.writtenAtMs - first.writtenAtMs).toBeGreaterThanOrEqual(15);
  });

  it("answers non-streaming Anthropic calls and 404s unknown routes", async () => {
    server.setNextResponse({ text: "ok", usage });
    const res = await fetch(`${server.anthropicBaseUrl}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 10, messages: [] }),
    });
    expect(await res.json()).toMatchObject({
      type: "message",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text: "ok" }],
      usage: { input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, output_tokens: 50 },
    });
    const missing = await fetch(`${server.url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
  });

  it("returns a provider-shaped error when asked to", async () => {
    server.setNextResponse({ errorStatus: 529 });
    const res = await fetch(`${server.anthropicBaseUrl}/v1/messages`, { method: "POST", body: "{}" });
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ type: "error" });
    expect(server.lastCall().status).toBe(529);
  });
});
