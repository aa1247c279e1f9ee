import { context, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { describe, expect, it } from "vitest";
import { decodeProtobufTraceRequest } from "./decode-protobuf";
import { OtlpDecodeError } from "./errors";
import {
  SAMPLE_START_NANOS,
  SpanKind,
  SpanStatusCode,
  genAiAttributes,
  handBuiltSpan,
  hrTimeToNanos,
  recordSpans,
  toProtobuf,
} from "./test-spans";
import { SPAN_ID, TRACE_ID, concatBytes, keyValue, pb, requestBytes, spanBytes, unknownFieldsOfEveryWireType } from "./test-protobuf";
import { TOO_DEEP_VALUE_MARKER } from "./validate-span";

const START = 1_764_000_000_000_000_000n;

describe("decodeProtobufTraceRequest with spans from the OpenTelemetry SDK", () => {
  const spans = recordSpans(
    { "service.name": "checkout", "deployment.environment.name": "prod", "host.cpu.count": 8 },
    { name: "@traceloop/instrumentation-openai", version: "0.27.0" },
    (tracer) => {
      const root = tracer.startSpan("POST /chat", { kind: SpanKind.SERVER, startTime: [1_764_000_000, 5] });
      const child = tracer.startSpan(
        "chat gpt-4o-mini",
        {
          kind: SpanKind.CLIENT,
          startTime: [1_764_000_000, 1_000_000],
          attributes: {
            ...genAiAttributes(7),
            "sous.flags": [true, false, true],
            "gen_ai.token.scores": [0.25, 1.5],
            "gen_ai.token.ids": [1, 2, 3],
            "unicode.text": "naïve café ☕ 日本語 🍲",
            "empty.string": "",
            "negative.int": -42,
          },
        },
        trace.setSpan(context.active(), root),
      );
      child.addEvent("gen_ai.content.completion.chunk", { "gen_ai.chunk.index": 0 }, [1_764_000_000, 413_000_000]);
      child.setStatus({ code: SpanStatusCode.ERROR, message: "rate limited" });
      child.end([1_764_000_001, 900_000_000]);
      root.end([1_764_000_002, 0]);
    },
  );

  it("decodes every field the SDK put in", () => {
    const decoded = decodeProtobufTraceRequest(toProtobuf(spans));
    expect(decoded.rejected).toEqual([]);
    expect(decoded.spans).toHaveLength(2);
    const [child, root] = spans;
    const decodedChild = decoded.spans.find((span) => span.name === "chat gpt-4o-mini")!;
    const decodedRoot = decoded.spans.find((span) => span.name === "POST /chat")!;

    expect(decodedChild.traceId).toBe(child.spanContext().traceId);
    expect(decodedChild.spanId).toBe(child.spanContext().spanId);
    expect(decodedChild.parentSpanId).toBe(root.spanContext().spanId);
    expect(decodedRoot.parentSpanId).toBeNull();
    expect(decodedChild.kind).toBe(3); // OTLP CLIENT (the API's SpanKind.CLIENT is 2)
    expect(decodedRoot.kind).toBe(2); // OTLP SERVER
    expect(decodedChild.startTimeUnixNano).toBe(hrTimeToNanos(child.startTime));
    expect(decodedChild.endTimeUnixNano).toBe(hrTimeToNanos(child.endTime));
    expect(decodedRoot.startTimeUnixNano).toBe(1_764_000_000_000_000_005n);
    expect(decodedChild.attributes).toEqual(child.attributes);
    expect(decodedChild.events).toEqual([
      { name: "gen_ai.content.completion.chunk", timeUnixNano: 1_764_000_000_413_000_000n, attributes: { "gen_ai.chunk.index": 0 } },
    ]);
    expect(decodedChild.status).toEqual({ code: 2, message: "rate limited" });
    expect(decodedRoot.status).toEqual({ code: 0, message: "" });
    expect(decodedChild.resource).toEqual(child.resource.attributes);
    expect(decodedChild.resource["service.name"]).toBe("checkout");
    expect(decodedChild.scope).toEqual({ name: "@traceloop/instrumentation-openai", version: "0.27.0" });
  });

  it("decodes a 512-span batch of GenAI spans", () => {
    const batch = recordSpans({ "service.name": "support-bot" }, { name: "ai" }, (tracer) => {
      for (let index = 0; index < 512; index++) {
        tracer.startSpan(`chat ${index}`, { startTime: [1_764_000_000, index], attributes: genAiAttributes(index) }).end();
      }
    });
    const decoded = decodeProtobufTraceRequest(toProtobuf(batch));
    expect(decoded.spans).toHaveLength(512);
    expect(decoded.spans[511].attributes).toEqual(batch[511].attributes);
    expect(new Set(decoded.spans.map((span) => span.spanId)).size).toBe(512);
  });
});

describe("decodeProtobufTraceRequest AnyValue kinds", () => {
  it("maps kvlist, bytes, nested arrays, doubles and int64 to JS values", () => {
    const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
    const span = handBuiltSpan({
      attributes: {
        kvlist: { model: "gpt-4o", usage: { input: 10, cached: true }, tags: ["a", "b"] },
        bytes,
        nested: [[1, 2], ["x"], []],
        mixed: ["one", 2, 3.5, false],
        double: 3.25,
        infinity: Number.POSITIVE_INFINITY,
        negativeDouble: -0.5,
        maxSafe: Number.MAX_SAFE_INTEGER,
        minSafe: Number.MIN_SAFE_INTEGER,
        beyondSafe: 2 ** 60,
        negativeBeyondSafe: -(2 ** 60),
        int64Min: -(2 ** 63),
      },
    });
    const [decoded] = decodeProtobufTraceRequest(toProtobuf([span])).spans;
    expect(decoded.attributes).toEqual({
      kvlist: { model: "gpt-4o", usage: { input: 10, cached: true }, tags: ["a", "b"] },
      bytes,
      nested: [[1, 2], ["x"], []],
      mixed: ["one", 2, 3.5, false],
      double: 3.25,
      infinity: Number.POSITIVE_INFINITY,
      negativeDouble: -0.5,
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: Number.MIN_SAFE_INTEGER,
      beyondSafe: "1152921504606846976",
      negativeBeyondSafe: "-1152921504606846976",
      int64Min: "-9223372036854775808",
    });
    expect(decoded.attributes.bytes).toBeInstanceOf(Uint8Array);
  });

  it("decodes an empty AnyValue as null and keeps a NaN double", () => {
    const body = requestBytes([spanBytes(pb.message(9, keyValue("empty")), pb.message(9, keyValue("nan", pb.double(4, Number.NaN))))]);
    const [span] = decodeProtobufTraceRequest(body).spans;
    expect(span.attributes.empty).toBeNull();
    expect(span.attributes.nan).toBeNaN();
  });

  it("replaces values nested deeper than the limit instead of overflowing the stack", () => {
    let value = pb.string(1, "bottom");
    for (let level = 0; level < 5_000; level++) value = pb.message(5, pb.message(1, value));
    const [span] = decodeProtobufTraceRequest(requestBytes([spanBytes(pb.message(9, keyValue("deep", value)))])).spans;
    let node: unknown = span.attributes.deep;
    let depth = 0;
    while (Array.isArray(node)) {
      node = node[0];
      depth++;
    }
    expect(node).toBe(TOO_DEEP_VALUE_MARKER);
    expect(depth).toBeLessThan(40);
  });

  it("decodes thousands of distinct keys correctly through the key cache, twice", () => {
    const spans = Array.from({ length: 20 }, (_, spanIndex) =>
      handBuiltSpan({
        attributes: Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`k${"x".repeat(index % 40)}.${spanIndex * 200 + index}`, index])),
      }),
    );
    const body = toProtobuf(spans);
    for (const round of [1, 2]) {
      const decoded = decodeProtobufTraceRequest(body);
      decoded.spans.forEach((span, index) => expect(span.attributes, `round ${round}`).toEqual(spans[index].attributes));
    }
  });

  it("stores attributes as plain data: __proto__ is a key, constructor is not inherited", () => {
    const body = requestBytes([spanBytes(pb.message(9, keyValue("__proto__", pb.string(1, "x"))))]);
    const [span] = decodeProtobufTraceRequest(body).spans;
    expect(Object.getPrototypeOf(span.attributes)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(span.attributes, "__proto__")?.value).toBe("x");
    expect(span.attributes.constructor).toBeUndefined();
    expect(JSON.stringify(span.attributes)).toBe('{"__proto__":"x"}');
  });
});

