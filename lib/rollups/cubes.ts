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
 *   core+tag             the core dimensions and one allocation tag
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
  | "core+tag";

export interface Cube {
  name: CubeName;
  dimensions: readonly CoreDimension[];
  hasTag: boolean;
}

export const CUBES: readonly Cube[] = [
  { name: "total", dimensions: [], hasTag: false },
  { name: "service", dimensions: ["service"], hasTag: false },
  { name: "provider", dimensions: ["provider"], hasTag: false },
  { name: "model", dimensions: ["model"], hasTag: false },
  { name: "prompt", dimensions: ["promptName", "promptVersion"], hasTag: false },
  { name: "environment", dimensions: ["environment"], hasTag: false },
  { name: "workload", dimensions: ["workload"], hasTag: false },
  { name: "streaming", dimensions: ["streaming"], hasTag: false },
  { name: "core", dimensions: CORE_DIMENSIONS, hasTag: false },
  { name: "tag", dimensions: [], hasTag: true },
  { name: "core+tag", dimensions: CORE_DIMENSIONS, hasTag: true },
];

/** The core dimension values of a call (model = response model, else request model). */
export type CoreValues = Record<CoreDimension, string | boolean | null>;

/** One row of rollup_dims: a cube and its dimension values (null where the cube has no such dimension). */
export interface DimKey {
  cube: CubeName;
  values: CoreValues;
  tagKey: string | null;
  tagValue: string | null;
}

const NO_VALUES: CoreValues = {
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

/**
 * Every cube row one call (or one delta of calls) counts in. `tags` maps each configured tag key
 * to the call's value, already mapped to OTHER_TAG_VALUE beyond the limit, or null.
 */
export function fanOut(values: CoreValues, tags: ReadonlyMap<string, string | null>): DimKey[] {
  const keys: DimKey[] = [];
  for (const cube of CUBES) {
    const cubeValues = cube.dimensions.length === 0 ? NO_VALUES : pick(values, cube.dimensions);
    if (!cube.hasTag) {
      keys.push({ cube: cube.name, values: cubeValues, tagKey: null, tagValue: null });
      continue;
    }
    for (const [tagKey, tagValue] of tags) keys.push({ cube: cube.name, values: cubeValues, tagKey, tagValue });
  }
  return keys;
}

function pick(values: CoreValues, dimensions: readonly CoreDimension[]): CoreValues {
  const picked: CoreValues = { ...NO_VALUES };
  for (const dimension of dimensions) picked[dimension] = values[dimension];
  return picked;
}
