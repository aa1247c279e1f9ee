import type { ResolvedPrice } from "@/lib/pricing/price-book";
import {
  CUSTOMER_COUNT,
  FEATURES,
  MODELS,
  PROMPT_VERSIONS,
  PROMPTS,
  SERVICES,
  TEAM_COUNT,
} from "./dataset";

/**
 * One INSERT … SELECT that draws the LLM calls of rows [$lo, $hi] of the benchmark in PostgreSQL.
 *
 * Every random draw is u(i, k): a uniform in (0, 1) hashed from the row number and a draw number,
 * so a chunk always holds the same calls. Lookup arrays (built here from dataset.ts) turn uniforms
 * into correlated choices: service by weight, then that service's model, prompt, feature and
 * environment; customer by a Zipf-like law, and the customer's team. Prompt versions roll out over
 * the window (each lives about six days, with canaries before the switch). Costs and cache
 * savings are computed exactly like lib/pricing/compute-cost.ts from each model's resolved price.
 */
export interface GeneratorStatement {
  text: string;
  /** Values for $1..$n; the chunk's bounds are set per chunk (see CHUNK_PARAMETERS). */
  values: unknown[];
}

/** Indexes (0-based) in `values` of the chunk's first and last row numbers. */
export const CHUNK_PARAMETERS = { lo: 0, hi: 1 } as const;

const ENVIRONMENTS = ["production", "staging", "development"];
const SCOPES: Record<string, string> = {
  openai: "opentelemetry.instrumentation.openai_v2",
  anthropic: "opentelemetry.instrumentation.anthropic",
  "gcp.gemini": "opentelemetry.instrumentation.google_genai",
};

class Parameters {
  readonly values: unknown[] = [null, null];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** 1-based slots: index i of a table of `size` entries → the chosen item's 1-based index, by weight. */
function slots(weights: readonly number[], size: number): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const result: number[] = [];
  let cumulative = 0;
  weights.forEach((weight, index) => {
    cumulative += weight;
    while (result.length < Math.round((cumulative / total) * size)) result.push(index + 1);
  });
  return result;
}

function perServiceSlots(pick: (service: (typeof SERVICES)[number]) => Record<string, number>, names: readonly string[]): number[] {
  return SERVICES.flatMap((service) => {
    const weights = names.map((name) => pick(service)[name] ?? 0);
    return slots(weights, 100);
  });
}

function environmentSlots(): number[] {
  return SERVICES.flatMap((service) =>
    slots([88, service.hasStaging ? 9 : 0, service.hasDevelopment ? 3 : 0], 100),
  );
}

function prefixHash(seed: string): string {
  // A stable 64-hex-digit stand-in for a SHA-256 prefix hash (SQL md5 twice, kept in JS form here).
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const char of seed) {
    h1 = Math.imul(h1 ^ char.charCodeAt(0), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ char.charCodeAt(0), 0x5bd1e995) >>> 0;
  }
  return Array.from({ length: 8 }, (_, i) => ((i % 2 === 0 ? h1 : h2) ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0)
    .map((word) => word.toString(16).padStart(8, "0"))
    .join("");
}

