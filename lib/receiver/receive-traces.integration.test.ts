import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";
import { startFakeLlmServer, nowMs, type FakeLlmServer, type RecordedCall } from "@/lib/testing/fake-llm-server";

/**
 * The real path end to end: an app started by the launcher, a fake OpenAI-compatible provider
 * that streams, a tiny instrumented client, and the official OTLP exporters over real HTTP.
 * Expected values come from the fake provider's own payloads and timings, not from the mapping.
 */
let app: AppServer;
let provider: FakeLlmServer;

beforeAll(async () => {
  [app, provider] = await Promise.all([startAppServer(), startFakeLlmServer()]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), provider?.close()]);
});

interface ObservedCall {
  spans: ReadableSpan[];
  recorded: RecordedCall;
  clientStartMs: number;
}

/** Calls the fake provider like an instrumented OpenAI client would, and records one GenAI span. */
async function instrumentedChat(options: { stream: boolean; serviceName: string }): Promise<ObservedCall> {
  const memory = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, "deployment.environment.name": "test" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = tracerProvider.getTracer("sous-test-client");
  const clientStartMs = nowMs();
  const span = tracer.startSpan("chat gpt-4o", { kind: SpanKind.CLIENT, startTime: clientStartMs });
  const response = await fetch(`${provider.openaiBaseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o",
      stream: options.stream,
      stream_options: options.stream ? { include_usage: true } : undefined,
      messages: [{ role: "user", content: "hello" }],
    }),
  });
  const text = await response.text();
  const endMs = nowMs();
  const recorded = provider.lastCall();
  const usage = options.stream
    ? (recorded.sentEvents.map((event) => event.data as { usage?: OpenAiUsage }).find((data) => data?.usage)!.usage as OpenAiUsage)
    : (JSON.parse(text) as { usage: OpenAiUsage }).usage;
  span.setAttributes({
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.response.model": recorded.response.model,
    "gen_ai.request.stream": options.stream,
    "gen_ai.usage.input_tokens": usage.prompt_tokens,
    "gen_ai.usage.output_tokens": usage.completion_tokens,
    "gen_ai.usage.cache_read.input_tokens": usage.prompt_tokens_details?.cached_tokens ?? 0,
    "gen_ai.prompt.name": "greeting",
    "gen_ai.prompt.version": "7",
  });
  if (options.stream) {
    span.setAttribute("gen_ai.response.time_to_first_chunk", (recorded.firstChunkAtMs! - clientStartMs) / 1000);
  }
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(endMs);
  await tracerProvider.forceFlush();
  return { spans: memory.getFinishedSpans(), recorded, clientStartMs };
}

interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error("export failed")),
    ),
  );
}

async function getCalls(query: string) {
  const response = await fetch(`${app.baseUrl}/api/v1/calls?${query}`, { headers: { authorization: `Bearer ${app.apiKey}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { data: Array<Record<string, unknown>>; nextCursor: string | null };
}

const endpoint = () => `${app.baseUrl}/api/otlp/v1/traces`;
const headers = () => ({ Authorization: `Bearer ${app.apiKey}` });

describe("OTLP/HTTP receiver with the official exporters", () => {
  it.each([
    ["protobuf", () => new ProtoExporter({ url: endpoint(), headers: headers() })],
    ["json", () => new JsonExporter({ url: endpoint(), headers: headers() })],
  ])("stores a streamed call sent as %s with the provider's tokens and TTFT", async (_name, makeExporter) => {
    provider.setNextResponse({
      usage: { inputTokens: 1800, outputTokens: 42, cacheReadTokens: 1536 },
      firstChunkDelayMs: 120,
      chunkIntervalMs: 5,
    });
    const observed = await instrumentedChat({ stream: true, serviceName: "exporter-test" });
    await exportWith(makeExporter(), observed.spans);

    const traceId = observed.spans[0]!.spanContext().traceId;
    const { data } = await getCalls(`traceId=${traceId}`);
    expect(data).toHaveLength(1);
    const call = data[0]!;
    const usage = observed.recorded.sentEvents.map((e) => e.data as { usage?: OpenAiUsage }).find((d) => d?.usage)!.usage!;
    expect(call).toMatchObject({
      traceId,
      serviceName: "exporter-test",
      environment: "test",
      provider: "openai",
      requestModel: "gpt-4o",
      responseModel: observed.recorded.response.model,
      streaming: true,
      status: "ok",
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cacheReadTokens: usage.prompt_tokens_details!.cached_tokens,
      promptName: "greeting",
      promptVersion: "7",
      costSource: "computed",
    });
    const providerTtftMs = observed.recorded.firstChunkAtMs! - observed.clientStartMs;
    expect(providerTtftMs).toBeGreaterThanOrEqual(120);
    expect(call.ttftMs as number).toBeCloseTo(providerTtftMs, 0);
    // gpt-4o list price (ECONOMICS.md): $2.50 input, $1.25 cached input, $10 output per 1M tokens.
    const expectedCost = ((1800 - 1536) * 2.5 + 1536 * 1.25 + 42 * 10) / 1e6;
    expect(call.costUsd as number).toBeCloseTo(expectedCost, 9);
  });

  it("keeps TTFT unknown (null) for a non-streamed call, not 0", async () => {
    provider.setNextResponse({ usage: { inputTokens: 50, outputTokens: 9 } });
    const observed = await instrumentedChat({ stream: false, serviceName: "exporter-test" });
    await exportWith(new ProtoExporter({ url: endpoint(), headers: headers() }), observed.spans);
    const { data } = await getCalls(`traceId=${observed.spans[0]!.spanContext().traceId}`);
    expect(data[0]).toMatchObject({ streaming: false, ttftMs: null, inputTokens: 50, outputTokens: 9, cacheReadTokens: 0 });
  });

  it("stores a batch sent twice concurrently once", async () => {
    const batches = await Promise.all([0, 1, 2].map(() => instrumentedChat({ stream: true, serviceName: "redelivery-test" })));
    const spans = batches.flatMap((batch) => batch.spans);
    await Promise.all([
      exportWith(new ProtoExporter({ url: endpoint(), headers: headers() }), spans),
      exportWith(new ProtoExporter({ url: endpoint(), headers: headers() }), spans),
      exportWith(new JsonExporter({ url: endpoint(), headers: headers() }), spans),
    ]);
    const { data } = await getCalls("service=redelivery-test&limit=1000");
    expect(data).toHaveLength(3);
    expect(new Set(data.map((call) => call.spanId))).toEqual(new Set(spans.map((span) => span.spanContext().spanId)));
  });

  it("answers 401 to a missing or wrong key, storing nothing", async () => {
    const observed = await instrumentedChat({ stream: true, serviceName: "wrong-key-test" });
    await expect(
      exportWith(new ProtoExporter({ url: endpoint(), headers: { Authorization: "Bearer sous_not_a_key" } }), observed.spans),
    ).rejects.toThrow();
    const missing = await fetch(endpoint(), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(missing.status).toBe(401);
    const { data } = await getCalls("service=wrong-key-test");
    expect(data).toHaveLength(0);
  });
});
