/**
 * Reads one span's attributes against the compiled rules in a single pass, keeping for each field
 * the best-ranked key whose value is valid for the field's kind (first present wins; a value that
 * does not coerce does not count as present). JSON documents listed in EXPANDED_JSON_ATTRIBUTES are
 * expanded into `<attribute>.<path>` keys and read the same way.
 */
import type { AttributeValue, Attributes } from "@/lib/otlp/types";
import { isPlainObject, parseJsonDocument, toBoolean, toNonEmptyString, toNonNegativeNumber, toTokenCount } from "./coerce";
import { usdToNanoUsd } from "./cost";
import { FIELD_ID, FIELD_KINDS, type CompiledRules } from "./rules/compile";
import { EXPANDED_JSON_ATTRIBUTES, type FieldKind, type FieldName } from "./rules/fields";

export interface FieldValue {
  key: string;
  rank: number;
  /** Coerced per kind: number for tokens/number, string, boolean, bigint for usd, raw otherwise. */
  value: unknown;
}

export interface SpanFacts {
  /** A field's winning value, or undefined when no key carried a valid one. */
  get(field: FieldName): FieldValue | undefined;
  /** Raw value of a span attribute or of an expanded JSON member. */
  lookup(key: string): AttributeValue | undefined;
  /** The parsed document of an expanded JSON attribute (e.g. Langfuse cost_details). */
  document(key: string): Record<string, unknown> | undefined;
}

const MAX_EXPANSION_DEPTH = 4;

function coerce(kind: FieldKind, value: AttributeValue): unknown {
  switch (kind) {
    case "tokens":
      return toTokenCount(value);
    case "number":
      return toNonNegativeNumber(value);
    case "string":
      return toNonEmptyString(value);
    case "boolean":
      return toBoolean(value);
    case "usd":
      return usdToNanoUsd(value);
    case "raw":
      return value === "" ? null : value;
  }
}

export function collectSpanFacts(attributes: Attributes, rules: CompiledRules): SpanFacts {
  const best: (FieldValue | undefined)[] = new Array(FIELD_KINDS.length);
  const { index } = rules;

  const offer = (key: string, value: AttributeValue | undefined): void => {
    if (value === undefined || value === null) return;
    const hits = index.get(key);
    if (hits === undefined) return;
    for (const hit of hits) {
      const current = best[hit.field];
      if (current !== undefined && current.rank <= hit.rank) continue;
      const coerced = coerce(FIELD_KINDS[hit.field], value);
      if (coerced !== null) best[hit.field] = { key, rank: hit.rank, value: coerced };
    }
  };

  for (const key in attributes) offer(key, attributes[key]);

  let expanded: Map<string, AttributeValue> | null = null;
  let documents: Map<string, Record<string, unknown>> | null = null;
  for (const name of EXPANDED_JSON_ATTRIBUTES) {
    const raw = attributes[name];
    if (raw === undefined || raw === null) continue;
    const document = isPlainObject(raw) ? raw : parseJsonDocument(raw);
    if (!isPlainObject(document)) continue;
    documents ??= new Map();
    documents.set(name, document);
    expanded ??= new Map();
    expandDocument(document, name, 1, expanded, offer);
  }

  const members = expanded;
  const parsed = documents;
  return {
    get: (field) => best[FIELD_ID[field]],
    lookup: (key) => {
      const value = attributes[key];
      return value !== undefined ? value : members?.get(key);
    },
    document: (key) => parsed?.get(key),
  };
}

function expandDocument(
  document: Record<string, unknown>,
  prefix: string,
  depth: number,
  into: Map<string, AttributeValue>,
  offer: (key: string, value: AttributeValue) => void,
): void {
  for (const member in document) {
    const value = document[member];
    const key = `${prefix}.${member}`;
    if (isPlainObject(value)) {
      if (depth < MAX_EXPANSION_DEPTH) expandDocument(value, key, depth + 1, into, offer);
      continue;
    }
    if (value === undefined) continue;
    into.set(key, value as AttributeValue);
    offer(key, value as AttributeValue);
  }
}
