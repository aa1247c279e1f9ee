/**
 * Field readers for OTLP/JSON: ids, int64 times, strings and AnyValue attributes. Each throws
 * FieldProblem naming the field when a value has the wrong type; the JSON decoder turns that
 * into the rejection of the one span it belongs to.
 */
import type { AttributeValue, Attributes } from "./types";
import {
  DROPPED_ATTRIBUTES_COUNT_KEY,
  MAX_ATTRIBUTES_PER_SPAN,
  MAX_ATTRIBUTE_VALUE_DEPTH,
  TOO_DEEP_VALUE_MARKER,
  newAttributes,
  setAttribute,
} from "./validate-span";

type JsonObject = Record<string, unknown>;

/**
 * A wrong-typed field inside one span (or its resource/scope). Deliberately not an Error: it is
 * caught right away, and skipping the stack capture keeps a batch of bad spans cheap.
 */
export class FieldProblem {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly reason = "invalid_field",
  ) {}
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  return typeof value === "object" ? "an object" : typeof value;
}

/**
 * The camelCase field, else its snake_case spelling (some hand-written exporters use it).
 * null reads as absent, as in proto3 JSON (JSON.stringify turns NaN into null, for one).
 */
export function jsonField(object: JsonObject, camelCase: string, snakeCase: string): unknown {
  const value = object[camelCase];
  if (value !== undefined && value !== null) return value;
  const snakeValue = object[snakeCase];
  return snakeValue === null ? undefined : snakeValue;
}

export function jsonString(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  throw new FieldProblem(field, `must be a string, got ${describeJsonType(value)}`);
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * An id as lowercase hex. OTLP/JSON ids are hex; proto3-JSON base64 is recognised by length
 * (24 characters for 16 bytes, 12 for 8). Length and hex digits are checked by validateSpan.
 */
export function jsonId(value: unknown, field: string, bytes: number, reason: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") {
    throw new FieldProblem(field, `must be a hex string of ${bytes * 2} characters, got ${describeJsonType(value)}`, reason);
  }
  if (value.length === bytes * 2) return value.toLowerCase();
  if (value.length === Math.ceil(bytes / 3) * 4 && BASE64.test(value)) {
    const decoded = Buffer.from(value, "base64");
    if (decoded.length === bytes) return decoded.toString("hex");
  }
  return value.toLowerCase();
}

const SIGNED_DECIMAL = /^-?\d+$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Nanoseconds since the epoch, as a decimal string or a number. Negative values pass through to validateSpan. */
export function jsonTime(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  let nanos: bigint | null = null;
  if (typeof value === "string" && SIGNED_DECIMAL.test(value)) nanos = BigInt(value);
  else if (typeof value === "number" && Number.isInteger(value)) nanos = BigInt(value);
  if (nanos === null || nanos > MAX_UINT64) {
    throw new FieldProblem(
      field,
      `must be an unsigned 64-bit count of nanoseconds since the epoch (decimal string or number), got ${describeJsonType(value)}`,
    );
  }
  return nanos;
}

/** A KeyValue[] into an attributes object, with the count and length caps applied. */
export function decodeAttributeList(value: unknown, field: string): Attributes {
  const attributes = newAttributes();
  if (value === undefined || value === null) return attributes;
  if (!Array.isArray(value)) {
    throw new FieldProblem(field, `must be an array of {"key": …, "value": {…}} objects, got ${describeJsonType(value)}`);
  }
  const kept = Math.min(value.length, MAX_ATTRIBUTES_PER_SPAN);
  for (let index = 0; index < kept; index++) {
    const entry = value[index];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry) || typeof entry.key !== "string") {
      throw new FieldProblem(`${field}[${index}]`, `must be an object {"key": "<string>", "value": {…}}, got ${describeJsonType(entry)}`);
    }
    let decoded: AttributeValue;
    try {
      decoded = decodeAnyValue(entry.value, 0);
    } catch (error) {
      throw nested(error, `${field}[${JSON.stringify(entry.key)}]`);
    }
    setAttribute(attributes, entry.key, decoded);
  }
  if (value.length > kept) attributes[DROPPED_ATTRIBUTES_COUNT_KEY] = value.length - kept;
  return attributes;
}

const SPECIAL_DOUBLES: ReadonlyMap<string, number> = new Map([
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
]);

