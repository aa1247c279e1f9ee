import type { Attributes, SpanKind } from "@opentelemetry/api";
import type { Random } from "./random";

/** One span as planned in simulated time (epoch milliseconds), before it goes through the SDK. */
export interface PlannedSpan {
  name: string;
  kind: SpanKind;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  /** Set for a failed operation: span status ERROR, `error.type`, and an `exception` event. */
  error?: { type: string; message: string };
  children?: PlannedSpan[];
}

/** A whole trace of one simulated service. It is sent once its root span has ended. */
export interface PlannedTrace {
  serviceName: string;
  root: PlannedSpan;
}

export interface ScenarioContext {
  /** This scenario's own random stream. */
  rng: Random;
  /** Calls per second this scenario should produce at time `t` (its share of the total rate). */
  rateAt(t: number): number;
  /** The highest value `rateAt` can return, for thinning Poisson arrivals. */
  maxRate: number;
  /** Start of live traffic; earlier times are backfill. */
  liveStartMs: number;
}

/**
 * A traffic scenario: one simulated service. `plan` returns the traces whose calls start (or, for
 * "happening now" calls, end) in [fromMs, toMs). Calls may end after `toMs`; the scheduler holds
 * them until they have ended, so spans never describe the future.
 */
export interface Scenario {
  serviceName: string;
  plan(fromMs: number, toMs: number): PlannedTrace[];
}

export type ScenarioFactory = (context: ScenarioContext) => Scenario;
