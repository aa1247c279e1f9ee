/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` straight from the wire format into
 * DecodedSpans, without generated code. Field numbers follow opentelemetry-proto v1.x:
 * collector/trace/v1/trace_service.proto, trace/v1/trace.proto, common/v1/common.proto,
 * resource/v1/resource.proto. Unknown fields (links, trace state, flags, future additions) are
 * skipped whatever their wire type.
 *
 * A body that breaks the wire format throws OtlpDecodeError (400 for the whole request); a span
 * with bad ids or times is rejected alone.
 */
import { decodeCappedAttribute } from "./decode-protobuf-values";
import { ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT } from "./protobuf-reader";
import type { Attributes, DecodedSpan, DecodedTraceRequest, InstrumentationScope, SpanEvent } from "./types";
import {
  DROPPED_ATTRIBUTES_COUNT_KEY,
  DROPPED_EVENTS_COUNT_KEY,
  MAX_EVENTS_PER_SPAN,
  newAttributes,
  serviceNameOf,
  validateSpan,
  type SpanValidationOptions,
} from "./validate-span";

const EXPECTED = "ExportTraceServiceRequest (Content-Type application/x-protobuf)";

/** Placeholders until the enclosing ResourceSpans/ScopeSpans are fully read (field order is free). */
const PENDING_RESOURCE: Attributes = Object.freeze({}) as Attributes;
const PENDING_SCOPE: InstrumentationScope = Object.freeze({ name: "", version: "" });

const MAX_SPAN_KIND = 5;
const MAX_STATUS_CODE = 2;

/**
 * Decodes a protobuf ExportTraceServiceRequest. Spans failing validateSpan (ids, times, the
 * `options` start-time window) go to `rejected`; the rest come out with the attribute and event
 * caps applied. Spans of one ResourceSpans share one `resource` object: treat it as read-only.
 */
export function decodeProtobufTraceRequest(
  body: Uint8Array,
  options: SpanValidationOptions = {},
): DecodedTraceRequest {
  const reader = new ProtobufReader(body, EXPECTED);
  const result: DecodedTraceRequest = { spans: [], rejected: [] };
  const end = reader.length;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag >>> 3 === 1) {
      reader.expectWireType(tag, LEN, "ExportTraceServiceRequest.resource_spans (1)");
      decodeResourceSpans(reader, reader.lengthDelimitedEnd(end), result, options);
    } else {
      reader.skip(tag, end);
    }
  }
  return result;
}

function decodeResourceSpans(
  reader: ProtobufReader,
  end: number,
  result: DecodedTraceRequest,
  options: SpanValidationOptions,
): void {
  let resource: Attributes = newAttributes();
  const spans: DecodedSpan[] = [];
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        reader.expectWireType(tag, LEN, "ResourceSpans.resource (1)");
        resource = decodeResource(reader, reader.lengthDelimitedEnd(end));
        break;
      case 2:
      case 1000: // deprecated instrumentation_library_spans: same layout as ScopeSpans
        reader.expectWireType(tag, LEN, "ResourceSpans.scope_spans (2)");
        decodeScopeSpans(reader, reader.lengthDelimitedEnd(end), spans);
        break;
      default:
        reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "ResourceSpans");
  const serviceName = serviceNameOf(resource);
  for (const span of spans) {
    span.resource = resource;
    const rejection = validateSpan(span, serviceName, options);
    if (rejection) result.rejected.push(rejection);
    else result.spans.push(span);
  }
}

function decodeResource(reader: ProtobufReader, end: number): Attributes {
  const attributes = newAttributes();
  let kept = 0;
  let dropped = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag >>> 3 === 1) {
      reader.expectWireType(tag, LEN, "Resource.attributes (1)");
      if (decodeCappedAttribute(reader, end, attributes, kept)) kept++;
      else dropped++;
    } else {
      reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "Resource");
  if (dropped > 0) attributes[DROPPED_ATTRIBUTES_COUNT_KEY] = dropped;
  return attributes;
}

function decodeScopeSpans(reader: ProtobufReader, end: number, spans: DecodedSpan[]): void {
  let scope: InstrumentationScope = PENDING_SCOPE;
  const first = spans.length;
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        reader.expectWireType(tag, LEN, "ScopeSpans.scope (1)");
        scope = decodeScope(reader, reader.lengthDelimitedEnd(end));
        break;
      case 2:
        reader.expectWireType(tag, LEN, "ScopeSpans.spans (2)");
        spans.push(decodeSpan(reader, reader.lengthDelimitedEnd(end)));
        break;
      default:
        reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "ScopeSpans");
  if (scope === PENDING_SCOPE) scope = { name: "", version: "" };
  for (let index = first; index < spans.length; index++) spans[index].scope = scope;
}

function decodeScope(reader: ProtobufReader, end: number): InstrumentationScope {
  let name = "";
  let version = "";
  while (reader.pos < end) {
    const tag = reader.tag();
    const field = tag >>> 3;
    if (field === 1) {
      reader.expectWireType(tag, LEN, "InstrumentationScope.name (1)");
      name = reader.string(end);
    } else if (field === 2) {
      reader.expectWireType(tag, LEN, "InstrumentationScope.version (2)");
      version = reader.string(end);
    } else {
      reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "InstrumentationScope");
  return { name, version };
}

function decodeSpan(reader: ProtobufReader, end: number): DecodedSpan {
  let traceId = "";
  let spanId = "";
  let parentSpanId: string | null = null;
  let name = "";
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes = newAttributes();
  let keptAttributes = 0;
  let droppedAttributes = 0;
  const events: SpanEvent[] = [];
  let droppedEvents = 0;
  let statusCode = 0;
  let statusMessage = "";

  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        reader.expectWireType(tag, LEN, "Span.trace_id (1)");
        traceId = reader.hex(end);
        break;
      case 2:
        reader.expectWireType(tag, LEN, "Span.span_id (2)");
        spanId = reader.hex(end);
        break;
      case 4:
        reader.expectWireType(tag, LEN, "Span.parent_span_id (4)");
        parentSpanId = reader.hex(end) || null;
        break;
      case 5:
        reader.expectWireType(tag, LEN, "Span.name (5)");
        name = reader.string(end);
        break;
      case 6:
        reader.expectWireType(tag, WIRE_VARINT, "Span.kind (6)");
        kind = reader.varint();
        break;
      case 7:
        reader.expectWireType(tag, WIRE_FIXED64, "Span.start_time_unix_nano (7)");
        startTimeUnixNano = reader.fixed64AsSignedBigInt(end);
        break;
      case 8:
        reader.expectWireType(tag, WIRE_FIXED64, "Span.end_time_unix_nano (8)");
        endTimeUnixNano = reader.fixed64AsSignedBigInt(end);
        break;
      case 9:
        reader.expectWireType(tag, LEN, "Span.attributes (9)");
        if (decodeCappedAttribute(reader, end, attributes, keptAttributes)) keptAttributes++;
        else droppedAttributes++;
        break;
      case 11: {
        reader.expectWireType(tag, LEN, "Span.events (11)");
        const stop = reader.lengthDelimitedEnd(end);
        if (events.length < MAX_EVENTS_PER_SPAN) {
          events.push(decodeEvent(reader, stop));
        } else {
          reader.pos = stop;
          droppedEvents++;
        }
        break;
      }
      case 15: {
        reader.expectWireType(tag, LEN, "Span.status (15)");
        const stop = reader.lengthDelimitedEnd(end);
        while (reader.pos < stop) {
          const statusTag = reader.tag();
          if (statusTag >>> 3 === 2 && (statusTag & 7) === LEN) statusMessage = reader.string(stop);
          else if (statusTag >>> 3 === 3 && (statusTag & 7) === WIRE_VARINT) statusCode = reader.varint();
          else reader.skip(statusTag, stop);
        }
        reader.expectEnd(stop, "Status");
        break;
      }
      case 16: // flags (W3C trace flags + remote-parent bits): read for validity, not stored
        reader.expectWireType(tag, WIRE_FIXED32, "Span.flags (16)");
        reader.skip(tag, end);
        break;
      default: // trace_state, dropped counts, links, and anything newer
        reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "Span");

  if (droppedAttributes > 0) attributes[DROPPED_ATTRIBUTES_COUNT_KEY] = droppedAttributes;
  if (droppedEvents > 0) attributes[DROPPED_EVENTS_COUNT_KEY] = droppedEvents;
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: kind <= MAX_SPAN_KIND ? kind : 0,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    status: { code: statusCode <= MAX_STATUS_CODE ? statusCode : 0, message: statusMessage },
    resource: PENDING_RESOURCE,
    scope: PENDING_SCOPE,
  };
}

function decodeEvent(reader: ProtobufReader, end: number): SpanEvent {
  let timeUnixNano = 0n;
  let name = "";
  const attributes = newAttributes();
  let kept = 0;
  let dropped = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        reader.expectWireType(tag, WIRE_FIXED64, "Span.Event.time_unix_nano (1)");
        timeUnixNano = reader.fixed64AsSignedBigInt(end);
        break;
      case 2:
        reader.expectWireType(tag, LEN, "Span.Event.name (2)");
        name = reader.string(end);
        break;
      case 3:
        reader.expectWireType(tag, LEN, "Span.Event.attributes (3)");
        if (decodeCappedAttribute(reader, end, attributes, kept)) kept++;
        else dropped++;
        break;
      default:
        reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "Span.Event");
  if (dropped > 0) attributes[DROPPED_ATTRIBUTES_COUNT_KEY] = dropped;
  return { name, timeUnixNano, attributes };
}
