import { describe, expect, it } from "vitest";
import {
  bucketValue,
  DenseHistogram,
  HISTOGRAM_BOUNDARIES,
  HISTOGRAM_MAX_MS,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_TOP_BUCKET,
  histogramBucket,
  SparseHistogram,
} from "./histogram";

/** The exact rank quantile, as PostgreSQL's percentile_disc computes it. */
function percentileDisc(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

describe("histogram buckets", () => {
  it("cover 0.1 ms to 24 h with a zero bucket, in half-open buckets", () => {
    expect(HISTOGRAM_BOUNDARIES[0]).toBe(HISTOGRAM_MIN_MS);
    expect(HISTOGRAM_BOUNDARIES[HISTOGRAM_TOP_BUCKET]!).toBeGreaterThanOrEqual(HISTOGRAM_MAX_MS);
    expect(HISTOGRAM_TOP_BUCKET).toBeLessThan(65_536); // stored as uint16
    expect(histogramBucket(0)).toBe(0);
    expect(histogramBucket(-3)).toBe(0);
    expect(histogramBucket(HISTOGRAM_BOUNDARIES[10]!)).toBe(11); // an edge opens the next bucket
    expect(histogramBucket(HISTOGRAM_BOUNDARIES[10]! * (1 - 1e-15))).toBe(10);
    expect(histogramBucket(1e-9)).toBe(1);
    expect(histogramBucket(1e15)).toBe(HISTOGRAM_TOP_BUCKET);
    expect(() => histogramBucket(Number.NaN)).toThrow(RangeError);
  });

  it("report every value from 0.1 ms to 24 h within 1 % (relative)", () => {
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const value = HISTOGRAM_MIN_MS * Math.exp(Math.random() * Math.log(HISTOGRAM_MAX_MS / HISTOGRAM_MIN_MS));
      worst = Math.max(worst, Math.abs(bucketValue(histogramBucket(value)) - value) / value);
    }
    for (const edge of HISTOGRAM_BOUNDARIES.slice(0, -1)) {
      worst = Math.max(worst, Math.abs(bucketValue(histogramBucket(edge)) - edge) / edge);
    }
    expect(worst).toBeLessThan(0.01);
    expect(worst).toBeGreaterThan(0.008); // the bound is tight: a coarser layout would show here
  });
});

