import { describe, expect, it } from "vitest";
import { CellSums, computeMetric } from "@/lib/analytics/compute-metrics";
import { bucketValue, histogramBucket, SparseHistogram } from "@/lib/analytics/histogram";

const encoded = (values: number[]) => {
  const histogram = new SparseHistogram();
  for (const value of values) histogram.add(value);
  return histogram.encode();
};
// As results show them: six significant digits.
const at = (ms: number) => Number(bucketValue(histogramBucket(ms)).toPrecision(6));

describe("CellSums", () => {
  it("merges cells' histograms only when a percentile is asked for, and each cell answers for itself", () => {
    const fast = new CellSums();
    fast.addCount("calls", 3n);
    fast.addHistogram("ttft_hist", encoded([100, 110, 120]));
    const slow = new CellSums();
    slow.addCount("calls", 2n);
    slow.addHistogram("ttft_hist", encoded([900, 1_000]));
    const total = new CellSums();
    total.merge(fast);
    total.merge(slow);

    expect(computeMetric("ttftMs", fast)).toEqual({ p50: at(110), p90: at(120), p95: at(120), p99: at(120) });
    expect(computeMetric("ttftMs", total)).toEqual({ p50: at(120), p90: at(1_000), p95: at(1_000), p99: at(1_000) });
    // The same scratch histogram served both: nothing of the total stayed behind.
    expect(computeMetric("ttftMs", slow)).toEqual({ p50: at(900), p90: at(1_000), p95: at(1_000), p99: at(1_000) });
    expect(computeMetric("durationMs", total)).toEqual({ p50: null, p90: null, p95: null, p99: null });
    expect(computeMetric("calls", total)).toBe(5);
  });

  it("gives TTFT without a cache hit as all TTFTs minus those of hits", () => {
    const sums = new CellSums();
    sums.addHistogram("ttft_hist", encoded([50, 60, 400, 500]));
    sums.addHistogram("ttft_cache_hit_hist", encoded([50, 60]));
    expect(computeMetric("ttftNoCacheHitMs", sums)).toEqual({ p50: at(400), p90: at(500), p95: at(500), p99: at(500) });
    expect(computeMetric("ttftCacheHitMs", sums)).toEqual({ p50: at(50), p90: at(60), p95: at(60), p99: at(60) });
    expect(computeMetric("ttftMs", sums)).toEqual({ p50: at(60), p90: at(500), p95: at(500), p99: at(500) });
  });
});
