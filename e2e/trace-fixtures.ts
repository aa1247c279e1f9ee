import type { SeedSpan, SeedTrace } from "./otlp-seed";
import { newTrace } from "./otlp-seed";

/** The traces the Traces tests seed: a checkout request with two LLM calls, and an invoice request. */
export function checkoutTrace(tag: string, startEpochMs: number): SeedTrace {
  const spans: SeedSpan[] = [
    { name: "POST /api/checkout", service: `shop-${tag}`, startMs: 0, durationMs: 2400 },
    { name: "db.query orders", service: `shop-${tag}`, startMs: 40, durationMs: 120, parent: 0 },
    {
      name: "chat gpt-4o-mini",
      service: `shop-${tag}`,
      startMs: 200,
      durationMs: 1200,
      parent: 0,
      llm: {
        provider: "openai",
        model: "gpt-4o-mini",
        inputTokens: 1200,
        outputTokens: 300,
        ttftMs: 350,
        costUsd: 0.00123,
        systemPrompt: `You are the checkout assistant for ${tag}.`,
        userMessage: "Is my order eligible for free shipping?",
        answer: "Yes: orders over $50 ship free.",
      },
    },
    {
      name: "chat gpt-4.1",
      service: `shop-${tag}`,
      startMs: 1500,
      durationMs: 800,
      parent: 0,
      llm: { provider: "openai", model: "gpt-4.1", inputTokens: 800, outputTokens: 150, ttftMs: 120, costUsd: 0.0042 },
    },
  ];
  return newTrace(startEpochMs, spans);
}

export function billingTrace(tag: string, startEpochMs: number, isError = false): SeedTrace {
  return newTrace(startEpochMs, [
    { name: "POST /api/invoice", service: `billing-${tag}`, startMs: 0, durationMs: 900, isError },
    {
      name: "chat gpt-4o",
      service: `billing-${tag}`,
      startMs: 100,
      durationMs: 700,
      parent: 0,
      isError,
      llm: { provider: "openai", model: "gpt-4o", inputTokens: 500, outputTokens: 80, ttftMs: 210, costUsd: 0.002 },
    },
  ]);
}

