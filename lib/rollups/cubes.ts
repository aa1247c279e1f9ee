import type { Tier } from "@/lib/rollups/time-buckets";

/**
 * Cubes: the dimension sets a tier row can be broken down by. Every LLM call is counted once in
 * every cube, so a query reads the smallest cube that holds all the dimensions it filters or groups
 * on (lib/analytics/plan-query.ts), and its cost follows that cube's combinations, not the traffic.
 *
 *   total                one row per bucket
 *   service, provider, model, prompt (name + version), environment, workload, streaming
 *                        one dimension each
 *   core                 all eight core dimensions together
 *   tag                  one allocation tag (tag_key, tag_value)
 *   service+tag, provider+tag, model+tag, prompt+tag, environment+tag, workload+tag, streaming+tag
 *                        one core dimension (the prompt: name + version) and one allocation tag
 *   core+tag             the core dimensions and one allocation tag
 *
 * The single-dimension tag cubes answer the common "one dimension and one tag" questions (spend by
 * team for one model, latency by model for one customer) from a few rows per tag value: core+tag
 * has a row for every combination of all core dimensions and the tag, tens of times more. They are
 * kept in the hour and day tiers only. A minute holds few calls, so a core+tag minute row is close
 * to one call and reading core+tag for a query's minute edges costs about what the calls in them
 * do; single-dimension tag cubes there would have nearly as many rows and triple the minute tier.
 * cubeInTier() says which cube holds a cube's rows in a tier.
 *
 * Each tier is partitioned by cube (the rows' `cube` column holds the cube's code;
 * rollup-partitions.ts): a query reads one cube, and the rows of the small cubes must not be spread
 * over the pages of the large ones.
 *
 * Allocation tags are the project's configured keys (settings.allocationTagKeys): each key admits
 * its first `allocationTagLimit` values; later values are counted under OTHER_TAG_VALUE, and calls
 * without the tag under a NULL value, so every breakdown adds up to the total.
 */
export const CORE_DIMENSIONS = [
  "service",
  "provider",
  "model",
  "promptName",
  "promptVersion",
  "environment",
  "workload",
  "streaming",
] as const;
export type CoreDimension = (typeof CORE_DIMENSIONS)[number];

/** The rollup_dims column of each core dimension. */
export const DIMENSION_COLUMNS: Record<CoreDimension, string> = {
  service: "service_name",
  provider: "provider",
  model: "model",
  promptName: "prompt_name",
  promptVersion: "prompt_version",
  environment: "environment",
  workload: "workload",
  streaming: "streaming",
};

export const OTHER_TAG_VALUE = "__other__";

export type CubeName =
  | "total"
  | "service"
  | "provider"
  | "model"
  | "prompt"
  | "environment"
  | "workload"
  | "streaming"
  | "core"
  | "tag"
  | "service+tag"
  | "provider+tag"
  | "model+tag"
  | "prompt+tag"
  | "environment+tag"
  | "workload+tag"
  | "streaming+tag"
  | "core+tag";

export interface Cube {
  name: CubeName;
  /** The tier rows' `cube` column and partition key; fixed for ever (new cubes take new codes). */
  code: number;
  /** The cube in partition names: rollup_hour_<slug>, rollup_hour_<slug>_p202612. */
  slug: string;
  dimensions: readonly CoreDimension[];
  hasTag: boolean;
  /** False: hour and day tiers only (its minute rows are read from core+tag). */
  isInMinuteTier: boolean;
}

const cube = (code: number, name: CubeName, dimensions: readonly CoreDimension[], hasTag: boolean, isInMinuteTier = true): Cube => ({
  name,
  code,
  slug: name.replace("+", "_"),
  dimensions,
  hasTag,
  isInMinuteTier,
});

export const CUBES: readonly Cube[] = [
  cube(0, "total", [], false),
  cube(1, "service", ["service"], false),
  cube(2, "provider", ["provider"], false),
  cube(3, "model", ["model"], false),
  cube(4, "prompt", ["promptName", "promptVersion"], false),
  cube(5, "environment", ["environment"], false),
  cube(6, "workload", ["workload"], false),
  cube(7, "streaming", ["streaming"], false),
  cube(8, "core", CORE_DIMENSIONS, false),
  cube(9, "tag", [], true),
  cube(10, "service+tag", ["service"], true, false),
  cube(11, "provider+tag", ["provider"], true, false),
  cube(12, "model+tag", ["model"], true, false),
  cube(13, "prompt+tag", ["promptName", "promptVersion"], true, false),
  cube(14, "environment+tag", ["environment"], true, false),
  cube(15, "workload+tag", ["workload"], true, false),
  cube(16, "streaming+tag", ["streaming"], true, false),
  cube(17, "core+tag", CORE_DIMENSIONS, true),
];

