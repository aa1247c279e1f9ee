import type pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { nanoToUsd } from "@/lib/analytics/compute-metrics";
import { picoToNanoUsd } from "@/lib/pricing/money";
import { findPrice } from "@/lib/pricing/compute-cost";
import type { PriceLookup } from "@/lib/pricing/price-book";
import { filterConditions, type CallFilters } from "@/lib/calls/call-filters";

/**
 * The cache-buster detector: prompts (name and version, or the service when calls carry no prompt
 * name) whose prompt-prefix hash (a SHA-256 of the start of the system prompt and tools,
 * lib/normalize/prompt-prefix-hash.ts) changes from call to call. Provider prompt caches key on a
 * byte-identical prefix, so a timestamp or a user name at the front of the system prompt makes
 * every call a cache miss.
 *
 * A prompt is flagged when, among its calls, at least MIN_PREFIXES distinct prefixes appear and
 * most calls (≥ BUSTER_PREFIX_SHARE) bring a prefix of their own. A prompt whose user messages vary
 * keeps one prefix; an A/B test keeps two: neither is flagged.
 *
 * It reads the newest SAMPLE_CALLS calls of the range that carry a prefix hash (raw spans, newest
 * first), so it costs the same on any range; the report says when it sampled.
 */
export const SAMPLE_CALLS = 50_000;
export const MIN_CALLS = 5;
export const MIN_PREFIXES = 3;
export const BUSTER_PREFIX_SHARE = 0.5;

export interface CacheBuster {
  service: string;
  promptName: string | null;
  promptVersion: string | null;
  calls: number;
  distinctPrefixes: number;
  /** Σ cache reads ÷ Σ input tokens of the calls that report cache use; null when none do. */
  cacheHitRate: number | null;
  /**
   * What the uncached input would have cost less at the cache-read price: the shared prefix's share
   * when captured content shows the system prompt ("captured-prefix"), else all uncached input
   * (an upper bound, "upper-bound"). Null when no call of the prompt has a price.
   */
  missedSavingsUsd: number | null;
  missedSavingsBasis: "captured-prefix" | "upper-bound";
  /** Two captured system prompts with different prefixes, around where they first differ. */
  example: PrefixDifference | null;
}

export interface PrefixDifference {
  offset: number;
  before: string;
  after: string;
}

export interface CacheBusterReport {
  busters: CacheBuster[];
  /** Prompts examined (with at least MIN_CALLS calls carrying a prefix hash). */
  promptsExamined: number;
  callsRead: number;
  isSampled: boolean;
}

interface PromptRow {
  service_name: string;
  prompt_name: string | null;
  prompt_version: string | null;
  calls: string;
  prefixes: string;
  cache_read: string;
  cache_input: string;
}

interface PriceRow {
  service_name: string;
  prompt_name: string | null;
  prompt_version: string | null;
  provider: string | null;
  request_model: string | null;
  response_model: string | null;
  uncached: string;
  first_start_ns: string;
}

export async function findCacheBusters(
  db: pg.Pool,
  projectId: string,
  range: { from: Date; to: Date },
  filters: Omit<CallFilters, "from" | "to">,
  priceBook: PriceLookup,
): Promise<CacheBusterReport> {
  const sample = Prisma.sql`
    SELECT s.service_name, s.prompt_name, s.prompt_version, s.prompt_prefix_hash, s.provider, s.request_model,
           s.response_model, s.input_tokens, s.cache_read_tokens, s.cache_write_tokens, s.start_time
    FROM spans s
    WHERE s.project_id = ${projectId}::uuid AND s.is_llm AND s.start_time >= ${range.from} AND s.start_time < ${range.to}
      AND s.prompt_prefix_hash IS NOT NULL AND ${filterConditions(filters)}
    ORDER BY s.start_time DESC
    LIMIT ${SAMPLE_CALLS}`;
  const prompts = Prisma.sql`
    WITH sample AS (${sample})
    SELECT service_name, prompt_name, prompt_version, count(*) AS calls, count(DISTINCT prompt_prefix_hash) AS prefixes,
           COALESCE(sum(cache_read_tokens), 0) AS cache_read,
           COALESCE(sum(input_tokens) FILTER (WHERE cache_read_tokens IS NOT NULL), 0) AS cache_input
    FROM sample
    GROUP BY 1, 2, 3`;
  const { rows } = await db.query<PromptRow>(prompts.text, prompts.values);
  const examined = rows.filter((row) => Number(row.calls) >= MIN_CALLS);
  const flagged = examined.filter((row) => {
    const prefixes = Number(row.prefixes);
    return prefixes >= MIN_PREFIXES && prefixes >= BUSTER_PREFIX_SHARE * Number(row.calls);
  });
  const callsRead = rows.reduce((sum, row) => sum + Number(row.calls), 0);
  const busters: CacheBuster[] = [];
  if (flagged.length > 0) {
    const uncached = await uncachedInputByModel(db, sample, flagged);
    for (const row of flagged) {
      const example = await findExample(db, projectId, range, filters, row);
      const prefixShare = example?.prefixShare ?? null;
      busters.push({
        service: row.service_name,
        promptName: row.prompt_name,
        promptVersion: row.prompt_version,
        calls: Number(row.calls),
        distinctPrefixes: Number(row.prefixes),
        cacheHitRate: Number(row.cache_input) > 0 ? Number(row.cache_read) / Number(row.cache_input) : null,
        missedSavingsUsd: missedSavings(projectId, uncached.filter((u) => samePrompt(u, row)), priceBook, prefixShare),
        missedSavingsBasis: prefixShare === null ? "upper-bound" : "captured-prefix",
        example: example?.difference ?? null,
      });
    }
  }
  busters.sort((a, b) => (b.missedSavingsUsd ?? 0) - (a.missedSavingsUsd ?? 0) || b.calls - a.calls);
  return { busters, promptsExamined: examined.length, callsRead, isSampled: callsRead >= SAMPLE_CALLS };
}

