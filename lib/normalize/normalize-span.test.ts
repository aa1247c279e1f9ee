import { describe, expect, it } from "vitest";
import { makeSpan, TEST_START_NANOS, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";

const normalize = (input: TestSpanInput, workloadAttribute?: string) =>
  normalizeSpan(makeSpan(input), workloadAttribute === undefined ? {} : { workloadAttribute });

describe("span basics (every span)", () => {
  it("copies identity, timing and service; duration keeps fractions of a millisecond", () => {
    const span = makeSpan({ name: "GET /menu", durationMs: 12.345678 });
    const normalized = normalizeSpan({ ...span, parentSpanId: "fedcba9876543210", kind: 2 }, {});
    expect(normalized).toMatchObject({
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: "fedcba9876543210",
      name: "GET /menu",
      kind: 2,
      startTimeUnixNano: TEST_START_NANOS,
      serviceName: "kitchen",
      scopeName: null,
      isLlm: false,
      status: "ok",
    });
    expect(normalized.durationMs).toBeCloseTo(12.345678, 9);
  });

  it("defaults the service to unknown_service and reads the environment from the resource", () => {
    expect(normalize({ resource: {} }).serviceName).toBe("unknown_service");
    expect(normalize({ resource: { "deployment.environment.name": "prod" } }).environment).toBe("prod");
    expect(normalize({ resource: { "deployment.environment": "staging" } }).environment).toBe("staging");
    expect(normalize({}).environment).toBeNull();
  });

  it("keeps a non-LLM span's attributes, adds resource attributes it lacks, and only exception events", () => {
    const normalized = normalize({
      attributes: { "http.route": "/menu", "host.name": "span-host", payload: new Uint8Array([104, 105]), ratio: Number.NaN },
      resource: { "service.name": "kitchen", "host.name": "resource-host", "deployment.environment.name": "prod", "process.pid": 7 },
      events: [
        { name: "cache miss", atMs: 1 },
        { name: "exception", atMs: 2, attributes: { "exception.type": "Error" } },
      ],
    });
    expect(normalized.attributes).toEqual({
      "http.route": "/menu",
      "host.name": "span-host",
      payload: "aGk=",
      ratio: "NaN",
      "process.pid": 7,
    });
    expect(normalized.events?.map((event) => event.name)).toEqual(["exception"]);
    expect(JSON.parse(JSON.stringify(normalized.attributes))).toEqual(normalized.attributes);
  });

  it("gives a non-LLM span no LLM facts even when it names a model", () => {
    const wrapper = normalize({
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.request.model": "gpt-4o", "user.id": "u1", "sous.workload": "batch" },
    });
    expect(wrapper).toMatchObject({ isLlm: false, requestModel: null, userId: null, workload: null, content: null });
  });
});

describe("workload", () => {
  const llm = { "gen_ai.operation.name": "chat" };

  it("reads sous.workload from the span or the resource", () => {
    expect(normalize({ attributes: { ...llm, "sous.workload": "batch" } }).workload).toBe("batch");
    expect(normalize({ attributes: llm, resource: { "service.name": "jobs", "sous.workload": "Interactive" } }).workload).toBe("interactive");
  });

  it("ignores other values and honours a configured attribute", () => {
    expect(normalize({ attributes: { ...llm, "sous.workload": "nightly" } }).workload).toBeNull();
    expect(normalize({ attributes: { ...llm, "app.workload": "batch" } }, "app.workload").workload).toBe("batch");
    expect(normalize({ attributes: { ...llm, "sous.workload": "batch" } }, "app.workload").workload).toBeNull();
  });
});

describe("token semantics whatever the instrumentation", () => {
  it("treats an input count below its cache counts as cache-exclusive (heuristic fallback)", () => {
    const call = normalize({
      scope: "some-homegrown-instrumentation",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.usage.input_tokens": 100,
        "gen_ai.usage.cache_read.input_tokens": 2000,
        "gen_ai.usage.cache_creation.input_tokens": 300,
      },
    });
    expect(call.inputTokens).toBe(2400);
  });

  it("never adds cache to an inclusive count", () => {
    const call = normalize({
      scope: "some-homegrown-instrumentation",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.usage.input_tokens": 2400,
        "gen_ai.usage.cache_read.input_tokens": 2000,
        "gen_ai.usage.cache_creation.input_tokens": 300,
      },
    });
    expect(call.inputTokens).toBe(2400);
  });

  it("adds reasoning to an output count that cannot contain it", () => {
    const call = normalize({
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.usage.output_tokens": 40, "gen_ai.usage.reasoning.output_tokens": 500 },
    });
    expect(call.outputTokens).toBe(540);
  });

  it("skips a value that does not coerce and takes the next key", () => {
    const call = normalize({
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": "unknown", "gen_ai.usage.prompt_tokens": "31" },
    });
    expect(call.inputTokens).toBe(31);
  });
});

describe("stored events of an LLM span", () => {
  it("keeps the first chunk event and drops the per-chunk repeats", () => {
    const call = normalize({
      scope: "opentelemetry.instrumentation.openai.v1",
      attributes: { "llm.request.type": "chat", "gen_ai.system": "openai" },
      events: [
        { name: "gen_ai.content.completion.chunk", atMs: 250 },
        { name: "gen_ai.content.completion.chunk", atMs: 260 },
        { name: "gen_ai.content.completion.chunk", atMs: 270 },
        { name: "retry", atMs: 300 },
      ],
    });
    expect(call.events?.map((event) => [event.name, event.timeUnixNano])).toEqual([
      ["gen_ai.content.completion.chunk", (TEST_START_NANOS + 250_000_000n).toString()],
      ["retry", (TEST_START_NANOS + 300_000_000n).toString()],
    ]);
  });
});

describe("captured content limits", () => {
  it("flags content the OTLP decoder already cut", () => {
    const call = normalize({
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"aaaa…[truncated by Sous: 300000 characters]',
      },
    });
    expect(call.content?.isTruncated).toBe(true);
    expect(typeof call.content?.inputMessages).toBe("string"); // no longer valid JSON: kept as text
  });

  it("cuts content over the cap and says so", () => {
    const call = normalize({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.system_instructions": "x".repeat(300_000) } });
    expect(call.content?.isTruncated).toBe(true);
    expect((call.content?.systemPrompt ?? "").length).toBeLessThan(300_000);
    // the hash still covers the real prompt's first 4 KB
    expect(call.promptPrefixHash).toHaveLength(64);
  });
});
