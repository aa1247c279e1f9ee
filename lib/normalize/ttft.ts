/**
 * Time to first token and whether a call was streamed, from every convention's unit:
 * milliseconds (AI SDK ≤ v6), seconds (OTel `gen_ai.response.time_to_first_chunk`, AI SDK v7
 * span attribute, OpenLIT), an ISO-8601 first-chunk time (Langfuse), or only a span event
 * (OpenInference Python "First Token Stream Event", OpenLLMetry Python chunk events).
 * Unknown is null, never 0.
 */
import type { DecodedSpan } from "@/lib/otlp/types";
import { unquoteJsonString } from "./coerce";
import type { InstrumentationProfile } from "./rules/profiles";
import type { SpanFacts } from "./span-facts";

/** Span events whose time marks the first token or chunk. */
const FIRST_TOKEN_EVENTS: ReadonlySet<string> = new Set([
  "First Token Stream Event",
  "gen_ai.content.completion.chunk",
  "llm.content.completion.chunk",
  "ai.stream.firstChunk",
]);

/** The earliest first-token event time, or null when the span has none. */
export function firstTokenEventTime(span: DecodedSpan): bigint | null {
  let earliest: bigint | null = null;
  for (const event of span.events) {
    if (!FIRST_TOKEN_EVENTS.has(event.name)) continue;
    if (earliest === null || event.timeUnixNano < earliest) earliest = event.timeUnixNano;
  }
  return earliest;
}

/**
 * Streamed when the AI SDK operation is a `doStream`, a stream flag says so, or there is evidence
 * of a first chunk (an explicit TTFT attribute or a chunk event). Not streamed when the AI SDK
 * operation is a `doGenerate`, a flag says false, or the profile's complete parameter record has
 * no stream flag. Otherwise unknown (null): Traceloop JS and Langfuse never say.
 */
export function resolveStreaming(
  facts: SpanFacts,
  profile: InstrumentationProfile,
  aiSdkOperationId: string | null,
  firstTokenTime: bigint | null,
): boolean | null {
  if (aiSdkOperationId !== null) {
    const lower = aiSdkOperationId.toLowerCase();
    if (lower.endsWith(".dostream")) return true;
    if (lower.endsWith(".dogenerate")) return false;
  }
  const flag = facts.get("streamFlag");
  if (flag !== undefined) return flag.value as boolean;
  if (facts.get("ttftMilliseconds") !== undefined || facts.get("ttftSeconds") !== undefined) return true;
  if (firstTokenTime !== null) return true;
  if (profile.notStreamedWithoutFlagIn !== null && facts.lookup(profile.notStreamedWithoutFlagIn) !== undefined) return false;
  return null;
}

export function resolveTtftMs(
  span: DecodedSpan,
  facts: SpanFacts,
  streaming: boolean | null,
  firstTokenTime: bigint | null,
): number | null {
  const milliseconds = facts.get("ttftMilliseconds");
  if (milliseconds !== undefined) return milliseconds.value as number;
  const seconds = facts.get("ttftSeconds");
  if (seconds !== undefined) return (seconds.value as number) * 1000;
  // OpenLIT writes this on every call; on a non-streamed one it is the whole duration.
  const secondsIfStreamed = facts.get("ttftSecondsIfStreamed");
  if (secondsIfStreamed !== undefined && streaming === true) return (secondsIfStreamed.value as number) * 1000;

  const completionStart = facts.get("completionStartTime");
  if (completionStart !== undefined) {
    const startedAt = parseIsoToEpochNanos(unquoteJsonString(completionStart.value as string));
    const elapsed = startedAt === null ? null : elapsedMs(span.startTimeUnixNano, startedAt);
    if (elapsed !== null) return elapsed;
  }
  if (firstTokenTime !== null) return elapsedMs(span.startTimeUnixNano, firstTokenTime);
  return null;
}

function elapsedMs(startNanos: bigint, atNanos: bigint): number | null {
  if (atNanos < startNanos) return null;
  return Number(atNanos - startNanos) / 1e6;
}

const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * ISO-8601 → epoch nanoseconds, keeping sub-millisecond digits (Python SDKs send microseconds).
 * A time without an offset is taken as UTC.
 */
export function parseIsoToEpochNanos(text: string): bigint | null {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, date, time, fraction = "", offset = "Z"] = match;
  const wholeMillis = Date.parse(`${date}T${time}${offset.toUpperCase() === "Z" ? "Z" : normalizeOffset(offset)}`);
  if (Number.isNaN(wholeMillis)) return null;
  const fractionNanos = BigInt((fraction + "000000000").slice(0, 9));
  return BigInt(wholeMillis) * 1_000_000n + fractionNanos;
}

function normalizeOffset(offset: string): string {
  return offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
}
