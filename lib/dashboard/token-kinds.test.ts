import { describe, expect, it } from "vitest";
import { breakDownTokens, tokensByKind } from "@/lib/dashboard/token-kinds";

describe("tokensByKind", () => {
  it("splits input (which includes cache reads and writes) into fresh, read and written", () => {
    expect(tokensByKind({ inputTokens: 10_000, cacheReadTokens: 6_000, cacheWriteTokens: 1_000, outputTokens: 500 })).toEqual({
      uncachedInput: 3_000,
      cacheRead: 6_000,
      cacheWrite: 1_000,
      output: 500,
    });
  });

  it("counts input of calls that do not report cache use as fresh, and keeps unknowns null", () => {
    expect(tokensByKind({ inputTokens: 800, cacheReadTokens: null, cacheWriteTokens: null, outputTokens: 50 })).toEqual({
      uncachedInput: 800,
      cacheRead: null,
      cacheWrite: null,
      output: 50,
    });
    expect(tokensByKind({ inputTokens: null, outputTokens: null })).toEqual({ uncachedInput: null, cacheRead: null, cacheWrite: null, output: null });
  });
});

describe("breakDownTokens", () => {
  it("makes a row per bucket with a key per kind", () => {
    const breakdown = breakDownTokens({
      buckets: [0, 60_000],
      groups: [
        {
          group: null,
          values: { inputTokens: 300, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 30 },
          points: [
            { inputTokens: 300, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 30 },
            { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0 },
          ],
        },
      ],
    });
    expect(breakdown.totals).toEqual({ uncachedInput: 200, cacheRead: 100, cacheWrite: 0, output: 30 });
    expect(breakdown.overTime.rows[0]).toEqual({ time: 0, uncachedInput: 200, cacheRead: 100, cacheWrite: 0, output: 30 });
    expect(breakdown.overTime.series.map((series) => series.key)).toEqual(["uncachedInput", "cacheRead", "cacheWrite", "output"]);
  });
});