/** OTLP AnyValue → plain JS value. Nested problems report their path relative to the value. */
function decodeAnyValue(value: unknown, depth: number): AttributeValue {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new FieldProblem("", `must be an AnyValue object such as {"stringValue": "…"}, got ${describeJsonType(value)}`);
  }
  if (depth >= MAX_ATTRIBUTE_VALUE_DEPTH) return TOO_DEEP_VALUE_MARKER;
  const object = value as JsonObject;

  const stringValue = jsonField(object, "stringValue", "string_value");
  if (stringValue !== undefined) {
    if (typeof stringValue === "string") return stringValue;
    throw new FieldProblem("stringValue", `must be a string, got ${describeJsonType(stringValue)}`);
  }
  const intValue = jsonField(object, "intValue", "int_value");
  if (intValue !== undefined) {
    if (typeof intValue === "number") return intValue;
    if (typeof intValue === "string" && SIGNED_DECIMAL.test(intValue)) {
      const number = Number(intValue);
      return Number.isSafeInteger(number) ? number : BigInt(intValue).toString();
    }
    throw new FieldProblem("intValue", `must be an integer or a decimal string, got ${describeJsonType(intValue)}`);
  }
  const doubleValue = jsonField(object, "doubleValue", "double_value");
  if (doubleValue !== undefined) {
    if (typeof doubleValue === "number") return doubleValue;
    if (typeof doubleValue === "string") {
      const special = SPECIAL_DOUBLES.get(doubleValue);
      if (special !== undefined) return special;
      const number = doubleValue.trim() === "" ? Number.NaN : Number(doubleValue);
      if (!Number.isNaN(number)) return number;
    }
    throw new FieldProblem("doubleValue", `must be a number (or "NaN", "Infinity", "-Infinity"), got ${describeJsonType(doubleValue)}`);
  }
  const boolValue = jsonField(object, "boolValue", "bool_value");
  if (boolValue !== undefined) {
    if (typeof boolValue === "boolean") return boolValue;
    throw new FieldProblem("boolValue", `must be true or false, got ${describeJsonType(boolValue)}`);
  }
  const arrayValue = jsonField(object, "arrayValue", "array_value");
  if (arrayValue !== undefined) return decodeArrayValue(arrayValue, depth);
  const kvlistValue = jsonField(object, "kvlistValue", "kvlist_value");
  if (kvlistValue !== undefined) return decodeKvlistValue(kvlistValue, depth);
  const bytesValue = jsonField(object, "bytesValue", "bytes_value");
  if (bytesValue !== undefined) {
    if (typeof bytesValue === "string") return new Uint8Array(Buffer.from(bytesValue, "base64"));
    throw new FieldProblem("bytesValue", `must be a base64 string, got ${describeJsonType(bytesValue)}`);
  }
  return null; // an empty AnyValue is allowed and means "no value"
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new FieldProblem(field, `must be an object {"values": […]}, got ${describeJsonType(value)}`);
  }
  const values = (value as JsonObject).values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new FieldProblem(`${field}.values`, `must be an array, got ${describeJsonType(values)}`);
  return values;
}

function nested(error: unknown, prefix: string): unknown {
  if (!(error instanceof FieldProblem)) return error;
  return new FieldProblem(error.field === "" ? prefix : `${prefix}.${error.field}`, error.problem);
}

function decodeArrayValue(value: unknown, depth: number): AttributeValue[] {
  const values = listOf(value, "arrayValue");
  const result: AttributeValue[] = new Array(values.length);
  for (let index = 0; index < values.length; index++) {
    try {
      result[index] = decodeAnyValue(values[index], depth + 1);
    } catch (error) {
      throw nested(error, `arrayValue.values[${index}]`);
    }
  }
  return result;
}

function decodeKvlistValue(value: unknown, depth: number): { [key: string]: AttributeValue } {
  const values = listOf(value, "kvlistValue");
  const result = newAttributes();
  for (let index = 0; index < values.length; index++) {
    const entry = values[index];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry) || typeof (entry as JsonObject).key !== "string") {
      throw new FieldProblem(`kvlistValue.values[${index}]`, `must be an object {"key": "<string>", "value": {…}}, got ${describeJsonType(entry)}`);
    }
    const { key, value: entryValue } = entry as { key: string; value: unknown };
    try {
      result[key] = decodeAnyValue(entryValue, depth + 1);
    } catch (error) {
      throw nested(error, `kvlistValue[${JSON.stringify(key)}]`);
    }
  }
  return result;
}
