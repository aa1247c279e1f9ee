/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest` (proto3 JSON mapping with OTLP's exceptions:
 * hex ids, integer enums). Tolerant where it costs nothing: int64 as string or number, enum
 * names, snake_case keys, base64 ids recognised by length.
 *
 * A body that is not JSON, or whose structure above the spans is broken, throws
 * OtlpDecodeError (400 for the whole request). A span with a wrong type in one of its own fields
 * is rejected alone, with a message naming the field.
 */
import { OtlpDecodeError } from "./errors";
import {
  FieldProblem,
  decodeAttributeList,
  describeJsonType,
  jsonField,
  jsonId,
  jsonString,
  jsonTime,
} from "./json-values";
import type { Attributes, DecodedSpan, DecodedTraceRequest, InstrumentationScope, RejectedSpan, SpanEvent } from "./types";
import {
  DROPPED_EVENTS_COUNT_KEY,
  MAX_EVENTS_PER_SPAN,
  UNKNOWN_SERVICE_NAME,
  newAttributes,
  serviceNameOf,
  validateSpan,
  type SpanValidationOptions,
} from "./validate-span";

type JsonObject = Record<string, unknown>;

const EXPECTED = "expected an OTLP/JSON ExportTraceServiceRequest (Content-Type application/json)";
const utf8 = new TextDecoder("utf-8"); // replaces invalid UTF-8 with U+FFFD instead of failing

const SPAN_KINDS: ReadonlyMap<string, number> = new Map([
  ["SPAN_KIND_UNSPECIFIED", 0],
  ["SPAN_KIND_INTERNAL", 1],
  ["SPAN_KIND_SERVER", 2],
  ["SPAN_KIND_CLIENT", 3],
  ["SPAN_KIND_PRODUCER", 4],
  ["SPAN_KIND_CONSUMER", 5],
]);
const STATUS_CODES: ReadonlyMap<string, number> = new Map([
  ["STATUS_CODE_UNSET", 0],
  ["STATUS_CODE_OK", 1],
  ["STATUS_CODE_ERROR", 2],
]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON array at `path`, or [] when absent/null; anything else breaks the request. */
function requireArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new OtlpDecodeError(`${path} must be an array, got ${describeJsonType(value)}; ${EXPECTED}`);
  }
  return value;
}

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest (bytes or already-decoded text), with the same
 * output, checks and caps as decodeProtobufTraceRequest.
 */
export function decodeJsonTraceRequest(
  body: Uint8Array | string,
  options: SpanValidationOptions = {},
): DecodedTraceRequest {
  const text = typeof body === "string" ? body : utf8.decode(body);
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`JSON body is not valid JSON (${(error as Error).message}); ${EXPECTED}`);
  }
  if (!isObject(request)) {
    throw new OtlpDecodeError(`JSON body must be an object with a resourceSpans array, got ${describeJsonType(request)}; ${EXPECTED}`);
  }
  const result: DecodedTraceRequest = { spans: [], rejected: [] };
  const resourceSpans = jsonField(request, "resourceSpans", "resource_spans");
  if (resourceSpans === undefined) {
    const keys = Object.keys(request);
    // `{}` (or a null list) is an empty export, which OTLP accepts.
    if (keys.length === 0 || "resourceSpans" in request || "resource_spans" in request) return result;
    const hint = keys.some((key) => /^resource(Logs|Metrics|_logs|_metrics)$/.test(key))
      ? " (this looks like a logs or metrics export: send it to /v1/logs or /v1/metrics)"
      : "";
    throw new OtlpDecodeError(
      `JSON body has no resourceSpans array; found keys ${keys.slice(0, 5).map((key) => JSON.stringify(key)).join(", ")}${hint}; ${EXPECTED}`,
    );
  }
  const resourceSpansList = requireArray(resourceSpans, "resourceSpans");
  for (let index = 0; index < resourceSpansList.length; index++) {
    decodeResourceSpans(resourceSpansList[index], `resourceSpans[${index}]`, result, options);
  }
  return result;
}

function decodeResourceSpans(
  value: unknown,
  path: string,
  result: DecodedTraceRequest,
  options: SpanValidationOptions,
): void {
  if (!isObject(value)) throw new OtlpDecodeError(`${path} must be an object, got ${describeJsonType(value)}; ${EXPECTED}`);
  let resource: Attributes = newAttributes();
  // A bad resource or scope fails the spans under it (each counted), not the neighbours.
  let sharedProblem: string | null = null;
  const resourceValue = value.resource;
  try {
    if (resourceValue !== undefined && resourceValue !== null) {
      if (!isObject(resourceValue)) throw new FieldProblem("resource", `must be an object, got ${describeJsonType(resourceValue)}`);
      resource = decodeAttributeList(resourceValue.attributes, "resource.attributes");
    }
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    sharedProblem = `${path}.${error.field} ${error.problem}`;
  }
  const serviceName = sharedProblem === null ? serviceNameOf(resource) : UNKNOWN_SERVICE_NAME;

  const scopeSpansPath = `${path}.scopeSpans`;
  const scopeSpansList = requireArray(
    jsonField(value, "scopeSpans", "scope_spans") ?? value.instrumentationLibrarySpans,
    scopeSpansPath,
  );
  for (let scopeIndex = 0; scopeIndex < scopeSpansList.length; scopeIndex++) {
    const scopeSpans = scopeSpansList[scopeIndex];
    const scopePath = `${scopeSpansPath}[${scopeIndex}]`;
    if (!isObject(scopeSpans)) {
      throw new OtlpDecodeError(`${scopePath} must be an object, got ${describeJsonType(scopeSpans)}; ${EXPECTED}`);
    }
    let scope: InstrumentationScope = { name: "", version: "" };
    let problem = sharedProblem;
    try {
      scope = decodeScope(scopeSpans.scope ?? scopeSpans.instrumentationLibrary);
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      problem ??= `${scopePath}.${error.field} ${error.problem}`;
    }
    const spans = requireArray(scopeSpans.spans, `${scopePath}.spans`);
    for (let spanIndex = 0; spanIndex < spans.length; spanIndex++) {
      const rejection = problem === null
        ? decodeAndValidateSpan(spans[spanIndex], resource, scope, serviceName, `${scopePath}.spans[${spanIndex}]`, options, result)
        : { serviceName, reason: "invalid_field", message: problem };
      if (rejection) result.rejected.push(rejection);
    }
  }
}

function decodeScope(value: unknown): InstrumentationScope {
  if (value === undefined || value === null) return { name: "", version: "" };
  if (!isObject(value)) throw new FieldProblem("scope", `must be an object, got ${describeJsonType(value)}`);
  return { name: jsonString(value.name, "scope.name"), version: jsonString(value.version, "scope.version") };
}

function decodeAndValidateSpan(
  value: unknown,
  resource: Attributes,
  scope: InstrumentationScope,
  serviceName: string,
  path: string,
  options: SpanValidationOptions,
  result: DecodedTraceRequest,
): RejectedSpan | null {
  let span: DecodedSpan;
  try {
    span = decodeSpan(value, resource, scope);
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    const name = isObject(value) && typeof value.name === "string" ? ` "${value.name.slice(0, 80)}"` : "";
    return { serviceName, reason: error.reason, message: `span${name} at ${path}: ${error.field} ${error.problem}` };
  }
  const rejection = validateSpan(span, serviceName, options);
  if (rejection === null) result.spans.push(span);
  return rejection;
}

function decodeSpan(value: unknown, resource: Attributes, scope: InstrumentationScope): DecodedSpan {
  if (!isObject(value)) throw new FieldProblem("span", `must be an object, got ${describeJsonType(value)}`);
  const traceId = jsonId(jsonField(value, "traceId", "trace_id"), "traceId", 16, "invalid_trace_id");
  const spanId = jsonId(jsonField(value, "spanId", "span_id"), "spanId", 8, "invalid_span_id");
  const parentSpanId = jsonId(jsonField(value, "parentSpanId", "parent_span_id"), "parentSpanId", 8, "invalid_parent_span_id");
  const attributes = decodeAttributeList(value.attributes, "attributes");
  const events = decodeEvents(value.events, attributes);
  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId === "" ? null : parentSpanId,
    name: jsonString(value.name, "name"),
    kind: decodeEnum(value.kind, "kind", SPAN_KINDS),
    startTimeUnixNano: jsonTime(jsonField(value, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano"),
    endTimeUnixNano: jsonTime(jsonField(value, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano"),
    attributes,
    events,
    status: decodeStatus(value.status),
    resource,
    scope,
  };
}

function decodeEvents(value: unknown, spanAttributes: Attributes): SpanEvent[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldProblem("events", `must be an array, got ${describeJsonType(value)}`);
  const kept = Math.min(value.length, MAX_EVENTS_PER_SPAN);
  const events: SpanEvent[] = new Array(kept);
  for (let index = 0; index < kept; index++) {
    const event = value[index];
    const path = `events[${index}]`;
    if (!isObject(event)) throw new FieldProblem(path, `must be an object, got ${describeJsonType(event)}`);
    events[index] = {
      name: jsonString(event.name, `${path}.name`),
      timeUnixNano: jsonTime(jsonField(event, "timeUnixNano", "time_unix_nano"), `${path}.timeUnixNano`),
      attributes: decodeAttributeList(event.attributes, `${path}.attributes`),
    };
  }
  if (value.length > kept) spanAttributes[DROPPED_EVENTS_COUNT_KEY] = value.length - kept;
  return events;
}

function decodeStatus(value: unknown): { code: number; message: string } {
  if (value === undefined || value === null) return { code: 0, message: "" };
  if (!isObject(value)) throw new FieldProblem("status", `must be an object, got ${describeJsonType(value)}`);
  return { code: decodeEnum(value.code, "status.code", STATUS_CODES), message: jsonString(value.message, "status.message") };
}

/** OTLP says enums are integers; names are accepted too. Unknown integers read as 0 (unset). */
function decodeEnum(value: unknown, field: string, names: ReadonlyMap<string, number>): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value)) {
    return value >= 0 && value < names.size ? value : 0;
  }
  if (typeof value === "string") {
    const byName = names.get(value.toUpperCase());
    if (byName !== undefined) return byName;
    if (/^\d+$/.test(value)) return decodeEnum(Number(value), field, names);
  }
  const known = [...names.keys()].join(", ");
  throw new FieldProblem(field, `must be an integer 0–${names.size - 1} or one of ${known}, got ${describeJsonType(value)}`);
}
