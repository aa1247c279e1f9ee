/**
 * Test helpers: real OpenTelemetry spans (SDK-recorded or hand-built ReadableSpans for values
 * the SDK API refuses, such as kvlists and bytes) serialized by the official OTLP serializers.
 * Used by the unit tests only.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes as OtelAttributes, type HrTime, type SpanContext } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type TimedEvent } from "@opentelemetry/sdk-trace";

export { SpanKind, SpanStatusCode };

export function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

export function nanosToHrTime(nanos: bigint): HrTime {
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

/** Records spans through a real TracerProvider; `record` gets a tracer named after the scope. */
export function recordSpans(
  resourceAttributes: OtelAttributes,
  scope: { name: string; version?: string },
  record: (tracer: ReturnType<TracerProvider["getTracer"]>) => void,
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    spanLimits: { attributeCountLimit: 100_000, eventCountLimit: 10_000, attributeValueLengthLimit: Infinity },
  });
  record(provider.getTracer(scope.name, scope.version));
  return exporter.getFinishedSpans();
}

export interface HandBuiltSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: SpanKind;
  startNanos?: bigint;
  endNanos?: bigint;
  attributes?: Record<string, unknown>;
  events?: { name: string; timeNanos: bigint; attributes?: Record<string, unknown> }[];
  status?: { code: SpanStatusCode; message?: string };
  resource?: Resource;
  scope?: { name: string; version?: string };
}

export const SAMPLE_START_NANOS = 1_764_000_000_123_456_789n; // 2025-11-24T16:00:00.123Z
let nextSpanNumber = 1;

/** A ReadableSpan built by hand: any id (even a malformed one) and any AnyValue attribute. */
export function handBuiltSpan(spec: HandBuiltSpan = {}): ReadableSpan {
  const spanNumber = nextSpanNumber++;
  const context: SpanContext = {
    traceId: spec.traceId ?? "5b8efff798038103d269b633813fc60c",
    spanId: spec.spanId ?? spanNumber.toString(16).padStart(16, "a"),
    traceFlags: TraceFlags.SAMPLED,
  };
  const start = spec.startNanos ?? SAMPLE_START_NANOS;
  const end = spec.endNanos ?? start + 1_500_000_000n;
  const events: TimedEvent[] = (spec.events ?? []).map((event) => ({
    name: event.name,
    time: nanosToHrTime(event.timeNanos),
    attributes: event.attributes as OtelAttributes,
    droppedAttributesCount: 0,
  }));
  return {
    name: spec.name ?? `span-${spanNumber}`,
    kind: spec.kind ?? SpanKind.CLIENT,
    spanContext: () => context,
    parentSpanContext: spec.parentSpanId
      ? { traceId: context.traceId, spanId: spec.parentSpanId, traceFlags: TraceFlags.SAMPLED }
      : undefined,
    startTime: nanosToHrTime(start),
    endTime: nanosToHrTime(end),
    status: spec.status ?? { code: SpanStatusCode.UNSET },
    attributes: (spec.attributes ?? {}) as OtelAttributes,
    links: [],
    events,
    duration: nanosToHrTime(end - start),
    ended: true,
    resource: spec.resource ?? resourceFromAttributes({ "service.name": "hand-built" }),
    instrumentationScope: spec.scope ?? { name: "sous-test", version: "1.0.0" },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

export function toProtobuf(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("ProtobufTraceSerializer returned nothing");
  return bytes;
}

export function toJson(spans: ReadableSpan[]): Uint8Array {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("JsonTraceSerializer returned nothing");
  return bytes;
}

export function toJsonObject(spans: ReadableSpan[]): { resourceSpans: Record<string, unknown>[] } {
  return JSON.parse(new TextDecoder().decode(toJson(spans)));
}

/** Realistic GenAI client span attributes (~30), as OpenLLMetry/semconv instrumentations send them. */
export function genAiAttributes(index: number): Record<string, string | number | boolean | string[]> {
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.system": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.response.id": `chatcmpl-${index.toString(36)}Xq9ZkL2mN8pR4sT6`,
    "gen_ai.request.temperature": 0.7,
    "gen_ai.request.top_p": 1,
    "gen_ai.request.max_tokens": 1024,
    "gen_ai.request.stream": true,
    "gen_ai.usage.input_tokens": 1200 + index,
    "gen_ai.usage.output_tokens": 345,
    "gen_ai.usage.cache_read.input_tokens": 1024,
    "gen_ai.usage.cache_creation.input_tokens": 0,
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.response.time_to_first_chunk": 0.412,
    "gen_ai.prompt.name": "support-answer",
    "gen_ai.prompt.version": "v7",
    "gen_ai.conversation.id": `conv-${index % 97}`,
    "server.address": "api.openai.com",
    "server.port": 443,
    "http.response.status_code": 200,
    "user.id": `user-${index % 1013}`,
    "session.id": `session-${index % 211}`,
    "sous.workload": "interactive",
    "deployment.environment.name": "production",
    "llm.request.type": "chat",
    "llm.is_streaming": true,
    "feature": "support-chat",
    "team": "customer-experience",
    "gen_ai.input.messages": JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a helpful support agent for Acme." }] },
      { role: "user", parts: [{ type: "text", content: `Where is my order #${10_000 + index}?` }] },
    ]),
  };
}
