/**
 * The mapping as data: for each LLM fact, the attributes that carry it, first present wins.
 * Sources: shared/otel-mapping.md §1.2, §2 and §5 (OTel GenAI semconv v1.26 → genai repo, AI SDK
 * v4–v7, OpenLLMetry JS/Python, OpenInference, Langfuse, OpenLIT, pydantic-ai/Logfire).
 *
 * Keys under a JSON-valued attribute (`ai.response.providerMetadata`, Langfuse `usage_details` /
 * `cost_details`, `llm.invocation_parameters`, Logfire `request_data` / `response_data`, …) are
 * written as `<attribute>.<path>`: span-facts.ts expands those documents into such keys.
 *
 * Semantics that a key alone cannot carry (cache-exclusive input counts, OpenLIT TTFT on
 * non-streamed calls, zeros left out) live in profiles.ts and in tokens.ts / ttft.ts.
 */

/** How a field's raw value is validated; an invalid value does not count as present. */
export type FieldKind = "tokens" | "number" | "string" | "boolean" | "usd" | "raw";

export interface FieldRule {
  kind: FieldKind;
  keys: readonly string[];
}

const LF_USAGE = "langfuse.observation.usage_details";
const PROVIDER_METADATA = "ai.response.providerMetadata";
const LOGFIRE_USAGE = "response_data.usage";

/** Prefixes a list of sub-keys with the JSON attribute they live in. */
function under(prefix: string, keys: readonly string[]): string[] {
  return keys.map((key) => `${prefix}.${key}`);
}