function samePrompt(a: Pick<PromptRow, "service_name" | "prompt_name" | "prompt_version">, b: typeof a): boolean {
  return a.service_name === b.service_name && a.prompt_name === b.prompt_name && a.prompt_version === b.prompt_version;
}

async function uncachedInputByModel(db: pg.Pool, sample: Prisma.Sql, flagged: PromptRow[]): Promise<PriceRow[]> {
  const statement = Prisma.sql`
    WITH sample AS (${sample})
    SELECT service_name, prompt_name, prompt_version, provider, request_model, response_model,
           sum(GREATEST(COALESCE(input_tokens, 0) - COALESCE(cache_read_tokens, 0) - COALESCE(cache_write_tokens, 0), 0)) AS uncached,
           (min(extract(epoch FROM start_time)) * 1e9)::bigint::text AS first_start_ns
    FROM sample
    WHERE (service_name, COALESCE(prompt_name, ''), COALESCE(prompt_version, '')) IN
          (SELECT * FROM unnest(${flagged.map((row) => row.service_name)}::text[],
                                ${flagged.map((row) => row.prompt_name ?? "")}::text[],
                                ${flagged.map((row) => row.prompt_version ?? "")}::text[]))
    GROUP BY 1, 2, 3, 4, 5, 6`;
  const { rows } = await db.query<PriceRow>(statement.text, statement.values);
  return rows;
}

function missedSavings(projectId: string, rows: PriceRow[], priceBook: PriceLookup, prefixShare: number | null): number | null {
  let nano = 0n;
  let isPriced = false;
  for (const row of rows) {
    const price = findPrice(
      projectId,
      { provider: row.provider, requestModel: row.request_model, responseModel: row.response_model, startTimeUnixNano: BigInt(row.first_start_ns) },
      priceBook,
    );
    if (!price) continue;
    isPriced = true;
    const saving = price.inputPicoUsdPerToken - (price.cacheReadPicoUsdPerToken ?? price.inputPicoUsdPerToken);
    const tokens = Math.round(Number(row.uncached) * (prefixShare ?? 1));
    nano += picoToNanoUsd(BigInt(tokens) * saving);
  }
  return isPriced ? nanoToUsd(nano) : null;
}

/** Two recent calls of the prompt with different prefixes and captured system prompts. */
async function findExample(
  db: pg.Pool,
  projectId: string,
  range: { from: Date; to: Date },
  filters: Omit<CallFilters, "from" | "to">,
  prompt: PromptRow,
): Promise<{ difference: PrefixDifference; prefixShare: number | null } | null> {
  const statement = Prisma.sql`
    SELECT DISTINCT ON (s.prompt_prefix_hash) s.prompt_prefix_hash, c.system_prompt, s.input_tokens,
           length(COALESCE(c.input_messages::text, '')) AS message_chars
    FROM spans s
    JOIN span_contents c ON c.project_id = s.project_id AND c.start_time = s.start_time AND c.trace_id = s.trace_id AND c.span_id = s.span_id
    WHERE s.project_id = ${projectId}::uuid AND s.is_llm AND s.start_time >= ${range.from} AND s.start_time < ${range.to}
      AND s.service_name = ${prompt.service_name}
      AND s.prompt_name IS NOT DISTINCT FROM ${prompt.prompt_name}
      AND s.prompt_version IS NOT DISTINCT FROM ${prompt.prompt_version}
      AND s.prompt_prefix_hash IS NOT NULL AND c.system_prompt IS NOT NULL AND ${filterConditions(filters)}
      AND s.start_time >= ${new Date(Math.max(range.from.getTime(), range.to.getTime() - 86_400_000))}
    ORDER BY s.prompt_prefix_hash, s.start_time DESC
    LIMIT 2`;
  const { rows } = await db.query<{ system_prompt: string; message_chars: number }>(statement.text, statement.values);
  if (rows.length < 2) return null;
  const [a, b] = [rows[0]!.system_prompt, rows[1]!.system_prompt];
  const difference = firstDifference(a, b);
  if (!difference) return null;
  // The shared prefix's share of the prompt: the system prompt against system + messages.
  const prefixShare = a.length / (a.length + Number(rows[0]!.message_chars) || 1);
  return { difference, prefixShare: Math.min(1, prefixShare) };
}

/** Where two texts first differ, with some context on both sides. */
export function firstDifference(a: string, b: string, context = 40): PrefixDifference | null {
  let offset = 0;
  while (offset < a.length && offset < b.length && a[offset] === b[offset]) offset++;
  if (offset === a.length && offset === b.length) return null;
  const start = Math.max(0, offset - context);
  const cut = (text: string) => `${start > 0 ? "…" : ""}${text.slice(start, offset + context)}${offset + context < text.length ? "…" : ""}`;
  return { offset, before: cut(a), after: cut(b) };
}
