/**
 * Per-span checks and size limits shared by the protobuf and JSON decoders.
 *
 * A span that fails a check is rejected alone (OTLP partial success); its neighbours are kept.
 * Limits never reject: they drop or shorten what is over the cap and say so in the attributes.
 */
import type { AttributeValue, Attributes, DecodedSpan, RejectedSpan } from "./types";

/** Attributes kept per span, event and resource; the rest are dropped and counted. */
export const MAX_ATTRIBUTES_PER_SPAN = 256;
/** Longest string (UTF-16 code units) or bytes value kept for an ordinary attribute. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 16 * 1024;
/** Longest value kept for captured prompt/completion content (stored apart, capped). */
export const MAX_CONTENT_ATTRIBUTE_VALUE_LENGTH = 256 * 1024;
/** Events kept per span; later ones are dropped and counted. */
export const MAX_EVENTS_PER_SPAN = 128;
/** AnyValue nesting (arrays in kvlists in arrays…) deeper than this is replaced by a marker. */
export const MAX_ATTRIBUTE_VALUE_DEPTH = 32;

export const DROPPED_ATTRIBUTES_COUNT_KEY = "sous.dropped_attributes_count";
export const DROPPED_EVENTS_COUNT_KEY = "sous.dropped_events_count";
export const TOO_DEEP_VALUE_MARKER = "[sous: value nested too deeply, dropped]";
export const UNKNOWN_SERVICE_NAME = "unknown_service";

/** What the receiver allows for a span's start time (now − retention … now + 1 h). */
export interface SpanValidationOptions {
  minStartTimeUnixNano?: bigint;
  maxStartTimeUnixNano?: bigint;
}

const CONTENT_ATTRIBUTE_KEYS = new Set([
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.system_instructions",
  "gen_ai.tool.definitions",
  "gen_ai.prompt",
  "gen_ai.completion",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "input.value",
  "output.value",
  "ai.response.text",
  "ai.response.object",
  "ai.response.toolCalls",
  "ai.toolCall.args",
  "ai.toolCall.result",
  "langfuse.observation.input",
  "langfuse.observation.output",
  "traceloop.entity.input",
  "traceloop.entity.output",
]);

const CONTENT_ATTRIBUTE_PREFIXES = [
  "gen_ai.prompt.", // OpenLLMetry: gen_ai.prompt.0.content
  "gen_ai.completion.",
  "llm.input_messages",
  "llm.output_messages",
  "llm.prompts",
  "llm.prompt_template.",
  "ai.prompt", // AI SDK: ai.prompt, ai.prompt.messages, ai.prompt.tools
];

/** Captured prompt/completion content, which gets the larger cap. */
export function isContentAttribute(key: string): boolean {
  if (CONTENT_ATTRIBUTE_KEYS.has(key)) return true;
  for (const prefix of CONTENT_ATTRIBUTE_PREFIXES) if (key.startsWith(prefix)) return true;
  return false;
}

function truncateString(value: string, maxLength: number): string {
  // Never cut a surrogate pair in half: that would leave a lone surrogate in stored JSON.
  let cut = maxLength;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}…[truncated by Sous: ${value.length} characters]`;
}

function capNested(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value === "string") {
    return value.length > maxLength ? truncateString(value, maxLength) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) {
    return value.length > maxLength ? value.slice(0, maxLength) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = capNested(value[i], maxLength);
    return value;
  }
  for (const key of Object.keys(value)) value[key] = capNested(value[key], maxLength);
  return value;
}

/** Shortens over-long strings and bytes (also inside arrays and kvlists) for attribute `key`. */
export function capAttributeValue(key: string, value: AttributeValue): AttributeValue {
  // Hot path: short strings, numbers and booleans pass untouched.
  if (typeof value === "string" && value.length <= MAX_ATTRIBUTE_VALUE_LENGTH) return value;
  if (value === null || (typeof value !== "object" && typeof value !== "string")) return value;
  const maxLength = isContentAttribute(key) ? MAX_CONTENT_ATTRIBUTE_VALUE_LENGTH : MAX_ATTRIBUTE_VALUE_LENGTH;
  return capNested(value, maxLength);
}

/**
 * A new attributes object. It has no prototype, so any key is plain data: `__proto__` is stored
 * rather than replacing the prototype, and a lookup of "constructor" or "toString" finds nothing
 * instead of an inherited function. V8 also fills such dictionary objects about twice as fast.
 * Use `key in attributes` or `Object.hasOwn`, not `attributes.hasOwnProperty`.
 */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

/** Stores one decoded attribute (into an object from newAttributes), capped. */
export function setAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  attributes[key] = capAttributeValue(key, value);
}

/** The resource's `service.name`, or "unknown_service" as the SDKs default to. */
export function serviceNameOf(resource: Attributes): string {
  const name = resource["service.name"];
  return typeof name === "string" && name !== "" ? name : UNKNOWN_SERVICE_NAME;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
const LOWER_HEX = /^[0-9a-f]*$/;

function describeSpan(span: DecodedSpan): string {
  const name = span.name.length > 80 ? `${span.name.slice(0, 80)}…` : span.name;
  const spanId = LOWER_HEX.test(span.spanId) && span.spanId.length === 16 ? ` (spanId ${span.spanId})` : "";
  return `span "${name}"${spanId}`;
}

function checkId(value: string, bytes: number, field: string, zero: string): string | null {
  if (value === "") return `${field} is missing`;
  if (!LOWER_HEX.test(value)) return `${field} "${value.slice(0, 64)}" is not hex`;
  if (value.length !== bytes * 2) {
    const actualBytes = value.length % 2 === 0 ? ` (${value.length / 2} bytes)` : "";
    return `${field} has ${value.length} hex characters${actualBytes}, expected ${bytes * 2} (${bytes} bytes)`;
  }
  if (value === zero) return `${field} is all zeros, which OTLP forbids`;
  return null;
}

function formatTime(unixNano: bigint): string {
  const ms = Number(unixNano / 1_000_000n);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${unixNano} ns` : `${unixNano} (${date.toISOString()})`;
}