export const FIELD_RULES = {
  provider: {
    kind: "string",
    keys: ["gen_ai.provider.name", "gen_ai.system", "ai.model.provider", "llm.provider", "llm.system"],
  },
  requestModel: {
    kind: "string",
    keys: [
      "gen_ai.request.model",
      "ai.model.id",
      "llm.request.model_name",
      "langfuse.observation.model.name",
      "llm.invocation_parameters.model", // OpenInference OpenAI: llm.model_name is the response's
      "llm.model_name",
      "embedding.model_name",
      "request_data.model",
    ],
  },
  responseModel: {
    kind: "string",
    keys: ["gen_ai.response.model", "ai.response.model", "llm.response.model_name", "llm.model_name", "response_data.model"],
  },
  inputTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.input_tokens",
      "gen_ai.usage.prompt_tokens",
      "ai.usage.inputTokens",
      "ai.usage.promptTokens",
      "ai.usage.tokens", // AI SDK embed spans
      "llm.token_count.prompt",
      "llm.usage.prompt_tokens",
      ...under(LF_USAGE, ["input", "prompt_tokens", "input_tokens", "promptTokens", "inputTokens"]),
      ...under(LOGFIRE_USAGE, ["prompt_tokens", "input_tokens"]),
    ],
  },
  outputTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.output_tokens",
      "gen_ai.usage.completion_tokens",
      "ai.usage.outputTokens",
      "ai.usage.completionTokens",
      "llm.token_count.completion",
      "llm.usage.completion_tokens",
      ...under(LF_USAGE, ["output", "completion_tokens", "output_tokens", "completionTokens", "outputTokens"]),
      ...under(LOGFIRE_USAGE, ["completion_tokens", "output_tokens"]),
    ],
  },
  cacheReadTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.cache_read.input_tokens",
      "gen_ai.usage.cache_read_input_tokens",
      "gen_ai.usage.details.cache_read_tokens",
      "gen_ai.usage.details.cache_read_input_tokens",
      "llm.token_count.prompt_details.cache_read",
      "ai.usage.inputTokenDetails.cacheReadTokens",
      "ai.usage.cachedInputTokens",
      "gen_ai.usage.prompt_tokens_details.cache_read",
      "gen_ai.usage.prompt_tokens_details.cached_tokens",
      ...under(PROVIDER_METADATA, [
        "anthropic.cacheReadInputTokens",
        "anthropic.usage.cache_read_input_tokens",
        "openai.cachedPromptTokens",
        "bedrock.usage.cacheReadInputTokens",
        "google.usageMetadata.cachedContentTokenCount",
        "deepseek.promptCacheHitTokens",
      ]),
      ...under(LF_USAGE, [
        "cache_read_input_tokens",
        "input_cached_tokens",
        "input_cache_read",
        "cache_read_tokens",
        "cached_tokens",
        "input_cached",
        "prompt_tokens_details.cached_tokens",
        "input_token_details.cache_read",
      ]),
      ...under(LOGFIRE_USAGE, ["prompt_tokens_details.cached_tokens", "input_tokens_details.cached_tokens", "cache_read_input_tokens"]),
    ],
  },
  cacheWriteTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.cache_write.input_tokens",
      "gen_ai.usage.cache_creation.input_tokens",
      "gen_ai.usage.cache_creation_input_tokens",
      "gen_ai.usage.details.cache_write_tokens",
      "gen_ai.usage.details.cache_creation_input_tokens",
      "llm.token_count.prompt_details.cache_write",
      "ai.usage.inputTokenDetails.cacheWriteTokens",
      "gen_ai.usage.prompt_tokens_details.cache_write",
      "gen_ai.usage.prompt_tokens_details.cache_creation_tokens",
      ...under(PROVIDER_METADATA, [
        "anthropic.cacheCreationInputTokens",
        "anthropic.usage.cache_creation_input_tokens",
        "bedrock.usage.cacheWriteInputTokens",
      ]),
      ...under(LF_USAGE, [
        "cache_creation_input_tokens",
        "cache_write_input_tokens",
        "input_cache_creation",
        "input_cache_write",
        "cache_creation_tokens",
        "cache_write_tokens",
      ]),
      ...under(LOGFIRE_USAGE, ["cache_creation_input_tokens", "prompt_tokens_details.cache_write_tokens"]),
    ],
  },
  /** Cache-write tokens with a one-hour TTL (Anthropic `cache_creation.ephemeral_1h_input_tokens`). */
  cacheWrite1hTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens",
      "gen_ai.usage.cache_write.ephemeral_1h_input_tokens",
      "anthropic.usage.cache_creation.ephemeral_1h_input_tokens", // Anthropic SDK's own spans
      ...under(PROVIDER_METADATA, ["anthropic.usage.cache_creation.ephemeral_1h_input_tokens"]),
      ...under(LF_USAGE, ["input_cache_creation_1h", "ephemeral_1h_input_tokens", "cache_creation.ephemeral_1h_input_tokens"]),
      ...under(LOGFIRE_USAGE, ["cache_creation.ephemeral_1h_input_tokens"]),
    ],
  },
  reasoningTokens: {
    kind: "tokens",
    keys: [
      "gen_ai.usage.reasoning.output_tokens",
      "gen_ai.usage.reasoning_tokens",
      "llm.usage.reasoning_tokens",
      "llm.token_count.completion_details.reasoning",
      "ai.usage.outputTokenDetails.reasoningTokens",
      "ai.usage.reasoningTokens",
      "gen_ai.usage.details.reasoning_tokens",
      "gen_ai.usage.completion_tokens_details.reasoning_tokens",
      ...under(PROVIDER_METADATA, ["openai.reasoningTokens"]),
      ...under(LF_USAGE, ["reasoning", "output_reasoning", "reasoning_tokens", "output_reasoning_tokens", "completion_tokens_details.reasoning_tokens"]),
      ...under(LOGFIRE_USAGE, ["completion_tokens_details.reasoning_tokens", "output_tokens_details.reasoning_tokens"]),
    ],
  },
  /** TTFT given in milliseconds. */
  ttftMilliseconds: {
    kind: "number",
    keys: ["sous.ttft_ms", "ai.response.msToFirstChunk", "ai.stream.msToFirstChunk"],
  },
  /** TTFT given in seconds. */
  ttftSeconds: {
    kind: "number",
    keys: ["gen_ai.response.time_to_first_chunk", "gen_ai.client.operation.time_to_first_chunk"],
  },
  /**
   * TTFT in seconds that only means TTFT on a streamed call: OpenLIT writes it on every call and
   * on a non-streamed one it equals the whole duration.
   */
  ttftSecondsIfStreamed: {
    kind: "number",
    keys: ["gen_ai.server.time_to_first_token"],
  },
  /** ISO-8601 time of the first chunk (Langfuse), possibly JSON-quoted. */
  completionStartTime: {
    kind: "string",
    keys: ["langfuse.observation.completion_start_time"],
  },
  streamFlag: {
    kind: "boolean",
    keys: [
      "gen_ai.request.stream",
      "gen_ai.is_streaming",
      "llm.is_streaming",
      "gen_ai.request.is_stream",
      "llm.invocation_parameters.stream",
      "langfuse.observation.model.parameters.stream",
      "request_data.stream",
    ],
  },
  finishReason: {
    kind: "raw",
    keys: [
      "gen_ai.response.finish_reasons",
      "ai.response.finishReason",
      "llm.finish_reason",
      "gen_ai.completion.0.finish_reason",
      "anthropic.message.stop_reason",
    ],
  },
  reportedCost: {
    kind: "usd",
    keys: [
      "gen_ai.usage.cost",
      "operation.cost",
      "llm.cost.total",
      "langfuse.observation.cost_details.total",
      "gen_ai.usage.total_cost",
    ],
  },
  promptName: {
    kind: "string",
    keys: [
      "sous.prompt.name",
      "gen_ai.prompt.name",
      "langfuse.observation.prompt.name",
      "traceloop.prompt.key",
      "ai.telemetry.metadata.promptName",
      "ai.telemetry.metadata.langfusePrompt.name",
      "llm.prompt_template.name",
      "prompt.id",
      "ai.telemetry.functionId",
    ],
  },
  promptVersion: {
    kind: "string",
    keys: [
      "sous.prompt.version",
      "gen_ai.prompt.version",
      "langfuse.observation.prompt.version",
      "traceloop.prompt.version",
      "ai.telemetry.metadata.promptVersion",
      "ai.telemetry.metadata.langfusePrompt.version",
      "llm.prompt_template.version",
      "traceloop.prompt.version_name",
    ],
  },
  promptPrefixHash: {
    kind: "string",
    keys: ["sous.prompt.prefix_hash", "gen_ai.prompt.prefix_hash"],
  },
  userId: {
    kind: "string",
    keys: [
      "user.id",
      "enduser.id",
      "langfuse.user.id",
      "ai.telemetry.metadata.userId",
      "ai.telemetry.metadata.user_id",
      "traceloop.association.properties.user_id",
      "ai.settings.context.userId",
      "langfuse.trace.metadata.langfuse_user_id",
      "langfuse.observation.metadata.langfuse_user_id",
      "gen_ai.request.user",
    ],
  },
  sessionId: {
    kind: "string",
    keys: [
      "session.id",
      "langfuse.session.id",
      "gen_ai.conversation.id",
      "ai.telemetry.metadata.sessionId",
      "ai.telemetry.metadata.session_id",
      "traceloop.association.properties.session_id",
      "ai.settings.context.sessionId",
      "langfuse.trace.metadata.langfuse_session_id",
      "langfuse.observation.metadata.langfuse_session_id",
      "ai.telemetry.metadata.conversationId",
      "traceloop.association.properties.conversation_id",
    ],
  },
  environment: {
    kind: "string",
    keys: ["deployment.environment.name", "deployment.environment", "langfuse.environment", "gen_ai.environment"],
  },
  errorType: {
    kind: "string",
    keys: ["error.type"],
  },
} satisfies Record<string, FieldRule>;

