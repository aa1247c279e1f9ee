import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace } from "../llm-span";
import { countTokens, models, sampleCall } from "../models";
import { automaticCacheReadTokens, automaticCacheTtlMs, PromptCacheModel } from "../prompt-cache";
import { buildSystemPrompt, faqQuestion } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `faq-bot`: a contrast case that must NOT look like a cache buster. Every call asks a different
 * question, but the variable part is the user message AFTER a byte-identical system prompt, so
 * the prefix hash is the same on every call and OpenAI serves the prefix from its cache.
 */
export const faqSystemPrompt = buildSystemPrompt(
  "You answer questions on the public FAQ page of Sous Cloud.",
  [
    "Answer only from the reference; otherwise link to https://example.com/contact.",
    "Two short paragraphs at most. No marketing language.",
  ],
  1600,
);
const systemTokens = countTokens(faqSystemPrompt);
const errorRate = 0.01;

export function createFaqBot(context: ScenarioContext): Scenario {
  const { rng } = context;
  const arrivals = new PoissonArrivals(rng.fork("arrivals"), context.rateAt, context.maxRate);
  const cache = new PromptCacheModel(automaticCacheTtlMs);
  const model = models.gpt4oMini;

  function planCall(arrivalMs: number): PlannedTrace {
    const question = faqQuestion(rng);
    const inputTokens = systemTokens + countTokens(question);
    const isWarm = cache.touch(model.requestModel, faqSystemPrompt, arrivalMs - 1500);
    const cacheReadTokens = automaticCacheReadTokens(inputTokens, isWarm ? systemTokens : 0);
    const outputTokens = Math.round(rng.logNormal(150, 0.35));
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, cacheReadTokens }, errorRate);
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs: arrivalMs - outcome.durationMs,
      isStreaming: true,
      maxTokens: 500,
      prompt: { name: "faq-answer", version: "v2" },
      userId: `visitor_${rng.hex(4)}`,
      workload: "interactive",
      tags: { team: "support", feature: "faq" },
      content: { systemPrompt: faqSystemPrompt, messages: [{ role: "user", text: question }] },
    });
    return buildRequestTrace(rng, "faq-bot", "/api/faq", [span]);
  }

  return {
    serviceName: "faq-bot",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
