/**
 * Protobuf KeyValue / AnyValue decoding (opentelemetry/proto/common/v1/common.proto), with the
 * attribute count and length caps applied as the values are read.
 */
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED as LEN, WIRE_VARINT, type ProtobufReader } from "./protobuf-reader";
import type { AttributeValue, Attributes } from "./types";
import { MAX_ATTRIBUTES_PER_SPAN, MAX_ATTRIBUTE_VALUE_DEPTH, TOO_DEEP_VALUE_MARKER, newAttributes, setAttribute } from "./validate-span";

/**
 * Reads one length-delimited KeyValue field into `attributes` if fewer than
 * MAX_ATTRIBUTES_PER_SPAN are kept so far (`keptCount`), else skips it unread.
 * Returns whether it was kept, so the caller can count what it dropped.
 */
export function decodeCappedAttribute(reader: ProtobufReader, end: number, attributes: Attributes, keptCount: number): boolean {
  const stop = reader.lengthDelimitedEnd(end);
  if (keptCount >= MAX_ATTRIBUTES_PER_SPAN) {
    reader.pos = stop;
    return false;
  }
  decodeKeyValue(reader, stop, attributes, true, 0);
  return true;
}

/**
 * One KeyValue into `target`; top-level attributes get the length caps (applied by key, which
 * decides the content cap), kvlist entries are capped with their top-level attribute.
 */
function decodeKeyValue(
  reader: ProtobufReader,
  end: number,
  target: { [key: string]: AttributeValue },
  isTopLevel: boolean,
  depth: number,
): void {
  let key = "";
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag();
    const field = tag >>> 3;
    if (field === 1) {
      reader.expectWireType(tag, LEN, "KeyValue.key (1)");
      key = reader.repeatedString(end);
    } else if (field === 2) {
      reader.expectWireType(tag, LEN, "KeyValue.value (2)");
      value = decodeAnyValue(reader, reader.lengthDelimitedEnd(end), depth);
    } else {
      reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "KeyValue");
  if (isTopLevel) setAttribute(target, key, value);
  else target[key] = value;
}

function decodeAnyValue(reader: ProtobufReader, end: number, depth: number): AttributeValue {
  if (depth >= MAX_ATTRIBUTE_VALUE_DEPTH) {
    reader.pos = end;
    return TOO_DEEP_VALUE_MARKER;
  }
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        reader.expectWireType(tag, LEN, "AnyValue.string_value (1)");
        value = reader.string(end);
        break;
      case 2:
        reader.expectWireType(tag, WIRE_VARINT, "AnyValue.bool_value (2)");
        value = reader.varint() !== 0;
        break;
      case 3:
        reader.expectWireType(tag, WIRE_VARINT, "AnyValue.int_value (3)");
        value = reader.int64();
        break;
      case 4:
        reader.expectWireType(tag, WIRE_FIXED64, "AnyValue.double_value (4)");
        value = reader.double(end);
        break;
      case 5: {
        reader.expectWireType(tag, LEN, "AnyValue.array_value (5)");
        const stop = reader.lengthDelimitedEnd(end);
        const values: AttributeValue[] = [];
        while (reader.pos < stop) {
          const itemTag = reader.tag();
          if (itemTag >>> 3 === 1) {
            reader.expectWireType(itemTag, LEN, "ArrayValue.values (1)");
            values.push(decodeAnyValue(reader, reader.lengthDelimitedEnd(stop), depth + 1));
          } else {
            reader.skip(itemTag, stop);
          }
        }
        reader.expectEnd(stop, "ArrayValue");
        value = values;
        break;
      }
      case 6: {
        reader.expectWireType(tag, LEN, "AnyValue.kvlist_value (6)");
        const stop = reader.lengthDelimitedEnd(end);
        const entries = newAttributes();
        while (reader.pos < stop) {
          const itemTag = reader.tag();
          if (itemTag >>> 3 === 1) {
            reader.expectWireType(itemTag, LEN, "KeyValueList.values (1)");
            decodeKeyValue(reader, reader.lengthDelimitedEnd(stop), entries, false, depth + 1);
          } else {
            reader.skip(itemTag, stop);
          }
        }
        reader.expectEnd(stop, "KeyValueList");
        value = entries;
        break;
      }
      case 7:
        reader.expectWireType(tag, LEN, "AnyValue.bytes_value (7)");
        value = reader.bytes(end);
        break;
      default:
        reader.skip(tag, end);
    }
  }
  reader.expectEnd(end, "AnyValue");
  return value;
}
