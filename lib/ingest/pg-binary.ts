import { POSTGRES_EPOCH_OFFSET_MICROS, toJsonbText, toPostgresText } from "@/lib/ingest/convert";

/**
 * PostgreSQL's binary wire format, for values sent as binary array parameters (`$1::text[]`) and
 * COPY BINARY rows. Each value is an int32 byte length (−1 for NULL) followed by its bytes; no
 * escaping, no parsing of text on either side. Writing into one growing buffer per column keeps
 * allocation to a few large buffers per request instead of several strings per value.
 */

/** Type OIDs of the element types the writer sends (pg_type.oid, fixed since PostgreSQL 9.4). */
export const PgOid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  float8: 701,
  timestamptz: 1184,
  uuid: 2950,
  jsonb: 3802,
} as const;

const TWO_POW_32 = 4_294_967_296;

export class BinaryValues {
  buffer: Buffer;
  length = 0;
  /** Number of values written. */
  count = 0;

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Writes a value's length and counts it; each writer fills in the bytes after it succeeds. */
  private header(byteLength: number): void {
    this.buffer.writeInt32BE(byteLength, this.length);
    this.length += 4;
    this.count++;
  }

  null(): void {
    this.ensure(4);
    this.header(-1);
  }

  bool(value: boolean | null): void {
    if (value === null || value === undefined) return this.null();
    this.ensure(5);
    this.header(1);
    this.buffer[this.length++] = value ? 1 : 0;
  }

  int2(value: number): void {
    this.ensure(6);
    this.buffer.writeInt16BE(value, this.length + 4); // RangeError outside int2
    this.header(2);
    this.length += 2;
  }

  int4(value: number): void {
    this.ensure(8);
    this.buffer.writeInt32BE(value, this.length + 4);
    this.header(4);
    this.length += 4;
  }

  /** A JS integer (token counts) as int8; fractions are rounded, non-finite values refused. */
  int8(value: number | null): void {
    if (value === null || value === undefined) return this.null();
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a finite integer`);
    const integer = Math.round(value);
    if (!Number.isSafeInteger(integer)) throw new TypeError(`${value} is outside the exact integer range`);
    this.ensure(12);
    this.header(8);
    const high = Math.floor(integer / TWO_POW_32);
    this.buffer.writeInt32BE(high, this.length);
    this.buffer.writeUInt32BE(integer - high * TWO_POW_32, this.length + 4);
    this.length += 8;
  }

  bigint8(value: bigint | null): void {
    if (value === null || value === undefined) return this.null();
    this.ensure(12);
    this.buffer.writeBigInt64BE(value, this.length + 4); // RangeError outside int8
    this.header(8);
    this.length += 8;
  }

  float8(value: number | null): void {
    if (value === null || value === undefined) return this.null();
    this.ensure(12);
    this.header(8);
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  /** timestamptz from microseconds since the Unix epoch (see convert.ts for how they are made). */
  timestamptzMicros(unixMicros: bigint): void {
    this.ensure(12);
    this.buffer.writeBigInt64BE(unixMicros - POSTGRES_EPOCH_OFFSET_MICROS, this.length + 4);
    this.header(8);
    this.length += 8;
  }

  /** Raw bytes (bytea, or a uuid's 16 bytes). */
  raw(bytes: Buffer): void {
    this.ensure(4 + bytes.length);
    this.header(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** A hex id as bytea, decoded straight into the buffer; malformed hex is refused. */
  hex(hex: string | null): void {
    if (hex === null || hex === undefined) return this.null();
    const byteLength = hex.length >>> 1;
    this.ensure(4 + byteLength);
    const written = this.buffer.write(hex, this.length + 4, byteLength, "hex");
    if (hex.length === 0 || written !== byteLength || (hex.length & 1) !== 0) {
      throw new TypeError(`"${hex.slice(0, 40)}" is not a non-empty even-length hex string`);
    }
    this.header(byteLength);
    this.length += byteLength;
  }

  text(value: string | null): void {
    if (value === null || value === undefined) return this.null();
    this.utf8(toPostgresText(value));
  }

  /** jsonb binary format: version byte 1, then the JSON text. */
  jsonb(value: unknown): void {
    if (value === null || value === undefined) return this.null();
    const json = toJsonbText(value); // may throw: before anything is written
    this.ensure(5 + json.length * 3);
    const start = this.length;
    this.length += 4;
    this.buffer[this.length++] = 1;
    const written = this.buffer.write(json, this.length, "utf8");
    this.buffer.writeInt32BE(written + 1, start);
    this.length += written;
    this.count++;
  }

  private utf8(value: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    this.ensure(4 + value.length * 3);
    const start = this.length;
    const written = this.buffer.write(value, start + 4, "utf8");
    this.buffer.writeInt32BE(written, start);
    this.length = start + 4 + written;
    this.count++;
  }
}

/**
 * A one-dimensional binary array parameter (array_recv's format) whose `count` values are already
 * encoded in `parts` (one part per write() call of a group). Kept in parts so the writer can send
 * it to the server without concatenating megabytes first (binary-query.ts).
 */
export interface BinaryArrayParameter {
  elementOid: number;
  count: number;
  parts: readonly Buffer[];
}

/** The array's header: ndim, flags, element type, then (non-empty) its one dimension. */
export function binaryArrayHeader(elementOid: number, count: number): Buffer {
  if (count === 0) {
    const empty = Buffer.alloc(12);
    empty.writeUInt32BE(elementOid, 8); // ndim 0, flags 0
    return empty;
  }
  const header = Buffer.allocUnsafe(20);
  header.writeInt32BE(1, 0); // ndim
  header.writeInt32BE(1, 4); // flags: may contain NULLs (array_recv finds them from the −1 lengths)
  header.writeUInt32BE(elementOid, 8);
  header.writeInt32BE(count, 12);
  header.writeInt32BE(1, 16); // lower bound
  return header;
}

/** The parameter's size on the wire (header and values, without the length prefix). */
export function binaryArrayByteLength(parameter: BinaryArrayParameter): number {
  if (parameter.count === 0) return 12;
  let byteLength = 20;
  for (const part of parameter.parts) byteLength += part.length;
  return byteLength;
}

/** The same array as one buffer (a copy), for node-pg's ordinary parameters. */
export function binaryArray(elementOid: number, count: number, parts: readonly Buffer[]): Buffer {
  const header = binaryArrayHeader(elementOid, count);
  return count === 0 ? header : Buffer.concat([header, ...parts]);
}