describe("histograms", () => {
  it("encode, concatenate and merge without losing a count", () => {
    const a = new SparseHistogram();
    const b = new SparseHistogram();
    for (const value of [0, 1, 1.001, 250, 250, 90_000_000]) a.add(value);
    for (const value of [250, 3]) b.add(value);
    const merged = new DenseHistogram();
    merged.addEncoded(Buffer.concat([a.encode(), b.encode()]));
    expect(merged.total).toBe(8);
    expect(merged.counts[histogramBucket(250)]).toBe(3);
    expect(merged.counts[0]).toBe(1);
    const sparse = new SparseHistogram();
    sparse.addEncoded(Buffer.concat([a.encode(), b.encode()]));
    expect(sparse.encode()).toEqual((() => { const c = new SparseHistogram(); c.merge(a); c.merge(b); return c.encode(); })());
  });

  it("store each count in the narrowest entry, and read every width, the 6-byte one of older rows too", () => {
    const histogram = new SparseHistogram(new Map([[0, 1], [7, 255], [8, 256], [9, 65_535], [10, 65_536], [HISTOGRAM_TOP_BUCKET, 0xffff_ffff]]));
    const bytes = histogram.encode();
    expect(bytes.toString("hex")).toBe(
      ["c000", "4007ff", "80080100", "8009ffff", "000a00010000", (HISTOGRAM_TOP_BUCKET).toString(16).padStart(4, "0") + "ffffffff"].join(""),
    );
    const olderRow = Buffer.from("0007000000ff" + "0008000003e8", "hex"); // 255 in bucket 7, 1000 in bucket 8
    const rawSpan = Buffer.from((0xc000 | 7).toString(16), "hex"); // histogramOneCountSql's entry: 1 in bucket 7
    const dense = new DenseHistogram();
    dense.addEncoded(Buffer.concat([bytes, olderRow, rawSpan]));
    const sparse = new SparseHistogram();
    sparse.addEncoded(Buffer.concat([bytes, olderRow, rawSpan]));
    for (const [bucket, count] of [[0, 1], [7, 511], [8, 1256], [9, 65_535], [10, 65_536], [HISTOGRAM_TOP_BUCKET, 0xffff_ffff]]) {
      expect(dense.counts[bucket!]).toBe(count);
      expect(sparse.counts.get(bucket!)).toBe(count);
    }
    expect(dense.total).toBe(1 + 511 + 1256 + 65_535 + 65_536 + 0xffff_ffff);
    expect(() => new SparseHistogram(new Map([[3, 2 ** 32]])).encode()).toThrow(/not a uint32/);
  });

  it("reject a cut entry or a bucket past the top, in either reader", () => {
    const cut = Buffer.from("800801", "hex"); // a 4-byte entry missing its last byte
    const pastTop = Buffer.alloc(2);
    pastTop.writeUInt16BE(0xc000 | (HISTOGRAM_TOP_BUCKET + 1));
    for (const bad of [cut, pastTop, Buffer.alloc(5)]) {
      expect(() => new DenseHistogram().addEncoded(bad)).toThrow(/cut or invalid entry/);
      expect(() => new SparseHistogram().addEncoded(bad)).toThrow(/cut or invalid entry/);
    }
  });

  it("give percentile_disc within 1 % on log-normal, bimodal and heavy-tailed data", () => {
    let state = 42;
    const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / (2 ** 31 + 1);
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const distributions: Record<string, () => number> = {
      "log-normal": () => Math.exp(5.5 + 0.6 * normal()),
      bimodal: () => (uniform() < 0.7 ? Math.exp(4.5 + 0.2 * normal()) : Math.exp(8 + 0.3 * normal())),
      "heavy-tailed (Pareto)": () => 50 / Math.pow(uniform(), 1 / 1.2),
    };
    for (const [name, draw] of Object.entries(distributions)) {
      for (const size of [100, 1_000, 50_000]) {
        const values = Array.from({ length: size }, draw);
        const histogram = new SparseHistogram();
        for (const value of values) histogram.add(value);
        const dense = new DenseHistogram();
        dense.addEncoded(histogram.encode());
        values.sort((x, y) => x - y);
        for (const p of [0.5, 0.9, 0.95, 0.99]) {
          const exact = percentileDisc(values, p);
          expect(Math.abs(dense.quantile(p)! - exact) / exact, `${name} n=${size} p${p * 100}`).toBeLessThan(0.01);
        }
      }
    }
  });

  it("subtract one histogram from another (calls without a cache hit)", () => {
    const all = new DenseHistogram();
    const hits = new DenseHistogram();
    const withHit = new SparseHistogram();
    const everything = new SparseHistogram();
    for (const value of [100, 200, 300, 400]) everything.add(value);
    for (const value of [100, 200]) withHit.add(value);
    all.addEncoded(everything.encode());
    hits.addEncoded(withHit.encode());
    all.subtract(hits);
    expect(all.total).toBe(2);
    expect(all.quantile(0.5)).toBeCloseTo(bucketValue(histogramBucket(300)));
    expect(new DenseHistogram().quantile(0.5)).toBeNull();
  });

  it("clear to empty, also where a subtraction went outside the histogram's own range", () => {
    const histogram = new DenseHistogram();
    const outside = new DenseHistogram();
    histogram.addEncoded(new SparseHistogram(new Map([[histogramBucket(50), 3]])).encode());
    outside.addEncoded(new SparseHistogram(new Map([[histogramBucket(5_000), 2]])).encode());
    histogram.subtract(outside);
    histogram.clear();
    expect(histogram.counts.every((count) => count === 0)).toBe(true);
    expect([histogram.total, histogram.quantile(0.5)]).toEqual([0, null]);
    histogram.addEncoded(new SparseHistogram(new Map([[histogramBucket(7), 1]])).encode());
    expect([histogram.low, histogram.high, histogram.total]).toEqual([histogramBucket(7), histogramBucket(7), 1]);
  });

  it("merge dense histograms over their own bucket ranges and give every percentile in one pass", () => {
    const values = Array.from({ length: 5_000 }, (_, i) => (i % 7 === 0 ? 0 : Math.exp(2 + ((i * 7919) % 1000) / 120)));
    const parts = [new SparseHistogram(), new SparseHistogram(), new SparseHistogram()];
    values.forEach((value, i) => parts[i % 3]!.add(value));
    const merged = new DenseHistogram();
    for (const part of parts) {
      const dense = new DenseHistogram();
      dense.addEncoded(part.encode());
      merged.add(dense);
    }
    const whole = new DenseHistogram();
    whole.addEncoded(Buffer.concat(parts.map((part) => part.encode())));
    expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    expect([merged.total, merged.low, merged.high]).toEqual([values.length, 0, histogramBucket(Math.max(...values))]);
    const sorted = [...values].sort((a, b) => a - b);
    const levels = [0.01, 0.5, 0.9, 0.95, 0.99, 1];
    const all = merged.quantiles(levels);
    levels.forEach((p, i) => {
      expect(all[i]).toBe(merged.quantile(p));
      expect(all[i]).toBe(bucketValue(histogramBucket(percentileDisc(sorted, p))));
    });
    expect(new DenseHistogram().quantiles([0.5, 0.9])).toEqual([null, null]);
  });
});

