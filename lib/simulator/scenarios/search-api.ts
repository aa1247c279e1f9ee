import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace, buildStepSpan } from "../llm-span";
import { models, sampleCall } from "../models";
import { automaticCacheReadTokens, automaticCacheTtlMs, PromptCacheModel } from "../prompt-cache";
import { customers } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `search-api`: a user types a query and waits for an answer, but the gpt-4.1 call is NOT
 * streamed, so the user stares at a spinner for the whole generation (the Advisor's "interactive
 * calls not streamed"). Each request embeds the query, searches the vector store, then answers.
 */
const systemTokens = 1180; // stable instructions; the retrieved passages after them vary
const errorRate = 0.01;

export function createSearchApi(context: ScenarioContext): Scenario {
  const { rng } = context;
  // Each request makes two LLM calls (embedding and answer), so requests come at half the call rate.
  const arrivals = new PoissonArrivals(
    rng.fork("arrivals"),
    (t) => context.rateAt(t) / 2,
    context.maxRate / 2,
  );
  const cache = new PromptCacheModel(automaticCacheTtlMs);

  function planCall(arrivalMs: number): PlannedTrace {
    const userId = `user_${rng.int(1, 900)}`;
    const tags = { team: "search", feature: "semantic-search", customer: rng.weighted(customers) };

    const queryTokens = rng.int(6, 40);
    const embedding = sampleCall(rng, models.textEmbedding3Small, { inputTokens: queryTokens }, 0.002);
    const searchMs = rng.logNormal(45, 0.4);

    const inputTokens = systemTokens + rng.int(6, 10) * rng.int(300, 520) + queryTokens;
    const outputTokens = Math.round(rng.logNormal(420, 0.35));
    const isWarm = cache.touch(models.gpt41.requestModel, "search-answer/v7", arrivalMs);
    const cacheReadTokens = automaticCacheReadTokens(inputTokens, isWarm ? systemTokens : 0);
    const answer = embedding.error
      ? undefined
      : sampleCall(rng, models.gpt41, { inputTokens, outputTokens, cacheReadTokens }, errorRate);

    const total = embedding.durationMs + (answer ? searchMs + answer.durationMs : 0);
    const embedStart = arrivalMs - total;
    const children = [
      buildLlmSpan(rng, {
        ...embedding,
        model: models.textEmbedding3Small,
        operation: "embeddings",
        startMs: embedStart,
        userId,
        workload: "interactive",
        tags,
        extraAttributes: { "gen_ai.embeddings.dimension.count": 1536 },
      }),
    ];
    if (answer) {
      const searchStart = embedStart + embedding.durationMs;
      children.push(
        buildStepSpan("retrieval kb-articles", searchStart, searchMs, {
          "gen_ai.operation.name": "retrieval",
          "gen_ai.data_source.id": "kb-articles",
          "db.system.name": "postgresql",
        }),
        buildLlmSpan(rng, {
          ...answer,
          model: models.gpt41,
          startMs: searchStart + searchMs,
          isStreaming: false,
          maxTokens: 1500,
          prompt: { name: "search-answer", version: "v7" },
          userId,
          workload: "interactive",
          tags,
        }),
      );
    }
    return buildRequestTrace(rng, "search-api", "/api/search", children);
  }

  return {
    serviceName: "search-api",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
