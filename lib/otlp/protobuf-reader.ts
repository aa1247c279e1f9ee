/**
 * A minimal protobuf wire-format reader over one request body: just what the OTLP trace
 * decoder needs, with every read bounds-checked so malformed input throws OtlpDecodeError
 * (never a RangeError, never a read past the enclosing message).
 */
import { OtlpDecodeError } from "./errors";

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const WIRE_TYPE_NAMES = ["varint", "fixed64", "length-delimited", "start-group", "end-group", "fixed32", "invalid (6)", "invalid (7)"];

/**
 * Buffer#utf8Slice is what Buffer#toString("utf8", …) ends up calling, minus two layers of
 * argument handling (~30 % of the cost of a short string). It is long-standing but undocumented,
 * so fall back to toString if a runtime lacks it. Both replace invalid UTF-8 with U+FFFD.
 */
type Utf8Slice = (this: Buffer, start: number, end: number) => string;
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;
const utf8Slice: Utf8Slice =
  typeof nativeUtf8Slice === "function"
    ? nativeUtf8Slice
    : function (this: Buffer, start: number, end: number) {
        return this.toString("utf8", start, end);
      };

/** A direct-mapped cache of decoded short strings, shared by all requests (bounded: 64 KiB of keys). */
const STRING_CACHE_SLOTS = 1024;
const MAX_CACHED_STRING_BYTES = 64;
const stringCacheBytes: (Uint8Array | undefined)[] = new Array(STRING_CACHE_SLOTS).fill(undefined);
const stringCacheValues: string[] = new Array(STRING_CACHE_SLOTS).fill("");

/** Unknown groups are skipped recursively; bound the recursion so hostile input can't blow the stack. */
const MAX_GROUP_DEPTH = 64;
const TWO_POW_32 = 4294967296;
/** Above this high word, a positive int64 no longer fits a JS number exactly. */
const MAX_SAFE_HIGH_WORD = 0x200000;

export class ProtobufReader {
  readonly buf: Buffer;
  readonly view: DataView;
  readonly length: number;
  pos = 0;
  private readonly expected: string;

