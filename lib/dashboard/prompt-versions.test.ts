import { describe, expect, it } from "vitest";
import type { GroupValues } from "@/lib/dashboard/chart-data";
import { comparePromptVersions, compareVersions, deltaOf, PROMPT_METRICS } from "@/lib/dashboard/prompt-versions";

const pct = (p50: number | null, p95: number | null) => ({ p50, p90: null, p95, p99: null });

function version(promptName: string | null, promptVersion: string | null, rest: Record<string, number | null>, ttft: [number, number] = [100, 200]): GroupValues {
  return {
    group: `${promptName ?? ""}@${promptVersion ?? ""}`,
    promptName,
    promptVersion,
    values: {
      calls: 10,
      ttftMs: pct(ttft[0], ttft[1]),
      durationMs: pct(1000, 2000),
      inputTokens: 5000,
      outputTokens: 1000,
      costPerCallUsd: 0.01,
      unknownCostCalls: 0,
      cacheHitRate: 0.5,
      errorRate: 0.1,
      ...rest,
    },
  };
}

const metric = (key: string) => PROMPT_METRICS.find((item) => item.key === key)!;

describe("prompt version order", () => {
  it("is natural: v2 before v10, 1.9 before 1.10, no version last", () => {
    const versions = ["v10", null, "v2", "v1"];
    expect([...versions].sort(compareVersions)).toEqual(["v1", "v2", "v10", null]);
    expect(["1.10", "1.9", "1.2.3"].sort(compareVersions)).toEqual(["1.2.3", "1.9", "1.10"]);
  });
});

describe("deltas between versions", () => {
  it("says better or worse by the metric's good direction", () => {
    expect(deltaOf(metric("ttftP95"), 150, 200)).toEqual({ change: -0.25, kind: "relative", verdict: "better" });
    expect(deltaOf(metric("costPerCallUsd"), 0.012, 0.01)?.verdict).toBe("worse");
    expect(deltaOf(metric("cacheHitRate"), 0.7, 0.5)).toMatchObject({ kind: "points", verdict: "better" });
    expect(deltaOf(metric("cacheHitRate"), 0.7, 0.5)!.change).toBeCloseTo(0.2, 9);
    expect(deltaOf(metric("errorRate"), 0.02, 0.01)?.verdict).toBe("worse");
  });

  it("calls a change within the percentiles' error about the same, and leaves neutral metrics uncolored", () => {
    expect(deltaOf(metric("ttftP50"), 101, 100)?.verdict).toBe("same");
    expect(deltaOf(metric("errorRate"), 0.1005, 0.1)?.verdict).toBe("same");
    expect(deltaOf(metric("calls"), 20, 10)).toEqual({ change: 1, kind: "relative", verdict: "neutral" });
  });

  it("has no delta when either side is unknown", () => {
    expect(deltaOf(metric("ttftP95"), null, 200)).toBeNull();
    expect(deltaOf(metric("cacheHitRate"), 0.5, null)).toBeNull();
  });
});

describe("comparing prompt versions", () => {
  const groups = [
    version("support", "v10", { calls: 40, errorRate: 0.05 }, [90, 150]),
    version("support", "v2", { calls: 30 }, [120, 300]),
    version("support", null, { calls: 3 }),
    version("triage", "1", { calls: 100, inputTokens: null }),
    version(null, null, { calls: 7 }),
  ];
  const { prompts, unnamedCalls } = comparePromptVersions(groups);

  it("groups by prompt, busiest first, versions in order; calls without a name are counted apart", () => {
    expect(prompts.map((prompt) => [prompt.promptName, prompt.calls])).toEqual([
      ["triage", 100],
      ["support", 73],
    ]);
    expect(prompts[1]!.versions.map((row) => row.promptVersion)).toEqual(["v2", "v10", null]);
    expect(unnamedCalls).toBe(7);
  });

  it("compares each version with the one before it only", () => {
    const [v2, v10, none] = prompts[1]!.versions;
    expect(v2!.deltas).toBeNull();
    expect(v10!.deltas!.ttftP95).toEqual({ change: -0.5, kind: "relative", verdict: "better" });
    expect(v10!.deltas!.errorRate!.verdict).toBe("better");
    expect(v10!.deltas!.errorRate!.change).toBeCloseTo(-0.05, 9);
    expect(none!.deltas).toBeNull();
  });

  it("gives tokens per call, in and out, unknown when not reported", () => {
    expect(prompts[1]!.versions[0]!.values.inputTokensPerCall).toBeCloseTo(5000 / 30, 9);
    expect(prompts[1]!.versions[0]!.values.tokensPerCall).toBeCloseTo(6000 / 30, 9);
    expect(prompts[0]!.versions[0]!.values.inputTokensPerCall).toBeNull();
    expect(prompts[0]!.versions[0]!.values.outputTokensPerCall).toBe(10);
    expect(prompts[0]!.versions[0]!.values.tokensPerCall).toBe(10);
  });
});
