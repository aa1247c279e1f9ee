import { describe, expect, it } from "vitest";
import { compareTtft } from "@/lib/dashboard/ttft-comparison";

describe("compareTtft", () => {
  it("gives the relative change of the median TTFT with a hit", () => {
    expect(compareTtft({ calls: 100, cachedCallRate: 0.5, hitP50: 200, noHitP50: 400 })).toEqual({ kind: "change", change: -0.5 });
  });

  it("does not compare against a handful of calls", () => {
    expect(compareTtft({ calls: 2625, cachedCallRate: 0.9995, hitP50: 452, noHitP50: 288 })).toEqual({ kind: "too-few", side: "misses" });
    expect(compareTtft({ calls: 200, cachedCallRate: 0.02, hitP50: 100, noHitP50: 300 })).toEqual({ kind: "too-few", side: "hits" });
  });

  it("has nothing to say when a side is unknown", () => {
    expect(compareTtft({ calls: 50, cachedCallRate: 0, hitP50: null, noHitP50: 600 })).toEqual({ kind: "unknown" });
    expect(compareTtft({ calls: 50, cachedCallRate: null, hitP50: 100, noHitP50: 600 })).toEqual({ kind: "unknown" });
  });
});
