import { describe, expect, it } from "vitest";
import { splitByStreaming } from "@/lib/dashboard/streaming-split";
import type { ResultLike } from "@/lib/dashboard/chart-data";

const pct = (p50: number | null, p95: number | null) => ({ p50, p90: null, p95, p99: null });

describe("streamed vs not streamed", () => {
  const result: ResultLike = {
    buckets: [0, 60_000],
    groups: [
      {
        group: "true",
        values: { calls: 30, ttftMs: pct(200, 450), durationMs: pct(2000, 4000) },
        points: [
          { calls: 10, ttftMs: pct(180, 400), durationMs: pct(1900, 3000) },
          { calls: 20, ttftMs: pct(210, 460), durationMs: pct(2100, 4100) },
        ],
      },
      {
        group: "false",
        values: { calls: 12, ttftMs: pct(null, null), durationMs: pct(1500, 2600) },
        points: [
          { calls: 12, ttftMs: pct(null, null), durationMs: pct(1500, 2600) },
          { calls: 0, ttftMs: pct(null, null), durationMs: pct(null, null) },
        ],
      },
      { group: null, values: { calls: 5, ttftMs: pct(null, null), durationMs: pct(800, 900) } },
    ],
  };

  it("sets the TTFT of streamed calls against the whole duration of the others", () => {
    const split = splitByStreaming(result, "p95");
    expect(split.streamed).toEqual({ calls: 30, waitMs: { p50: 200, p95: 450 }, durationMs: { p50: 2000, p95: 4000 } });
    expect(split.notStreamed).toEqual({ calls: 12, waitMs: { p50: 1500, p95: 2600 }, durationMs: { p50: 1500, p95: 2600 } });
    expect(split.unknownCalls).toBe(5);
    expect(split.waitOverTime.rows).toEqual([
      { time: 0, s0: 400, s1: 2600 },
      { time: 60_000, s0: 460, s1: null },
    ]);
    expect(split.waitOverTime.series.map((series) => series.label)).toEqual(["Streamed: TTFT p95", "Not streamed: duration p95"]);
  });

  it("has empty sides when a kind of call is missing", () => {
    const split = splitByStreaming({ buckets: [0], groups: [] }, "p50");
    expect(split.streamed.calls).toBe(0);
    expect(split.notStreamed.waitMs).toEqual({ p50: null, p95: null });
    expect(split.waitOverTime.rows).toEqual([{ time: 0, s0: null, s1: null }]);
  });
});