export function callGeneratorSql(
  projectId: string,
  window: { startMs: number; rows: number; durationMs: number },
  prices: readonly (ResolvedPrice | null)[],
): GeneratorStatement {
  const p = new Parameters();
  const lo = "$1::int8";
  const hi = "$2::int8";
  const models = MODELS.map((model) => model.requestModel);
  const prompts = PROMPTS.map((prompt) => prompt.name);
  const picoOrNull = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());
  const S = {
    project: p.add(projectId, "uuid"),
    start: p.add(new Date(window.startMs).toISOString(), "timestamptz"),
    stepUs: p.add((window.durationMs * 1000) / window.rows, "float8"),
    rows: p.add(window.rows, "float8"),
    svcSlots: p.add(slots(SERVICES.map((s) => s.weight), 1000), "int[]"),
    modelSlots: p.add(perServiceSlots((s) => s.models, models), "int[]"),
    promptSlots: p.add(perServiceSlots((s) => s.prompts, prompts), "int[]"),
    featureSlots: p.add(perServiceSlots((s) => s.features, FEATURES), "int[]"),
    envSlots: p.add(environmentSlots(), "int[]"),
    envNames: p.add(ENVIRONMENTS, "text[]"),
    svcName: p.add(SERVICES.map((s) => s.name), "text[]"),
    svcWorkload: p.add(SERVICES.map((s) => s.workload), "text[]"),
    svcStreaming: p.add(SERVICES.map((s) => (s.streaming === null ? 2 : s.streaming ? 1 : 0)), "int[]"),
    svcTtft: p.add(SERVICES.map((s) => s.reportsTtft), "bool[]"),
    svcCache: p.add(SERVICES.map((s) => s.reportsCache), "bool[]"),
    svcNoUsage: p.add(SERVICES.map((s) => s.missingUsageShare), "float8[]"),
    svcCustomer: p.add(SERVICES.map((s) => s.customerShare), "float8[]"),
    svcNoTags: p.add(SERVICES.map((s) => s.hasNoTags), "bool[]"),
    svcOwner: p.add(SERVICES.map((s) => s.ownerTeam), "int[]"),
    svcVersion: p.add(SERVICES.map((s) => s.version), "text[]"),
    features: p.add(FEATURES, "text[]"),
    mProvider: p.add(MODELS.map((m) => m.provider), "text[]"),
    mRequest: p.add(models, "text[]"),
    mResponse: p.add(MODELS.map((m) => m.responseModel), "text[]"),
    mScope: p.add(MODELS.map((m) => SCOPES[m.provider]), "text[]"),
    mMu: p.add(MODELS.map((m) => Math.log(m.ttftMedianMs)), "float8[]"),
    mSigma: p.add(MODELS.map((m) => m.ttftSigma), "float8[]"),
    mSlowShare: p.add(MODELS.map((m) => m.slowShare), "float8[]"),
    mSlowFactor: p.add(MODELS.map((m) => m.slowFactor), "float8[]"),
    mTps: p.add(MODELS.map((m) => m.tokensPerSecond), "float8[]"),
    mError: p.add(MODELS.map((m) => m.errorRate), "float8[]"),
    mReasoning: p.add(MODELS.map((m) => m.isReasoning), "bool[]"),
    mPriced: p.add(prices.map((price) => price !== null), "bool[]"),
    mIn: p.add(prices.map((price) => picoOrNull(price?.inputPicoUsdPerToken)), "int8[]"),
    mCacheRead: p.add(prices.map((price) => picoOrNull(price?.cacheReadPicoUsdPerToken)), "int8[]"),
    mCacheWrite: p.add(prices.map((price) => picoOrNull(price?.cacheWrite5mPicoUsdPerToken)), "int8[]"),
    mOut: p.add(prices.map((price) => picoOrNull(price?.outputPicoUsdPerToken)), "int8[]"),
    pName: p.add(prompts, "text[]"),
    pInMu: p.add(PROMPTS.map((x) => Math.log(x.inputTokens)), "float8[]"),
    pOutMu: p.add(PROMPTS.map((x) => Math.log(x.outputTokens)), "float8[]"),
    pPrefix: p.add(PROMPTS.map((x) => x.prefixShare), "float8[]"),
    pHit: p.add(PROMPTS.map((x) => x.hitRate), "float8[]"),
    pBuster: p.add(PROMPTS.map((x) => x.busterVersion ?? 0), "int[]"),
    pTool: p.add(PROMPTS.map((x) => x.toolShare), "float8[]"),
    pPhase: p.add(PROMPTS.map((_, i) => ((i * 0.37) % 1) * 0.6), "float8[]"),
    pHash: p.add(
      PROMPTS.flatMap((x) => Array.from({ length: PROMPT_VERSIONS }, (_, v) => prefixHash(`${x.name}@v${v + 1}`))),
      "text[]",
    ),
  };
  // Uniform in (0, 1) and standard normal draws from the row number.
  const u = (k: number) => `(((hashint8extended(i, ${k}) >> 11) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0`;
  const z = (a: number, b: number) => `(sqrt(-2 * ln(${u(a)})) * cos(2 * pi() * ${u(b)}))`;
  const slot = (table: string, k: number) => `(${table})[(s - 1) * 100 + 1 + floor(${u(k)} * 100)::int]`;

  const text = `
INSERT INTO spans (project_id, start_time, trace_id, span_id, parent_span_id, end_time, duration_ms, service_name,
  environment, name, kind, scope_name, status, error_type, is_llm, operation, provider, request_model, response_model,
  finish_reason, streaming, ttft_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  reasoning_tokens, cost_nano_usd, cost_source, cache_savings_nano_usd, prompt_name, prompt_version, prompt_prefix_hash,
  user_id, session_id, workload, attributes, events, received_at)
SELECT ${S.project}, start_time, int8send(hashint8extended(i, 101)) || int8send(hashint8extended(i, 102)),
  int8send(hashint8extended(i, 103)), int8send(hashint8extended(i, 104)),
  start_time + duration_ms * interval '1 millisecond', duration_ms, (${S.svcName})[s], (${S.envNames})[e],
  'chat ' || (${S.mRequest})[m], 3, (${S.mScope})[m], CASE WHEN is_error THEN 'error' ELSE 'ok' END,
  CASE WHEN NOT is_error THEN NULL WHEN u_err < 0.5 THEN 'RateLimitError' WHEN u_err < 0.8 THEN 'APITimeoutError'
       ELSE 'InternalServerError' END,
  true, 'chat', (${S.mProvider})[m], (${S.mRequest})[m], (${S.mResponse})[m],
  CASE WHEN is_error THEN NULL WHEN output_tokens >= 8192 THEN 'length' WHEN u_tool < (${S.pTool})[pr] THEN 'tool_calls'
       ELSE 'stop' END,
  streaming, ttft_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  CASE WHEN priced THEN (pico + 500) / 1000 END, CASE WHEN priced THEN 'computed' ELSE 'unknown' END,
  CASE WHEN (cache_read_tokens IS NULL AND cache_write_tokens IS NULL) OR NOT (${S.mPriced})[m] THEN NULL
       WHEN saved_pico >= 0 THEN (saved_pico + 500) / 1000 ELSE -((500 - saved_pico) / 1000) END,
  (${S.pName})[pr], 'v' || version,
  CASE WHEN version = (${S.pBuster})[pr] THEN md5(i::text) || md5((i % 977)::text)
       ELSE (${S.pHash})[(pr - 1) * ${PROMPT_VERSIONS} + version] END,
  CASE WHEN c IS NOT NULL THEN 'u-' || c || '-' || (hashint8extended(i, 105) & 31) END,
  's-' || to_hex(hashint8extended(i / 6, 106) & 1099511627775),
  (${S.svcWorkload})[s],
  CASE WHEN (${S.svcNoTags})[s] THEN jsonb_build_object('service.version', (${S.svcVersion})[s])
       ELSE jsonb_strip_nulls(jsonb_build_object('team', 'team-' || lpad(team::text, 2, '0'),
              'feature', (${S.features})[f], 'customer', 'cust-' || lpad(c::text, 4, '0'),
              'service.version', (${S.svcVersion})[s])) END,
  NULL, start_time + (duration_ms + 1500) * interval '1 millisecond'
FROM (
  SELECT *,
    greatest(coalesce(input_tokens, 0) - coalesce(cache_read_tokens, 0) - coalesce(cache_write_tokens, 0), 0)
      * (${S.mIn})[m]
      + coalesce(cache_read_tokens, 0) * coalesce((${S.mCacheRead})[m], (${S.mIn})[m])
      + coalesce(cache_write_tokens, 0) * coalesce((${S.mCacheWrite})[m], (${S.mIn})[m])
      + coalesce(output_tokens, 0) * (${S.mOut})[m] AS pico,
    coalesce(cache_read_tokens, 0) * ((${S.mIn})[m] - coalesce((${S.mCacheRead})[m], (${S.mIn})[m]))
      + coalesce(cache_write_tokens, 0) * ((${S.mIn})[m] - coalesce((${S.mCacheWrite})[m], (${S.mIn})[m])) AS saved_pico,
    (${S.mPriced})[m] AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL) AS priced,
    CASE WHEN is_error AND u_timeout < 0.3 THEN 30000 * (1 + (u_tool < 0.3)::int) + u_err * 40
         WHEN is_error THEN first_ms * (0.5 + u_tool)
         ELSE (first_ms + coalesce(output_tokens, 300) * 1000.0 / (${S.mTps})[m] * exp(0.25 * ${z(24, 25)})) * tail END
      AS duration_ms,
    CASE WHEN streaming AND (${S.svcTtft})[s] AND NOT (is_error AND u_timeout < 0.6) THEN first_ms END AS ttft_ms
  FROM (
    SELECT *,
      CASE WHEN reports_cache THEN CASE WHEN hit THEN prefix ELSE 0 END END AS cache_read_tokens,
      CASE WHEN reports_cache AND (${S.mProvider})[m] = 'anthropic' THEN CASE WHEN hit THEN 0 ELSE prefix END END
        AS cache_write_tokens,
      exp((${S.mMu})[m] + (${S.mSigma})[m] * ${z(21, 22)})
        * CASE WHEN ${u(23)} < (${S.mSlowShare})[m] THEN (${S.mSlowFactor})[m] ELSE 1 END
        * (1 + coalesce(input_tokens, 2000) / 40000.0) * CASE WHEN hit AND reports_cache THEN 0.6 ELSE 1 END AS first_ms,
      CASE WHEN ${u(26)} < 0.015 THEN least(40, power(${u(27)}, -1 / 1.1)) ELSE 1 END AS tail
    FROM (
      SELECT *,
        (${S.svcCache})[s] AND input_tokens IS NOT NULL AS reports_cache,
        (${S.pPrefix})[pr] > 0 AND ${u(18)} < CASE WHEN version = (${S.pBuster})[pr] THEN 0.01 ELSE (${S.pHit})[pr] END AS hit,
        (floor(coalesce(input_tokens, 0) * (${S.pPrefix})[pr] / 128) * 128)::int8 AS prefix
      FROM (
        SELECT *,
          CASE WHEN no_usage THEN NULL
               ELSE greatest(20, round(exp((${S.pInMu})[pr] + 0.55 * ${z(13, 14)}) * (1 + 0.06 * (version - 3))))::int8 END
            AS input_tokens,
          -- Reasoning models: output tokens include the reasoning tokens (capped together at 8192).
          CASE WHEN no_usage THEN NULL WHEN is_error THEN 0
               ELSE least(8192, round(exp((${S.pOutMu})[pr] + 0.7 * ${z(15, 16)})
                                      * CASE WHEN (${S.mReasoning})[m] THEN 1.5 + 2 * ${u(17)} ELSE 1 END))::int8 END
            AS output_tokens,
          CASE WHEN no_usage OR NOT (${S.mReasoning})[m] THEN NULL WHEN is_error THEN 0
               ELSE greatest(0, least(8192, round(exp((${S.pOutMu})[pr] + 0.7 * ${z(15, 16)}) * (1.5 + 2 * ${u(17)})))::int8
                                - round(exp((${S.pOutMu})[pr] + 0.7 * ${z(15, 16)}))::int8) END AS reasoning_tokens
        FROM (
          SELECT *,
            CASE (${S.svcStreaming})[s] WHEN 2 THEN NULL WHEN 1 THEN ${u(10)} >= 0.05 ELSE false END AS streaming,
            ${u(11)} < (${S.mError})[m] * CASE WHEN e = 3 THEN 2 ELSE 1 END AS is_error,
            ${u(12)} < (${S.svcNoUsage})[s] AS no_usage,
            CASE WHEN has_customer THEN (c * 37 + 11) % ${TEAM_COUNT} ELSE (${S.svcOwner})[s] END AS team,
            least(${PROMPT_VERSIONS}, 1 + floor(position * 4.6 + (${S.pPhase})[pr] + CASE WHEN ${u(9)} < 0.2 THEN 0.25 ELSE 0 END))::int
              AS version
          FROM (
            SELECT *,
              ${slot(S.modelSlots, 3)} AS m, ${slot(S.promptSlots, 4)} AS pr, ${slot(S.featureSlots, 5)} AS f,
              ${slot(S.envSlots, 6)} AS e,
              ${u(7)} < (${S.svcCustomer})[s] AS has_customer,
              CASE WHEN ${u(7)} < (${S.svcCustomer})[s] THEN floor(${CUSTOMER_COUNT} * power(${u(8)}, 2.2))::int END AS c
            FROM (
              SELECT i, i / ${S.rows} AS position,
                ${S.start} + (i * ${S.stepUs} + floor(${u(1)} * ${S.stepUs})) * interval '1 microsecond' AS start_time,
                (${S.svcSlots})[1 + floor(${u(2)} * 1000)::int] AS s,
                ${u(19)} AS u_err, ${u(20)} AS u_tool, ${u(28)} AS u_timeout
              FROM generate_series(${lo}, ${hi}) AS i
              OFFSET 0
            ) t1 OFFSET 0
          ) t2 OFFSET 0
        ) t3 OFFSET 0
      ) t4 OFFSET 0
    ) t5 OFFSET 0
  ) t6 OFFSET 0
) t7`;
  return { text, values: p.values };
}
