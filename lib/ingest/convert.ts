/**
 * Conversions from SpanRow values to what PostgreSQL stores. Every path that builds the
 * idempotency key (project_id, start_time, trace_id, span_id) must use these, so a redelivered
 * span lands on the same key:
 * - ids: lowercase or uppercase hex → bytea (the bytes, so case never matters);
 * - times: unsigned nanoseconds since the Unix epoch → microseconds, rounded toward −∞
 *   (`floor(ns / 1000)`; identical to truncation for every time after 1970), because timestamptz
 *   keeps microseconds. Nanoseconds beyond the microsecond are dropped, never rounded up.
 */

const NANOS_PER_MICRO = 1000n;
/** 1970-01-01 → 2000-01-01 (PostgreSQL's epoch) in microseconds. */
export const POSTGRES_EPOCH_OFFSET_MICROS = 946_684_800_000_000n;
export const MICROS_PER_DAY = 86_400_000_000;

/** Nanoseconds since the Unix epoch → whole microseconds (floor). */
export function unixNanoToMicros(unixNano: bigint): bigint {
  const micros = unixNano / NANOS_PER_MICRO;
  return unixNano < 0n && micros * NANOS_PER_MICRO !== unixNano ? micros - 1n : micros;
}

/** The timestamptz text PostgreSQL would store for this time: ISO 8601, UTC, 6 fraction digits. */
export function unixNanoToTimestamptz(unixNano: bigint): string {
  const micros = unixNanoToMicros(unixNano);
  const millis = micros / 1000n - (micros < 0n && micros % 1000n !== 0n ? 1n : 0n);
  const microsOfMilli = Number(micros - millis * 1000n);
  const iso = new Date(Number(millis)).toISOString(); // 2026-11-25T06:00:00.123Z
  return `${iso.slice(0, 23)}${String(microsOfMilli).padStart(3, "0")}Z`;
}

/** The UTC day (days since 1970-01-01) of a time given in microseconds since the Unix epoch. */
export function microsToUtcDay(micros: number): number {
  return Math.floor(micros / MICROS_PER_DAY);
}

/**
 * Hex id → bytea bytes. Buffer.from(hex, "hex") silently stops at the first bad character, so the
 * decoded length is checked: a malformed id is an error, never a truncated key.
 */
export function hexToBytea(hex: string): Buffer {
  const bytes = Buffer.from(hex, "hex");
  if (hex.length === 0 || bytes.length * 2 !== hex.length) {
    throw new TypeError(`"${hex.slice(0, 40)}" is not a non-empty even-length hex string`);
  }
  return bytes;
}

export function byteaToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** PostgreSQL text cannot hold U+0000; it becomes U+FFFD so one odd attribute cannot fail a batch. */
export function toPostgresText(value: string): string {
  return value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value;
}

// An escape sequence jsonb refuses: \u0000, or a lone UTF-16 surrogate (JSON.stringify escapes only
// lone surrogates, so every \uD800–\uDFFF escape in its output is unpaired). The even run of
// backslashes before it keeps "\\u0000" (an escaped backslash, then text) untouched.
const JSONB_UNSAFE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/**
 * A value as jsonb text: JSON.stringify, with escapes jsonb rejects replaced by U+FFFD. bigint
 * values (which JSON.stringify refuses) are written as decimal strings.
 */
export function toJsonbText(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    json = JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
  }
  if (json === undefined) throw new TypeError("value is not representable as JSON");
  return json.includes("\\u") ? json.replace(JSONB_UNSAFE_ESCAPE, "$1\\ufffd") : json;
}
