import { resourceFromAttributes } from "@opentelemetry/resources";
import { describe, expect, it } from "vitest";
import { decodeJsonTraceRequest } from "./decode-json";
import { decodeProtobufTraceRequest } from "./decode-protobuf";
import { OtlpDecodeError } from "./errors";
import { SpanKind, SpanStatusCode, genAiAttributes, handBuiltSpan, recordSpans, toJson, toJsonObject, toProtobuf } from "./test-spans";
import { DROPPED_ATTRIBUTES_COUNT_KEY, DROPPED_EVENTS_COUNT_KEY, MAX_ATTRIBUTES_PER_SPAN, MAX_EVENTS_PER_SPAN } from "./validate-span";

type JsonSpan = Record<string, unknown>;

function jsonBody(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A request with one resource and one scope around the given JSON spans. */
function requestWith(spans: unknown[], resourceAttributes: unknown = [{ key: "service.name", value: { stringValue: "billing" } }]) {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: "ai" }, spans }] }] };
}

function goodSpan(overrides: JsonSpan = {}): JsonSpan {
  return {
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: "eee19b7ec3c1b174",
    name: "chat",
    kind: 3,
    startTimeUnixNano: "1764000000000000000",
    endTimeUnixNano: "1764000001000000000",
    attributes: [{ key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } }],
    ...overrides,
  };
}

describe("decodeJsonTraceRequest with the official JSON serializer", () => {
  it("decodes exactly what the protobuf decoder decodes from the same spans", () => {
    const spans = recordSpans({ "service.name": "checkout", "service.version": "1.2.3" }, { name: "ai", version: "5.0.0" }, (tracer) => {
      const span = tracer.startSpan("ai.streamText.doStream", { kind: SpanKind.CLIENT, attributes: genAiAttributes(3) });
      span.addEvent("ai.stream.firstChunk", { "ai.response.msToFirstChunk": 412.5 });
      span.setStatus({ code: SpanStatusCode.ERROR, message: "overloaded" });
      span.end();
      tracer.startSpan("root", { kind: SpanKind.INTERNAL }).end();
    });
    const exotic = handBuiltSpan({
      parentSpanId: "00f067aa0ba902b7",
      attributes: { kvlist: { a: [1, "two", { b: true }] }, bytes: Uint8Array.from([1, 2, 255]), negative: -7, double: 0.125 },
    });
    const all = [...spans, exotic];
    const fromJson = decodeJsonTraceRequest(toJson(all));
    expect(fromJson.rejected).toEqual([]);
    expect(fromJson.spans).toHaveLength(3);
    expect(fromJson).toEqual(decodeProtobufTraceRequest(toProtobuf(all)));
    expect(fromJson.spans[0].attributes).toEqual(spans[0].attributes);
  });
});

