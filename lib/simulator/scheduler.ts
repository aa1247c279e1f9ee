import type { PlannedTrace, Scenario } from "./types";

/**
 * Composes the scenarios on one clock. `advanceTo(t)` asks every scenario for the traffic of the
 * time elapsed since the last call and returns, in end-time order, the traces that have ended by
 * `t`; traces still in flight are held until a later call. The clock is wall time for live
 * traffic and a virtual clock racing through the past for backfill: the same code serves both.
 */
export class Scheduler {
  private plannedUntilMs: number | null = null;
  private inFlight: PlannedTrace[] = [];
  private isPlanning = true;
  readonly tracesByService = new Map<string, number>();

  constructor(private readonly scenarios: Scenario[]) {}

  advanceTo(clockMs: number): PlannedTrace[] {
    if (this.isPlanning && this.plannedUntilMs !== null && clockMs > this.plannedUntilMs) {
      for (const scenario of this.scenarios) {
        this.inFlight.push(...scenario.plan(this.plannedUntilMs, clockMs));
      }
    }
    if (this.isPlanning) this.plannedUntilMs = Math.max(this.plannedUntilMs ?? clockMs, clockMs);

    const ended: PlannedTrace[] = [];
    const stillRunning: PlannedTrace[] = [];
    for (const trace of this.inFlight) (trace.root.endMs <= clockMs ? ended : stillRunning).push(trace);
    this.inFlight = stillRunning;
    ended.sort((a, b) => a.root.endMs - b.root.endMs);
    for (const trace of ended) {
      this.tracesByService.set(trace.serviceName, (this.tracesByService.get(trace.serviceName) ?? 0) + 1);
    }
    return ended;
  }

  /** No new traffic after this; calls already started can still end. */
  stopPlanning(): void {
    this.isPlanning = false;
  }

  /** When the next in-flight trace ends, or null when none is in flight. */
  get nextEndMs(): number | null {
    return this.inFlight.length === 0 ? null : Math.min(...this.inFlight.map((trace) => trace.root.endMs));
  }

  get inFlightCount(): number {
    return this.inFlight.length;
  }
}
