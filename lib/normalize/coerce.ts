/**
 * Value coercion for attribute values as they really arrive over OTLP: numbers as JSON numbers,
 * numeric strings, ints where doubles were meant (the JS exporter encodes 1.0 as intValue 1),
 * JSON documents inside strings, and strings that were JSON-stringified twice.
 */
import type { AttributeValue } from "@/lib/otlp/types";

/** A finite number from a number or a numeric string; null for anything else. */
export function toFiniteNumber(value: AttributeValue | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return null;
    const parsed = Number(text);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A non-negative number (durations, TTFT); null for negatives and non-numbers. */
export function toNonNegativeNumber(value: AttributeValue | undefined): number | null {
  const parsed = toFiniteNumber(value);
  return parsed !== null && parsed >= 0 ? parsed : null;
}

/** A token count: a non-negative integer (a double such as 12.0 is accepted and rounded). */
export function toTokenCount(value: AttributeValue | undefined): number | null {
  const parsed = toFiniteNumber(value);
  if (parsed === null || parsed < 0) return null;
  return Math.round(parsed);
}

/** A non-empty string; numbers become their decimal string (prompt versions are often ints). */
export function toNonEmptyString(value: AttributeValue | undefined): string | null {
  if (typeof value === "string") {
    const text = value.trim();
    return text === "" ? null : text;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/** A boolean from a boolean or the strings "true"/"false" (any case). */
export function toBoolean(value: AttributeValue | undefined): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
  }
  return null;
}

/**
 * Parses a string that looks like a JSON object or array (first non-space char `{` or `[`).
 * Returns undefined when it does not look like JSON or does not parse; plain strings are never
 * parsed, so this is cheap for ordinary attribute values.
 */
export function parseJsonDocument(value: AttributeValue | undefined): unknown {
  if (typeof value !== "string") return undefined;
  let index = 0;
  while (index < value.length && value.charCodeAt(index) <= 32) index++;
  const first = value.charCodeAt(index);
  if (first !== 123 /* { */ && first !== 91 /* [ */) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A string that may have been JSON-stringified once more (the Langfuse JS SDK sends
 * `"\"2025-01-01T00:00:00Z\""`): returns the inner string.
 */
export function unquoteJsonString(value: string): string {
  const text = value.trim();
  if (text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34) {
    try {
      const inner = JSON.parse(text) as unknown;
      if (typeof inner === "string") return inner;
    } catch {
      return text;
    }
  }
  return text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Base64 of bytes without Buffer allocations beyond one copy. */
function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Marker the OTLP decoders (lib/otlp/validate-span.ts) append to a value they cut; the same form
 * is used here, so stored data has one truncation marker.
 */
export const TRUNCATION_MARKER = "…[truncated by Sous: ";

/** Cuts `value` to `maxLength` characters (never inside a surrogate pair) and marks the cut. */
export function truncateString(value: string, maxLength: number): string {
  let cut = maxLength;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut)}${TRUNCATION_MARKER}${value.length} characters]`;
}

/**
 * A JSON-serializable copy of an attribute value: bytes become base64, non-finite numbers their
 * string ("NaN", "Infinity"), arrays and maps are copied recursively. Strings longer than
 * `maxStringLength` are cut and marked, so one attribute cannot bloat a stored row.
 */
export function toJsonSafe(value: AttributeValue, maxStringLength: number): unknown {
  if (typeof value === "string") return value.length > maxStringLength ? truncateString(value, maxStringLength) : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "boolean" || value === null) return value;
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, maxStringLength));
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = toJsonSafe(value[key], maxStringLength);
  return copy;
}
