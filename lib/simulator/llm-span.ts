import { SpanKind, type Attributes } from "@opentelemetry/api";
import type { ModelProfile } from "./models";
import type { Random } from "./random";
import type { PlannedSpan, PlannedTrace } from "./types";

export type Workload = "interactive" | "batch";

export interface ChatMessage {
  role: "user" | "assistant";
  text: string;
}

/** Token usage as the OTel GenAI convention reports it: input includes cache reads and writes. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens?: number; // absent for embeddings
  /** Absent when the provider does not report cache use (e.g. vLLM per request). */
  cacheReadTokens?: number;
  /** Absent when the provider does not report cache writes (OpenAI, Gemini). */
  cacheWriteTokens?: number;
}

export interface LlmCallPlan {
  model: ModelProfile;
  operation?: "chat" | "generate_content" | "embeddings";
  startMs: number;
  durationMs: number;
  /** Undefined when the call is not streamed or failed before the first chunk. */
  ttftMs?: number;
  isStreaming?: boolean; // undefined: the attribute is not sent (embeddings)
  usage?: TokenUsage; // undefined for a failed call
  isTruncated?: boolean;
  maxTokens?: number;
  prompt?: { name: string; version: string };
  userId?: string;
  sessionId?: string;
  workload: Workload;
  tags: { team: string; feature: string; customer?: string };
  /** Captured content (opt-in in real instrumentations), so Sous can hash the prompt prefix. */
  content?: { systemPrompt: string; messages: ChatMessage[] };
  error?: { type: string; message: string };
  extraAttributes?: Attributes;
}

/** One LLM call as an OTel GenAI client span (`{operation} {model}`, kind CLIENT). */
export function buildLlmSpan(rng: Random, plan: LlmCallPlan): PlannedSpan {
  const { model, usage } = plan;
  const operation = plan.operation ?? "chat";
  const attributes: Attributes = {
    "gen_ai.operation.name": operation,
    "gen_ai.provider.name": model.provider,
    "gen_ai.request.model": model.requestModel,
    "server.address": model.serverAddress,
    "server.port": model.serverPort,
    "sous.workload": plan.workload,
    team: plan.tags.team,
    feature: plan.tags.feature,
  };
  if (plan.tags.customer) attributes.customer = plan.tags.customer;
  if (plan.isStreaming !== undefined) attributes["gen_ai.request.stream"] = plan.isStreaming;
  if (plan.maxTokens) attributes["gen_ai.request.max_tokens"] = plan.maxTokens;
  if (plan.prompt) {
    attributes["gen_ai.prompt.name"] = plan.prompt.name;
    attributes["gen_ai.prompt.version"] = plan.prompt.version;
  }
  if (plan.userId) attributes["user.id"] = plan.userId;
  if (plan.sessionId) attributes["session.id"] = plan.sessionId;
  if (plan.content) {
    attributes["gen_ai.system_instructions"] = JSON.stringify([
      { type: "text", content: plan.content.systemPrompt },
    ]);
    attributes["gen_ai.input.messages"] = JSON.stringify(
      plan.content.messages.map((message) => ({
        role: message.role,
        parts: [{ type: "text", content: message.text }],
      })),
    );
  }
  if (!plan.error && usage) {
    attributes["gen_ai.response.model"] = model.responseModel;
    attributes["gen_ai.response.id"] = responseId(rng, model.provider);
    attributes["gen_ai.usage.input_tokens"] = Math.round(usage.inputTokens);
    if (usage.outputTokens !== undefined) {
      attributes["gen_ai.usage.output_tokens"] = Math.round(usage.outputTokens);
      const [normal, truncated] = model.finishReasons;
      attributes["gen_ai.response.finish_reasons"] = [plan.isTruncated ? truncated : normal];
    }
    if (usage.cacheReadTokens !== undefined) {
      attributes["gen_ai.usage.cache_read.input_tokens"] = Math.round(usage.cacheReadTokens);
    }
    if (usage.cacheWriteTokens !== undefined) {
      attributes["gen_ai.usage.cache_creation.input_tokens"] = Math.round(usage.cacheWriteTokens);
    }
    if (plan.isStreaming && plan.ttftMs !== undefined) {
      attributes["gen_ai.response.time_to_first_chunk"] = plan.ttftMs / 1000;
    }
  }
  Object.assign(attributes, plan.extraAttributes);
  return {
    name: `${operation} ${model.requestModel}`,
    kind: SpanKind.CLIENT,
    startMs: plan.startMs,
    endMs: plan.startMs + plan.durationMs,
    attributes,
    error: plan.error,
  };
}

function responseId(rng: Random, provider: string): string {
  if (provider === "anthropic") return `msg_${rng.hex(12)}`;
  if (provider === "openai") return `chatcmpl-${rng.hex(14)}`;
  return rng.hex(16);
}

/**
 * Wraps the spans of one request in the service's HTTP server span (`POST /api/chat`), which
 * starts a little before the first child (auth, loading the conversation) and ends a little after
 * the last (saving the answer). A failed LLM call makes the request fail with 503.
 */
export function buildRequestTrace(
  rng: Random,
  serviceName: string,
  route: string,
  children: PlannedSpan[],
): PlannedTrace {
  const firstStart = Math.min(...children.map((child) => child.startMs));
  const lastEnd = Math.max(...children.map((child) => child.endMs));
  const failed = children.find((child) => child.error);
  const statusCode = failed ? 503 : 200;
  return {
    serviceName,
    root: {
      name: `POST ${route}`,
      kind: SpanKind.SERVER,
      startMs: firstStart - rng.between(3, 35),
      endMs: lastEnd + rng.between(2, 18),
      attributes: {
        "http.request.method": "POST",
        "http.route": route,
        "url.path": route,
        "url.scheme": "https",
        "http.response.status_code": statusCode,
      },
      error: failed ? { type: String(statusCode), message: "upstream model call failed" } : undefined,
      children,
    },
  };
}

/** A non-LLM step inside a request (vector search, reranking), as a CLIENT or INTERNAL span. */
export function buildStepSpan(
  name: string,
  startMs: number,
  durationMs: number,
  attributes: Attributes,
  kind: SpanKind = SpanKind.CLIENT,
): PlannedSpan {
  return { name, kind, startMs, endMs: startMs + durationMs, attributes };
}
