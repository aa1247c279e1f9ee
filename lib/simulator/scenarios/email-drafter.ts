import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace } from "../llm-span";
import { countTokens, models, sampleCall } from "../models";
import { buildSystemPrompt, customers, emailRequest } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `email-drafter`: the cache buster. Prompt `draft-email` v2 renders the current time at the very
 * top of the system prompt, so the prefix differs on every call: Anthropic writes the whole prompt
 * to the cache each time (billed at 1.25x) and never reads it back.
 */
const promptBody = buildSystemPrompt(
  "You are DraftPal, the email assistant of Sous Cloud's account managers.",
  [
    "Write emails the account manager can send as is: greeting, body, sign-off.",
    "Match the requested tone; never use more than 180 words.",
    "Refer to dates relative to the current time given above.",
  ],
  1400,
);

export function renderDraftEmailPrompt(renderedAtMs: number): string {
  return `Current date and time: ${new Date(renderedAtMs).toISOString()}\n${promptBody}`;
}

const systemTokens = countTokens(renderDraftEmailPrompt(0));
const errorRate = 0.012;

export function createEmailDrafter(context: ScenarioContext): Scenario {
  const { rng } = context;
  const arrivals = new PoissonArrivals(rng.fork("arrivals"), context.rateAt, context.maxRate);
  const model = models.claudeSonnet;

  function planCall(arrivalMs: number): PlannedTrace {
    const customer = rng.weighted(customers);
    const request = emailRequest(rng, customer);
    const inputTokens = systemTokens + countTokens(request);
    const outputTokens = Math.round(rng.logNormal(260, 0.3));
    // A prefix rendered at a new millisecond was never cached: the whole prompt is written again.
    const cacheUsage = { cacheReadTokens: 0, cacheWriteTokens: systemTokens };
    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, ...cacheUsage }, errorRate);
    const startMs = arrivalMs - outcome.durationMs;
    const systemPrompt = renderDraftEmailPrompt(startMs - rng.between(2, 20));
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs,
      isStreaming: true,
      maxTokens: 800,
      prompt: { name: "draft-email", version: "v2" },
      userId: `am_${rng.int(1, 25)}`,
      workload: "interactive",
      tags: { team: "sales", feature: "email-drafts", customer },
      content: { systemPrompt, messages: [{ role: "user", text: request }] },
    });
    return buildRequestTrace(rng, "email-drafter", "/api/drafts", [span]);
  }

  return {
    serviceName: "email-drafter",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