/** A start time this small is almost always seconds, ms or µs sent where nanoseconds belong. */
const UNIT_MISTAKE_BELOW_NANO = 100_000_000_000_000_000n; // 1973-03-03

function reject(span: DecodedSpan, serviceName: string, reason: string, problem: string): RejectedSpan {
  return { serviceName, reason, message: `${describeSpan(span)}: ${problem}` };
}

/**
 * Checks ids and times of a decoded span. Returns null when the span is acceptable, else the
 * rejection to report. Ids are expected as lowercase hex of whatever length arrived.
 */
export function validateSpan(
  span: DecodedSpan,
  serviceName: string,
  options: SpanValidationOptions,
): RejectedSpan | null {
  const traceProblem = checkId(span.traceId, 16, "traceId", ZERO_TRACE_ID);
  if (traceProblem) return reject(span, serviceName, "invalid_trace_id", traceProblem);
  const spanProblem = checkId(span.spanId, 8, "spanId", ZERO_SPAN_ID);
  if (spanProblem) return reject(span, serviceName, "invalid_span_id", spanProblem);
  if (span.parentSpanId !== null) {
    const parentProblem = checkId(span.parentSpanId, 8, "parentSpanId", ZERO_SPAN_ID);
    if (parentProblem) {
      return reject(span, serviceName, "invalid_parent_span_id", `${parentProblem} (leave it empty for a root span)`);
    }
  }

  const start = span.startTimeUnixNano;
  const end = span.endTimeUnixNano;
  if (start === 0n) {
    return reject(span, serviceName, "invalid_start_time", "startTimeUnixNano is 0: set the span's start time");
  }
  if (start < 0n) {
    return reject(span, serviceName, "invalid_start_time", `startTimeUnixNano ${start} is before 1970: set the span's start time`);
  }
  if (end < start) {
    const problem = end <= 0n
      ? `endTimeUnixNano is ${end}: end the span before exporting it`
      : `endTimeUnixNano ${end} is before startTimeUnixNano ${start} (negative duration)`;
    return reject(span, serviceName, "negative_duration", problem);
  }
  const { minStartTimeUnixNano, maxStartTimeUnixNano } = options;
  if (minStartTimeUnixNano !== undefined && start < minStartTimeUnixNano) {
    const unitHint = start < UNIT_MISTAKE_BELOW_NANO ? "; it looks like seconds, ms or µs: OTLP times are nanoseconds" : "";
    return reject(
      span,
      serviceName,
      "timestamp_out_of_range",
      `startTimeUnixNano ${formatTime(start)} is older than the retention window (starts ${formatTime(minStartTimeUnixNano)})${unitHint}`,
    );
  }
  if (maxStartTimeUnixNano !== undefined && start > maxStartTimeUnixNano) {
    return reject(
      span,
      serviceName,
      "timestamp_out_of_range",
      `startTimeUnixNano ${formatTime(start)} is in the future (latest accepted ${formatTime(maxStartTimeUnixNano)}): check the sender's clock and that times are in nanoseconds`,
    );
  }
  return null;
}
