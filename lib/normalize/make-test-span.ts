/** Test helper: DecodedSpan objects built directly, as the instrumentations' attribute sets. */
import type { Attributes, DecodedSpan, SpanEvent } from "@/lib/otlp/types";

/** 2026-01-01T00:00:00Z in ns: a fixed span start, so TTFT arithmetic in tests is readable. */
export const TEST_START_NANOS = 1_767_225_600_000_000_000n;

export interface TestSpanInput {
  name?: string;
  scope?: string;
  attributes?: Attributes;
  resource?: Attributes;
  events?: { name: string; atMs: number; attributes?: Attributes }[];
  durationMs?: number;
  statusCode?: number;
  kind?: number;
}

export function makeSpan(input: TestSpanInput): DecodedSpan {
  const durationMs = input.durationMs ?? 1000;
  return {
    traceId: "0123456789abcdef0123456789abcdef",
    spanId: "0123456789abcdef",
    parentSpanId: null,
    name: input.name ?? "span",
    kind: input.kind ?? 3,
    startTimeUnixNano: TEST_START_NANOS,
    endTimeUnixNano: TEST_START_NANOS + BigInt(Math.round(durationMs * 1e6)),
    attributes: input.attributes ?? {},
    events: (input.events ?? []).map(
      (event): SpanEvent => ({
        name: event.name,
        timeUnixNano: TEST_START_NANOS + BigInt(Math.round(event.atMs * 1e6)),
        attributes: event.attributes ?? {},
      }),
    ),
    status: { code: input.statusCode ?? 0, message: "" },
    resource: input.resource ?? { "service.name": "kitchen" },
    scope: { name: input.scope ?? "", version: "" },
  };
}
