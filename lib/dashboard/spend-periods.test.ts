import { describe, expect, it } from "vitest";
import { forecastMonthEnd, isNonEmptyRange, monthProgress, spendPeriods } from "@/lib/dashboard/spend-periods";

const iso = (date: Date) => date.toISOString();

describe("spend periods in the project's time zone", () => {
  it("cuts today, yesterday and the months at local midnight (UTC)", () => {
    const now = new Date("2026-11-25T14:30:00Z");
    const periods = spendPeriods(now, "UTC");
    expect(iso(periods.today.from)).toBe("2026-11-25T00:00:00.000Z");
    expect(iso(periods.yesterdaySameTime.from)).toBe("2026-11-24T00:00:00.000Z");
    expect(iso(periods.yesterdaySameTime.to)).toBe("2026-11-24T14:30:00.000Z");
    expect(iso(periods.monthToDate.from)).toBe("2026-11-01T00:00:00.000Z");
    expect(iso(periods.month.to)).toBe("2026-12-01T00:00:00.000Z");
    expect(iso(periods.previousMonth.from)).toBe("2026-10-01T00:00:00.000Z");
    expect(iso(periods.previousMonth.to)).toBe("2026-11-01T00:00:00.000Z");
    expect(iso(periods.previousMonthToDate.to)).toBe("2026-10-25T14:30:00.000Z");
  });

  it("follows the zone's calendar, not UTC's", () => {
    // 23:30 UTC on Nov 30 is already Dec 1 in Paris.
    const periods = spendPeriods(new Date("2026-11-30T23:30:00Z"), "Europe/Paris");
    expect(iso(periods.today.from)).toBe("2026-11-30T23:00:00.000Z");
    expect(iso(periods.monthToDate.from)).toBe("2026-11-30T23:00:00.000Z");
    expect(iso(periods.month.to)).toBe("2026-12-31T23:00:00.000Z");
    expect(iso(periods.previousMonth.from)).toBe("2026-10-31T23:00:00.000Z");
  });

  it("rolls over the year and clamps the previous month to its own end", () => {
    const january = spendPeriods(new Date("2027-01-10T12:00:00Z"), "UTC");
    expect(iso(january.previousMonth.from)).toBe("2026-12-01T00:00:00.000Z");
    expect(iso(january.yesterdaySameTime.from)).toBe("2027-01-09T00:00:00.000Z");
    // March 31: the same elapsed time from Feb 1 runs past February; it stops at March 1.
    const march = spendPeriods(new Date("2027-03-31T12:00:00Z"), "UTC");
    expect(iso(march.previousMonthToDate.to)).toBe("2027-03-01T00:00:00.000Z");
  });

  it("handles a day with a DST change (23 hours)", () => {
    const periods = spendPeriods(new Date("2026-03-29T20:00:00Z"), "Europe/Paris");
    expect(iso(periods.today.from)).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(periods.yesterdaySameTime.from)).toBe("2026-03-27T23:00:00.000Z");
  });

  it("says when a period has no time in it yet", () => {
    const midnight = spendPeriods(new Date("2026-11-01T00:00:00Z"), "UTC");
    expect(isNonEmptyRange(midnight.today)).toBe(false);
    expect(isNonEmptyRange(midnight.previousMonth)).toBe(true);
  });
});

describe("the month-end forecast", () => {
  const month = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") };

  it("extrapolates month-to-date spend linearly by elapsed time", () => {
    // 10 of 30 days elapsed, $100 spent → $300.
    expect(forecastMonthEnd(100, month, new Date("2026-11-11T00:00:00Z"))).toBeCloseTo(300, 9);
    expect(forecastMonthEnd(0, month, new Date("2026-11-11T00:00:00Z"))).toBe(0);
  });

  it("is unknown with unknown spend or before an hour of the month has passed", () => {
    expect(forecastMonthEnd(null, month, new Date("2026-11-11T00:00:00Z"))).toBeNull();
    expect(forecastMonthEnd(5, month, new Date("2026-11-01T00:59:00Z"))).toBeNull();
    expect(forecastMonthEnd(5, month, new Date("2026-11-01T01:00:00Z"))).toBeCloseTo(5 * 720, 6);
  });

  it("describes the progress through the month", () => {
    expect(monthProgress(month, new Date("2026-11-13T12:00:00Z"))).toEqual({ elapsedDays: 12.5, monthDays: 30, elapsedShare: 12.5 / 30 });
  });
});
