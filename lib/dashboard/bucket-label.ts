import { autoInterval, type Interval } from "@/lib/analytics/query";

const LABELS: Record<Interval, string> = { "1m": "per minute", "5m": "per 5 minutes", "15m": "per 15 minutes", "1h": "per hour", "1d": "per day" };

/** What one point of an "auto" time series covers, for chart descriptions: "per 15 minutes". */
export function bucketLabel(range: { from: Date; to: Date }): string {
  return LABELS[autoInterval(range.from.getTime(), range.to.getTime())];
}
