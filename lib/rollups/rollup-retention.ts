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

/** Days the minute tier is kept past its retention (see retainedFrom). */
const MINUTE_MARGIN_DAYS = 1;

/**
 * The oldest bucket start a tier holds at `now` (−Infinity: kept for ever); retention drops what is
 * older (apply-retention.ts). The minute tier keeps a margin day past its retention and is dropped a
 * UTC day partition at a time: it holds every minute from the UTC day of now − retention − 1 day on,
 * one to two days more than the retention, which writers keep filling and queries use. A range as
 * long as the retention (the dashboards' 7 days) that ends any time in the last day then starts
 * inside the tier and reads its first minutes from it, not up to an hour of raw spans (an edge's
 * percentiles cannot be had by subtraction: plan-query.ts).
 */
export function retainedFrom(tier: Tier, retention: RollupRetention, now: number): number {
  const days = retention[tier];
  if (days === null) return Number.NEGATIVE_INFINITY;
  if (tier !== "minute") return now - days * DAY_MS;
  return Math.floor((now - (days + MINUTE_MARGIN_DAYS) * DAY_MS) / DAY_MS) * DAY_MS;
}
