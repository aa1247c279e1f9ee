import { SpanKind } from "@opentelemetry/api";
import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan } from "../llm-span";
import { models, sampleCall } from "../models";
import type { PlannedSpan, PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `docs-indexer`: background work done right, as a contrast to the nightly summarizer. New
 * documents are embedded (text-embedding-3-small) in batches of up to 128 chunks per call, with
 * four calls in flight at once, so a batch of 8–24 calls finishes in a couple of seconds. Rate
 * limits (429) show up now and then, as they do when a batch job pushes a provider.
 */
const lanes = 4;
const meanCallsPerBurst = 16;

export function createDocsIndexer(context: ScenarioContext): Scenario {
  const { rng } = context;
  const bursts = new PoissonArrivals(
    rng.fork("bursts"),
    (t) => context.rateAt(t) / meanCallsPerBurst,
    context.maxRate / meanCallsPerBurst,
  );
  const model = models.textEmbedding3Small;

  function planBurst(burstStartMs: number): PlannedTrace {
    const callCount = rng.int(8, 24);
    const laneCursors = Array.from({ length: lanes }, () => burstStartMs + rng.between(5, 40));
    const calls: PlannedSpan[] = [];
    for (let i = 0; i < callCount; i++) {
      const lane = laneCursors.indexOf(Math.min(...laneCursors));
      const inputTokens = rng.int(32, 128) * rng.int(250, 420);
      const outcome = sampleCall(rng, model, { inputTokens }, 0.02);
      const call = buildLlmSpan(rng, {
        ...outcome,
        model,
        operation: "embeddings",
        startMs: laneCursors[lane],
        workload: "batch",
        tags: { team: "search", feature: "doc-indexing" },
        extraAttributes: { "gen_ai.embeddings.dimension.count": 1536 },
      });
      calls.push(call);
      laneCursors[lane] = call.endMs + rng.between(2, 20);
    }
    return {
      serviceName: "docs-indexer",
      root: {
        name: "index_documents",
        kind: SpanKind.INTERNAL,
        startMs: burstStartMs,
        endMs: Math.max(...calls.map((call) => call.endMs)) + rng.between(5, 30),
        attributes: { "job.name": "docs-indexer", "index.batch.calls": callCount, "sous.workload": "batch" },
        children: calls,
      },
    };
  }

  return {
    serviceName: "docs-indexer",
    plan: (fromMs, toMs) => bursts.take(fromMs, toMs).map(planBurst),
  };
}
