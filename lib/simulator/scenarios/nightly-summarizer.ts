import { SpanKind } from "@opentelemetry/api";
import { buildLlmSpan } from "../llm-span";
import { models, sampleCall } from "../models";
import { automaticCacheReadTokens } from "../prompt-cache";
import { customers } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `nightly-summarizer`: a background job done the slow way. It summarizes one document at a time
 * (gpt-4o-mini, not streamed, workload `batch`): each call starts only after the previous one has
 * ended, so its achieved concurrency is 1 (the Advisor's "background job run serially"). Each run
 * works through one customer's documents; `session.id` is the run id.
 *
 * It runs throughout the simulated window (not only at night) so the pattern shows up in any
 * window; between runs it pauses so its average call rate stays near its share of `--rate`.
 */
const systemTokens = 420;
const errorRate = 0.01;

export function createNightlySummarizer(context: ScenarioContext): Scenario {
  const { rng } = context;
  const model = models.gpt4oMini;
  let cursorMs: number | null = null;
  let run: { id: string; customer: string; remaining: number; size: number; startMs: number } | null = null;

  function planDocument(startMs: number, current: NonNullable<typeof run>): PlannedTrace {
    const documentTokens = rng.int(1500, 9000);
    const inputTokens = systemTokens + documentTokens;
    const outputTokens = Math.round(rng.logNormal(220, 0.3));
    // The instructions are too short to be cached (OpenAI needs 1,024 tokens), so reads are 0.
    const cacheReadTokens = automaticCacheReadTokens(inputTokens, systemTokens);
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, cacheReadTokens }, errorRate);
    const callStartMs = startMs + rng.between(4, 25); // loading the document
    const call = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs: callStartMs,
      isStreaming: false,
      maxTokens: 400,
      prompt: { name: "summarize-document", version: "v1" },
      sessionId: current.id,
      workload: "batch",
      tags: { team: "data", feature: "nightly-digest", customer: current.customer },
    });
    return {
      serviceName: "nightly-summarizer",
      root: {
        name: "summarize_document",
        kind: SpanKind.INTERNAL,
        startMs,
        endMs: call.endMs + rng.between(3, 15), // writing the summary back
        attributes: { "job.name": "nightly-summarizer", "job.run.id": current.id, "sous.workload": "batch" },
        error: call.error,
        children: [call],
      },
    };
  }

  function plan(fromMs: number, toMs: number): PlannedTrace[] {
    cursorMs ??= fromMs;
    const traces: PlannedTrace[] = [];
    while (cursorMs < toMs) {
      run ??= {
        id: `run_${rng.hex(6)}`,
        customer: rng.weighted(customers),
        remaining: rng.int(20, 60),
        size: 0,
        startMs: cursorMs,
      };
      const trace = planDocument(cursorMs, run);
      traces.push(trace);
      run.remaining -= 1;
      run.size += 1;
      // Strictly serial: the next document starts after this one is done.
      cursorMs = trace.root.endMs + rng.logNormal(60, 0.5);
      if (run.remaining === 0) {
        const rate = context.rateAt(cursorMs);
        const targetMs = rate > 0 ? (run.size / rate) * 1000 : 0;
        cursorMs += Math.max(rng.between(1000, 5000), targetMs - (cursorMs - run.startMs));
        run = null;
      }
    }
    return traces;
  }

  return { serviceName: "nightly-summarizer", plan };
}
