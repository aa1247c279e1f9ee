import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJsonSpans, startCaptureServer, type DecodedTestSpan } from "./otlp-capture-server";
import { runSimulation, type SimulationSummary } from "./run-simulation";

const spanKindClient = 3; // OTLP enum value in the JSON encoding
const llmOperations = new Set(["chat", "generate_content", "embeddings"]);

const isLlmCall = (span: DecodedTestSpan) => llmOperations.has(String(span.attributes["gen_ai.operation.name"]));
const llmCallsOf = (spans: DecodedTestSpan[], service: string) =>
  spans.filter((span) => span.serviceName === service && isLlmCall(span));
const systemPrompt = (span: DecodedTestSpan) =>
  (JSON.parse(String(span.attributes["gen_ai.system_instructions"])) as { content: string }[])[0].content;
const ttftMs = (span: DecodedTestSpan) => Number(span.attributes["gen_ai.response.time_to_first_chunk"]) * 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("runSimulation, 30 minutes backfilled over OTLP/JSON", () => {
  let spans: DecodedTestSpan[];
  let summary: SimulationSummary;

  beforeAll(async () => {
    const server = await startCaptureServer();
    try {
      summary = await runSimulation({
        endpoint: server.endpoint,
        apiKey: "test-key",
        protocol: "json",
        seed: 42,
        ratePerSecond: 5,
        backfillMs: 30 * 60_000,
        durationMs: 0,
      });
      spans = decodeJsonSpans(server.requests);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("delivers every span it created, from every service", () => {
    expect(summary.export.failedRequests).toBe(0);
    expect(summary.export.spansExported).toBe(summary.spans);
    expect(spans).toHaveLength(summary.spans);
    // About 5 calls/s over 30 minutes, give or take the day curve of backfilled traffic.
    expect(summary.calls).toBeGreaterThan(3000);
    expect(new Set(spans.map((span) => span.serviceName))).toEqual(
      new Set(["support-chat", "search-api", "email-drafter", "faq-bot", "onboarding-tips",
        "nightly-summarizer", "rag-service", "docs-indexer", "catalog-enricher"]),
    );
    for (const span of spans) {
      expect(span.startMs).toBeGreaterThanOrEqual(summary.fromMs - 60_000);
      expect(span.endMs).toBeLessThanOrEqual(summary.toMs);
      expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    }
  });

  it("emits LLM calls as GenAI client spans under a parent span of the same trace", () => {
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const call of spans.filter(isLlmCall)) {
      expect(call.kind).toBe(spanKindClient);
      expect(call.name).toBe(`${call.attributes["gen_ai.operation.name"]} ${call.attributes["gen_ai.request.model"]}`);
      expect(call.attributes["gen_ai.provider.name"]).toBeTruthy();
      expect(call.attributes["sous.workload"]).toMatch(/^(interactive|batch)$/);
      const parent = byId.get(call.parentSpanId ?? "");
      expect(parent?.traceId).toBe(call.traceId);
      if (call.statusCode === 2) expect(call.attributes["error.type"]).toBeTruthy();
      else expect(call.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    }
    const chat = llmCallsOf(spans, "support-chat")[0];
    expect(spans.find((span) => span.spanId === chat.parentSpanId)?.name).toBe("POST /api/chat");
    const failed = spans.filter((span) => isLlmCall(span) && span.statusCode === 2);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length / spans.filter(isLlmCall).length).toBeLessThan(0.05);
  });

  it("support-chat reads most of its input from the cache and streams", () => {
    const calls = llmCallsOf(spans, "support-chat").filter((span) => span.statusCode !== 2);
    const sum = (key: string) => calls.reduce((total, span) => total + Number(span.attributes[key] ?? 0), 0);
    expect(sum("gen_ai.usage.cache_read.input_tokens") / sum("gen_ai.usage.input_tokens")).toBeGreaterThan(0.7);
    expect(new Set(calls.map((span) => span.attributes["gen_ai.prompt.version"]))).toEqual(new Set(["v3", "v4"]));
    for (const call of calls) {
      expect(call.attributes["gen_ai.request.stream"]).toBe(true);
      expect(ttftMs(call)).toBeGreaterThan(50);
    }
  });

  it("email-drafter busts the cache: every system prompt differs at its start", () => {
    const calls = llmCallsOf(spans, "email-drafter");
    expect(calls.length).toBeGreaterThan(50);
    const prompts = calls.map(systemPrompt);
    const timestampLine = /^Current date and time: (\d{4}-\d\d-\d\dT[\d:.]+Z)\n/;
    for (const prompt of prompts) expect(prompt).toMatch(timestampLine);
    // The first line is the only difference, so two drafts rendered in the same millisecond (rare,
    // and a real cache hit in production) are the only ones that share a prefix.
    const startsOfPrompts = new Set(prompts.map((prompt) => prompt.slice(0, 48)));
    expect(new Set(prompts.map((prompt) => prompt.replace(timestampLine, ""))).size).toBe(1);
    expect(startsOfPrompts.size).toBe(new Set(prompts.map((prompt) => timestampLine.exec(prompt)![1])).size);
    expect(startsOfPrompts.size / prompts.length).toBeGreaterThan(0.98);
    for (const call of calls.filter((span) => span.statusCode !== 2)) {
      expect(call.attributes["gen_ai.usage.cache_read.input_tokens"]).toBe(0);
      expect(call.attributes["gen_ai.usage.cache_creation.input_tokens"]).toBeGreaterThan(1000);
    }
  });

  it("faq-bot and the onboarding A/B test keep stable prefixes while user messages vary", () => {
    const faq = llmCallsOf(spans, "faq-bot");
    expect(new Set(faq.map(systemPrompt)).size).toBe(1);
    expect(new Set(faq.map((span) => span.attributes["gen_ai.input.messages"])).size).toBeGreaterThan(5);
    const onboarding = llmCallsOf(spans, "onboarding-tips");
    expect(new Set(onboarding.map(systemPrompt)).size).toBe(2);
  });

  it("search-api answers interactively without streaming", () => {
    const answers = llmCallsOf(spans, "search-api").filter((span) => span.attributes["gen_ai.request.model"] === "gpt-4.1");
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) {
      expect(answer.attributes["gen_ai.request.stream"]).toBe(false);
      expect(answer.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
      expect(answer.attributes["sous.workload"]).toBe("interactive");
    }
  });

  it("nightly-summarizer runs strictly one call after another", () => {
    const calls = llmCallsOf(spans, "nightly-summarizer").sort((a, b) => a.startMs - b.startMs);
    expect(calls.length).toBeGreaterThan(10);
    for (let i = 1; i < calls.length; i++) expect(calls[i].startMs).toBeGreaterThanOrEqual(calls[i - 1].endMs);
    for (const call of calls) {
      expect(call.attributes["sous.workload"]).toBe("batch");
      expect(call.attributes["gen_ai.request.stream"]).toBe(false);
    }
  });

  it("rag-service's long prompt stalls the short requests that overlap its prefill", () => {
    const calls = llmCallsOf(spans, "rag-service").filter((span) => span.statusCode !== 2);
    const longs = calls.filter((span) => Number(span.attributes["gen_ai.usage.input_tokens"]) > 50_000);
    const shorts = calls.filter((span) => Number(span.attributes["gen_ai.usage.input_tokens"]) < 5000);
    expect(longs.length).toBeGreaterThan(0);
    const isStalled = (short: DecodedTestSpan) =>
      longs.some((long) => short.startMs >= long.startMs && short.startMs < long.startMs + ttftMs(long));
    const stalled = shorts.filter(isStalled);
    const unaffected = shorts.filter((short) => !isStalled(short));
    expect(stalled.length).toBeGreaterThan(0);
    for (const short of stalled) {
      const long = longs.find((candidate) => short.startMs >= candidate.startMs)!;
      expect(short.endMs).toBeGreaterThan(long.startMs); // they overlap in time
    }
    expect(median(stalled.map(ttftMs))).toBeGreaterThan(3 * median(unaffected.map(ttftMs)));
    expect(Math.max(...unaffected.map(ttftMs))).toBeLessThan(1500);
  });

  it("includes embeddings and Gemini calls", () => {
    const models = new Set(spans.filter(isLlmCall).map((span) => span.attributes["gen_ai.request.model"]));
    expect(models).toContain("text-embedding-3-small");
    const gemini = llmCallsOf(spans, "catalog-enricher");
    expect(gemini[0].attributes["gen_ai.provider.name"]).toBe("gcp.gemini");
    expect(gemini[0].name).toBe("generate_content gemini-2.5-flash");
  });
});

describe("runSimulation, live over OTLP/protobuf", () => {
  let server: Awaited<ReturnType<typeof startCaptureServer>>;
  beforeAll(async () => {
    server = await startCaptureServer();
  });
  afterAll(() => server.close());

  it("sends protobuf with the bearer key and reports what it sent", async () => {
    const summary = await runSimulation({
      endpoint: server.endpoint,
      apiKey: "test-key",
      seed: 7,
      ratePerSecond: 40,
      durationMs: 1500,
      drainTimeoutMs: 0,
    });
    expect(summary.export.failedRequests).toBe(0);
    expect(summary.spans).toBeGreaterThan(20);
    expect(summary.export.spansExported).toBe(summary.spans);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      expect(request.path).toBe("/api/otlp/v1/traces");
      expect(request.headers["content-type"]).toBe("application/x-protobuf");
      expect(request.headers.authorization).toBe("Bearer test-key");
      expect(request.body.length).toBeGreaterThan(0);
      expect(request.body[0]).toBe(0x0a); // field 1 (resource_spans), length-delimited
    }
  }, 30_000);
});

describe("runSimulation against a receiver that rejects the key", () => {
  it("stops early and reports the rejection", async () => {
    const server = await startCaptureServer(401);
    try {
      const startedMs = Date.now();
      const summary = await runSimulation({
        endpoint: server.endpoint,
        apiKey: "wrong",
        seed: 1,
        ratePerSecond: 40,
        durationMs: 20_000,
      });
      expect(summary.export.isKeyRejected).toBe(true);
      expect(summary.export.failedRequests).toBeGreaterThan(0);
      expect(summary.export.lastError).toContain("401");
      expect(Date.now() - startedMs).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  }, 30_000);
});
