import { resourceFromAttributes } from "@opentelemetry/resources";
import { describe, expect, it } from "vitest";
import { decodeProtobufTraceRequest } from "./decode-protobuf";
import { SAMPLE_START_NANOS, handBuiltSpan, toProtobuf } from "./test-spans";
import { pb, requestBytes, spanBytes } from "./test-protobuf";
import {
  DROPPED_ATTRIBUTES_COUNT_KEY,
  DROPPED_EVENTS_COUNT_KEY,
  MAX_ATTRIBUTES_PER_SPAN,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_CONTENT_ATTRIBUTE_VALUE_LENGTH,
  MAX_EVENTS_PER_SPAN,
  capAttributeValue,
  isContentAttribute,
} from "./validate-span";

const HOUR = 3_600_000_000_000n;
const NOW = SAMPLE_START_NANOS + HOUR;
const WINDOW = { minStartTimeUnixNano: NOW - 30n * 24n * HOUR, maxStartTimeUnixNano: NOW + HOUR };

function decodeOne(spec: Parameters<typeof handBuiltSpan>[0], options = WINDOW) {
  const good = handBuiltSpan({ name: "neighbour" });
  const decoded = decodeProtobufTraceRequest(toProtobuf([good, handBuiltSpan(spec)]), options);
  expect(decoded.spans[0]?.name).toBe("neighbour");
  return decoded;
}

describe("span validation (through the protobuf decoder and the official serializer)", () => {
  it.each([
    ["a short traceId", { traceId: "5b8efff798038103" }, "invalid_trace_id", "traceId has 16 hex characters (8 bytes), expected 32 (16 bytes)"],
    ["an all-zero traceId", { traceId: "0".repeat(32) }, "invalid_trace_id", "traceId is all zeros"],
    ["a long spanId", { spanId: "eee19b7ec3c1b17400" }, "invalid_span_id", "spanId has 18 hex characters (9 bytes), expected 16 (8 bytes)"],
    ["an all-zero spanId", { spanId: "0".repeat(16) }, "invalid_span_id", "spanId is all zeros"],
    ["a 4-byte parentSpanId", { parentSpanId: "00f067aa" }, "invalid_parent_span_id", "parentSpanId has 8 hex characters (4 bytes)"],
    ["a start time of 0", { startNanos: 0n, endNanos: 5n }, "invalid_start_time", "startTimeUnixNano is 0: set the span's start time"],
    ["a negative duration", { endNanos: SAMPLE_START_NANOS - 1n }, "negative_duration", "is before startTimeUnixNano"],
    ["an end time of 0 (span not ended)", { endNanos: 0n }, "negative_duration", "endTimeUnixNano is 0"],
    ["a start 2 h in the future", { startNanos: NOW + 2n * HOUR }, "timestamp_out_of_range", "is in the future"],
    ["a start older than retention", { startNanos: NOW - 31n * 24n * HOUR }, "timestamp_out_of_range", "older than the retention window"],
    ["a start in milliseconds", { startNanos: 1_764_000_000_000n, endNanos: 1_764_000_000_001n }, "timestamp_out_of_range", "looks like seconds, ms or µs"],
  ])("rejects %s alone", (_, spec, reason, message) => {
    const decoded = decodeOne({ name: "bad one", resource: resourceFromAttributes({ "service.name": "ledger" }), ...spec });
    expect(decoded.spans).toHaveLength(1);
    expect(decoded.rejected).toHaveLength(1);
    expect(decoded.rejected[0].serviceName).toBe("ledger");
    expect(decoded.rejected[0].reason).toBe(reason);
    expect(decoded.rejected[0].message).toContain(message);
    expect(decoded.rejected[0].message).toMatch(/^span "bad one"/);
  });

  it("accepts a zero-duration span and a start just inside the window", () => {
    const decoded = decodeProtobufTraceRequest(
      toProtobuf([handBuiltSpan({ endNanos: SAMPLE_START_NANOS }), handBuiltSpan({ startNanos: WINDOW.maxStartTimeUnixNano })]),
      WINDOW,
    );
    expect(decoded.rejected).toEqual([]);
    expect(decoded.spans).toHaveLength(2);
  });

  it("rejects a fixed64 start time with the sign bit set as before 1970", () => {
    const body = requestBytes([spanBytes(pb.fixed64(7, -1_000_000_000n))]);
    const { rejected } = decodeProtobufTraceRequest(body);
    expect(rejected).toEqual([
      { serviceName: "unknown_service", reason: "invalid_start_time", message: expect.stringContaining("startTimeUnixNano -1000000000 is before 1970") },
    ]);
  });

  it("reports unknown_service when the resource has no service.name", () => {
    const { rejected } = decodeProtobufTraceRequest(toProtobuf([handBuiltSpan({ spanId: "0".repeat(16), resource: resourceFromAttributes({}) })]));
    expect(rejected[0].serviceName).toBe("unknown_service");
  });
});

