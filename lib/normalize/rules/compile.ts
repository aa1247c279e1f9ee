/**
 * Compiles the rule tables once, at module load, into one lookup index per profile:
 * attribute key → the fields it feeds and its rank in each field's first-present-wins list.
 * A span is then read in a single pass over its own attributes with one Map lookup per key,
 * instead of probing every rule key against every span.
 */
import { FIELD_NAMES, FIELD_RULES, type FieldKind, type FieldName } from "./fields";
import { allProfiles, type InstrumentationProfile, type ProfileId } from "./profiles";

export interface FieldHit {
  /** Position of the field in FIELD_NAMES. */
  field: number;
  /** Position of the key in the field's list: lower wins. */
  rank: number;
}

export interface CompiledRules {
  index: ReadonlyMap<string, readonly FieldHit[]>;
}

export const FIELD_KINDS: readonly FieldKind[] = FIELD_NAMES.map((name) => FIELD_RULES[name].kind);

export const FIELD_ID: Readonly<Record<FieldName, number>> = Object.fromEntries(
  FIELD_NAMES.map((name, position) => [name, position]),
) as Record<FieldName, number>;

function compile(profile: InstrumentationProfile): CompiledRules {
  const index = new Map<string, FieldHit[]>();
  FIELD_NAMES.forEach((name, field) => {
    const preferred = profile.preferredKeys[name] ?? [];
    const keys = [...new Set([...preferred, ...FIELD_RULES[name].keys])];
    keys.forEach((key, rank) => {
      const hits = index.get(key);
      if (hits) hits.push({ field, rank });
      else index.set(key, [{ field, rank }]);
    });
  });
  return { index };
}

const COMPILED: ReadonlyMap<ProfileId, CompiledRules> = new Map(
  allProfiles().map((profile) => [profile.id, compile(profile)]),
);

export function compiledRulesFor(profile: InstrumentationProfile): CompiledRules {
  const compiled = COMPILED.get(profile.id);
  if (!compiled) throw new Error(`no compiled rules for profile ${profile.id}`);
  return compiled;
}
