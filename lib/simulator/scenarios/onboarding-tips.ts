import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace } from "../llm-span";
import { countTokens, models, sampleCall } from "../models";
import { automaticCacheReadTokens, automaticCacheTtlMs, PromptCacheModel } from "../prompt-cache";
import { buildSystemPrompt, customers, onboardingContext } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `onboarding-tips`: an A/B test, the second contrast case that must NOT look like a cache
 * buster. Prompt `onboarding-tip` v1 renders one of two system prompts (variant A or B); each is
 * byte-stable, so the version has exactly two prefix hashes and both stay warm in the cache.
 */
export const onboardingVariants = {
  A: buildSystemPrompt(
    "You write one short onboarding tip for a new Sous Cloud user.",
    ["One tip, two sentences, imperative mood.", "Pick the most valuable next step for their role."],
    1300,
  ),
  B: buildSystemPrompt(
    "You are a friendly product guide. Suggest the next thing a new user should try, with a why.",
    ["One tip, at most three sentences.", "Explain the benefit in the user's terms.", "End with a question."],
    1500,
  ),
} as const;
const errorRate = 0.008;

export function createOnboardingTips(context: ScenarioContext): Scenario {
  const { rng } = context;
  const arrivals = new PoissonArrivals(rng.fork("arrivals"), context.rateAt, context.maxRate);
  const cache = new PromptCacheModel(automaticCacheTtlMs);
  const model = models.gpt41Mini;

  function planCall(arrivalMs: number): PlannedTrace {
    const userNumber = rng.int(1, 5000);
    // Users are assigned to a variant by id, as an experiment framework would.
    const variant = userNumber % 2 === 0 ? "A" : "B";
    const systemPrompt = onboardingVariants[variant];
    const systemTokens = countTokens(systemPrompt);
    const userMessage = onboardingContext(rng);
    const inputTokens = systemTokens + countTokens(userMessage);
    const isWarm = cache.touch(model.requestModel, systemPrompt, arrivalMs - 1200);
    const cacheReadTokens = automaticCacheReadTokens(inputTokens, isWarm ? systemTokens : 0);
    const outputTokens = Math.round(rng.logNormal(variant === "A" ? 70 : 110, 0.3));
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, cacheReadTokens }, errorRate);
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs: arrivalMs - outcome.durationMs,
      isStreaming: true,
      maxTokens: 300,
      prompt: { name: "onboarding-tip", version: "v1" },
      userId: `user_${userNumber}`,
      workload: "interactive",
      tags: { team: "growth", feature: "onboarding", customer: rng.weighted(customers) },
      content: { systemPrompt, messages: [{ role: "user", text: userMessage }] },
      extraAttributes: { "experiment.name": "onboarding-tone", "experiment.variant": variant },
    });
    return buildRequestTrace(rng, "onboarding-tips", "/api/onboarding/tip", [span]);
  }

  return {
    serviceName: "onboarding-tips",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
