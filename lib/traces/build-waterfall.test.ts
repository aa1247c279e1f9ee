import { describe, expect, it } from "vitest";
import { buildWaterfall, timeTicks } from "@/lib/traces/build-waterfall";
import type { TraceSpan } from "@/lib/traces/trace-types";

function span(spanId: string, parentSpanId: string | null, startMs: number, durationMs: number, extra: Partial<TraceSpan> = {}): TraceSpan {
  return {
    spanId,
    parentSpanId,
    name: spanId,
    serviceName: "svc",
    environment: null,
    kind: 1,
    status: "ok",
    errorType: null,
    isLlm: false,
    startMs,
    durationMs,
    ttftMs: null,
    streaming: null,
    provider: null,
    model: null,
    operation: null,
    finishReason: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    costUsd: null,
    costSource: null,
    promptName: null,
    promptVersion: null,
    hasContent: false,
    ...extra,
  };
}

const T0 = 1_795_604_400_000;

describe("buildWaterfall", () => {
  it("orders spans as a tree, children by start time, with depths", () => {
    const waterfall = buildWaterfall([
      span("c2", "root", T0 + 600, 100),
      span("root", null, T0, 1000),
      span("c1", "root", T0 + 100, 400),
      span("g1", "c1", T0 + 150, 200),
    ]);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth, row.childCount])).toEqual([
      ["root", 0, 2],
      ["c1", 1, 1],
      ["g1", 2, 0],
      ["c2", 1, 0],
    ]);
    expect(waterfall.startMs).toBe(T0);
    expect(waterfall.durationMs).toBe(1000);
  });

  it("marks where a trace crosses into another service", () => {
    const rows = buildWaterfall([
      span("root", null, T0, 100),
      span("same", "root", T0 + 1, 10),
      span("other", "root", T0 + 2, 10, { serviceName: "billing" }),
    ]).rows;
    expect(rows.map((row) => [row.span.spanId, row.isServiceBoundary])).toEqual([
      ["root", true],
      ["same", false],
      ["other", true],
    ]);
  });

  it("positions bars and the TTFT mark as percentages of the trace", () => {
    const waterfall = buildWaterfall([
      span("root", null, T0, 2000),
      span("llm", "root", T0 + 500, 1000, { isLlm: true, ttftMs: 250 }),
    ]);
    const llm = waterfall.rows[1]!;
    expect(llm.offsetMs).toBe(500);
    expect(llm.leftPercent).toBe(25);
    expect(llm.widthPercent).toBe(50);
    expect(llm.ttftPercent).toBe(37.5); // (500 + 250) / 2000
    expect(waterfall.rows[0]!.ttftPercent).toBeNull();
  });

  it("keeps a TTFT beyond the span's end on the bar", () => {
    const [row] = buildWaterfall([span("llm", null, T0, 100, { isLlm: true, ttftMs: 400 })]).rows;
    expect(row!.ttftPercent).toBe(100);
  });

  it("shows spans whose parent never arrived as roots, and survives cycles", () => {
    const waterfall = buildWaterfall([
      span("orphan", "missing", T0 + 10, 5),
      span("a", "b", T0, 10),
      span("b", "a", T0 + 1, 10),
      span("self", "self", T0 + 2, 1),
    ]);
    expect(waterfall.rows).toHaveLength(4);
    expect(new Set(waterfall.rows.map((row) => row.span.spanId))).toEqual(new Set(["orphan", "a", "b", "self"]));
    expect(waterfall.rows.find((row) => row.span.spanId === "orphan")!.isOrphan).toBe(true);
  });

  it("handles a zero-length trace and an empty one", () => {
    const [row] = buildWaterfall([span("a", null, T0, 0)]).rows;
    expect([row!.leftPercent, row!.widthPercent]).toEqual([0, 0]);
    expect(buildWaterfall([]).rows).toEqual([]);
  });

  it("sums tokens and cost over LLM calls, keeping unknown apart from 0", () => {
    const totals = buildWaterfall([
      span("root", null, T0, 100, { status: "error" }),
      span("a", "root", T0, 10, { isLlm: true, inputTokens: 100, outputTokens: 20, costUsd: 0.001 }),
      span("b", "root", T0, 10, { isLlm: true, inputTokens: 50, outputTokens: null, costUsd: null }),
    ]).totals;
    expect(totals).toEqual({
      spanCount: 3,
      llmCallCount: 2,
      errorCount: 1,
      inputTokens: 150,
      outputTokens: 20,
      costUsd: 0.001,
      hasUnknownCost: true,
    });
    expect(buildWaterfall([span("x", null, T0, 1)]).totals.inputTokens).toBeNull();
  });

  it("lays out thousands of spans", () => {
    const spans = [span("root", null, T0, 10_000)];
    for (let index = 0; index < 2000; index++) {
      spans.push(span(`s${index}`, index % 10 === 0 ? "root" : `s${index - (index % 10)}`, T0 + index * 4, 50, { isLlm: index % 3 === 0, ttftMs: 20 }));
    }
    const waterfall = buildWaterfall(spans);
    expect(waterfall.rows).toHaveLength(2001);
    expect(Math.max(...waterfall.rows.map((row) => row.depth))).toBe(2);
  });
});

describe("timeTicks", () => {
  it("places round ticks", () => {
    expect(timeTicks(1000).map((tick) => tick.offsetMs)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(timeTicks(2_345).map((tick) => tick.offsetMs)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(timeTicks(0)).toEqual([{ offsetMs: 0, percent: 0 }]);
  });
});
