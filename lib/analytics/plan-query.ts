import type { AnalyticsQuery, GroupDimension, Interval } from "@/lib/analytics/query";
import type { CubeName } from "@/lib/rollups/cubes";
import type { RollupRetention } from "@/lib/rollups/rollup-retention";
import { bucketStart, ceilToBucket, DAY_MS, type Tier } from "@/lib/rollups/time-buckets";

/**
 * Where a query's numbers come from.
 *
 * The source: the smallest cube holding every dimension the query filters or groups on (see
 * lib/rollups/cubes.ts). An attribute that is not a configured allocation tag, or two tags at once,
 * can only be answered from raw spans.
 *
 * The segments: the range cut into pieces each tier answers exactly. The coarsest tier allowed
 * (days, or hours/minutes when the time buckets are finer) takes the whole buckets inside the range;
 * the rest at each edge falls to the next finer tier, down to raw spans for the part of a minute.
 * A tier past its retention hands its part down too (raw spans, then nothing: that data is gone).
 * The hour and day tiers answer only up to the project's watermark (lib/rollups/watermark.ts): after
 * it, hours not yet closed and folded are in the minute tier only.
 */
export type QuerySource =
  | { kind: "rollup"; cube: CubeName; tagKey: string | null }
  | { kind: "raw"; reason: string };

export interface Segment {
  tier: Tier | "raw";
  fromMs: number;
  toMs: number;
}

export interface PlanSettings {
  timeZone: string;
  allocationTagKeys: readonly string[];
}

/** The cube of each dimension alone; with a tag, SINGLE_DIMENSION_TAG_CUBES. */
const SINGLE_DIMENSION_CUBES: Record<GroupDimension, CubeName> = {
  service: "service",
  provider: "provider",
  model: "model",
  promptName: "prompt",
  promptVersion: "prompt",
  environment: "environment",
  workload: "workload",
  streaming: "streaming",
};

const SINGLE_DIMENSION_TAG_CUBES: Partial<Record<CubeName, CubeName>> = {
  service: "service+tag",
  provider: "provider+tag",
  model: "model+tag",
  prompt: "prompt+tag",
  environment: "environment+tag",
  workload: "workload+tag",
  streaming: "streaming+tag",
};

export function chooseSource(query: AnalyticsQuery, settings: PlanSettings): QuerySource {
  const dimensions = new Set<GroupDimension>();
  const attributes = new Set<string>(Object.keys(query.filters.attributes));
  for (const dimension of Object.keys(SINGLE_DIMENSION_CUBES) as GroupDimension[]) {
    if (query.filters[dimension] !== undefined) dimensions.add(dimension);
  }
  if (query.groupBy?.startsWith("attribute:")) attributes.add(query.groupBy.slice("attribute:".length));
  else if (query.groupBy) dimensions.add(query.groupBy as GroupDimension);

  for (const key of attributes) {
    if (!settings.allocationTagKeys.includes(key)) {
      return { kind: "raw", reason: `attribute "${key}" is not an allocation tag (settings.allocationTagKeys)` };
    }
  }
  if (attributes.size > 1) return { kind: "raw", reason: "more than one allocation tag at once" };
  const tagKey = attributes.size === 1 ? [...attributes][0]! : null;
  const cubes = new Set([...dimensions].map((dimension) => SINGLE_DIMENSION_CUBES[dimension]));
  const single = cubes.size === 1 ? [...cubes][0]! : null;
  if (tagKey !== null) {
    const cube = dimensions.size === 0 ? "tag" : single !== null ? SINGLE_DIMENSION_TAG_CUBES[single]! : "core+tag";
    return { kind: "rollup", cube, tagKey };
  }
  if (dimensions.size === 0) return { kind: "rollup", cube: "total", tagKey: null };
  return { kind: "rollup", cube: single ?? "core", tagKey: null };
}

const TIERS_COARSE_TO_FINE: readonly Tier[] = ["day", "hour", "minute"];

/** The coarsest tier whose buckets fit inside the query's time buckets. */
export function coarsestTier(interval: Interval | null): Tier {
  if (interval === null || interval === "1d") return "day";
  if (interval === "1h") return "hour";
  return "minute";
}

export function planSegments(
  fromMs: number,
  toMs: number,
  coarsest: Tier,
  timeZone: string,
  retention: RollupRetention,
  now: number,
  /** The project's watermark (ms); +Infinity when it has none. */
  watermarkMs = Number.POSITIVE_INFINITY,
): Segment[] {
  const tiers = TIERS_COARSE_TO_FINE.slice(TIERS_COARSE_TO_FINE.indexOf(coarsest));
  return merge(decompose(fromMs, toMs, tiers, { timeZone, retention, now, watermarkMs }));
}

interface TierLimits {
  timeZone: string;
  retention: RollupRetention;
  now: number;
  watermarkMs: number;
}

function decompose(fromMs: number, toMs: number, tiers: readonly Tier[], limits: TierLimits): Segment[] {
  if (fromMs >= toMs) return [];
  if (tiers.length === 0) return [{ tier: "raw", fromMs, toMs }];
  const [tier, ...finer] = tiers as [Tier, ...Tier[]];
  const { timeZone, retention, now, watermarkMs } = limits;
  let start = ceilToBucket(tier, fromMs, timeZone);
  let end = bucketStart(tier, toMs, timeZone);
  // Buckets older than the tier's retention may be gone or incomplete: hand them down.
  const days = retention[tier];
  if (days !== null) start = Math.max(start, ceilToBucket(tier, now - days * DAY_MS, timeZone));
  // Hours and days are complete only up to the watermark: the bucket holding it and later ones too.
  if (tier !== "minute" && Number.isFinite(watermarkMs)) end = Math.min(end, bucketStart(tier, watermarkMs, timeZone));
  if (start >= end) return decompose(fromMs, toMs, finer, limits);
  return [...decompose(fromMs, start, finer, limits), { tier, fromMs: start, toMs: end }, ...decompose(end, toMs, finer, limits)];
}

/** Joins adjacent segments of the same tier (one range condition each in SQL). */
function merge(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last && last.tier === segment.tier && last.toMs === segment.fromMs) last.toMs = segment.toMs;
    else merged.push({ ...segment });
  }
  return merged;
}
