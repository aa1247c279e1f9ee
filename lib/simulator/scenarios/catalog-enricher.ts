import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace } from "../llm-span";
import { models, sampleCall } from "../models";
import { automaticCacheReadTokens, automaticCacheTtlMs, PromptCacheModel } from "../prompt-cache";
import { customers } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `catalog-enricher`: a small Gemini workload (`gcp.gemini`, gemini-2.5-flash), streamed product
 * descriptions. Gemini's span operation is `generate_content`; implicit caching reports reads only.
 */
const systemTokens = 1250;
const errorRate = 0.015;

export function createCatalogEnricher(context: ScenarioContext): Scenario {
  const { rng } = context;
  const arrivals = new PoissonArrivals(rng.fork("arrivals"), context.rateAt, context.maxRate);
  const cache = new PromptCacheModel(automaticCacheTtlMs);
  const model = models.geminiFlash;

  function planCall(arrivalMs: number): PlannedTrace {
    const inputTokens = systemTokens + rng.int(150, 900);
    const isWarm = cache.touch(model.requestModel, "product-description/v1", arrivalMs - 1500);
    const cacheReadTokens = automaticCacheReadTokens(inputTokens, isWarm ? systemTokens : 0);
    const outputTokens = Math.round(rng.logNormal(240, 0.3));
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, cacheReadTokens }, errorRate);
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      operation: "generate_content",
      startMs: arrivalMs - outcome.durationMs,
      isStreaming: true,
      maxTokens: 600,
      prompt: { name: "product-description", version: "v1" },
      userId: `merchant_${rng.int(1, 60)}`,
      workload: "interactive",
      tags: { team: "commerce", feature: "product-descriptions", customer: rng.weighted(customers) },
    });
    return buildRequestTrace(rng, "catalog-enricher", "/api/products/describe", [span]);
  }

  return {
    serviceName: "catalog-enricher",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
