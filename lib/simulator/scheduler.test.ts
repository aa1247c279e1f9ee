import { describe, expect, it } from "vitest";
import { Random } from "./random";
import { createScenarios } from "./scenarios";
import { Scheduler } from "./scheduler";
import type { PlannedTrace } from "./types";

const liveStartMs = Date.UTC(2026, 10, 24, 12);

/** Two minutes of live traffic, advancing the clock in steps of `stepMs`. */
function simulate(seed: string, stepMs: number): PlannedTrace[] {
  const scheduler = new Scheduler(
    createScenarios({ rng: new Random(seed), rateAt: () => 5, maxRate: 5, liveStartMs }),
  );
  scheduler.advanceTo(liveStartMs);
  const released: PlannedTrace[] = [];
  for (let clockMs = liveStartMs; clockMs < liveStartMs + 120_000; ) {
    clockMs = Math.min(clockMs + stepMs, liveStartMs + 120_000);
    for (const trace of scheduler.advanceTo(clockMs)) {
      expect(trace.root.endMs).toBeLessThanOrEqual(clockMs); // never a span that has not ended
      released.push(trace);
    }
  }
  return released;
}

describe("Scheduler", () => {
  it("is deterministic for a seed, however the clock is sliced", () => {
    const fine = simulate("9", 100);
    expect(fine.length).toBeGreaterThan(400);
    expect(JSON.stringify(simulate("9", 1000))).toBe(JSON.stringify(fine));
    expect(JSON.stringify(simulate("10", 100))).not.toBe(JSON.stringify(fine));
  });

  it("releases traces in the order they end", () => {
    const ends = simulate("3", 250).map((trace) => trace.root.endMs);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it("gives live traffic a long rag prompt early, so a one-minute run shows the stall", () => {
    const long = simulate("4", 250).find(
      (trace) => trace.serviceName === "rag-service" && trace.root.attributes["http.route"] === "/api/contracts/review",
    );
    expect(long).toBeDefined();
    expect(long!.root.startMs - liveStartMs).toBeLessThan(16_000);
  });
});
