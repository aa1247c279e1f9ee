import { describe, expect, it } from "vitest";
import { groupLabel, isBlank, metricNumber, OTHER_COLOR, pivotGroupsOverTime, pivotMetricsOverTime, type ResultLike } from "@/lib/dashboard/chart-data";

const result: ResultLike = {
  buckets: [1000, 2000, 3000],
  groups: [
    {
      group: "gpt-4.1",
      values: { cacheHitRate: 0.5 },
      points: [{ cacheHitRate: 0.4 }, { cacheHitRate: null }, { cacheHitRate: 0.6 }],
    },
    { group: null, values: { cacheHitRate: null }, points: [{ cacheHitRate: null }, { cacheHitRate: null }, { cacheHitRate: null }] },
    { group: "__rest__", values: { cacheHitRate: 0.1 }, points: [{ cacheHitRate: 0.1 }, { cacheHitRate: 0 }, { cacheHitRate: null }] },
  ],
};

describe("groupLabel", () => {
  it("names the rest, values past a tag's limit and groups that were not reported", () => {
    expect(groupLabel({ group: "__rest__", values: {} }, "model")).toBe("Other");
    expect(groupLabel({ group: "__other__", values: {} }, "tag")).toBe("Other values (past the tag limit)");
    expect(groupLabel({ group: null, values: {} }, "tag")).toBe("(untagged)");
    expect(groupLabel({ group: null, values: {} }, "model")).toBe("(no model reported)");
    expect(groupLabel({ group: "gpt-4o", values: {} }, "model")).toBe("gpt-4o");
  });

  it("names prompt versions by their pair", () => {
    expect(groupLabel({ group: "faq@v3", promptName: "faq", promptVersion: "v3", values: {} }, "promptVersion")).toBe("faq@v3");
    expect(groupLabel({ group: "faq@", promptName: "faq", promptVersion: null, values: {} }, "promptVersion")).toBe("faq (no version)");
    expect(groupLabel({ group: "@", promptName: null, promptVersion: null, values: {} }, "promptVersion")).toBe("(no prompt name)");
  });
});

describe("metricNumber", () => {
  it("reads numbers, picks percentiles and keeps unknowns null", () => {
    expect(metricNumber({ calls: 3 }, "calls")).toBe(3);
    expect(metricNumber({ ttftMs: { p50: 120, p90: 200, p95: 250, p99: null } }, "ttftMs", "p95")).toBe(250);
    expect(metricNumber({ ttftMs: { p50: 120, p90: 200, p95: 250, p99: null } }, "ttftMs", "p99")).toBeNull();
    expect(metricNumber({ cacheHitRate: null }, "cacheHitRate")).toBeNull();
    expect(metricNumber(undefined, "calls")).toBeNull();
  });
});

describe("pivotGroupsOverTime", () => {
  it("makes a row per bucket and a series per group with a known value, the rest grey and last", () => {
    const table = pivotGroupsOverTime(result, "cacheHitRate", (group) => groupLabel(group, "model"));
    expect(table.series).toEqual([
      { key: "s0", label: "gpt-4.1" },
      { key: "s1", label: "Other", color: OTHER_COLOR },
    ]);
    expect(table.rows).toEqual([
      { time: 1000, s0: 0.4, s1: 0.1 },
      { time: 2000, s0: null, s1: 0 },
      { time: 3000, s0: 0.6, s1: null },
    ]);
    expect(isBlank(table)).toBe(false);
  });

  it("keeps groups without values when asked, and says when the whole chart is blank", () => {
    const table = pivotGroupsOverTime({ buckets: result.buckets, groups: [result.groups[1]!] }, "cacheHitRate", () => "x", { keepEmpty: true });
    expect(table.series).toHaveLength(1);
    expect(isBlank(table)).toBe(true);
    expect(isBlank(pivotGroupsOverTime({ buckets: [1], groups: [] }, "calls", () => "x"))).toBe(true);
  });
});

describe("pivotMetricsOverTime", () => {
  it("makes a series per metric of one group", () => {
    const table = pivotMetricsOverTime(
      { buckets: [1000], groups: [{ group: null, values: {}, points: [{ cacheHitRate: 0.2, cachedCallRate: 0.5 }] }] },
      [
        { metric: "cacheHitRate", label: "Tokens" },
        { metric: "cachedCallRate", label: "Calls", color: "red" },
      ],
    );
    expect(table.series).toEqual([
      { key: "s0", label: "Tokens" },
      { key: "s1", label: "Calls", color: "red" },
    ]);
    expect(table.rows).toEqual([{ time: 1000, s0: 0.2, s1: 0.5 }]);
  });
});