describe("decodeProtobufTraceRequest wire-format tolerance", () => {
  it("skips unknown fields of every wire type at every level", () => {
    const unknown = unknownFieldsOfEveryWireType();
    const body = concatBytes(
      unknown,
      pb.message(
        1,
        unknown,
        pb.message(1, unknown, pb.message(1, pb.string(1, "service.name"), pb.message(2, pb.string(1, "svc"), unknown)), pb.varint(2, 3)),
        pb.message(
          2,
          unknown,
          pb.message(1, pb.string(1, "scope"), unknown, pb.message(3, keyValue("scope.attr", pb.string(1, "v")))),
          pb.message(2, spanBytes(unknown, pb.message(9, keyValue("k", pb.varint(3, 5))), pb.message(11, pb.string(2, "ev"), unknown))),
          pb.string(3, "https://opentelemetry.io/schemas/1.26.0"),
        ),
      ),
    );
    const decoded = decodeProtobufTraceRequest(body);
    expect(decoded.rejected).toEqual([]);
    expect(decoded.spans).toHaveLength(1);
    expect(decoded.spans[0].resource).toEqual({ "service.name": "svc" });
    expect(decoded.spans[0].attributes).toEqual({ k: 5 });
    expect(decoded.spans[0].events).toEqual([{ name: "ev", timeUnixNano: 0n, attributes: {} }]);
  });

  it("reads links, trace state, dropped counts and flags without storing them", () => {
    const span = spanBytes(
      pb.string(3, "vendor=value"),
      pb.varint(10, 2),
      pb.message(13, pb.hex(1, TRACE_ID), pb.hex(2, SPAN_ID), pb.fixed32(6, 0x301)),
      pb.varint(14, 1),
      pb.fixed32(16, 0x301),
    );
    const decoded = decodeProtobufTraceRequest(requestBytes([span]));
    expect(decoded.spans).toHaveLength(1);
    expect(decoded.spans[0].traceId).toBe(TRACE_ID);
  });

  it("assigns the resource and scope even when they come after the spans", () => {
    const body = pb.message(
      1,
      pb.message(2, pb.message(2, spanBytes()), pb.message(1, pb.string(1, "late-scope"))),
      pb.message(1, pb.message(1, keyValue("service.name", pb.string(1, "late-service")))),
    );
    const [span] = decodeProtobufTraceRequest(body).spans;
    expect(span.resource).toEqual({ "service.name": "late-service" });
    expect(span.scope).toEqual({ name: "late-scope", version: "" });
  });

  it("accepts an empty body as an empty export", () => {
    expect(decodeProtobufTraceRequest(new Uint8Array(0))).toEqual({ spans: [], rejected: [] });
  });

  it("replaces invalid UTF-8 with U+FFFD instead of rejecting", () => {
    const invalid = Uint8Array.from([0x63, 0x68, 0x61, 0x74, 0x20, 0xff, 0xfe, 0xc3]);
    const body = requestBytes([spanBytes(pb.bytes(5, invalid), pb.message(9, concatBytes(pb.string(1, "k"), pb.message(2, pb.bytes(1, invalid)))))]);
    const [span] = decodeProtobufTraceRequest(body).spans;
    expect(span.name).toBe("chat \uFFFD\uFFFD\uFFFD");
    expect(span.attributes.k).toBe("chat \uFFFD\uFFFD\uFFFD");
  });
});

