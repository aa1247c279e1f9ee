import { PoissonArrivals } from "../arrivals";
import { buildLlmSpan, buildRequestTrace, type ChatMessage } from "../llm-span";
import { countTokens, models, sampleCall, type ModelProfile } from "../models";
import {
  anthropicCacheTtlMs,
  anthropicCacheUsage,
  automaticCacheReadTokens,
  automaticCacheTtlMs,
  PromptCacheModel,
} from "../prompt-cache";
import { assistantAnswer, buildSystemPrompt, customers, supportQuestion } from "../prompt-text";
import type { PlannedTrace, Scenario, ScenarioContext } from "../types";

/**
 * `support-chat`: streamed multi-turn support conversations on Claude Sonnet and gpt-4o-mini,
 * prompt `support-answer` v3 and v4 (v4: shorter prompt and answers, so faster and cheaper). The
 * system prompt is stable, so after the first call nearly all input is read from the cache.
 */
const rules = [
  "You are the support assistant of Sous Cloud. Be accurate, friendly and brief.",
  "Use the reference below; if it does not cover the question, say so and offer a human.",
  "Never invent prices, limits or dates.",
];
const versions = {
  v3: {
    systemPrompt: buildSystemPrompt("# Support assistant (v3)", rules, 2900),
    medianOutputTokens: 340,
  },
  v4: {
    systemPrompt: buildSystemPrompt("# Support assistant (v4, concise)", [...rules, "Answer in at most five sentences."], 1900),
    medianOutputTokens: 220,
  },
} as const;

interface Session {
  id: string;
  userId: string;
  customer: string;
  model: ModelProfile;
  version: keyof typeof versions;
  history: ChatMessage[];
  historyTokens: number;
  cachedHistoryTokens: number;
  lastTurnMs: number;
  turns: number;
}

const maxTokens = 1024;
const errorRate = 0.012;

export function createSupportChat(context: ScenarioContext): Scenario {
  const { rng } = context;
  const arrivals = new PoissonArrivals(rng.fork("arrivals"), context.rateAt, context.maxRate);
  const anthropicCache = new PromptCacheModel(anthropicCacheTtlMs);
  const openAiCache = new PromptCacheModel(automaticCacheTtlMs);
  let sessions: Session[] = [];

  function sessionFor(arrivalMs: number): Session {
    sessions = sessions.filter((s) => arrivalMs - s.lastTurnMs < 10 * 60_000 && s.turns < 6);
    if (sessions.length > 0 && rng.chance(0.55)) return rng.pick(sessions);
    const session: Session = {
      id: `sess_${rng.hex(8)}`,
      userId: `user_${rng.int(1, 400)}`,
      customer: rng.weighted(customers),
      model: rng.chance(0.55) ? models.claudeSonnet : models.gpt4oMini,
      version: rng.chance(0.5) ? "v3" : "v4",
      history: [],
      historyTokens: 0,
      cachedHistoryTokens: 0,
      lastTurnMs: arrivalMs,
      turns: 0,
    };
    sessions.push(session);
    if (sessions.length > 60) sessions.shift();
    return session;
  }

  function planCall(arrivalMs: number): PlannedTrace {
    const session = sessionFor(arrivalMs);
    const { systemPrompt, medianOutputTokens } = versions[session.version];
    const question = supportQuestion(rng);
    const systemTokens = countTokens(systemPrompt);
    const inputTokens = systemTokens + session.historyTokens + countTokens(question);
    const isSessionWarm = arrivalMs - session.lastTurnMs <= anthropicCacheTtlMs;
    const outputTokens = Math.min(maxTokens, Math.round(rng.logNormal(medianOutputTokens, 0.35)));
    const model = session.model;
    // The cache is looked up when the call starts, a few seconds before it ends ("now").
    const approximateStartMs = arrivalMs - 3000;

    let cacheReadTokens: number;
    let cacheWriteTokens: number | undefined;
    if (model.provider === "anthropic") {
      const usage = anthropicCacheUsage({
        systemTokens,
        isSystemWarm: anthropicCache.touch(model.requestModel, systemPrompt, approximateStartMs),
        historyTokens: session.historyTokens,
        cachedHistoryTokens: isSessionWarm ? session.cachedHistoryTokens : 0,
      });
      cacheReadTokens = usage.cacheReadTokens;
      cacheWriteTokens = usage.cacheWriteTokens;
    } else {
      const isSystemWarm = openAiCache.touch(model.requestModel, systemPrompt, approximateStartMs);
      const warmPrefix = isSystemWarm ? systemTokens + (isSessionWarm ? session.cachedHistoryTokens : 0) : 0;
      cacheReadTokens = automaticCacheReadTokens(inputTokens, warmPrefix);
    }

    const outcome = sampleCall(rng, model, { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens }, errorRate);
    const startMs = arrivalMs - outcome.durationMs;
    const span = buildLlmSpan(rng, {
      ...outcome,
      model,
      startMs,
      isStreaming: true,
      isTruncated: outputTokens === maxTokens,
      maxTokens,
      prompt: { name: "support-answer", version: session.version },
      userId: session.userId,
      sessionId: session.id,
      workload: "interactive",
      tags: { team: "support", feature: "support-chat", customer: session.customer },
      content: { systemPrompt, messages: [...session.history, { role: "user", text: question }] },
    });

    session.lastTurnMs = arrivalMs;
    session.turns += 1;
    if (!outcome.error) {
      const answer = assistantAnswer(rng, outputTokens);
      session.cachedHistoryTokens = session.historyTokens;
      session.history.push({ role: "user", text: question }, { role: "assistant", text: answer });
      session.historyTokens += countTokens(question) + countTokens(answer);
    }
    return buildRequestTrace(rng, "support-chat", "/api/chat", [span]);
  }

  return {
    serviceName: "support-chat",
    plan: (fromMs, toMs) => arrivals.take(fromMs, toMs).map(planCall),
  };
}
