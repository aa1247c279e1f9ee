import { fromZonedInputValue, wallTimeIn } from "@/lib/format/times";
import type { TimeRange } from "@/lib/dashboard/view-params";

/**
 * The calendar periods of the Overview's spend figures, in the project's reporting time zone
 * (DESIGN.md: the zone decides days, months and "today"), and the month-end forecast.
 *
 * Each figure is compared with the same stretch of the period before: today so far with
 * yesterday up to the same time of day, the month so far with the previous month up to the same
 * elapsed time, the forecast with the previous month's whole spend.
 */
export interface SpendPeriods {
  now: Date;
  /** Local midnight today → now. */
  today: TimeRange;
  /** Yesterday from local midnight, as long as `today` (clamped to yesterday). */
  yesterdaySameTime: TimeRange;
  /** The 1st of this month, local midnight → now. */
  monthToDate: TimeRange;
  /** The whole current month (for the forecast). */
  month: TimeRange;
  /** The previous month from its 1st, as long as `monthToDate` (clamped to that month). */
  previousMonthToDate: TimeRange;
  /** The whole previous month. */
  previousMonth: TimeRange;
}

const pad = (value: number) => String(value).padStart(2, "0");

/** Local midnight of a calendar date (month may be 0 or 13: it rolls over). */
function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const normalized = new Date(Date.UTC(year, month - 1, day));
  const text = `${normalized.getUTCFullYear()}-${pad(normalized.getUTCMonth() + 1)}-${pad(normalized.getUTCDate())}T00:00`;
  return fromZonedInputValue(text, timeZone)!;
}

const clampedRange = (from: Date, lengthMs: number, limit: Date): TimeRange => ({
  from,
  to: new Date(Math.min(from.getTime() + lengthMs, limit.getTime())),
});

export function spendPeriods(now: Date, timeZone: string): SpendPeriods {
  const wall = wallTimeIn(now, timeZone);
  const todayStart = localMidnight(wall.year, wall.month, wall.day, timeZone);
  const yesterdayStart = localMidnight(wall.year, wall.month, wall.day - 1, timeZone);
  const monthStart = localMidnight(wall.year, wall.month, 1, timeZone);
  const nextMonthStart = localMidnight(wall.year, wall.month + 1, 1, timeZone);
  const previousMonthStart = localMidnight(wall.year, wall.month - 1, 1, timeZone);
  return {
    now,
    today: { from: todayStart, to: now },
    yesterdaySameTime: clampedRange(yesterdayStart, now.getTime() - todayStart.getTime(), todayStart),
    monthToDate: { from: monthStart, to: now },
    month: { from: monthStart, to: nextMonthStart },
    previousMonthToDate: clampedRange(previousMonthStart, now.getTime() - monthStart.getTime(), monthStart),
    previousMonth: { from: previousMonthStart, to: monthStart },
  };
}

/** Whether a range holds any time (a query needs `from` < `to`: at midnight "today" is empty). */
export function isNonEmptyRange(range: TimeRange): boolean {
  return range.from.getTime() < range.to.getTime();
}

/**
 * The month-end forecast: month-to-date spend extrapolated linearly by elapsed time,
 * `spent × month length ÷ elapsed`. Null when the spend is unknown or less than an hour of the
 * month has passed (one hour's spend times 700 says nothing about a month).
 */
export const MIN_FORECAST_ELAPSED_MS = 3_600_000;

export function forecastMonthEnd(monthToDateUsd: number | null, month: TimeRange, now: Date): number | null {
  if (monthToDateUsd === null) return null;
  const elapsed = now.getTime() - month.from.getTime();
  if (elapsed < MIN_FORECAST_ELAPSED_MS) return null;
  const length = month.to.getTime() - month.from.getTime();
  return (monthToDateUsd * length) / Math.min(elapsed, length);
}

/** How far into the month the forecast stands ("day 12.5 of 30", 41.7 %), for its explanation. */
export function monthProgress(month: TimeRange, now: Date): { elapsedDays: number; monthDays: number; elapsedShare: number } {
  const DAY = 86_400_000;
  const length = month.to.getTime() - month.from.getTime();
  const elapsed = Math.min(Math.max(now.getTime() - month.from.getTime(), 0), length);
  return { elapsedDays: elapsed / DAY, monthDays: Math.round(length / DAY), elapsedShare: elapsed / length };
}
