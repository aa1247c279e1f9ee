import { randomBytes } from "node:crypto";
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type SpanContext } from "@opentelemetry/api";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { mulberry32 } from "../prng";

/**
 * LLM spans as a GenAI-instrumented service exports them (OpenTelemetry GenAI conventions, ~25
 * attributes, a ~1 KB stored attributes object with the resource), made cheaply enough that the
 * load generator is not what limits the benchmark: the attribute sets are built once per variant,
 * and a batch only adds ids, times and the per-call values (usage, response id, user, session).
 *
 * Ids carry what the verification needs, and stay random where an index sees them:
 *   trace id = 8 random bytes · 4-byte run tag · 4-byte sequence number (unique in the run)
 * so SQL can find a run's spans and check the exact set stored (verify-run.ts). The span's
 * (unsent) parent is the service's HTTP server span.
 */
export interface ModelVariant {
  provider: string;
  requestModel: string;
  responseModel: string;
  serverAddress: string;
  scope: { name: string; version: string };
  finishReason: string;
  /** Share of input served from the provider's prompt cache, when the provider reports it. */
  cacheReadShare: number | null;
  reportsCacheWrites: boolean;
  baseTtftMs: number;
  outputTokensPerSecond: number;
}

const OPENAI_SCOPE = { name: "@opentelemetry/instrumentation-openai", version: "0.6.0" };
const GATEWAY_SCOPE = { name: "llm-gateway", version: "3.4.1" }; // an in-house wrapper emitting gen_ai.* semconv
const BEDROCK_SCOPE = { name: "@opentelemetry/instrumentation-aws-sdk", version: "0.58.0" };

