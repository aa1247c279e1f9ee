import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { contentTypeFor, formatFromContentType } from "./content-type";
import { MAX_ERROR_MESSAGE_LENGTH, encodeStatus, encodeTraceResponse, grpcCodeForHttpStatus, summarizeRejections } from "./encode-response";
import { ProtobufReader } from "./protobuf-reader";
import type { RejectedSpan } from "./types";

function decodeStatusBytes(bytes: Uint8Array): { code: number; message: string } {
  const reader = new ProtobufReader(bytes, "google.rpc.Status");
  const status = { code: 0, message: "" };
  while (reader.pos < reader.length) {
    const tag = reader.tag();
    if (tag >>> 3 === 1) status.code = reader.varint();
    else if (tag >>> 3 === 2) status.message = reader.string(reader.length);
    else reader.skip(tag, reader.length);
  }
  return status;
}

describe("encodeTraceResponse, read back by the OpenTelemetry JS exporter's own parsers", () => {
  const partial = { rejectedSpans: 3, errorMessage: "3 spans rejected (3 invalid_trace_id): …" };

  it("encodes partial success as protobuf", () => {
    const bytes = encodeTraceResponse("protobuf", partial);
    expect(ProtobufTraceSerializer.deserializeResponse(bytes)).toEqual({ partialSuccess: partial });
  });

  it("encodes partial success as OTLP/JSON with rejectedSpans as a string", () => {
    const bytes = encodeTraceResponse("json", partial);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ partialSuccess: { rejectedSpans: "3", errorMessage: partial.errorMessage } });
    expect(JsonTraceSerializer.deserializeResponse(bytes)).toEqual({ partialSuccess: { rejectedSpans: "3", errorMessage: partial.errorMessage } });
  });

  it("encodes full success as an empty body or {}", () => {
    expect(encodeTraceResponse("protobuf", null)).toEqual(new Uint8Array(0));
    expect(encodeTraceResponse("protobuf", { rejectedSpans: 0, errorMessage: "" })).toEqual(new Uint8Array(0));
    expect(new TextDecoder().decode(encodeTraceResponse("json"))).toBe("{}");
  });

  it("can carry a warning with nothing rejected", () => {
    const bytes = encodeTraceResponse("protobuf", { rejectedSpans: 0, errorMessage: "attributes truncated" });
    expect(ProtobufTraceSerializer.deserializeResponse(bytes)).toEqual({ partialSuccess: { errorMessage: "attributes truncated" } });
  });

  it("encodes large counts and non-ASCII messages", () => {
    const bytes = encodeTraceResponse("protobuf", { rejectedSpans: 300_000, errorMessage: "spän «x» 🍲" });
    expect(ProtobufTraceSerializer.deserializeResponse(bytes)).toEqual({ partialSuccess: { rejectedSpans: 300_000, errorMessage: "spän «x» 🍲" } });
  });
});

describe("encodeStatus", () => {
  it("encodes google.rpc.Status in protobuf with the gRPC code for the HTTP status", () => {
    expect(decodeStatusBytes(encodeStatus("protobuf", 400, "protobuf body is truncated at byte 12"))).toEqual({
      code: 3,
      message: "protobuf body is truncated at byte 12",
    });
    expect(decodeStatusBytes(encodeStatus("protobuf", 503, "retry"))).toEqual({ code: 14, message: "retry" });
  });

  it("encodes google.rpc.Status in JSON", () => {
    expect(JSON.parse(new TextDecoder().decode(encodeStatus("json", 413, "too big")))).toEqual({ code: 8, message: "too big" });
  });

  it.each([
    [400, 3],
    [401, 16],
    [403, 7],
    [413, 8],
    [415, 3],
    [429, 8],
    [500, 13],
    [503, 14],
  ])("maps HTTP %i to gRPC code %i", (httpStatus, code) => {
    expect(grpcCodeForHttpStatus(httpStatus)).toBe(code);
  });
});

describe("summarizeRejections", () => {
  const rejection = (reason: string, message: string, serviceName = "checkout"): RejectedSpan => ({ serviceName, reason, message });

  it("is empty when nothing was rejected", () => {
    expect(summarizeRejections([])).toBe("");
  });

  it("counts per reason and quotes the first distinct messages", () => {
    const summary = summarizeRejections([
      rejection("invalid_trace_id", "span \"a\": traceId is all zeros"),
      rejection("invalid_trace_id", "span \"a\": traceId is all zeros"),
      rejection("timestamp_out_of_range", "span \"b\": startTimeUnixNano … is in the future", "billing"),
      rejection("invalid_field", "span \"c\": name must be a string"),
      rejection("invalid_field", "span \"d\": kind must be an integer"),
    ]);
    expect(summary).toBe(
      "5 spans rejected (2 invalid_trace_id, 1 timestamp_out_of_range, 2 invalid_field): " +
        "[checkout] span \"a\": traceId is all zeros; [billing] span \"b\": startTimeUnixNano … is in the future; " +
        "[checkout] span \"c\": name must be a string; …",
    );
  });

  it("caps the length", () => {
    const summary = summarizeRejections(Array.from({ length: 5 }, (_, index) => rejection("invalid_field", `${index} ${"x".repeat(5000)}`)));
    expect(summary.length).toBe(MAX_ERROR_MESSAGE_LENGTH);
    expect(summary.startsWith("5 spans rejected (5 invalid_field): [checkout] 0 xxx")).toBe(true);
  });
});

describe("formatFromContentType", () => {
  it.each([
    ["application/x-protobuf", "protobuf"],
    ["application/protobuf", "protobuf"],
    ["Application/X-Protobuf", "protobuf"],
    ["application/json", "json"],
    ["application/json; charset=utf-8", "json"],
    [" application/json ;charset=UTF-8", "json"],
    ["text/plain", null],
    ["application/grpc", null],
    ["constructor", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("%s → %s", (header, format) => {
    expect(formatFromContentType(header)).toBe(format);
  });

  it("answers in the request's type", () => {
    expect(contentTypeFor("protobuf")).toBe("application/x-protobuf");
    expect(contentTypeFor("json")).toBe("application/json");
  });
});
