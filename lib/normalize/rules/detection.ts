/**
 * Which spans are LLM calls, as data. Rules are tried in order (Langfuse's own priority, see
 * otel-mapping.md §2.1, plus Traceloop and AI SDK specifics); the first rule whose attribute is
 * present decides, unless its value is unknown to a rule marked `otherwise: "continue"`.
 *
 * Wrapper spans are not LLM calls, so their usage is not counted twice: AI SDK
 * `ai.generateText`/`ai.streamText`/`ai.generateObject`/`ai.streamObject`/`ai.embed` around
 * `.doGenerate`/`.doStream`/`.doEmbed`, AI SDK v7 `invoke_agent` / `agent_step`, Traceloop
 * workflow/task/agent/tool, OpenInference CHAIN/AGENT/TOOL/RETRIEVER/RERANKER/…,
 * Langfuse span/agent/tool/chain/…. Embeddings are LLM calls (operation "embeddings").
 * Reranking is not counted: it is not a token-priced generation.
 */

export interface DetectionRule {
  /** Attribute read (the AI SDK operation id is derived, see detect.ts). */
  key: string;
  /** Attribute value → normalized operation, for values that mark an LLM call. */
  llmOperations: ReadonlyMap<string, string>;
  /** Values that mark a non-LLM span; with `otherwise: "notLlm"` any unknown value does too. */
  otherwise: "notLlm" | "continue";
  notLlmValues?: ReadonlySet<string>;
  /** Compare case-insensitively (values are lower-cased before lookup). */
  caseInsensitive: boolean;
}

export const AI_SDK_OPERATION_ID = "ai.operationId";

export const DETECTION_RULES: readonly DetectionRule[] = [
  {
    key: "langfuse.observation.type",
    llmOperations: new Map([
      ["generation", "chat"],
      ["embedding", "embeddings"],
    ]),
    otherwise: "notLlm",
    caseInsensitive: true,
  },
  {
    key: "openinference.span.kind",
    llmOperations: new Map([
      ["llm", "chat"],
      ["embedding", "embeddings"],
    ]),
    otherwise: "notLlm",
    caseInsensitive: true,
  },
  {
    key: "traceloop.span.kind",
    llmOperations: new Map(),
    otherwise: "continue",
    notLlmValues: new Set(["workflow", "task", "agent", "tool"]),
    caseInsensitive: true,
  },
  {
    key: AI_SDK_OPERATION_ID,
    llmOperations: new Map([
      ["ai.generatetext.dogenerate", "chat"],
      ["ai.streamtext.dostream", "chat"],
      ["ai.generateobject.dogenerate", "chat"],
      ["ai.streamobject.dostream", "chat"],
      ["ai.embed.doembed", "embeddings"],
      ["ai.embedmany.doembed", "embeddings"],
    ]),
    otherwise: "notLlm",
    caseInsensitive: true,
  },
  {
    key: "gen_ai.operation.name",
    llmOperations: new Map([
      ["chat", "chat"],
      ["text_completion", "text_completion"],
      ["completion", "text_completion"],
      ["generate_content", "generate_content"],
      ["generate", "chat"],
      ["embeddings", "embeddings"],
      ["embedding", "embeddings"],
    ]),
    otherwise: "notLlm",
    caseInsensitive: true,
  },
  {
    key: "llm.request.type",
    llmOperations: new Map([
      ["chat", "chat"],
      ["completion", "text_completion"],
      ["embedding", "embeddings"],
    ]),
    otherwise: "notLlm",
    caseInsensitive: true,
  },
];

/**
 * Last resort (Langfuse's fallback): a span naming a model is an LLM call. Reached only when no
 * rule above decided, e.g. vLLM server spans or hand-written spans with just `gen_ai.*` usage.
 */
export const MODEL_PRESENCE_KEYS: readonly string[] = [
  "gen_ai.request.model",
  "gen_ai.response.model",
  "llm.model_name",
  "langfuse.observation.model.name",
];

/** Operation when an LLM span says nothing more specific. */
export const DEFAULT_OPERATION = "chat";

/** Span names of Logfire's per-stream log spans: they repeat the request span, not a call. */
export const LOGFIRE_STREAM_SPAN_PREFIX = "streaming response from";
