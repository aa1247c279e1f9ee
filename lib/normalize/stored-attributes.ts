/**
 * The attributes and events as stored with the span: JSON-serializable (bytes → base64,
 * non-finite numbers → strings), each string value capped, resource attributes added under their
 * own keys where the span does not have the key (minus those already stored as columns).
 */
import type { Attributes, SpanEvent } from "@/lib/otlp/types";
import type { NormalizedSpan } from "@/lib/ingest/types";
import { toJsonSafe } from "./coerce";

/** Longest string value kept in stored attributes; longer values are cut and marked. */
export const MAX_ATTRIBUTE_STRING_CHARS = 16 * 1024;

/** Resource attributes that are columns of the span row already. */
const RESOURCE_KEYS_STORED_AS_COLUMNS: ReadonlySet<string> = new Set([
  "service.name",
  "deployment.environment.name",
  "deployment.environment",
]);

export function buildStoredAttributes(
  attributes: Attributes,
  resource: Attributes,
  isDropped: ((key: string) => boolean) | null,
): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const key in attributes) {
    if (isDropped !== null && isDropped(key)) continue;
    stored[key] = toJsonSafe(attributes[key], MAX_ATTRIBUTE_STRING_CHARS);
  }
  for (const key in resource) {
    if (RESOURCE_KEYS_STORED_AS_COLUMNS.has(key) || Object.hasOwn(attributes, key)) continue;
    stored[key] = toJsonSafe(resource[key], MAX_ATTRIBUTE_STRING_CHARS);
  }
  return stored;
}

export type StoredEvents = NormalizedSpan["events"];

export function buildStoredEvents(events: readonly SpanEvent[], isKept: (event: SpanEvent, index: number) => boolean): StoredEvents {
  let stored: NonNullable<StoredEvents> | null = null;
  events.forEach((event, index) => {
    if (!isKept(event, index)) return;
    const attributes: Record<string, unknown> = {};
    for (const key in event.attributes) attributes[key] = toJsonSafe(event.attributes[key], MAX_ATTRIBUTE_STRING_CHARS);
    stored ??= [];
    stored.push({ name: event.name, timeUnixNano: event.timeUnixNano.toString(), attributes });
  });
  return stored;
}
