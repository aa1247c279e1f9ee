import { z } from "zod";
import { diurnalMultiplier, maxDiurnalMultiplier } from "./arrivals";
import { countLlmCalls, emitTrace } from "./emit-trace";
import { Random } from "./random";
import { createScenarios } from "./scenarios";
import { Scheduler } from "./scheduler";
import { ServiceTracers, type ExportStats } from "./service-tracers";
import type { PlannedTrace } from "./types";

/**
 * Sends simulated LLM traffic from several services to a Sous OTLP endpoint through the official
 * OpenTelemetry SDK and exporter. Used by `npm run simulate`, by the launcher for `SOUS_DEMO=1`,
 * and by tests. Optionally backfills the past window first (on a virtual clock, as fast as the
 * receiver takes it), then runs live for `durationMs` (Infinity: until `signal` aborts).
 */

/**
 * Sous rejects spans older than the project's retention (30 days unless configured), so backfill
 * stays well inside it; rejections under a shorter retention come back as OTLP partial success.
 */
export const maxBackfillMs = 7 * 86_400_000;

export const simulationOptionsSchema = z.object({
  ratePerSecond: z.number().positive().max(10_000).default(5),
  /** Live traffic after any backfill; Infinity runs until `signal` aborts. */
  durationMs: z.union([z.number().min(0), z.literal(Number.POSITIVE_INFINITY)]).default(60_000),
  endpoint: z.url().default("http://127.0.0.1:3000/api/otlp"),
  apiKey: z.string().min(1).optional(),
  seed: z.number().int().optional(),
  backfillMs: z.number().min(0).default(0),
  /** Average rate of the backfilled past (it follows a day curve); default `ratePerSecond`. */
  backfillRatePerSecond: z.number().positive().max(10_000).optional(),
  protocol: z.enum(["proto", "json"]).default("proto"),
  environment: z.string().min(1).default("production"),
  progressIntervalMs: z.number().positive().default(5000),
  /** How long to wait, after the run, for calls still in flight to end. */
  drainTimeoutMs: z.number().min(0).default(10_000),
});

export type SimulationOptions = z.input<typeof simulationOptionsSchema> & {
  signal?: AbortSignal;
  onProgress?: (progress: SimulationProgress) => void;
};

export type SimulationPhase = "backfill" | "live" | "draining";

export interface SimulationProgress {
  phase: SimulationPhase;
  elapsedMs: number;
  /** The simulated clock: in the past while backfilling. */
  clockMs: number;
  traces: number;
  calls: number;
  spans: number;
  inFlight: number;
  export: ExportStats;
}

export interface SimulationSummary {
  seed: number;
  /** The simulated time window the sent spans cover. */
  fromMs: number;
  toMs: number;
  elapsedMs: number;
  traces: number;
  calls: number;
  spans: number;
  tracesByService: Record<string, number>;
  /** Calls that had not ended when the run stopped; they were not sent. */
  inFlightDropped: number;
  wasInterrupted: boolean;
  export: ExportStats;
  warnings: string[];
}

const tickMs = 250;
const backfillStepMs = 1000;
const spansPerFlush = 4000;

export async function runSimulation(input: SimulationOptions = {}): Promise<SimulationSummary> {
  const options = simulationOptionsSchema.parse(input);
  const { signal, onProgress } = input;
  const warnings: string[] = [];
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = new Random(String(seed));

  const startedAtMs = Date.now();
  const liveStartMs = startedAtMs;
  let backfillMs = options.backfillMs;
  if (backfillMs > maxBackfillMs) {
    warnings.push(`backfill limited to ${maxBackfillMs / 86_400_000} days, well inside Sous's retention window`);
    backfillMs = maxBackfillMs;
  }
  const backfillRate = options.backfillRatePerSecond ?? options.ratePerSecond;
  const rateAt = (t: number) =>
    t < liveStartMs ? backfillRate * diurnalMultiplier(t) : options.ratePerSecond;
  const scheduler = new Scheduler(
    createScenarios({
      rng: rng.fork("scenarios"),
      rateAt,
      maxRate: Math.max(options.ratePerSecond, backfillRate * maxDiurnalMultiplier),
      liveStartMs,
    }),
  );
  const tracers = new ServiceTracers({
    endpoint: options.endpoint,
    apiKey: options.apiKey,
    protocol: options.protocol,
    environment: options.environment,
    rng: rng.fork("ids"),
    scheduledDelayMillis: 1000,
  });

  const totals = { traces: 0, calls: 0, spans: 0 };
  let spansSinceFlush = 0;
  let lastProgressMs = Date.now();
  const shouldStop = () => Boolean(signal?.aborted) || tracers.stats.isKeyRejected;

  const snapshot = (phase: SimulationPhase, clockMs: number): SimulationProgress => ({
    phase,
    elapsedMs: Date.now() - startedAtMs,
    clockMs,
    ...totals,
    inFlight: scheduler.inFlightCount,
    export: { ...tracers.stats },
  });
  const maybeReportProgress = (phase: SimulationPhase, clockMs: number) => {
    if (!onProgress || Date.now() - lastProgressMs < options.progressIntervalMs) return;
    lastProgressMs = Date.now();
    onProgress(snapshot(phase, clockMs));
  };
  // Emits ended traces; waits for the exporters when a lot is buffered so no span is dropped.
  const emit = async (traces: PlannedTrace[]) => {
    for (const trace of traces) {
      const spans = emitTrace(tracers.tracerFor(trace.serviceName), trace);
      totals.traces += 1;
      totals.spans += spans;
      totals.calls += countLlmCalls(trace.root);
      spansSinceFlush += spans;
    }
    if (spansSinceFlush >= spansPerFlush) {
      spansSinceFlush = 0;
      await tracers.forceFlush();
    }
  };

  const fromMs = liveStartMs - backfillMs;
  scheduler.advanceTo(fromMs);
  for (let clockMs = fromMs; clockMs < liveStartMs && !shouldStop(); ) {
    clockMs = Math.min(clockMs + backfillStepMs, liveStartMs);
    await emit(scheduler.advanceTo(clockMs));
    maybeReportProgress("backfill", clockMs);
  }
  if (backfillMs > 0) await tracers.forceFlush();

  const liveEndMs = Date.now() + options.durationMs;
  while (!shouldStop() && Date.now() < liveEndMs) {
    await emit(scheduler.advanceTo(Math.min(Date.now(), liveEndMs)));
    maybeReportProgress("live", Date.now());
    await sleep(Math.min(tickMs, Math.max(0, liveEndMs - Date.now())), signal);
  }

  scheduler.stopPlanning();
  if (options.durationMs > 0) {
    const drainEndMs = Date.now() + options.drainTimeoutMs;
    // Wait for calls that end within the drain time; don't wait for any that would not.
    const endsInTime = () => (scheduler.nextEndMs ?? Infinity) <= drainEndMs;
    while (!shouldStop() && endsInTime()) {
      await emit(scheduler.advanceTo(Date.now()));
      maybeReportProgress("draining", Date.now());
      await sleep(tickMs, signal);
    }
  }
  const toMs = Date.now();
  if (!shouldStop()) await emit(scheduler.advanceTo(toMs));
  await tracers.shutdown();

  return {
    seed,
    fromMs,
    toMs,
    elapsedMs: Date.now() - startedAtMs,
    ...totals,
    tracesByService: Object.fromEntries(scheduler.tracesByService),
    inFlightDropped: scheduler.inFlightCount,
    wasInterrupted: Boolean(signal?.aborted),
    export: { ...tracers.stats },
    warnings,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
