import type { Percentiles } from "@/lib/analytics/query";
import { metricNumber, type GroupValues, type ResultLike, type SeriesTable } from "@/lib/dashboard/chart-data";

/**
 * Streamed against non-streamed calls, by what the user waits for before seeing anything: the
 * first token of a streamed call (TTFT), the whole answer of one that was not streamed (duration).
 * From a result grouped by `streaming` ("true" | "false" | null: the instrumentation did not say).
 */
export interface StreamingSide {
  calls: number;
  /** What the user waits for: TTFT (streamed) or duration (not streamed). */
  waitMs: { p50: number | null; p95: number | null };
  /** The whole answer (the same as the wait when not streamed). */
  durationMs: { p50: number | null; p95: number | null };
}

export interface StreamingSplit {
  streamed: StreamingSide;
  notStreamed: StreamingSide;
  /** Calls whose instrumentation did not say whether they streamed. */
  unknownCalls: number;
  /** The wait over time, a series per side, at the chosen percentile. */
  waitOverTime: SeriesTable;
}

const pair = (values: GroupValues["values"] | undefined, metric: "ttftMs" | "durationMs") => ({
  p50: metricNumber(values, metric, "p50"),
  p95: metricNumber(values, metric, "p95"),
});

function side(group: GroupValues | undefined, waitMetric: "ttftMs" | "durationMs"): StreamingSide {
  return {
    calls: metricNumber(group?.values, "calls") ?? 0,
    waitMs: pair(group?.values, waitMetric),
    durationMs: pair(group?.values, "durationMs"),
  };
}

export function splitByStreaming(result: ResultLike, percentile: keyof Percentiles): StreamingSplit {
  const find = (value: string | null) => result.groups.find((group) => group.group === value);
  const streamed = find("true");
  const notStreamed = find("false");
  const buckets = result.buckets ?? [];
  const series = [
    { key: "s0", label: `Streamed: TTFT ${percentile}` },
    { key: "s1", label: `Not streamed: duration ${percentile}` },
  ];
  const rows = buckets.map((time, bucket) => ({
    time,
    s0: metricNumber(streamed?.points?.[bucket], "ttftMs", percentile),
    s1: metricNumber(notStreamed?.points?.[bucket], "durationMs", percentile),
  }));
  return {
    streamed: side(streamed, "ttftMs"),
    notStreamed: side(notStreamed, "durationMs"),
    unknownCalls: metricNumber(find(null)?.values, "calls") ?? 0,
    waitOverTime: { rows, series },
  };
}