export const MODEL_VARIANTS: readonly ModelVariant[] = [
  { provider: "openai", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini-2024-07-18", serverAddress: "api.openai.com", scope: OPENAI_SCOPE, finishReason: "stop", cacheReadShare: 0.45, reportsCacheWrites: false, baseTtftMs: 290, outputTokensPerSecond: 85 },
  { provider: "openai", requestModel: "gpt-4.1", responseModel: "gpt-4.1-2025-04-14", serverAddress: "api.openai.com", scope: OPENAI_SCOPE, finishReason: "stop", cacheReadShare: 0.6, reportsCacheWrites: false, baseTtftMs: 430, outputTokensPerSecond: 68 },
  { provider: "openai", requestModel: "gpt-4.1-mini", responseModel: "gpt-4.1-mini-2025-04-14", serverAddress: "api.openai.com", scope: OPENAI_SCOPE, finishReason: "stop", cacheReadShare: 0.3, reportsCacheWrites: false, baseTtftMs: 330, outputTokensPerSecond: 80 },
  { provider: "anthropic", requestModel: "claude-sonnet-4-5", responseModel: "claude-sonnet-4-5-20250929", serverAddress: "api.anthropic.com", scope: GATEWAY_SCOPE, finishReason: "end_turn", cacheReadShare: 0.7, reportsCacheWrites: true, baseTtftMs: 560, outputTokensPerSecond: 62 },
  { provider: "anthropic", requestModel: "claude-haiku-4-5", responseModel: "claude-haiku-4-5-20251001", serverAddress: "api.anthropic.com", scope: GATEWAY_SCOPE, finishReason: "end_turn", cacheReadShare: 0.5, reportsCacheWrites: true, baseTtftMs: 330, outputTokensPerSecond: 110 },
  { provider: "gcp.gemini", requestModel: "gemini-2.5-flash", responseModel: "gemini-2.5-flash", serverAddress: "generativelanguage.googleapis.com", scope: GATEWAY_SCOPE, finishReason: "STOP", cacheReadShare: null, reportsCacheWrites: false, baseTtftMs: 380, outputTokensPerSecond: 160 },
  { provider: "aws.bedrock", requestModel: "anthropic.claude-3-5-haiku-20241022-v1:0", responseModel: "anthropic.claude-3-5-haiku-20241022-v1:0", serverAddress: "bedrock-runtime.us-east-1.amazonaws.com", scope: BEDROCK_SCOPE, finishReason: "end_turn", cacheReadShare: null, reportsCacheWrites: false, baseTtftMs: 420, outputTokensPerSecond: 70 },
];

export const SERVICES = [
  { name: "checkout-assistant", team: "commerce", features: ["cart-help", "order-status", "returns"] },
  { name: "support-bot", team: "support", features: ["triage", "answer-draft", "summarize-ticket"] },
  { name: "search-rerank", team: "search", features: ["query-rewrite", "rerank"] },
  { name: "doc-qa", team: "platform", features: ["ask-docs", "cite-sources"] },
  { name: "nightly-summaries", team: "data", features: ["account-digest", "churn-notes"] },
  { name: "code-review-bot", team: "devex", features: ["pr-review", "test-suggest"] },
] as const;

/** The resource of one service instance: stored with each span, minus service.name and environment. */
export function serviceResourceAttributes(serviceIndex: number): Attributes {
  const service = SERVICES[serviceIndex % SERVICES.length];
  return {
    "service.name": service.name,
    "service.namespace": "acme",
    "service.version": `2026.11.${10 + serviceIndex}`,
    "service.instance.id": `${service.name}-7d9f8b6c5-${(serviceIndex * 7919).toString(36).padStart(5, "x")}`,
    "deployment.environment.name": "production",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.version": "2.2.0",
    "host.name": `ip-10-0-${serviceIndex + 1}-${40 + serviceIndex}.ec2.internal`,
    "process.runtime.version": "22.21.1",
    "cloud.region": "us-east-1",
    "k8s.namespace.name": service.team,
    "k8s.pod.name": `${service.name}-7d9f8b6c5-q${serviceIndex}x2z`,
  };
}

/** The per-call part of a span that is fixed for a variant (all but ids, times and usage). */
interface CallVariant {
  name: string;
  scope: { name: string; version: string };
  isError: boolean;
  isStreaming: boolean;
  durationMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  attributes: Attributes; // without the per-call unique values
  provider: string;
}

const VARIANT_COUNT = 1024;
const RANDOM_BYTES_PER_SPAN = 40;
const USERS_PER_SERVICE = 4000;

function buildVariants(serviceIndex: number): CallVariant[] {
  const random = mulberry32(0x5005 + serviceIndex);
  const service = SERVICES[serviceIndex % SERVICES.length];
  const isBatch = service.name === "nightly-summaries";
  const variants: CallVariant[] = [];
  for (let i = 0; i < VARIANT_COUNT; i++) {
    const model = MODEL_VARIANTS[Math.floor(random() * MODEL_VARIANTS.length)];
    const feature = service.features[Math.floor(random() * service.features.length)];
    const isError = random() < 0.01;
    const isStreaming = !isBatch && random() < 0.8;
    const inputTokens = Math.round(400 + random() ** 2 * 12_000);
    const outputTokens = Math.round(40 + random() * 900);
    const cacheReadTokens = model.cacheReadShare === null ? null : Math.round(inputTokens * model.cacheReadShare * random());
    const cacheWriteTokens = model.reportsCacheWrites ? Math.round((inputTokens - (cacheReadTokens ?? 0)) * 0.3 * random()) : null;
    const ttftMs = model.baseTtftMs * (0.7 + random() * 0.8) + ((inputTokens - (cacheReadTokens ?? 0)) / 1000) * 20;
    const durationMs = isError ? 150 + random() * 300 : ttftMs + (outputTokens / model.outputTokensPerSecond) * 1000;
    const promptVersion = `v${1 + Math.floor(random() * 4)}`;
    const attributes: Attributes = {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": model.provider,
      "gen_ai.request.model": model.requestModel,
      "gen_ai.request.max_tokens": 1024,
      "gen_ai.request.temperature": Math.round(random() * 10) / 10,
      "gen_ai.request.top_p": 0.95,
      "gen_ai.request.stream": isStreaming,
      "gen_ai.prompt.name": `${feature}-prompt`,
      "gen_ai.prompt.version": promptVersion,
      "server.address": model.serverAddress,
      "server.port": 443,
      "sous.workload": isBatch ? "batch" : "interactive",
      team: service.team,
      feature,
      customer: `cus_${(Math.floor(random() * 5000) + 1000).toString(36)}`,
    };
    if (isError) {
      attributes["error.type"] = model.provider === "anthropic" ? "529" : "429";
    } else {
      attributes["gen_ai.response.model"] = model.responseModel;
      attributes["gen_ai.response.finish_reasons"] = [model.finishReason];
      attributes["gen_ai.usage.input_tokens"] = inputTokens;
      attributes["gen_ai.usage.output_tokens"] = outputTokens;
      if (cacheReadTokens !== null) attributes["gen_ai.usage.cache_read.input_tokens"] = cacheReadTokens;
      if (cacheWriteTokens !== null) attributes["gen_ai.usage.cache_creation.input_tokens"] = cacheWriteTokens;
      if (isStreaming) attributes["gen_ai.response.time_to_first_chunk"] = Math.round(ttftMs) / 1000;
      if (model.provider === "openai") {
        attributes["openai.response.service_tier"] = "default";
        attributes["openai.response.system_fingerprint"] = `fp_${(0x1a2b3c4d + i).toString(16)}`;
      }
    }
    variants.push({
      name: `chat ${model.requestModel}`,
      scope: model.scope,
      isError,
      isStreaming,
      durationMs,
      ttftMs: isStreaming && !isError ? ttftMs : null,
      inputTokens: isError ? 0 : inputTokens,
      outputTokens: isError ? 0 : outputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      attributes,
      provider: model.provider,
    });
  }
  return variants;
}

export interface SpanBatch {
  spans: ReadableSpan[];
  firstSequence: number;
  /** Σ input tokens as sent (inclusive of cache, OTel convention); what the database must sum to. */
  inputTokens: number;
}

const OK_STATUS = { code: SpanStatusCode.UNSET };
const ERROR_STATUS = { code: SpanStatusCode.ERROR, message: "provider rejected the request" };
const NO_LINKS: [] = [];
const NO_EVENTS: [] = [];

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One service's spans: each batch fresh ids, start times = now − duration (the call just ended). */
export class LlmSpanFactory {
  readonly resource: Resource;
  private readonly variants: CallVariant[];
  private readonly userIds: string[];
  private tagHex: string;
  private cursor = 0;

  /** `nextSequence` is shared by the factories of one process, so sequence numbers stay unique. */
  constructor(
    serviceIndex: number,
    runTag: number,
    private readonly nextSequence: (count: number) => number,
  ) {
    this.resource = resourceFromAttributes(serviceResourceAttributes(serviceIndex));
    this.variants = buildVariants(serviceIndex);
    this.cursor = serviceIndex * 97;
    this.userIds = Array.from({ length: USERS_PER_SERVICE }, (_, i) => `user_${(serviceIndex * USERS_PER_SERVICE + i).toString(36).padStart(6, "0")}`);
    this.tagHex = (runTag >>> 0).toString(16).padStart(8, "0");
  }

  /** Spans made from now on carry this run tag (the warm-up and the measured run differ). */
  setRunTag(runTag: number): void {
    this.tagHex = (runTag >>> 0).toString(16).padStart(8, "0");
  }

  batch(size: number, nowMs: number): SpanBatch {
    const firstSequence = this.nextSequence(size);
    // Per span 40 random bytes: 8 trace-id, 8 span-id, 8 parent-id, 16 conversation-id.
    const random = randomBytes(size * RANDOM_BYTES_PER_SPAN).toString("hex");
    const spans: ReadableSpan[] = new Array(size);
    let inputTokens = 0;
    const endTime = hrTime(nowMs);
    for (let i = 0; i < size; i++) {
      const variant = this.variants[this.cursor++ % VARIANT_COUNT];
      const offset = i * RANDOM_BYTES_PER_SPAN * 2;
      const context: SpanContext = {
        traceId: random.slice(offset, offset + 16) + this.tagHex + (firstSequence + i).toString(16).padStart(8, "0"),
        spanId: random.slice(offset + 16, offset + 32),
        traceFlags: TraceFlags.SAMPLED,
      };
      const parent: SpanContext = { traceId: context.traceId, spanId: random.slice(offset + 32, offset + 48), traceFlags: TraceFlags.SAMPLED };
      const conversationId = random.slice(offset + 48, offset + 80);
      const attributes: Attributes = {
        ...variant.attributes,
        "gen_ai.conversation.id": conversationId,
        // Users come back: a few thousand per service, each with many calls.
        "user.id": this.userIds[(this.cursor * 7919) % this.userIds.length],
        "session.id": `sess_${conversationId.slice(0, 20)}`,
      };
      if (!variant.isError) attributes["gen_ai.response.id"] = responseId(variant.provider, random.slice(offset, offset + 28) + conversationId);
      const durationMs = variant.durationMs;
      spans[i] = {
        name: variant.name,
        kind: SpanKind.CLIENT,
        spanContext: () => context,
        parentSpanContext: parent,
        startTime: hrTime(nowMs - durationMs),
        endTime,
        duration: hrTime(durationMs),
        status: variant.isError ? ERROR_STATUS : OK_STATUS,
        attributes,
        links: NO_LINKS,
        events: NO_EVENTS,
        ended: true,
        resource: this.resource,
        instrumentationScope: variant.scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      };
      inputTokens += variant.inputTokens;
    }
    return { spans, firstSequence, inputTokens };
  }
}

function responseId(provider: string, hex: string): string {
  if (provider === "openai") return `chatcmpl-${hex.slice(0, 29)}`;
  if (provider === "anthropic") return `msg_01${hex.slice(0, 22)}`;
  return hex.slice(0, 32);
}