describe("decodeProtobufTraceRequest malformed input", () => {
  const body = toProtobuf([handBuiltSpan({ attributes: genAiAttributes(1), events: [{ name: "e", timeNanos: SAMPLE_START_NANOS }] })]);

  it("throws OtlpDecodeError naming the byte for every truncation point", () => {
    for (let length = 1; length < body.length; length++) {
      let error: unknown;
      try {
        decodeProtobufTraceRequest(body.subarray(0, length));
      } catch (caught) {
        error = caught;
      }
      expect(error, `cut at ${length}`).toBeInstanceOf(OtlpDecodeError);
      expect((error as OtlpDecodeError).message).toMatch(/^protobuf body is truncated at byte \d+: .*expected ExportTraceServiceRequest \(Content-Type application\/x-protobuf\)$/);
      expect((error as OtlpDecodeError).status).toBe(400);
    }
  });

  it("never throws anything but OtlpDecodeError on corrupted bytes", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 3000; round++) {
      const corrupted = Uint8Array.from(body);
      const flips = 1 + Math.floor(random() * 4);
      for (let flip = 0; flip < flips; flip++) corrupted[Math.floor(random() * corrupted.length)] = Math.floor(random() * 256);
      try {
        decodeProtobufTraceRequest(corrupted);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
  });

  it("explains a logs export sent to the traces endpoint", () => {
    // ResourceLogs → ScopeLogs → LogRecord shares field numbers 1/2 but LogRecord.time_unix_nano (1) is fixed64.
    const logs = pb.message(1, pb.message(2, pb.message(2, pb.fixed64(1, START), pb.varint(2, 9))));
    expect(() => decodeProtobufTraceRequest(logs)).toThrow(/Span\.trace_id \(1\) has wire type fixed64.*\/v1\/logs/);
  });

  it("rejects invalid wire types, overlong varints and unclosed groups", () => {
    expect(() => decodeProtobufTraceRequest(Uint8Array.from([0x0e]))).toThrow(OtlpDecodeError); // wire type 6
    expect(() => decodeProtobufTraceRequest(Uint8Array.from([0x10, ...Array(11).fill(0xff), 0x01]))).toThrow(/longer than 10 bytes/);
    expect(() => decodeProtobufTraceRequest(Uint8Array.from([0x1b, 0x08, 0x01]))).toThrow(/truncated/); // group 3 never closed
    expect(() => decodeProtobufTraceRequest(Uint8Array.from([0x00]))).toThrow(/invalid field tag/);
  });

  it("rejects a field that runs past its enclosing message", () => {
    // ResourceSpans claims 3 bytes, but its inner field claims 10 (which the body does have).
    const body = concatBytes(Uint8Array.from([0x0a, 0x03, 0x12, 0x0a, 0x00]), pb.string(15, "x".repeat(10)));
    expect(() => decodeProtobufTraceRequest(body)).toThrow(/malformed at byte \d+: a field declares 10 bytes, past the end/);
  });
});
