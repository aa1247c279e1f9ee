import { wallTimeIn } from "@/lib/format/times";

/**
 * Time buckets of the rollup tiers, as epoch milliseconds: minutes (UTC, the same everywhere), and
 * hours and days of the project's reporting time zone. A local hour starts at minute 0 of the
 * local clock (so in UTC+05:30 at hh:30 UTC); a local day starts at local midnight and lasts 23, 24
 * or 25 hours around DST changes.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Tier = "minute" | "hour" | "day";

const offsetCache = new Map<string, number>();

/** The zone's UTC offset in ms at an instant (local wall time − UTC). */
export function utcOffsetMs(instantMs: number, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  // Offsets change on quarter hours at the finest: cache per quarter hour.
  const key = `${timeZone}|${Math.floor(instantMs / 900_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const t = wallTimeIn(new Date(instantMs), timeZone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const offset = wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export function minuteStart(instantMs: number): number {
  return Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
}

/** Start of the local hour holding the instant. */
export function hourStart(instantMs: number, timeZone: string): number {
  const wall = instantMs + utcOffsetMs(instantMs, timeZone);
  return instantMs - (((wall % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/** Start (local midnight) of the local day holding the instant. */
export function dayStart(instantMs: number, timeZone: string): number {
  const wall = instantMs + utcOffsetMs(instantMs, timeZone);
  const midnightWall = Math.floor(wall / DAY_MS) * DAY_MS;
  // The offset at midnight may differ from the offset now (a DST change earlier that day).
  let start = midnightWall - utcOffsetMs(instantMs, timeZone);
  for (let i = 0; i < 2; i++) start = midnightWall - utcOffsetMs(start, timeZone);
  return start;
}

export function bucketStart(tier: Tier, instantMs: number, timeZone: string): number {
  if (tier === "minute") return minuteStart(instantMs);
  if (tier === "hour") return hourStart(instantMs, timeZone);
  return dayStart(instantMs, timeZone);
}

/** Start of the next bucket after the one starting at `start`. */
export function nextBucketStart(tier: Tier, start: number, timeZone: string): number {
  if (tier === "minute") return start + MINUTE_MS;
  if (tier === "hour") return hourStart(start + HOUR_MS + 30 * MINUTE_MS, timeZone);
  return dayStart(start + DAY_MS + 12 * HOUR_MS, timeZone);
}

/** The first bucket boundary at or after the instant. */
export function ceilToBucket(tier: Tier, instantMs: number, timeZone: string): number {
  const start = bucketStart(tier, instantMs, timeZone);
  return start === instantMs ? start : nextBucketStart(tier, start, timeZone);
}

/** Checks a time zone name the way the rollups use it. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    wallTimeIn(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}