describe("decodeJsonTraceRequest tolerance", () => {
  it("accepts base64 and upper-case ids, int64 as strings or numbers, and enum names", () => {
    const decoded = decodeJsonTraceRequest(
      jsonBody(
        requestWith([
          goodSpan({
            traceId: Buffer.from("5b8efff798038103d269b633813fc60c", "hex").toString("base64"),
            spanId: Buffer.from("eee19b7ec3c1b174", "hex").toString("base64"),
            parentSpanId: "00F067AA0BA902B7",
            kind: "SPAN_KIND_CLIENT",
            startTimeUnixNano: 1764000000000000000,
            endTimeUnixNano: "1764000001000000000",
            status: { code: "STATUS_CODE_ERROR", message: "boom" },
            attributes: [
              { key: "as_string", value: { intValue: "42" } },
              { key: "as_number", value: { intValue: 42 } },
              { key: "huge", value: { intValue: "9223372036854775807" } },
              { key: "negative", value: { intValue: "-9007199254740993" } },
              { key: "nan", value: { doubleValue: "NaN" } },
              { key: "inf", value: { doubleValue: "-Infinity" } },
              { key: "double_string", value: { doubleValue: "1.5" } },
              { key: "null_double", value: { doubleValue: null } },
              { key: "bytes", value: { bytesValue: "AQL/" } },
              { key: "empty", value: {} },
            ],
          }),
        ]),
      ),
    );
    expect(decoded.rejected).toEqual([]);
    const [span] = decoded.spans;
    expect(span.traceId).toBe("5b8efff798038103d269b633813fc60c");
    expect(span.spanId).toBe("eee19b7ec3c1b174");
    expect(span.parentSpanId).toBe("00f067aa0ba902b7");
    expect(span.kind).toBe(3);
    expect(span.startTimeUnixNano).toBe(1764000000000000000n);
    expect(span.status).toEqual({ code: 2, message: "boom" });
    expect(span.attributes).toEqual({
      as_string: 42,
      as_number: 42,
      huge: "9223372036854775807",
      negative: "-9007199254740993",
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      double_string: 1.5,
      null_double: null,
      bytes: Uint8Array.from([1, 2, 255]),
      empty: null,
    });
  });

  it("accepts snake_case keys", () => {
    const body = {
      resource_spans: [
        {
          resource: { attributes: [{ key: "service.name", value: { string_value: "snake" } }] },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: "5b8efff798038103d269b633813fc60c",
                  span_id: "eee19b7ec3c1b174",
                  parent_span_id: "",
                  start_time_unix_nano: "1764000000000000000",
                  end_time_unix_nano: "1764000000000000000",
                  attributes: [{ key: "n", value: { int_value: "3" } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const [span] = decodeJsonTraceRequest(jsonBody(body)).spans;
    expect(span.resource).toEqual({ "service.name": "snake" });
    expect(span.parentSpanId).toBeNull();
    expect(span.attributes).toEqual({ n: 3 });
  });

  it("replaces invalid UTF-8 in the body with U+FFFD", () => {
    const prefix = new TextEncoder().encode(JSON.stringify(requestWith([goodSpan({ name: "XX" })])));
    const at = Buffer.from(prefix).indexOf("XX");
    prefix[at] = 0xff;
    prefix[at + 1] = 0xfe;
    const [span] = decodeJsonTraceRequest(prefix).spans;
    expect(span.name).toBe("\uFFFD\uFFFD");
  });

  it("stores __proto__ as a plain key and cuts off values nested too deeply", () => {
    const deep = `${'{"arrayValue":{"values":['.repeat(5_000)}{"stringValue":"bottom"}${"]}}".repeat(5_000)}`;
    const placeholder = JSON.stringify(requestWith([goodSpan({ attributes: [{ key: "__proto__", value: { stringValue: "x" } }, { key: "deep", value: "DEEP" }] })]));
    const text = placeholder.replace('"DEEP"', deep);
    const [span] = decodeJsonTraceRequest(text).spans;
    expect(Object.getOwnPropertyDescriptor(span.attributes, "__proto__")?.value).toBe("x");
    expect(JSON.stringify(span.attributes.deep)).toMatch(/^\[+"\[sous: value nested too deeply, dropped\]"\]+$/);
  });

  it("treats {} and a null resourceSpans as an empty export", () => {
    expect(decodeJsonTraceRequest(jsonBody({}))).toEqual({ spans: [], rejected: [] });
    expect(decodeJsonTraceRequest(jsonBody({ resourceSpans: null }))).toEqual({ spans: [], rejected: [] });
  });
});

describe("decodeJsonTraceRequest whole-request errors", () => {
  it.each([
    ["not JSON", "{\"resourceSpans\": [", /not valid JSON/],
    ["a top-level array", "[]", /must be an object with a resourceSpans array, got an array/],
    ["a number", "42", /got number 42/],
    ["resourceSpans not an array", "{\"resourceSpans\": {}}", /resourceSpans must be an array, got an object/],
    ["a logs export", "{\"resourceLogs\": []}", /no resourceSpans array.*logs or metrics export/],
    ["scopeSpans not an array", "{\"resourceSpans\": [{\"scopeSpans\": 3}]}", /resourceSpans\[0\]\.scopeSpans must be an array/],
    ["spans not an array", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": \"x\"}]}]}", /scopeSpans\[0\]\.spans must be an array/],
  ])("throws OtlpDecodeError for %s", (_, text, message) => {
    let error: unknown;
    try {
      decodeJsonTraceRequest(new TextEncoder().encode(text));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as OtlpDecodeError).message).toMatch(message);
    expect((error as OtlpDecodeError).message).toMatch(/Content-Type application\/json/);
  });
});

describe("decodeJsonTraceRequest rejects a wrongly typed span alone", () => {
  it.each([
    ["traceId is a number", { traceId: 12345 }, "invalid_trace_id", /traceId must be a hex string of 32 characters, got number 12345/],
    ["spanId is an object", { spanId: {} }, "invalid_span_id", /spanId must be a hex string/],
    ["startTimeUnixNano is not a number", { startTimeUnixNano: "abc" }, "invalid_field", /startTimeUnixNano must be an unsigned 64-bit count.*"abc"/],
    ["endTimeUnixNano is a float", { endTimeUnixNano: 1.5 }, "invalid_field", /endTimeUnixNano must be/],
    ["attributes is an object", { attributes: { model: "gpt-4o" } }, "invalid_field", /attributes must be an array of \{"key"/],
    ["an attribute has no key", { attributes: [{ value: { stringValue: "x" } }] }, "invalid_field", /attributes\[0\] must be an object/],
    ["intValue is not numeric", { attributes: [{ key: "tokens", value: { intValue: "many" } }] }, "invalid_field", /attributes\["tokens"\]\.intValue must be an integer/],
    ["a nested value is wrong", { attributes: [{ key: "l", value: { arrayValue: { values: [{ stringValue: 1 }] } } }] }, "invalid_field", /attributes\["l"\]\.arrayValue\.values\[0\]\.stringValue must be a string/],
    ["a value is a bare string", { attributes: [{ key: "k", value: "v" }] }, "invalid_field", /attributes\["k"\] must be an AnyValue object/],
    ["name is a number", { name: 7 }, "invalid_field", /name must be a string, got number 7/],
    ["kind is unknown", { kind: "SPAN_KIND_SIDEWAYS" }, "invalid_field", /kind must be an integer 0–5 or one of SPAN_KIND_UNSPECIFIED/],
    ["status is a string", { status: "ERROR" }, "invalid_field", /status must be an object/],
    ["events is not an array", { events: 1 }, "invalid_field", /events must be an array/],
    ["an event time is wrong", { events: [{ name: "e", timeUnixNano: "soon" }] }, "invalid_field", /events\[0\]\.timeUnixNano must be/],
  ])("%s", (_, overrides, reason, message) => {
    const before = goodSpan({ spanId: "1111111111111111" });
    const after = goodSpan({ spanId: "2222222222222222" });
    const decoded = decodeJsonTraceRequest(jsonBody(requestWith([before, goodSpan(overrides), after])));
    expect(decoded.spans.map((span) => span.spanId)).toEqual(["1111111111111111", "2222222222222222"]);
    expect(decoded.rejected).toHaveLength(1);
    expect(decoded.rejected[0].serviceName).toBe("billing");
    expect(decoded.rejected[0].reason).toBe(reason);
    expect(decoded.rejected[0].message).toMatch(message);
    expect(decoded.rejected[0].message).toMatch(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]/);
  });

  it("rejects every span under a resource with bad attributes, and only those", () => {
    const body = {
      resourceSpans: [
        { resource: { attributes: "service.name=x" }, scopeSpans: [{ spans: [goodSpan(), goodSpan({ spanId: "3333333333333333" })] }] },
        requestWith([goodSpan({ spanId: "4444444444444444" })]).resourceSpans[0],
      ],
    };
    const decoded = decodeJsonTraceRequest(jsonBody(body));
    expect(decoded.spans.map((span) => span.spanId)).toEqual(["4444444444444444"]);
    expect(decoded.rejected).toHaveLength(2);
    expect(decoded.rejected[0]).toEqual({
      serviceName: "unknown_service",
      reason: "invalid_field",
      message: expect.stringMatching(/^resourceSpans\[0\]\.resource\.attributes must be an array/),
    });
  });

  it("runs the shared id and time checks", () => {
    const decoded = decodeJsonTraceRequest(
      jsonBody(
        requestWith([
          goodSpan({ traceId: "5b8efff798038103" }),
          goodSpan({ traceId: "zz8efff798038103d269b633813fc60c" }),
          goodSpan({ startTimeUnixNano: "-5" }),
          goodSpan({ startTimeUnixNano: "0" }),
          goodSpan({ endTimeUnixNano: "1763999999999999999" }),
          goodSpan({ startTimeUnixNano: "1764000001000000000", endTimeUnixNano: "1764000001000000000" }),
        ]),
      ),
      { minStartTimeUnixNano: 1_700_000_000_000_000_000n, maxStartTimeUnixNano: 1_800_000_000_000_000_000n },
    );
    expect(decoded.rejected.map((rejection) => rejection.reason)).toEqual([
      "invalid_trace_id",
      "invalid_trace_id",
      "invalid_start_time",
      "invalid_start_time",
      "negative_duration",
    ]);
    expect(decoded.rejected[2].message).toMatch(/startTimeUnixNano -5 is before 1970/);
    expect(decoded.spans).toHaveLength(1); // zero duration is fine
  });
});

describe("decodeJsonTraceRequest limits", () => {
  it("keeps 256 of 10,000 attributes and the first 128 events", () => {
    const attributes = Array.from({ length: 10_000 }, (_, index) => ({ key: `attr.${index}`, value: { intValue: index } }));
    const events = Array.from({ length: 300 }, (_, index) => ({ name: `e${index}`, timeUnixNano: "1764000000500000000" }));
    const decoded = decodeJsonTraceRequest(jsonBody(requestWith([goodSpan({ attributes, events })])));
    const [span] = decoded.spans;
    expect(Object.keys(span.attributes)).toHaveLength(MAX_ATTRIBUTES_PER_SPAN + 2);
    expect(span.attributes[DROPPED_ATTRIBUTES_COUNT_KEY]).toBe(10_000 - MAX_ATTRIBUTES_PER_SPAN);
    expect(span.attributes[DROPPED_EVENTS_COUNT_KEY]).toBe(300 - MAX_EVENTS_PER_SPAN);
    expect(span.events).toHaveLength(MAX_EVENTS_PER_SPAN);
    expect(span.events[127].name).toBe("e127");
  });

  it("names the service of a rejected span from a real serializer's resource", () => {
    const span = handBuiltSpan({ traceId: "00000000000000000000000000000000", resource: resourceFromAttributes({ "service.name": "payments" }) });
    const json = toJsonObject([span]);
    const decoded = decodeJsonTraceRequest(jsonBody(json));
    expect(decoded.rejected).toEqual([
      { serviceName: "payments", reason: "invalid_trace_id", message: expect.stringMatching(/traceId is all zeros/) },
    ]);
  });
});
