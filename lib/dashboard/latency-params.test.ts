import { describe, expect, it } from "vitest";
import { latencyPageParams, parseLatencyParams } from "@/lib/dashboard/latency-params";

describe("the Latency screen's URL parameters", () => {
  it("reads the dimension and the percentile, with defaults for nonsense", () => {
    expect(parseLatencyParams({ by: "service", p: "p99" })).toEqual({ by: "service", percentile: "p99" });
    expect(parseLatencyParams(new URLSearchParams("by=promptVersion"))).toEqual({ by: "promptVersion", percentile: "p95" });
    expect(parseLatencyParams({ by: "user", p: "p42" })).toEqual({ by: "model", percentile: "p95" });
    expect(parseLatencyParams({ by: ["service", "model"] })).toEqual({ by: "service", percentile: "p95" });
  });

  it("leaves defaults out of links", () => {
    expect(latencyPageParams({ by: "model", percentile: "p95" })).toEqual({ by: null, p: null });
    expect(latencyPageParams({ by: "service", percentile: "p50" })).toEqual({ by: "service", p: "p50" });
  });
});