  /** `expected` names the message and Content-Type, for error messages. */
  constructor(bytes: Uint8Array, expected: string) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
    this.expected = expected;
  }

  truncated(at: number, what: string): OtlpDecodeError {
    return new OtlpDecodeError(`protobuf body is truncated at byte ${at}: ${what}; expected ${this.expected}`);
  }

  malformed(at: number, what: string): OtlpDecodeError {
    return new OtlpDecodeError(`protobuf body is malformed at byte ${at}: ${what}; expected ${this.expected}`);
  }

  /** Unsigned varint as a JS number (exact up to 2^53; used for tags, lengths, enums, bools). */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.length) throw this.truncated(pos, "a varint is cut off");
    let byte = buf[pos++];
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let result = byte & 0x7f;
    let shift = 7;
    for (;;) {
      if (pos >= this.length) throw this.truncated(pos, "a varint is cut off");
      byte = buf[pos++];
      result = shift < 28 ? result | ((byte & 0x7f) << shift) : result + (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
      if (shift > 63) throw this.malformed(pos, "a varint is longer than 10 bytes");
    }
    this.pos = pos;
    return result;
  }

  /** int64 varint: a JS number when exact, else its decimal string. */
  int64(): number | string {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < this.length && buf[pos] < 0x80) {
      this.pos = pos + 1;
      return buf[pos];
    }
    let low = 0;
    let high = 0;
    for (let index = 0; index < 10; index++) {
      if (pos >= this.length) throw this.truncated(pos, "a varint is cut off");
      const bits = buf[pos++] & 0x7f;
      if (index < 4) low |= bits << (7 * index);
      else if (index === 4) {
        low |= (bits & 0x0f) << 28;
        high = bits >>> 4;
      } else high |= bits << (7 * index - 32);
      if (buf[pos - 1] < 0x80) break;
      if (index === 9) throw this.malformed(pos, "a varint is longer than 10 bytes");
    }
    this.pos = pos;
    low >>>= 0;
    high >>>= 0;
    if (high < MAX_SAFE_HIGH_WORD) return high * TWO_POW_32 + low;
    if (high >= 0x80000000) {
      const magnitude = (~high >>> 0) * TWO_POW_32 + (~low >>> 0) + 1;
      if (magnitude <= Number.MAX_SAFE_INTEGER) return -magnitude;
    }
    return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)).toString();
  }

  /** Reads a field tag; returns it whole (field number = tag >>> 3, wire type = tag & 7). */
  tag(): number {
    const start = this.pos;
    const tag = this.varint();
    if (tag > 0xffffffff || tag >>> 3 === 0) throw this.malformed(start, `invalid field tag ${tag}`);
    return tag;
  }

  /** Reads a length prefix and returns where the field's bytes stop (≤ `end`). */
  lengthDelimitedEnd(end: number): number {
    const length = this.varint();
    const stop = this.pos + length;
    if (stop > end) {
      if (stop > this.length) {
        throw this.truncated(this.length, `a field declares ${length} bytes but only ${this.length - this.pos} remain`);
      }
      throw this.malformed(this.pos, `a field declares ${length} bytes, past the end of its enclosing message at byte ${end}`);
    }
    return stop;
  }

  private need(bytes: number, end: number): number {
    const pos = this.pos;
    if (pos + bytes > end) {
      if (pos + bytes > this.length) throw this.truncated(this.length, `a ${bytes}-byte fixed field is cut off`);
      throw this.malformed(pos, `a ${bytes}-byte fixed field runs past the end of its enclosing message`);
    }
    this.pos = pos + bytes;
    return pos;
  }

  /** fixed64 read as signed, so a time "before 1970" shows up negative instead of in year 2554. */
  fixed64AsSignedBigInt(end: number): bigint {
    return this.view.getBigInt64(this.need(8, end), true);
  }

  double(end: number): number {
    return this.view.getFloat64(this.need(8, end), true);
  }

  /** UTF-8 string field; invalid sequences become U+FFFD rather than failing the request. */
  string(end: number): string {
    const stop = this.lengthDelimitedEnd(end);
    const start = this.pos;
    this.pos = stop;
    return start === stop ? "" : utf8Slice.call(this.buf, start, stop);
  }

  /**
   * Like string(), for strings that repeat across spans and requests (attribute keys).
   * Returning the same string instance each time skips the UTF-8 decode, and lets V8 reuse the
   * already-internalized key when the attribute object is filled: together about a quarter of
   * the decode time for typical GenAI spans.
   */
  repeatedString(end: number): string {
    const stop = this.lengthDelimitedEnd(end);
    const start = this.pos;
    this.pos = stop;
    const length = stop - start;
    if (length === 0) return "";
    if (length > MAX_CACHED_STRING_BYTES) return utf8Slice.call(this.buf, start, stop);
    const buf = this.buf;
    // Hash a few sampled bytes only (keys share prefixes, so mostly the tail); a collision
    // only costs a miss, because a hit is confirmed byte by byte. For a 1-byte string,
    // stop - 2 is the length prefix (or -1 → undefined → 0): still deterministic.
    let hash =
      Math.imul(length, 0x9e3779b1) ^
      buf[stop - 1] ^
      (buf[stop - 2] << 8) ^
      (buf[start + (length >> 1)] << 16) ^
      (buf[start] << 24) ^
      Math.imul(buf[start + (length >> 2)], 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
    const slot = (hash >>> 16) & (STRING_CACHE_SLOTS - 1);
    const cachedBytes = stringCacheBytes[slot];
    if (cachedBytes !== undefined && cachedBytes.length === length) {
      let index = length - 1;
      while (index >= 0 && cachedBytes[index] === buf[start + index]) index--;
      if (index < 0) return stringCacheValues[slot];
    }
    const value = utf8Slice.call(buf, start, stop);
    stringCacheBytes[slot] = new Uint8Array(buf.subarray(start, stop));
    stringCacheValues[slot] = value;
    return value;
  }

  /** Bytes field as lowercase hex (ids). */
  hex(end: number): string {
    const stop = this.lengthDelimitedEnd(end);
    const start = this.pos;
    this.pos = stop;
    return start === stop ? "" : this.buf.toString("hex", start, stop);
  }

  /** Bytes field copied out, so decoded spans never pin the whole request body in memory. */
  bytes(end: number): Uint8Array {
    const stop = this.lengthDelimitedEnd(end);
    const copy = new Uint8Array(this.buf.subarray(this.pos, stop));
    this.pos = stop;
    return copy;
  }

  /** Skips one field of any wire type (groups included, nested groups too). */
  skip(tag: number, end: number, groupDepth = 0): void {
    const wireType = tag & 7;
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        break;
      case WIRE_FIXED64:
        this.need(8, end);
        break;
      case WIRE_LENGTH_DELIMITED:
        this.pos = this.lengthDelimitedEnd(end);
        break;
      case WIRE_FIXED32:
        this.need(4, end);
        break;
      case WIRE_START_GROUP: {
        const field = tag >>> 3;
        if (groupDepth >= MAX_GROUP_DEPTH) throw this.malformed(this.pos, `groups nested deeper than ${MAX_GROUP_DEPTH}`);
        for (;;) {
          if (this.pos >= end) throw this.truncated(this.pos, `group field ${field} is not closed`);
          const inner = this.tag();
          if ((inner & 7) === WIRE_END_GROUP) {
            if (inner >>> 3 !== field) throw this.malformed(this.pos, `group field ${field} closed by field ${inner >>> 3}`);
            break;
          }
          this.skip(inner, end, groupDepth + 1);
        }
        break;
      }
      default:
        throw this.malformed(this.pos, `field ${tag >>> 3} has wire type ${WIRE_TYPE_NAMES[wireType]}`);
    }
  }

  /** Throws unless a known field arrived with the wire type its schema gives it. */
  expectWireType(tag: number, expected: number, field: string): void {
    if ((tag & 7) !== expected) {
      throw this.malformed(
        this.pos,
        `field ${field} has wire type ${WIRE_TYPE_NAMES[tag & 7]}, expected ${WIRE_TYPE_NAMES[expected]} ` +
          "(was this body meant for another OTLP endpoint, such as /v1/logs or /v1/metrics?)",
      );
    }
  }

  /** A message's last field must end exactly where its length prefix said. */
  expectEnd(end: number, message: string): void {
    if (this.pos !== end) throw this.malformed(this.pos, `the last field of ${message} runs past its end at byte ${end}`);
  }
}
