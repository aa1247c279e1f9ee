/**
 * Matching a call's provider and model to a price row.
 *
 * Patterns are lower-cased model names where `*` stands for any run of characters:
 * `claude-sonnet-4*`, `gemini-2.5-pro*`, or an exact name such as `gpt-4o`. The most specific
 * pattern wins: the longest literal text before the first `*`; at equal length an exact name beats
 * a wildcard. An exact name also covers its dated snapshots (`gpt-4o` prices `gpt-4o-2024-08-06`,
 * `claude-opus-4-1` prices `claude-opus-4-1-20250805`) unless a row names the snapshot itself.
 *
 * Model names are compared in a few spellings (modelNameCandidates): as sent, and without a
 * cloud's wrapping (Bedrock `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, Vertex
 * `claude-sonnet-4-5@20250929`, Gemini `models/gemini-2.5-pro` or a full resource name).
 */
export interface ModelPattern {
  /** As stored, lower-cased. */
  pattern: string;
  literalPrefixLength: number;
  isExact: boolean;
  matches: (modelName: string) => boolean;
}

export class ModelPatternError extends Error {}

export const MAX_PATTERN_LENGTH = 200;

export function validateModelPattern(pattern: string): string | null {
  const trimmed = pattern.trim();
  if (trimmed.length === 0) return "a model pattern cannot be empty";
  if (trimmed.length > MAX_PATTERN_LENGTH) return `a model pattern is at most ${MAX_PATTERN_LENGTH} characters`;
  if (/\s/.test(trimmed)) return "a model pattern cannot contain spaces";
  if (/^\*+$/.test(trimmed)) return "a model pattern needs some literal text (a bare * would price every model)";
  return null;
}

export function compileModelPattern(pattern: string): ModelPattern {
  const problem = validateModelPattern(pattern);
  if (problem) throw new ModelPatternError(`"${pattern}": ${problem}`);
  const normalized = pattern.trim().toLowerCase();
  const star = normalized.indexOf("*");
  if (star === -1) {
    return { pattern: normalized, literalPrefixLength: normalized.length, isExact: true, matches: (name) => name === normalized };
  }
  const prefix = normalized.slice(0, star);
  if (star === normalized.length - 1) {
    return { pattern: normalized, literalPrefixLength: star, isExact: false, matches: (name) => name.startsWith(prefix) };
  }
  const regex = new RegExp(`^${normalized.split("*").map(escapeRegExp).join(".*")}$`);
  return { pattern: normalized, literalPrefixLength: star, isExact: false, matches: (name) => regex.test(name) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Orders matching patterns: most specific first. */
export function compareSpecificity(a: ModelPattern, b: ModelPattern): number {
  if (a.literalPrefixLength !== b.literalPrefixLength) return b.literalPrefixLength - a.literalPrefixLength;
  if (a.isExact !== b.isExact) return a.isExact ? -1 : 1;
  return b.pattern.length - a.pattern.length;
}

const BEDROCK_MODEL_ID = /^(?:[a-z]{2,6}\.)?(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.(.+)$/;
const BEDROCK_VERSION_SUFFIX = /-v\d+(?::\d+)?$|:\d+$/;
const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/** The spellings of a model name to match patterns against, the name as sent first. */
export function modelNameCandidates(model: string): string[] {
  const raw = model.trim().toLowerCase();
  const candidates = [raw];
  let name = raw;
  // Resource names: "models/gemini-2.5-pro", "projects/p/locations/l/publishers/google/models/…",
  // Bedrock ARNs "arn:aws:bedrock:…:inference-profile/us.anthropic.claude-…".
  if (name.startsWith("models/") || name.includes("/models/") || name.startsWith("arn:")) {
    name = name.slice(name.lastIndexOf("/") + 1);
  }
  const bedrock = BEDROCK_MODEL_ID.exec(name);
  if (bedrock) name = bedrock[1]!.replace(BEDROCK_VERSION_SUFFIX, "");
  name = name.replace("@", "-"); // Vertex: claude-sonnet-4-5@20250929
  if (name !== raw) candidates.push(name);
  for (const candidate of [...candidates]) {
    const undated = candidate.replace(DATE_SUFFIX, "");
    if (undated !== candidate && undated.length > 0) candidates.push(undated);
  }
  return [...new Set(candidates)];
}

/**
 * Provider spellings seen in the wild → the OpenTelemetry well-known value used in the price list.
 * The normalizer should already send the well-known value; this keeps pricing right if it does not.
 */
const PROVIDER_ALIASES: Record<string, string> = {
  "az.ai.openai": "azure.ai.openai",
  azure: "azure.ai.openai",
  azure_openai: "azure.ai.openai",
  "az.ai.inference": "azure.ai.inference",
  gemini: "gcp.gemini",
  google: "gcp.gemini",
  "google.generative-ai": "gcp.gemini",
  vertex_ai: "gcp.vertex_ai",
  vertexai: "gcp.vertex_ai",
  "google.vertex": "gcp.vertex_ai",
  bedrock: "aws.bedrock",
  aws: "aws.bedrock",
  xai: "x_ai",
  mistral: "mistral_ai",
  mistralai: "mistral_ai",
  together: "together_ai",
  togetherai: "together_ai",
  fireworks: "fireworks_ai",
};

export function canonicalProvider(provider: string): string {
  const lower = provider.trim().toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

/**
 * Providers that resell another provider's models at its list price. When a call's own provider
 * has no matching row, the model is looked up under these, in order, and priced only if the
 * model name matches there (a Bedrock Claude id matches the Anthropic rows; a Bedrock Llama id
 * matches nothing and stays unknown). Regional endpoints that charge a premium need their own rows.
 */
const PROVIDER_FALLBACKS: Record<string, readonly string[]> = {
  "azure.ai.openai": ["openai"],
  "azure.ai.inference": ["openai"],
  "aws.bedrock": ["anthropic"],
  "gcp.vertex_ai": ["gcp.gemini", "anthropic"],
  "gcp.gen_ai": ["gcp.gemini", "anthropic"],
};

/** The providers whose rows may price a call from `provider`, the provider itself first. */
export function priceProvidersFor(provider: string): string[] {
  const canonical = canonicalProvider(provider);
  return [canonical, ...(PROVIDER_FALLBACKS[canonical] ?? [])];
}