export type FieldName = keyof typeof FIELD_RULES;

/** Field names in a fixed order; a field's position is its id in compiled tables. */
export const FIELD_NAMES = Object.keys(FIELD_RULES) as FieldName[];

/**
 * Sums that stand in for a field when none of its keys is present: Langfuse and Anthropic split
 * cache writes by TTL, and OpenInference can report cost only per side.
 */
export const FIELD_SUMS: Partial<Record<FieldName, readonly (readonly string[])[]>> = {
  cacheWriteTokens: [
    under(LF_USAGE, ["input_cache_creation_5m", "input_cache_creation_1h"]),
    under(LF_USAGE, ["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"]),
  ],
  reportedCost: [["llm.cost.prompt", "llm.cost.completion"]],
};

/**
 * JSON-valued attributes whose members are facts (expanded by span-facts.ts into
 * `<attribute>.<path>` keys). Everything else that looks like JSON is left alone.
 */
export const EXPANDED_JSON_ATTRIBUTES: readonly string[] = [
  PROVIDER_METADATA,
  LF_USAGE,
  "langfuse.observation.cost_details",
  "langfuse.observation.model.parameters",
  "llm.invocation_parameters",
  "ai.telemetry.metadata.langfusePrompt",
  "request_data",
  "response_data",
];
