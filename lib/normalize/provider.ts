/**
 * Provider names → OpenTelemetry GenAI well-known values (`gen_ai.provider.name`), whatever
 * spelling the instrumentation used: deprecated `gen_ai.system` values, AI SDK provider ids
 * (`openai.chat`, `anthropic.messages`, `google.vertex.chat`), OpenInference `llm.provider` /
 * `llm.system`, OpenLIT extras, or capitalized names from old Traceloop JS.
 */

/** Lower-cased spelling → well-known value. Dotted ids are also matched by their prefixes. */
const PROVIDER_ALIASES: ReadonlyMap<string, string> = new Map([
  ...aliases("openai", ["openai", "open_ai", "open-ai"]),
  ...aliases("anthropic", ["anthropic", "claude"]),
  ...aliases("aws.bedrock", ["aws.bedrock", "aws", "bedrock", "amazon-bedrock", "amazon_bedrock", "aws_bedrock", "aws-bedrock", "amazon.bedrock"]),
  ...aliases("azure.ai.openai", ["azure.ai.openai", "az.ai.openai", "azure", "azure_openai", "azure-openai", "azureopenai", "azure.openai"]),
  ...aliases("azure.ai.inference", ["azure.ai.inference", "az.ai.inference", "azure-ai-inference", "azure_ai_inference"]),
  ...aliases("gcp.gemini", ["gcp.gemini", "gemini", "google", "google.generative-ai", "google.generative_ai", "google-generative-ai", "google.ai.studio", "google-gla", "google_genai", "google.genai", "googleai", "google_ai_studio"]),
  ...aliases("gcp.vertex_ai", ["gcp.vertex_ai", "vertex_ai", "vertexai", "vertex", "vertex-ai", "google.vertex", "google-vertex", "google_vertex", "google.vertexai"]),
  ...aliases("gcp.gen_ai", ["gcp.gen_ai"]),
  ...aliases("mistral_ai", ["mistral_ai", "mistral", "mistralai", "mistral-ai"]),
  ...aliases("x_ai", ["x_ai", "xai", "x-ai", "grok"]),
  ...aliases("cohere", ["cohere"]),
  ...aliases("groq", ["groq"]),
  ...aliases("deepseek", ["deepseek", "deep_seek"]),
  ...aliases("perplexity", ["perplexity", "perplexity_ai"]),
  ...aliases("ibm.watsonx.ai", ["ibm.watsonx.ai", "ibm.watson.ai", "watsonx", "ibm", "watsonx.ai"]),
  ...aliases("moonshot_ai", ["moonshot_ai", "moonshot", "moonshotai"]),
]);

function aliases(canonical: string, spellings: string[]): [string, string][] {
  return spellings.map((spelling) => [spelling, canonical]);
}

/** Normalizations already computed: spellings repeat endlessly on the ingest path. */
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 2_000;

/**
 * The well-known provider value for a raw spelling. Tries the whole lower-cased value, then each
 * shorter dot-prefix (`google.vertex.chat` → `google.vertex` → gcp.vertex_ai; `openai.responses`
 * → `openai`). Unknown providers are kept, lower-cased (e.g. `ollama`, `togetherai.chat` →
 * `togetherai`), so grouping still works.
 */
export function normalizeProvider(raw: string): string | null {
  const cached = memo.get(raw);
  if (cached !== undefined) return cached;
  const result = resolveProvider(raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, result);
  return result;
}

function resolveProvider(raw: string): string | null {
  const spelling = raw.trim().toLowerCase();
  if (spelling === "") return null;
  let candidate = spelling;
  for (;;) {
    const known = PROVIDER_ALIASES.get(candidate);
    if (known !== undefined) return known;
    const lastDot = candidate.lastIndexOf(".");
    if (lastDot <= 0) break;
    candidate = candidate.slice(0, lastDot);
  }
  // AI SDK ids of unknown providers look like "togetherai.chat": keep the provider part.
  return candidate;
}

/**
 * Model-name prefixes that identify the provider when the span names none (Langfuse sends only the
 * model). Bedrock model ids (`anthropic.claude-…`, `us.anthropic.claude-…`) are recognised before
 * the vendor prefixes. Deliberately short: a wrong guess is worse than null.
 */
const MODEL_PREFIXES: readonly [string, string][] = [
  ["anthropic.", "aws.bedrock"],
  ["us.anthropic.", "aws.bedrock"],
  ["eu.anthropic.", "aws.bedrock"],
  ["apac.anthropic.", "aws.bedrock"],
  ["amazon.", "aws.bedrock"],
  ["meta.llama", "aws.bedrock"],
  ["gpt-", "openai"],
  ["chatgpt-", "openai"],
  ["o1", "openai"],
  ["o3", "openai"],
  ["o4-", "openai"],
  ["text-embedding-", "openai"],
  ["claude-", "anthropic"],
  ["gemini-", "gcp.gemini"],
  ["mistral-", "mistral_ai"],
  ["mixtral-", "mistral_ai"],
  ["codestral", "mistral_ai"],
  ["grok-", "x_ai"],
  ["command-", "cohere"],
  ["deepseek-", "deepseek"],
];

/** The provider implied by a model name, or null when the name does not say. */
export function providerFromModel(model: string): string | null {
  const lower = model.toLowerCase();
  for (const [prefix, provider] of MODEL_PREFIXES) {
    if (lower.startsWith(prefix)) return provider;
  }
  return null;
}

/** Providers whose own API reports cache tokens on top of input tokens (cache-exclusive). */
export const CACHE_EXCLUSIVE_PROVIDERS: ReadonlySet<string> = new Set(["anthropic", "aws.bedrock"]);

/**
 * Whose usage format a call's token counts follow. Usually the provider's; a provider the span
 * does not name is taken from the model, and Claude served by Vertex AI keeps Anthropic's format
 * (cache counted apart from input).
 */
export function usageVendor(provider: string | null, model: string | null): string | null {
  if (provider === null) return model === null ? null : providerFromModel(model);
  if (provider === "gcp.vertex_ai" && model !== null && providerFromModel(model) === "anthropic") return "anthropic";
  return provider;
}
