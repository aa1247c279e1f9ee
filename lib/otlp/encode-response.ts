/**
 * OTLP/HTTP trace responses: ExportTraceServiceResponse (with partial_success when spans were
 * rejected) and google.rpc.Status for failures, in protobuf or OTLP/JSON to match the request.
 */
import type { OtlpFormat } from "./content-type";
import type { RejectedSpan } from "./types";

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** Keeps the response small: exporters only log this text, and the spec wants bodies ≤ 4 MiB. */
export const MAX_ERROR_MESSAGE_LENGTH = 2048;
const EXAMPLE_MESSAGES = 3;

const utf8 = new TextEncoder();

/** Grows a byte list; responses are tiny, so simplicity beats preallocation here. */
class ProtobufWriter {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    let remaining = value;
    while (remaining >= 0x80) {
      this.bytes.push((remaining % 0x80) | 0x80);
      remaining = Math.floor(remaining / 0x80);
    }
    this.bytes.push(remaining);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  lengthDelimited(field: number, payload: Uint8Array): this {
    this.tag(field, 2).varint(payload.length);
    for (const byte of payload) this.bytes.push(byte);
    return this;
  }

  finish(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * ExportTraceServiceResponse. With nothing rejected and no warning, the body is empty
 * (protobuf) or `{}` (JSON), which is what OTLP calls full success.
 */
export function encodeTraceResponse(format: OtlpFormat, partialSuccess?: PartialSuccess | null): Uint8Array<ArrayBuffer> {
  const rejectedSpans = Math.max(0, Math.trunc(partialSuccess?.rejectedSpans ?? 0));
  const errorMessage = partialSuccess?.errorMessage ?? "";
  const hasPartialSuccess = rejectedSpans > 0 || errorMessage !== "";
  if (format === "json") {
    if (!hasPartialSuccess) return utf8.encode("{}");
    const body: { rejectedSpans?: string; errorMessage?: string } = {};
    if (rejectedSpans > 0) body.rejectedSpans = String(rejectedSpans); // int64 → decimal string in OTLP/JSON
    if (errorMessage !== "") body.errorMessage = errorMessage;
    return utf8.encode(JSON.stringify({ partialSuccess: body }));
  }
  if (!hasPartialSuccess) return new Uint8Array(0);
  // ExportTracePartialSuccess: rejected_spans int64 = 1, error_message string = 2
  const inner = new ProtobufWriter();
  if (rejectedSpans > 0) inner.tag(1, 0).varint(rejectedSpans);
  if (errorMessage !== "") inner.lengthDelimited(2, utf8.encode(errorMessage));
  return new ProtobufWriter().lengthDelimited(1, inner.finish()).finish();
}

/**
 * google.rpc.Status { int32 code = 1; string message = 2 } for a 4xx/5xx answer. `code` is the
 * gRPC code matching the HTTP status (as the OpenTelemetry Collector does); exporters ignore it
 * and log `message`.
 */
export function encodeStatus(format: OtlpFormat, httpStatus: number, message: string): Uint8Array<ArrayBuffer> {
  const code = grpcCodeForHttpStatus(httpStatus);
  if (format === "json") return utf8.encode(JSON.stringify({ code, message }));
  const writer = new ProtobufWriter();
  if (code > 0) writer.tag(1, 0).varint(code);
  if (message !== "") writer.lengthDelimited(2, utf8.encode(message));
  return writer.finish();
}

/** The gRPC status code a google.rpc.Status body carries for an HTTP status (clients ignore it). */
export function grpcCodeForHttpStatus(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 413:
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return httpStatus >= 500 ? 13 : 2; // INTERNAL : UNKNOWN
  }
}

/**
 * One partial-success message for a batch: counts per reason, then the first few distinct
 * messages, capped at MAX_ERROR_MESSAGE_LENGTH characters.
 */
export function summarizeRejections(rejected: RejectedSpan[]): string {
  if (rejected.length === 0) return "";
  const countsByReason = new Map<string, number>();
  const examples: string[] = [];
  const seen = new Set<string>();
  for (const rejection of rejected) {
    countsByReason.set(rejection.reason, (countsByReason.get(rejection.reason) ?? 0) + 1);
    const example = `[${rejection.serviceName}] ${rejection.message}`;
    if (examples.length < EXAMPLE_MESSAGES && !seen.has(example)) {
      seen.add(example);
      examples.push(example);
    }
  }
  const counts = [...countsByReason].map(([reason, count]) => `${count} ${reason}`).join(", ");
  const noun = rejected.length === 1 ? "span" : "spans";
  const summary = `${rejected.length} ${noun} rejected (${counts}): ${examples.join("; ")}`;
  if (rejected.length > examples.length && summary.length < MAX_ERROR_MESSAGE_LENGTH) {
    return truncate(`${summary}; …`);
  }
  return truncate(summary);
}

function truncate(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}
