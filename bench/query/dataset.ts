/**
 * The shape of the query benchmark's traffic: who calls which model with which prompt, and how each
 * model behaves. Plain data; load-calls.ts turns it into lookup arrays that one INSERT … SELECT uses
 * to draw 10M calls in PostgreSQL. Correlations are built in: a service uses a few models, prompts
 * and features; a customer belongs to one team; traffic per customer is Zipf-like.
 */
export interface ModelSpec {
  provider: "openai" | "anthropic" | "gcp.gemini";
  requestModel: string;
  /** What the provider answers with (dated snapshots), else the request model. */
  responseModel: string;
  /** TTFT ≈ exp(N(ln median, sigma)) ms, with a slow mode (thinking, queueing) of probability slowShare. */
  ttftMedianMs: number;
  ttftSigma: number;
  slowShare: number;
  slowFactor: number;
  /** Output tokens per second while streaming. */
  tokensPerSecond: number;
  errorRate: number;
  /** Reports reasoning tokens (inside output tokens). */
  isReasoning: boolean;
}

export const MODELS: readonly ModelSpec[] = [
  { provider: "openai", requestModel: "gpt-4o", responseModel: "gpt-4o-2024-08-06", ttftMedianMs: 420, ttftSigma: 0.45, slowShare: 0.03, slowFactor: 4, tokensPerSecond: 85, errorRate: 0.012, isReasoning: false },
  { provider: "openai", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini", ttftMedianMs: 290, ttftSigma: 0.4, slowShare: 0.02, slowFactor: 3.5, tokensPerSecond: 120, errorRate: 0.008, isReasoning: false },
  { provider: "openai", requestModel: "gpt-5-mini", responseModel: "gpt-5-mini", ttftMedianMs: 650, ttftSigma: 0.35, slowShare: 0.4, slowFactor: 4.5, tokensPerSecond: 95, errorRate: 0.015, isReasoning: true },
  { provider: "anthropic", requestModel: "claude-sonnet-4-5", responseModel: "claude-sonnet-4-5-20250929", ttftMedianMs: 720, ttftSigma: 0.5, slowShare: 0.04, slowFactor: 3, tokensPerSecond: 62, errorRate: 0.02, isReasoning: false },
  { provider: "anthropic", requestModel: "claude-haiku-4-5", responseModel: "claude-haiku-4-5-20251001", ttftMedianMs: 360, ttftSigma: 0.35, slowShare: 0.02, slowFactor: 3, tokensPerSecond: 150, errorRate: 0.01, isReasoning: false },
  { provider: "gcp.gemini", requestModel: "gemini-2.5-flash", responseModel: "gemini-2.5-flash", ttftMedianMs: 410, ttftSigma: 0.5, slowShare: 0.2, slowFactor: 3.5, tokensPerSecond: 180, errorRate: 0.012, isReasoning: false },
  { provider: "gcp.gemini", requestModel: "gemini-2.5-pro", responseModel: "gemini-2.5-pro", ttftMedianMs: 1_200, ttftSigma: 0.3, slowShare: 0.5, slowFactor: 4, tokensPerSecond: 55, errorRate: 0.025, isReasoning: true },
  // No seeded price: its calls have an unknown cost (null, never $0).
  { provider: "gcp.gemini", requestModel: "gemini-2.0-flash", responseModel: "gemini-2.0-flash", ttftMedianMs: 260, ttftSigma: 0.4, slowShare: 0.02, slowFactor: 3, tokensPerSecond: 200, errorRate: 0.01, isReasoning: false },
];

export interface PromptSpec {
  name: string;
  /** Median input and output tokens. */
  inputTokens: number;
  outputTokens: number;
  /** Share of the input that is a stable, cacheable prefix (0: nothing cached). */
  prefixShare: number;
  /** Cache hit probability of a call with a cacheable prefix. */
  hitRate: number;
  /** A version whose prefix starts with dynamic content: it busts the cache on every call. */
  busterVersion: number | null;
  /** Share of calls ending in tool calls. */
  toolShare: number;
}

export const PROMPT_VERSIONS = 5;

export const PROMPTS: readonly PromptSpec[] = [
  { name: "support-answer", inputTokens: 3_800, outputTokens: 320, prefixShare: 0.75, hitRate: 0.82, busterVersion: 4, toolShare: 0.2 },
  { name: "query-rewrite", inputTokens: 600, outputTokens: 40, prefixShare: 0, hitRate: 0, busterVersion: null, toolShare: 0 },
  { name: "rerank", inputTokens: 5_200, outputTokens: 60, prefixShare: 0.3, hitRate: 0.6, busterVersion: null, toolShare: 0 },
  { name: "code-assist", inputTokens: 9_000, outputTokens: 450, prefixShare: 0.6, hitRate: 0.7, busterVersion: null, toolShare: 0.35 },
  { name: "summarize", inputTokens: 14_000, outputTokens: 700, prefixShare: 0.1, hitRate: 0.5, busterVersion: 2, toolShare: 0 },
  { name: "extract-entities", inputTokens: 4_500, outputTokens: 250, prefixShare: 0.4, hitRate: 0.75, busterVersion: null, toolShare: 0.1 },
  { name: "draft-reply", inputTokens: 2_200, outputTokens: 380, prefixShare: 0.55, hitRate: 0.65, busterVersion: 5, toolShare: 0 },
  { name: "classify", inputTokens: 900, outputTokens: 12, prefixShare: 0.8, hitRate: 0.9, busterVersion: null, toolShare: 0 },
  { name: "sql-gen", inputTokens: 7_500, outputTokens: 220, prefixShare: 0.7, hitRate: 0.8, busterVersion: null, toolShare: 0.5 },
  { name: "translate", inputTokens: 1_800, outputTokens: 1_700, prefixShare: 0.2, hitRate: 0.5, busterVersion: null, toolShare: 0 },
];

export interface ServiceSpec {
  name: string;
  /** Relative traffic. */
  weight: number;
  workload: "interactive" | "batch" | null;
  /** true/false: every call says so (5 % of streamed services' calls are not streamed); null: not reported. */
  streaming: boolean | null;
  /** model → weight; prompt → weight; feature → weight. */
  models: Record<string, number>;
  prompts: Record<string, number>;
  features: Record<string, number>;
  /** Environments this service runs in besides production. */
  hasStaging: boolean;
  hasDevelopment: boolean;
  /** Instrumentation gaps: no TTFT, no cache report, share of calls without usage (tokens). */
  reportsTtft: boolean;
  reportsCache: boolean;
  missingUsageShare: number;
  /** Share of calls made on behalf of a customer (the rest: internal work, no customer tag). */
  customerShare: number;
  /** Calls carry no allocation attributes at all (an old instrumentation). */
  hasNoTags: boolean;
  /** The team owning internal calls (no customer). */
  ownerTeam: number;
  version: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  service("support-chat", 18, "interactive", true, { "claude-sonnet-4-5": 6, "gpt-4o": 4 }, { "support-answer": 8, "extract-entities": 2 }, { "support-chat": 6, "support-escalation": 3, "support-summary": 1 }, { ownerTeam: 3 }),
  service("search-api", 16, "interactive", false, { "gpt-4o-mini": 7, "gemini-2.5-flash": 3 }, { "query-rewrite": 5, rerank: 5 }, { "search-rerank": 6, "search-suggest": 3, "search-answers": 1 }, { ownerTeam: 11 }),
  service("copilot-web", 14, "interactive", true, { "gpt-5-mini": 5, "claude-sonnet-4-5": 3, "gpt-4o": 2 }, { "code-assist": 8, "sql-gen": 2 }, { "copilot-inline": 5, "copilot-chat": 4, "copilot-review": 1 }, { ownerTeam: 17, missingUsageShare: 0.08 }),
  service("docs-summarizer", 10, "batch", false, { "gemini-2.5-flash": 5, "claude-haiku-4-5": 5 }, { summarize: 7, "extract-entities": 3 }, { "docs-digest": 5, "contract-review": 3, "invoice-parsing": 2 }, { ownerTeam: 24, customerShare: 0.6, noStaging: true }),
  service("email-drafter", 8, "interactive", true, { "gpt-4o-mini": 6, "claude-haiku-4-5": 4 }, { "draft-reply": 9, classify: 1 }, { "email-assist": 7, "email-followup": 3 }, { ownerTeam: 31 }),
  service("nightly-enrichment", 8, null, false, { "gpt-4o-mini": 5, "gemini-2.0-flash": 5 }, { classify: 6, "extract-entities": 4 }, { "crm-enrichment": 5, "lead-scoring": 3, "churn-signals": 2 }, { ownerTeam: 38, customerShare: 0.3, noStaging: true }),
  service("analytics-agent", 6, "interactive", true, { "gpt-5-mini": 6, "gemini-2.5-pro": 4 }, { "sql-gen": 7, summarize: 3 }, { "ask-data": 6, "dashboard-ai": 3, "anomaly-explain": 1 }, { ownerTeam: 45 }),
  service("onboarding-bot", 5, "interactive", true, { "gpt-4o-mini": 10 }, { "support-answer": 10 }, { "onboarding-guide": 1 }, { ownerTeam: 52, reportsTtft: false, reportsCache: false, hasNoTags: true }),
  service("translation-svc", 5, "batch", false, { "gemini-2.5-flash": 6, "gemini-2.0-flash": 4 }, { translate: 10 }, { "i18n-ui": 5, "i18n-docs": 5 }, { ownerTeam: 60, customerShare: 0.5 }),
  service("moderation", 4, "interactive", false, { "gpt-4o-mini": 5, "claude-haiku-4-5": 5 }, { classify: 10 }, { "ugc-moderation": 7, "abuse-review": 2, "spam-filter": 1 }, { ownerTeam: 66 }),
  service("report-writer", 3, "batch", false, { "claude-sonnet-4-5": 5, "gemini-2.5-pro": 5 }, { summarize: 6, "draft-reply": 4 }, { "weekly-report": 6, "exec-brief": 4 }, { ownerTeam: 73, customerShare: 0.8, noStaging: true }),
  service("voice-assistant", 3, "interactive", null, { "gpt-4o": 6, "gemini-2.5-flash": 4 }, { "support-answer": 5, translate: 5 }, { "voice-ivr": 6, "voice-notes": 4 }, { ownerTeam: 80 }),
];

export const TEAM_COUNT = 100;
export const CUSTOMER_COUNT = 1_000;
export const TAG_KEYS = ["team", "feature", "customer"] as const;

export const teamName = (index: number) => `team-${String(index).padStart(2, "0")}`;
export const customerName = (index: number) => `cust-${String(index).padStart(4, "0")}`;
/** Every customer belongs to one team (a fixed scramble of its number). */
export const customerTeam = (index: number) => (index * 37 + 11) % TEAM_COUNT;

/** All features, in the order their ids are given (1-based in SQL). */
export const FEATURES: readonly string[] = [...new Set(SERVICES.flatMap((s) => Object.keys(s.features)))];

function service(
  name: string,
  weight: number,
  workload: ServiceSpec["workload"],
  streaming: boolean | null,
  models: Record<string, number>,
  prompts: Record<string, number>,
  features: Record<string, number>,
  options: {
    ownerTeam: number;
    reportsTtft?: boolean;
    reportsCache?: boolean;
    missingUsageShare?: number;
    customerShare?: number;
    hasNoTags?: boolean;
    noStaging?: boolean;
  },
): ServiceSpec {
  return {
    name,
    weight,
    workload,
    streaming,
    models,
    prompts,
    features,
    hasStaging: !options.noStaging,
    hasDevelopment: workload === "interactive",
    reportsTtft: options.reportsTtft ?? true,
    reportsCache: options.reportsCache ?? true,
    missingUsageShare: options.missingUsageShare ?? 0.01,
    customerShare: options.customerShare ?? 0.95,
    hasNoTags: options.hasNoTags ?? false,
    ownerTeam: options.ownerTeam,
    version: `${1 + (name.length % 3)}.${name.length % 7}.${weight % 5}`,
  };
}