describe("span limits", () => {
  it("keeps 256 of 10,000 attributes and counts the rest", () => {
    const attributes = Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`attr.${index}`, index]));
    const { spans, rejected } = decodeProtobufTraceRequest(toProtobuf([handBuiltSpan({ attributes })]));
    expect(rejected).toEqual([]);
    expect(Object.keys(spans[0].attributes)).toHaveLength(MAX_ATTRIBUTES_PER_SPAN + 1);
    expect(spans[0].attributes["attr.255"]).toBe(255);
    expect(spans[0].attributes["attr.256"]).toBeUndefined();
    expect(spans[0].attributes[DROPPED_ATTRIBUTES_COUNT_KEY]).toBe(10_000 - MAX_ATTRIBUTES_PER_SPAN);
  });

  it("truncates long values, with a larger cap for captured content", () => {
    const long = "x".repeat(100_000);
    const huge = "y".repeat(300 * 1024);
    const { spans } = decodeProtobufTraceRequest(
      toProtobuf([
        handBuiltSpan({
          attributes: { "http.url": long, "gen_ai.input.messages": long, "gen_ai.output.messages": huge, "llm.input_messages.0.message.content": huge, tags: [long, "short"] },
        }),
      ]),
    );
    const attributes = spans[0].attributes;
    expect(attributes["http.url"]).toBe(`${"x".repeat(MAX_ATTRIBUTE_VALUE_LENGTH)}…[truncated by Sous: 100000 characters]`);
    expect(attributes["gen_ai.input.messages"]).toBe(long);
    expect(attributes["gen_ai.output.messages"]).toBe(`${"y".repeat(MAX_CONTENT_ATTRIBUTE_VALUE_LENGTH)}…[truncated by Sous: ${300 * 1024} characters]`);
    expect((attributes["llm.input_messages.0.message.content"] as string).length).toBeLessThan(MAX_CONTENT_ATTRIBUTE_VALUE_LENGTH + 100);
    expect((attributes.tags as string[])[0]).toMatch(/…\[truncated by Sous: 100000 characters\]$/);
    expect((attributes.tags as string[])[1]).toBe("short");
  });

  it("keeps the first 128 events and counts the rest", () => {
    const events = Array.from({ length: 200 }, (_, index) => ({ name: `chunk ${index}`, timeNanos: SAMPLE_START_NANOS + BigInt(index) }));
    const { spans } = decodeProtobufTraceRequest(toProtobuf([handBuiltSpan({ events })]));
    expect(spans[0].events).toHaveLength(MAX_EVENTS_PER_SPAN);
    expect(spans[0].events[MAX_EVENTS_PER_SPAN - 1].name).toBe("chunk 127");
    expect(spans[0].attributes[DROPPED_EVENTS_COUNT_KEY]).toBe(200 - MAX_EVENTS_PER_SPAN);
  });

  it("does not split a surrogate pair when truncating", () => {
    const value = `${"a".repeat(MAX_ATTRIBUTE_VALUE_LENGTH - 1)}🍲tail`;
    const capped = capAttributeValue("note", value) as string;
    expect(capped.startsWith(`${"a".repeat(MAX_ATTRIBUTE_VALUE_LENGTH - 1)}…`)).toBe(true);
  });

  it("caps bytes values and leaves numbers alone", () => {
    expect((capAttributeValue("blob", new Uint8Array(20_000)) as Uint8Array).length).toBe(MAX_ATTRIBUTE_VALUE_LENGTH);
    expect(capAttributeValue("n", 5)).toBe(5);
  });

  it.each([
    ["gen_ai.input.messages", true],
    ["gen_ai.system_instructions", true],
    ["gen_ai.tool.definitions", true],
    ["gen_ai.prompt", true],
    ["gen_ai.prompt.0.content", true],
    ["gen_ai.completion", true],
    ["llm.input_messages.1.message.content", true],
    ["ai.prompt.messages", true],
    ["ai.response.text", true],
    ["gen_ai.request.model", false],
    ["http.url", false],
  ])("isContentAttribute(%s) is %s", (key, expected) => {
    expect(isContentAttribute(key)).toBe(expected);
  });
});
