/**
 * The decoded form of an OTLP trace export, shared by the protobuf and JSON decoders.
 * Ids are lowercase hex; times are unsigned nanoseconds since the epoch as bigint.
 */

/** An attribute value after decoding: OTLP AnyValue mapped to plain JS values. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

/** OTLP status codes: 0 unset, 1 ok, 2 error. */
export interface SpanStatus {
  code: number;
  message: string;
}

export interface InstrumentationScope {
  name: string;
  version: string;
}

/** One span with its resource and scope, flattened out of ResourceSpans/ScopeSpans. */
export interface DecodedSpan {
  traceId: string; // 32 lowercase hex chars
  spanId: string; // 16 lowercase hex chars
  parentSpanId: string | null; // null for a root span
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  status: SpanStatus;
  resource: Attributes;
  scope: InstrumentationScope;
}

/** A span the decoder could not accept; its neighbours are unaffected. */
export interface RejectedSpan {
  /** Service of the span's resource, when it could be read. */
  serviceName: string;
  /** Short machine-readable reason, e.g. "invalid_trace_id", "timestamp_out_of_range". */
  reason: string;
  /** What the exporter's author should fix. */
  message: string;
}

export interface DecodedTraceRequest {
  spans: DecodedSpan[];
  rejected: RejectedSpan[];
}
