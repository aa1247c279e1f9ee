import type { AnalyticsQuery, GroupDimension, Interval } from "@/lib/analytics/query";
import type { CubeName } from "@/lib/rollups/cubes";
import { retainedFrom, type RollupRetention } from "@/lib/rollups/rollup-retention";
import { bucketStart, ceilToBucket, nextBucketStart, type Tier } from "@/lib/rollups/time-buckets";

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
 *
 * Subtracted edges: a query may answer an edge by its whole bucket minus the bucket's part outside
 * the range (sums, and histograms' bucket counts, are taken away exactly), read from finer
 * tiers with the opposite sign, when that part is the shorter one: [09:50, 10:00) as the 09:00 hour
 * less [09:00, 09:50) costs 50 minute rows, as itself 10; [09:05, 10:00) costs 5 that way, 55 the
 * other. Averaged over where an edge falls, that halves what the edges read, and an edge older than
 * the minute tier's retention reads a few minutes of raw spans instead of up to an hour. Only
 * buckets that are complete are used so (inside retention, before the watermark, closed a minute
 * ago; minutes too only before the watermark), since the two reads must see the same calls.
 */
export type QuerySource =
  | { kind: "rollup"; cube: CubeName; tagKey: string | null }
  | { kind: "raw"; reason: string };

export interface Segment {
  tier: Tier | "raw";
  fromMs: number;
  toMs: number;
  /** −1: the segment's calls are taken away (a subtracted edge); +1 otherwise. */
  sign: 1 | -1;
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

/** The cube holding a dimension's values alone (one row per value). */
export function dimensionCube(dimension: GroupDimension): CubeName {
  return SINGLE_DIMENSION_CUBES[dimension];
}

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

export interface PlanOptions {
  /** The project's watermark (ms); +Infinity when it has none. */
  watermarkMs?: number;
  /** Edges may be answered by subtraction (the caller can take a segment's calls away: compile-query.ts). */
  canSubtract?: boolean;
  /**
   * Minutes only after the watermark (the hours not folded yet): before it, the edges finer than
   * an hour are read from raw spans. For cubes whose minutes are core+tag rows (cubes.ts), about a
   * row per call each needing its dimension row looked up, the spans of those minutes are the
   * cheaper read (BENCHMARKS.md).
   */
  minutesAfterWatermarkOnly?: boolean;
}

/** A bucket closed this long ago is complete in the minute tier (rollup lag stays under 5 s). */
const SETTLED_MS = 60_000;

export function planSegments(
  fromMs: number,
  toMs: number,
  coarsest: Tier,
  timeZone: string,
  retention: RollupRetention,
  now: number,
  { watermarkMs = Number.POSITIVE_INFINITY, canSubtract = false, minutesAfterWatermarkOnly = false }: PlanOptions = {},
): Segment[] {
  const tiers = TIERS_COARSE_TO_FINE.slice(TIERS_COARSE_TO_FINE.indexOf(coarsest));
  return merge(decompose(fromMs, toMs, tiers, { timeZone, retention, now, watermarkMs, canSubtract, minutesAfterWatermarkOnly }));
}

interface TierLimits {
  timeZone: string;
  retention: RollupRetention;
  now: number;
  watermarkMs: number;
  canSubtract: boolean;
  minutesAfterWatermarkOnly: boolean;
}

function decompose(fromMs: number, toMs: number, tiers: readonly Tier[], limits: TierLimits): Segment[] {
  if (fromMs >= toMs) return [];
  if (tiers.length === 0) return [{ tier: "raw", fromMs, toMs, sign: 1 }];
  const [tier, ...finer] = tiers as [Tier, ...Tier[]];
  const { timeZone } = limits;
  const [available, availableEnd] = availableRange(tier, limits);
  let start = Math.max(ceilToBucket(tier, fromMs, timeZone), available);
  const end = Math.min(bucketStart(tier, toMs, timeZone), availableEnd);
  // A bucket read whole to subtract from must be as complete as the finer reads taken from it:
  // closed a while ago, and before the watermark (minutes after it may still await deltas; a stalled
  // job would otherwise turn into negative counts rather than missing ones).
  const settledEnd = Math.min(availableEnd, bucketStart(tier, Math.min(limits.now - SETTLED_MS, limits.watermarkMs), timeZone));
  if (start >= end && limits.canSubtract) {
    // No whole bucket inside: the range inside one bucket may still be that bucket less the rest of
    // it ([23:12, 24:00) as the 23:00 hour less 12 minutes, when older minutes are raw spans), and a
    // range across one bucket edge has two edges of its own (below).
    const enclosing = enclosingBucketLessOutside(fromMs, toMs, tier, finer, limits, available, settledEnd);
    if (enclosing) return enclosing;
  }
  if (start > end || (start === end && !limits.canSubtract)) return decompose(fromMs, toMs, finer, limits);
  const segments: Segment[] = [];
  // The left edge [fromMs, start): itself, or its bucket less [bucket start, fromMs).
  const leftBucket = bucketStart(tier, fromMs, timeZone);
  if (limits.canSubtract && leftBucket < fromMs && leftBucket >= available && start <= settledEnd && fromMs - leftBucket < start - fromMs) {
    segments.push(...negate(decompose(leftBucket, fromMs, finer, limits)));
    start = leftBucket;
  } else {
    segments.push(...decompose(fromMs, start, finer, limits));
  }
  if (start < end) segments.push({ tier, fromMs: start, toMs: end, sign: 1 });
  // The right edge [end, toMs): itself, or its bucket less [toMs, bucket end).
  const rightEnd = end < toMs ? nextBucketStart(tier, end, timeZone) : end;
  if (limits.canSubtract && end < toMs && toMs < rightEnd && rightEnd <= settledEnd && rightEnd - toMs < toMs - end) {
    segments.push({ tier, fromMs: end, toMs: rightEnd, sign: 1 });
    segments.push(...negate(decompose(toMs, rightEnd, finer, limits)));
  } else {
    segments.push(...decompose(end, toMs, finer, limits));
  }
  return segments;
}

/** [from, to) inside one bucket, as that bucket less its parts outside, when those are the shorter read; else null. */
function enclosingBucketLessOutside(
  fromMs: number,
  toMs: number,
  tier: Tier,
  finer: readonly Tier[],
  limits: TierLimits,
  available: number,
  settledEnd: number,
): Segment[] | null {
  const bucket = bucketStart(tier, fromMs, limits.timeZone);
  const bucketEnd = nextBucketStart(tier, bucket, limits.timeZone);
  if (toMs > bucketEnd || bucket < available || bucketEnd > settledEnd) return null;
  if (fromMs - bucket + (bucketEnd - toMs) >= toMs - fromMs) return null;
  return [
    { tier, fromMs: bucket, toMs: bucketEnd, sign: 1 },
    ...negate(decompose(bucket, fromMs, finer, limits)),
    ...negate(decompose(toMs, bucketEnd, finer, limits)),
  ];
}

/**
 * [from, to): the buckets of a tier that may be read. Older than the tier's retention they may be
 * gone or incomplete; hours and days are complete only up to the watermark (the bucket holding it
 * and later ones are not); minutes, with minutesAfterWatermarkOnly, only from the watermark on.
 */
function availableRange(tier: Tier, { timeZone, retention, now, watermarkMs, minutesAfterWatermarkOnly }: TierLimits): [number, number] {
  const oldest = retainedFrom(tier, retention, now);
  let from = Number.isFinite(oldest) ? ceilToBucket(tier, oldest, timeZone) : oldest;
  if (tier === "minute" && minutesAfterWatermarkOnly) {
    from = Math.max(from, Number.isFinite(watermarkMs) ? ceilToBucket(tier, watermarkMs, timeZone) : watermarkMs);
  }
  const to = tier !== "minute" && Number.isFinite(watermarkMs) ? bucketStart(tier, watermarkMs, timeZone) : Number.POSITIVE_INFINITY;
  return [from, to];
}

function negate(segments: Segment[]): Segment[] {
  return segments.map((segment) => ({ ...segment, sign: segment.sign === 1 ? -1 : 1 }));
}

/** Joins adjacent segments of the same tier and sign (one range condition each in SQL). */
function merge(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last && last.tier === segment.tier && last.sign === segment.sign && last.toMs === segment.fromMs) last.toMs = segment.toMs;
    else merged.push({ ...segment });
  }
  return merged;
}
