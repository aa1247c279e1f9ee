import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace, buildStepSpan } from "../llm-span";
import { models, sampleCall } from "../models";
import { customers } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `rag-service`: a self-hosted Llama 3.3 70B behind vLLM without chunked prefill. Short questions
 * (1–3k tokens) normally see their first token in a few hundred ms, but now and then a 60k-token
 * contract review arrives: while its ~6 s prefill runs, every short request that starts waits
 * behind it, and its TTFT jumps to seconds (the Advisor's "short requests stalled behind long
 * prefills"). vLLM does not report cache use per request, so cache attributes are absent.
 */
/** About one long prompt per 80 short ones: every two minutes at the default rate. */
const longPromptsPerShort = 1 / 80;
const model = models.llama70b;

interface PrefillWindow {
  startMs: number;
  endMs: number;
}

export function createRagService(context: ScenarioContext): Scenario {
  const { rng } = context;
  const shortArrivals = new PoissonArrivals(rng.fork("short"), context.rateAt, context.maxRate);
  const longArrivals = new PoissonArrivals(
    rng.fork("long"),
    (t) => context.rateAt(t) * longPromptsPerShort,
    context.maxRate * longPromptsPerShort,
  );
  // Live traffic gets a long prompt early, so even a one-minute run shows the stall.
  let firstLiveLongMs: number | null = context.liveStartMs + rng.between(5000, 15_000);
  let prefills: PrefillWindow[] = [];

  function planLong(arrivalMs: number): PlannedTrace {
    const inputTokens = Math.round(rng.between(57_000, 63_000));
    const outputTokens = Math.min(1500, Math.round(rng.logNormal(700, 0.2)));
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens }, 0);
    prefills.push({ startMs: arrivalMs, endMs: arrivalMs + (outcome.ttftMs ?? 0) });
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs: arrivalMs,
      isStreaming: true,
      maxTokens: 1500,
      prompt: { name: "contract-review", version: "v1" },
      userId: `user_${rng.int(1, 400)}`,
      workload: "interactive",
      tags: { team: "legal-ops", feature: "contract-review", customer: rng.weighted(customers) },
    });
    return buildRequestTrace(rng, "rag-service", "/api/contracts/review", [span]);
  }

  function planShort(arrivalMs: number): PlannedTrace {
    const inputTokens = 380 + rng.int(3, 8) * rng.int(180, 330) + rng.int(10, 60);
    const outputTokens = Math.round(rng.logNormal(180, 0.35));
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens }, 0.005);
    const searchMs = rng.logNormal(40, 0.4);
    const requestStartMs = arrivalMs - searchMs - outcome.durationMs;
    const callStartMs = requestStartMs + searchMs;
    // Without chunked prefill, a request arriving during a long prefill waits for it to finish.
    const blocking = prefills.find((w) => callStartMs >= w.startMs && callStartMs < w.endMs);
    if (blocking && !outcome.error) {
      const stallMs = blocking.endMs - callStartMs + rng.between(20, 120);
      outcome.ttftMs = (outcome.ttftMs ?? 0) + stallMs;
      outcome.durationMs += stallMs;
    }
    const tags = { team: "platform", feature: "knowledge-assistant", customer: rng.weighted(customers) };
    return buildRequestTrace(rng, "rag-service", "/api/ask", [
      buildStepSpan("retrieval handbook", requestStartMs, searchMs, {
        "gen_ai.operation.name": "retrieval",
        "gen_ai.data_source.id": "handbook",
      }),
      buildLlmSpan(rng, {
        ...outcome,
        model,
        startMs: callStartMs,
        isStreaming: true,
        maxTokens: 800,
        prompt: { name: "handbook-answer", version: "v2" },
        userId: `user_${rng.int(1, 400)}`,
        workload: "interactive",
        tags,
      }),
    ]);
  }

  function plan(fromMs: number, toMs: number): PlannedTrace[] {
    const longs = longArrivals.take(fromMs, toMs);
    if (firstLiveLongMs !== null && firstLiveLongMs >= fromMs && firstLiveLongMs < toMs) {
      longs.push(firstLiveLongMs);
      firstLiveLongMs = null;
    }
    const events = [
      ...longs.map((t) => ({ t, isLong: true })),
      ...shortArrivals.take(fromMs, toMs).map((t) => ({ t, isLong: false })),
    ].sort((a, b) => a.t - b.t);
    prefills = prefills.filter((w) => w.endMs > fromMs - 60_000);
    return events.map((event) => (event.isLong ? planLong(event.t) : planShort(event.t)));
  }

  return { serviceName: "rag-service", plan };
}
