import { describe, expect, it } from "vitest";
import {
  exactPercentile,
  logAxisTicks,
  OTHER_MODELS,
  slowestCalls,
  ttftByInputSize,
  ttftScatter,
  waitMs,
  type CallSample,
} from "@/lib/dashboard/recent-call-latency";

let sequence = 0;
function sample(overrides: Partial<CallSample>): CallSample {
  sequence += 1;
  return {
    traceId: `t${sequence}`,
    spanId: `s${sequence}`,
    startTime: new Date(Date.UTC(2026, 10, 25, 12, 0, sequence)).toISOString(),
    serviceName: "chat",
    model: "gpt-4o",
    promptName: null,
    promptVersion: null,
    ttftMs: 100,
    durationMs: 1000,
    inputTokens: 500,
    streaming: true,
    isError: false,
    ...overrides,
  };
}

describe("exact rank percentiles", () => {
  it("takes the smallest value with at least p of the values at or below it", () => {
    const values = Array.from({ length: 20 }, (_, index) => (index + 1) * 10); // 10 … 200
    expect(exactPercentile(values, 0.5)).toBe(100);
    expect(exactPercentile(values, 0.95)).toBe(190);
    expect(exactPercentile(values, 0.99)).toBe(200);
    expect(exactPercentile([7], 0.5)).toBe(7);
    expect(exactPercentile([], 0.5)).toBeNull();
    expect(exactPercentile([3, 1, 2], 0.5)).toBe(2); // unsorted input
  });
});

describe("TTFT against input size", () => {
  it("plots only calls with both facts, one series per model, the tail as other models", () => {
    const calls = [
      ...["a", "a", "a", "b", "b", "c", "d", "e", "f", "g"].map((model) => sample({ model })),
      sample({ model: "a", ttftMs: null }),
      sample({ model: "a", inputTokens: null }),
      sample({ model: "a", inputTokens: 0 }),
    ];
    const { series, plotted } = ttftScatter(calls, 3);
    expect(plotted).toBe(10);
    expect(series.map((item) => [item.label, item.points.length])).toEqual([
      ["a", 3],
      ["b", 2],
      ["c", 1],
      [OTHER_MODELS, 4],
    ]);
  });

  it("does not make an 'other' series of a single model", () => {
    const { series } = ttftScatter(["a", "b", "c"].map((model) => sample({ model })), 2);
    expect(series.map((item) => item.label)).toEqual(["a", "b", "c"]);
  });

  it("gives TTFT percentiles per input-size band, leaving empty bands out", () => {
    const calls = [
      ...[100, 200, 300, 400].map((ttftMs) => sample({ ttftMs, inputTokens: 800 })),
      sample({ ttftMs: 2000, inputTokens: 20_000 }),
      sample({ ttftMs: null, inputTokens: 20_000 }),
      sample({ ttftMs: 5000, inputTokens: 64_000 }),
    ];
    expect(ttftByInputSize(calls)).toEqual([
      { label: "under 1K", calls: 4, ttftP50: 200, ttftP95: 400 },
      { label: "16K–64K", calls: 1, ttftP50: 2000, ttftP95: 2000 },
      { label: "64K and more", calls: 1, ttftP50: 5000, ttftP95: 5000 },
    ]);
  });

  it("ticks a log axis at powers of ten", () => {
    expect(logAxisTicks(150, 90_000)).toEqual([100, 1_000, 10_000, 100_000]);
    expect(logAxisTicks(200, 5_000)).toEqual([100, 300, 1_000, 3_000, 10_000]);
    expect(logAxisTicks(500, 500)).toEqual([100, 300, 1_000]);
  });
});

describe("the slowest calls", () => {
  it("ranks by what the user waited for: TTFT, or the whole duration when not streamed", () => {
    const streamedSlow = sample({ ttftMs: 900, durationMs: 3000 });
    const notStreamed = sample({ ttftMs: null, durationMs: 1500, streaming: false });
    const fast = sample({ ttftMs: 100, durationMs: 9000 });
    expect(waitMs(notStreamed)).toBe(1500);
    expect(slowestCalls([fast, streamedSlow, notStreamed], 2)).toEqual([notStreamed, streamedSlow]);
  });

  it("breaks ties newest first", () => {
    const older = sample({ ttftMs: 500 });
    const newer = sample({ ttftMs: 500 });
    expect(slowestCalls([older, newer], 2)).toEqual([newer, older]);
  });
});
