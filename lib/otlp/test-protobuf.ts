/**
 * Test helpers: hand-assembled protobuf bytes, for inputs no real serializer produces
 * (unknown fields of every wire type, invalid UTF-8, negative fixed64 times, deep nesting).
 */

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function varintBytes(value: number | bigint): Uint8Array {
  let remaining = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (remaining >= 0x80n) {
    bytes.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  bytes.push(Number(remaining));
  return Uint8Array.from(bytes);
}

export function tagBytes(field: number, wireType: number): Uint8Array {
  return varintBytes(field * 8 + wireType);
}

export const pb = {
  varint: (field: number, value: number | bigint) => concatBytes(tagBytes(field, 0), varintBytes(value)),
  fixed64: (field: number, value: bigint) => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return concatBytes(tagBytes(field, 1), bytes);
  },
  double: (field: number, value: number) => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return concatBytes(tagBytes(field, 1), bytes);
  },
  fixed32: (field: number, value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    return concatBytes(tagBytes(field, 5), bytes);
  },
  bytes: (field: number, value: Uint8Array) => concatBytes(tagBytes(field, 2), varintBytes(value.length), value),
  string: (field: number, value: string) => pb.bytes(field, new TextEncoder().encode(value)),
  message: (field: number, ...parts: Uint8Array[]) => pb.bytes(field, concatBytes(...parts)),
  group: (field: number, ...parts: Uint8Array[]) => concatBytes(tagBytes(field, 3), ...parts, tagBytes(field, 4)),
  hex: (field: number, hex: string) => pb.bytes(field, Uint8Array.from(Buffer.from(hex, "hex"))),
};

/** One unknown field of each wire type, numbered so no OTLP message uses them. */
export function unknownFieldsOfEveryWireType(): Uint8Array {
  return concatBytes(
    pb.varint(900, 123_456_789_012n),
    pb.fixed64(901, 42n),
    pb.string(902, "future field"),
    pb.fixed32(903, 7),
    pb.group(904, pb.varint(1, 1), pb.group(2, pb.string(3, "nested group"))),
  );
}

export const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
export const SPAN_ID = "b7ad6b7169203331";

/** A minimal valid protobuf Span (trace/v1 field numbers) plus any extra fields. */
export function spanBytes(...extra: Uint8Array[]): Uint8Array {
  return concatBytes(
    pb.hex(1, TRACE_ID),
    pb.hex(2, SPAN_ID),
    pb.string(5, "chat gpt-4o"),
    pb.varint(6, 3),
    pb.fixed64(7, 1_764_000_000_000_000_000n),
    pb.fixed64(8, 1_764_000_001_000_000_000n),
    ...extra,
  );
}

/** ExportTraceServiceRequest → ResourceSpans → ScopeSpans around the given Span bodies. */
export function requestBytes(spans: Uint8Array[], resourceAttributes: Uint8Array[] = []): Uint8Array {
  return pb.message(
    1,
    pb.message(1, ...resourceAttributes),
    pb.message(2, pb.message(1, pb.string(1, "scope"), pb.string(2, "1.0")), ...spans.map((span) => pb.message(2, span))),
  );
}

/** KeyValue { key = 1, value = 2 (AnyValue) } with the AnyValue given as raw fields. */
export function keyValue(key: string, ...anyValueFields: Uint8Array[]): Uint8Array {
  return concatBytes(pb.string(1, key), pb.message(2, ...anyValueFields));
}