export const CUBE_BY_NAME = new Map(CUBES.map((c) => [c.name, c]));
export const CUBE_BY_CODE = new Map(CUBES.map((c) => [c.code, c]));

/** The tier rows' partition key of a cube. */
export function cubeCode(name: CubeName): number {
  return CUBE_BY_NAME.get(name)!.code;
}

/** The cubes with rows in a tier. */
export function cubesInTier(tier: Tier): Cube[] {
  return CUBES.filter((c) => isCubeInTier(c.name, tier));
}

/** Cubes whose minute rows are not kept: their rows come from core+tag minute rows. */
export const HOUR_AND_DAY_CUBES: readonly Cube[] = CUBES.filter((c) => !c.isInMinuteTier);

/** The cube holding `cube`'s rows in a tier (core+tag answers for the hour-and-day cubes in minutes). */
export function cubeInTier(name: CubeName, tier: Tier): CubeName {
  return tier === "minute" && !CUBE_BY_NAME.get(name)!.isInMinuteTier ? "core+tag" : name;
}

export function isCubeInTier(name: CubeName, tier: Tier): boolean {
  return tier !== "minute" || CUBE_BY_NAME.get(name)!.isInMinuteTier;
}

/** The core dimension values of a call (model = response model, else request model). */
export type CoreValues = Record<CoreDimension, string | boolean | null>;

/** One row of rollup_dims: a cube and its dimension values (null where the cube has no such dimension). */
export interface DimKey {
  cube: CubeName;
  values: CoreValues;
  tagKey: string | null;
  tagValue: string | null;
}

/** No core dimension value: the total cube's, the tag cube's. */
export const NO_CORE_VALUES: CoreValues = {
  service: null,
  provider: null,
  model: null,
  promptName: null,
  promptVersion: null,
  environment: null,
  workload: null,
  streaming: null,
};

/** A stable text identity of a DimKey (for maps). */
export function dimKeyId(key: DimKey): string {
  const v = key.values;
  return JSON.stringify([
    key.cube, v.service, v.provider, v.model, v.promptName, v.promptVersion, v.environment, v.workload, v.streaming,
    key.tagKey, key.tagValue,
  ]);
}

/** The cubes with minute rows (cubesInTier("minute"), computed once). */
export const MINUTE_CUBES: readonly Cube[] = CUBES.filter((c) => c.isInMinuteTier);

/**
 * Every cube row one call (or one delta of calls) counts in, among `cubes` (all of them unless the
 * caller writes one tier only). `tags` maps each configured tag key to the call's value, already
 * mapped to OTHER_TAG_VALUE beyond the limit, or null.
 */
export function fanOut(values: CoreValues, tags: ReadonlyMap<string, string | null>, cubes: readonly Cube[] = CUBES): DimKey[] {
  const keys: DimKey[] = [];
  for (const cube of cubes) {
    const cubeValues = cube.dimensions.length === 0 ? NO_CORE_VALUES : pick(values, cube.dimensions);
    if (!cube.hasTag) {
      keys.push({ cube: cube.name, values: cubeValues, tagKey: null, tagValue: null });
      continue;
    }
    for (const [tagKey, tagValue] of tags) keys.push({ cube: cube.name, values: cubeValues, tagKey, tagValue });
  }
  return keys;
}

/** A core+tag key's row in a tag cube with fewer dimensions (its values kept, the rest dropped). */
export function projectKey(key: DimKey, to: Cube): DimKey {
  return { cube: to.name, values: pick(key.values, to.dimensions), tagKey: key.tagKey, tagValue: key.tagValue };
}

function pick(values: CoreValues, dimensions: readonly CoreDimension[]): CoreValues {
  const picked: CoreValues = { ...NO_CORE_VALUES };
  for (const dimension of dimensions) picked[dimension] = values[dimension];
  return picked;
}
