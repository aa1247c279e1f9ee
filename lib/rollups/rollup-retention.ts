import { DAY_MS, type Tier } from "@/lib/rollups/time-buckets";

/**
 * How long each rollup tier is kept, in days (null = for ever), for the whole installation:
 * SOUS_ROLLUP_MINUTE_DAYS (default 7), SOUS_ROLLUP_HOUR_DAYS (default 90), SOUS_ROLLUP_DAY_DAYS
 * (default: kept for ever). Raw spans follow each project's retentionDays setting.
 */
export type RollupRetention = Record<Tier, number | null>;

const DEFAULTS: RollupRetention = { minute: 7, hour: 90, day: null };
const VARIABLES: Record<Tier, string> = {
  minute: "SOUS_ROLLUP_MINUTE_DAYS",
  hour: "SOUS_ROLLUP_HOUR_DAYS",
  day: "SOUS_ROLLUP_DAY_DAYS",
};

export function rollupRetention(env: Record<string, string | undefined> = process.env): RollupRetention {
  const retention = { ...DEFAULTS };
  for (const tier of Object.keys(VARIABLES) as Tier[]) {
    const raw = env[VARIABLES[tier]]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      throw new Error(`${VARIABLES[tier]}="${raw}" is invalid: a whole number of days ≥ 1 (unset keeps the default).`);
    }
    retention[tier] = Number(raw);
  }
  if (retention.minute !== null && retention.hour !== null && retention.hour < retention.minute) {
    throw new Error("SOUS_ROLLUP_HOUR_DAYS must be at least SOUS_ROLLUP_MINUTE_DAYS: queries fall back from hours to minutes.");
  }
  return retention;
}

/**
 * The oldest bucket start a tier holds at `now` (−Infinity: kept for ever). The minute tier is
 * dropped a UTC day partition at a time, once the whole day is past its retention
 * (apply-retention.ts), so it holds every minute from the UTC day of now − retention on: up to a day
 * more than the retention, which writers keep filling and queries use (a 7-day range ending hours
 * ago starts before now − 7 days, and would otherwise read its first minutes from raw spans).
 */
export function retainedFrom(tier: Tier, retention: RollupRetention, now: number): number {
  const days = retention[tier];
  if (days === null) return Number.NEGATIVE_INFINITY;
  const cutoff = now - days * DAY_MS;
  return tier === "minute" ? Math.floor(cutoff / DAY_MS) * DAY_MS : cutoff;
}
