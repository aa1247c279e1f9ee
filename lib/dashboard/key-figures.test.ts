import { describe, expect, it } from "vitest";
import { budgetStatus, changeBetween, cumulative, keyFigure, totalOf, trendInterval, trendOf } from "@/lib/dashboard/key-figures";
import type { ResultLike } from "@/lib/dashboard/chart-data";

const ttft = (p50: number | null, p95: number | null) => ({ p50, p90: null, p95, p99: null });

const current: ResultLike = {
  buckets: [0, 60_000, 120_000],
  groups: [
    {
      group: null,
      values: { calls: 120, errorRate: 0.05, ttftMs: ttft(250, 900) },
      points: [
        { calls: 50, errorRate: 0.02, ttftMs: ttft(200, 700) },
        { calls: 0, errorRate: null, ttftMs: ttft(null, null) },
        { calls: 70, errorRate: 0.0714, ttftMs: ttft(300, 1000) },
      ],
    },
  ],
};
const previous: ResultLike = { buckets: null, groups: [{ group: null, values: { calls: 100, errorRate: 0.02, ttftMs: ttft(200, 1000) } }] };
const empty: ResultLike = { buckets: [0, 60_000], groups: [] };

describe("key figures", () => {
  it("reads totals and trends, a percentile by name", () => {
    expect(totalOf(current, "calls")).toBe(120);
    expect(totalOf(current, "ttftMs", "p95")).toBe(900);
    expect(trendOf(current, "ttftMs", "p50")).toEqual([200, null, 300]);
  });

  it("treats an empty result as no calls: 0 for amounts, unknown for the rest", () => {
    expect(totalOf(empty, "calls")).toBe(0);
    expect(totalOf(empty, "costUsd")).toBe(0);
    expect(totalOf(empty, "errorRate")).toBeNull();
    expect(trendOf(empty, "calls")).toEqual([0, 0]);
    expect(trendOf(empty, "ttftMs", "p50")).toEqual([null, null]);
  });

  it("compares amounts relatively and rates in points", () => {
    const calls = keyFigure(current, previous, "calls");
    expect(calls.change).toBeCloseTo(0.2, 9);
    expect(calls.changeKind).toBe("relative");
    const errors = keyFigure(current, previous, "errorRate");
    expect(errors.changeKind).toBe("points");
    expect(errors.change).toBeCloseTo(0.03, 9);
    const p95 = keyFigure(current, previous, "ttftMs", "p95");
    expect(p95.change).toBeCloseTo(-0.1, 9);
  });

  it("has no change without a previous value", () => {
    expect(keyFigure(current, empty, "errorRate").change).toBeNull();
    expect(keyFigure(current, empty, "calls").change).toBeNull(); // from 0: no relative change
    expect(changeBetween(null, 0.1, "points")).toBeNull();
  });

  it("states a percentile against the budget", () => {
    expect(budgetStatus(250, 300)).toEqual({ isWithin: true, overBy: null });
    expect(budgetStatus(300, 300)).toEqual({ isWithin: true, overBy: null });
    expect(budgetStatus(450, 300)).toEqual({ isWithin: false, overBy: 0.5 });
    expect(budgetStatus(null, 300)).toEqual({ isWithin: null, overBy: null });
  });

  it("adds a trend up, leaving the leading unknowns unknown", () => {
    expect(cumulative([null, 1, null, 2.5])).toEqual([null, 1, 1, 3.5]);
  });
});

describe("the sparkline's bucket size", () => {
  const range = (hours: number) => ({ from: new Date(0), to: new Date(hours * 3_600_000) });
  it("is the finest with at most 48 points", () => {
    expect(trendInterval(range(0.25))).toBe("1m");
    expect(trendInterval(range(1))).toBe("5m");
    expect(trendInterval(range(6))).toBe("15m");
    expect(trendInterval(range(24))).toBe("1h");
    expect(trendInterval(range(48))).toBe("1h");
    expect(trendInterval(range(7 * 24))).toBe("1d");
    expect(trendInterval(range(365 * 24))).toBe("1d");
  });
});
