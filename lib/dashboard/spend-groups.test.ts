import { describe, expect, it } from "vitest";
import { groupLabel, OTHER_COLOR, REST_GROUP, type GroupValues } from "@/lib/dashboard/chart-data";
import { breakDownSpend } from "@/lib/dashboard/spend-groups";

function group(name: string | null, points: [cost: number | null, calls: number, unknown: number][]): GroupValues {
  const nano = points.reduce((sum, [cost]) => sum + Math.round((cost ?? 0) * 1e9), 0);
  const calls = points.reduce((sum, [, count]) => sum + count, 0);
  const unknown = points.reduce((sum, [, , count]) => sum + count, 0);
  const isAllUnknown = calls > 0 && unknown === calls;
  return {
    group: name,
    values: { costUsd: isAllUnknown ? null : nano / 1e9, calls, unknownCostCalls: unknown },
    points: points.map(([costUsd, count, unknownCount]) => ({ costUsd, calls: count, unknownCostCalls: unknownCount })),
  };
}

const label = (item: GroupValues) => groupLabel(item, "model");

describe("breakDownSpend", () => {
  it("ranks groups by spend, not calls, and adds the rest up as Other to the cent", () => {
    const result = {
      buckets: [0, 60_000],
      groups: [
        group("cheap", [[0.1, 100, 0], [0.2, 200, 0]]),
        group("pricey", [[3, 2, 0], [0, 0, 0]]),
        group("mid", [[0.7, 10, 0], [0.1, 5, 0]]),
        group("tiny", [[0.01, 1, 0], [0, 0, 0]]),
      ],
    };
    const breakdown = breakDownSpend(result, 2, label);
    expect(breakdown.groups.map((item) => item.label)).toEqual(["pricey", "mid", "Other"]);
    const other = breakdown.groups[2]!;
    expect(other).toMatchObject({ isOther: true, costUsd: 0.31, calls: 301, unknownCostCalls: 0 });
    expect(other.costPerCallUsd).toBeCloseTo(0.31 / 301, 12);
    expect(breakdown.totalCostUsd).toBe(4.11);
    expect(breakdown.totalCalls).toBe(318);
    expect(breakdown.groups.reduce((sum, item) => sum + (item.share ?? 0), 0)).toBeCloseTo(1, 12);
    expect(breakdown.spendOverTime.series.at(-1)).toEqual({ key: "s2", label: "Other", color: OTHER_COLOR });
    expect(breakdown.spendOverTime.rows).toEqual([
      { time: 0, s0: 3, s1: 0.7, s2: 0.11 },
      { time: 60_000, s0: 0, s1: 0.1, s2: 0.2 },
    ]);
    // Pricey made no calls in the second bucket: no cost per call there, not $0.
    expect(breakdown.costPerCallOverTime.rows[1]!.s0).toBeNull();
    expect(breakdown.costPerCallOverTime.rows[0]!.s0).toBe(1.5);
  });

  it("does not make an Other of a single leftover group", () => {
    const result = { buckets: [0], groups: [group("a", [[1, 1, 0]]), group("b", [[2, 1, 0]]), group("c", [[0.5, 1, 0]])] };
    expect(breakDownSpend(result, 2, label).groups.map((item) => item.label)).toEqual(["b", "a", "c"]);
  });

  it("puts the query's rest (limitGroups) last even when it spends most, folding any leftover group into it", () => {
    const result = {
      buckets: [0],
      groups: [group("a", [[2, 4, 0]]), group("b", [[1, 3, 0]]), group("c", [[0.5, 1, 0]]), group(REST_GROUP, [[9, 40, 0]])],
    };
    const breakdown = breakDownSpend(result, 2, label);
    expect(breakdown.groups.map((item) => item.label)).toEqual(["a", "b", "Other"]);
    expect(breakdown.groups[2]).toMatchObject({ isOther: true, costUsd: 9.5, calls: 41 });
    expect(breakDownSpend({ ...result, groups: result.groups.slice(1) }, 2, label).groups.map((item) => item.label)).toEqual(["b", "c", "Other"]);
  });

  it("keeps unknown spend unknown: no price is not $0", () => {
    const result = {
      buckets: [0, 60_000],
      groups: [group("priced", [[0.5, 4, 1], [null, 2, 2]]), group("unpriced", [[null, 3, 3], [0, 0, 0]])],
    };
    const breakdown = breakDownSpend(result, 8, label);
    const [priced, unpriced] = breakdown.groups;
    expect(priced).toMatchObject({ costUsd: 0.5, calls: 6, unknownCostCalls: 3, share: 1 });
    // Known spend over the calls that have a price.
    expect(priced!.costPerCallUsd).toBeCloseTo(0.5 / 3, 12);
    expect(unpriced).toMatchObject({ costUsd: null, costPerCallUsd: null, share: null, unknownCostCalls: 3 });
    expect(breakdown.totalUnknownCostCalls).toBe(6);
    // Only groups with some known spend are charted; a bucket of unpriced calls is a gap.
    expect(breakdown.spendOverTime.series.map((item) => item.label)).toEqual(["priced"]);
    expect(breakdown.spendOverTime.rows.map((row) => row.s0)).toEqual([0.5, null]);
  });

  it("has no total when nothing has a price", () => {
    const breakdown = breakDownSpend({ buckets: [], groups: [group("x", [[null, 2, 2]])] }, 8, label);
    expect(breakdown.totalCostUsd).toBeNull();
    expect(breakdown.spendOverTime.series).toEqual([]);
  });
});
