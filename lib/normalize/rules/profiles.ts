/**
 * Per-instrumentation profiles, chosen by instrumentation scope name (otel-mapping.md §6). A
 * profile carries what an attribute name alone cannot say: whether Anthropic/Bedrock input counts
 * arrive cache-exclusive, whether cache counts of 0 are left out, which extra attributes are
 * captured content, and keys to prefer over the shared lists in fields.ts.
 */
import type { AttributeValue } from "@/lib/otlp/types";
import type { FieldName } from "./fields";

export type ProfileId =
  | "ai-sdk"
  | "traceloop-js"
  | "openllmetry-python"
  | "openinference"
  | "langfuse"
  | "pydantic-ai"
  | "openlit"
  | "logfire"
  | "generic";

export type AttributeLookup = (key: string) => AttributeValue | undefined;

export interface InstrumentationProfile {
  id: ProfileId;
  /**
   * True when, for Anthropic and Bedrock, this instrumentation sends the provider's raw input
   * count, which leaves cache reads and writes out (otel-mapping.md §0.2 and §5).
   */
  sendsCacheExclusiveInput: (lookup: AttributeLookup) => boolean;
  /**
   * True when this instrumentation leaves cache attributes out for Anthropic when they are 0
   * (OpenInference records them only when > 0). Anthropic always reports both cache counts, so
   * when the call's usage was recorded, a missing cache count there means 0, not "unknown".
   */
  omitsZeroCacheTokensForAnthropic: boolean;
  /**
   * An attribute that, when present without a stream flag, means the call was not streamed:
   * OpenInference records every invocation parameter, and `"stream": true` is one of them.
   */
  notStreamedWithoutFlagIn: string | null;
  /** Attributes that hold captured content for this instrumentation only. */
  extraContentKeys: readonly string[];
  /** Keys tried before the shared lists of fields.ts. */
  preferredKeys: Partial<Record<FieldName, readonly string[]>>;
}

const never = (): boolean => false;
const always = (): boolean => true;

/** AI SDK v6+ usage carries `inputTokenDetails` and an inclusive input count. */
const AI_SDK_V6_USAGE_KEYS = [
  "ai.usage.inputTokenDetails.noCacheTokens",
  "ai.usage.inputTokenDetails.cacheReadTokens",
  "ai.usage.inputTokenDetails.cacheWriteTokens",
];

/**
 * AI SDK ≤ v5 (`ai.usage.promptTokens` / `ai.usage.inputTokens` without `inputTokenDetails`) passes
 * Anthropic's and Bedrock's raw `input_tokens` through; v6 and the v7 `@ai-sdk/otel` chat spans
 * (no `ai.operationId`) count cache inside input.
 */
function aiSdkSendsCacheExclusiveInput(lookup: AttributeLookup): boolean {
  const operationName = lookup("operation.name");
  const isLegacySpan =
    lookup("ai.operationId") !== undefined || (typeof operationName === "string" && operationName.startsWith("ai."));
  return isLegacySpan && AI_SDK_V6_USAGE_KEYS.every((key) => lookup(key) === undefined);
}

const PROFILES: Record<ProfileId, InstrumentationProfile> = {
  "ai-sdk": {
    id: "ai-sdk",
    sendsCacheExclusiveInput: aiSdkSendsCacheExclusiveInput,
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: {},
  },
  "traceloop-js": {
    id: "traceloop-js",
    sendsCacheExclusiveInput: always, // 0.27: raw Anthropic input_tokens (instrumentation-anthropic L318–327)
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: {},
  },
  "openllmetry-python": {
    id: "openllmetry-python",
    sendsCacheExclusiveInput: never, // HEAD adds cache back itself; older versions: heuristic
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: {},
  },
  openinference: {
    id: "openinference",
    sendsCacheExclusiveInput: never, // llm.token_count.prompt = input + write + read
    omitsZeroCacheTokensForAnthropic: true,
    notStreamedWithoutFlagIn: "llm.invocation_parameters",
    extraContentKeys: [],
    preferredKeys: {
      inputTokens: ["llm.token_count.prompt"],
      outputTokens: ["llm.token_count.completion"],
      responseModel: ["llm.response.model_name", "llm.model_name"],
    },
  },
  langfuse: {
    id: "langfuse",
    sendsCacheExclusiveInput: never, // usage_details.input is handled per key in tokens.ts
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: { requestModel: ["langfuse.observation.model.name"] },
  },
  "pydantic-ai": {
    id: "pydantic-ai",
    sendsCacheExclusiveInput: never,
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: ["events"],
    preferredKeys: {},
  },
  openlit: {
    id: "openlit",
    sendsCacheExclusiveInput: always, // Python: raw input_tokens; only its cost adds cache
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: {},
  },
  logfire: {
    id: "logfire",
    sendsCacheExclusiveInput: never, // raw Anthropic usage is recognised per key in tokens.ts
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: ["request_data", "response_data"],
    preferredKeys: {},
  },
  generic: {
    id: "generic",
    sendsCacheExclusiveInput: never,
    omitsZeroCacheTokensForAnthropic: false,
    notStreamedWithoutFlagIn: null,
    extraContentKeys: [],
    preferredKeys: {},
  },
};

/** Scope names matched exactly. */
const SCOPE_EXACT: ReadonlyMap<string, ProfileId> = new Map([
  ["ai", "ai-sdk"],
  ["@ai-sdk/otel", "ai-sdk"],
  ["gen_ai", "ai-sdk"], // AI SDK v7 @ai-sdk/otel tracer name
  ["langfuse-sdk", "langfuse"],
  ["langfuse", "langfuse"],
  ["pydantic-ai", "pydantic-ai"],
  ["openlit.otel.tracing", "openlit"],
  ["openlit", "openlit"],
]);

/** Scope-name prefixes, tried in order after the exact names. */
const SCOPE_PREFIXES: readonly [string, ProfileId][] = [
  ["@traceloop/instrumentation-", "traceloop-js"],
  ["@arizeai/openinference-instrumentation-", "openinference"],
  ["openinference.instrumentation.", "openinference"],
  ["opentelemetry.instrumentation.", "openllmetry-python"],
  ["openlit.", "openlit"],
  ["logfire", "logfire"],
];

const profileByScope = new Map<string, InstrumentationProfile>();
const SCOPE_MEMO_LIMIT = 1_000;

/** The profile for an instrumentation scope name (memoized: scopes are few, spans many). */
export function profileForScope(scopeName: string): InstrumentationProfile {
  const cached = profileByScope.get(scopeName);
  if (cached !== undefined) return cached;
  let id: ProfileId = SCOPE_EXACT.get(scopeName) ?? "generic";
  if (id === "generic") {
    for (const [prefix, prefixId] of SCOPE_PREFIXES) {
      if (scopeName.startsWith(prefix)) {
        id = prefixId;
        break;
      }
    }
  }
  const profile = PROFILES[id];
  if (profileByScope.size >= SCOPE_MEMO_LIMIT) profileByScope.clear();
  profileByScope.set(scopeName, profile);
  return profile;
}

export function allProfiles(): InstrumentationProfile[] {
  return Object.values(PROFILES);
}
