import type { Queryable } from "@/lib/projects/queryable";
import { scalePrice } from "@/lib/pricing/money";

/**
 * The seeded global price list (prices rows with project_id NULL), USD per 1M tokens.
 *
 * Figures come from shared/ECONOMICS.md (collected November 2026 from the providers' price pages)
 * or, where a row's `notes` say so, from the provider's public list price as last known to the
 * author and not re-checked for this release: verify those on the `source` page. `checkedAt` is
 * the day the figure was last confirmed against its source, as far as it is known.
 *
 * Every row applies from SEED_EFFECTIVE_FROM (so older calls are priced too) unless a later
 * price change is recorded as its own dated row. Users edit prices in the app; seeding never
 * overwrites a row (see upsertSeedPrices).
 *
 * Cache columns: a NULL price means "charged as normal input" (lib/pricing/compute-cost), which
 * is right for OpenAI cache writes and an overestimate where a discount exists but is not seeded.
 */
export interface SeedPrice {
  provider: string;
  modelPattern: string;
  inputUsdPerMtok: string;
  cacheReadUsdPerMtok: string | null;
  cacheWrite5mUsdPerMtok: string | null;
  cacheWrite1hUsdPerMtok: string | null;
  outputUsdPerMtok: string;
  effectiveFrom: string;
  source: string;
  checkedAt: string;
  notes: string | null;
}

export const SEED_EFFECTIVE_FROM = "2023-01-01";
/** ECONOMICS.md says "collected November 2026" without the day; the 1st stands for the month. */
const ECONOMICS_CHECKED_AT = "2026-11-01";
/** Rows not in ECONOMICS.md: list prices as last known (late 2025), not re-checked since. */
const NOT_RECHECKED_AT = "2025-10-01";
const NOT_IN_ECONOMICS = "Not in ECONOMICS.md: public list price as last known (2025), not re-checked; verify on the source page.";

const OPENAI_SOURCE = "https://openai.com/api/pricing/";
const ANTHROPIC_SOURCE = "https://www.anthropic.com/pricing#api";
const GEMINI_SOURCE = "https://ai.google.dev/gemini-api/docs/pricing";

type PriceFigures = Pick<SeedPrice, "inputUsdPerMtok" | "cacheReadUsdPerMtok" | "outputUsdPerMtok">;

function row(
  provider: string,
  modelPattern: string,
  figures: PriceFigures & Partial<Pick<SeedPrice, "cacheWrite5mUsdPerMtok" | "cacheWrite1hUsdPerMtok">>,
  meta: { source: string; checkedAt: string; notes?: string | null; effectiveFrom?: string },
): SeedPrice {
  return {
    provider,
    modelPattern,
    inputUsdPerMtok: figures.inputUsdPerMtok,
    cacheReadUsdPerMtok: figures.cacheReadUsdPerMtok,
    cacheWrite5mUsdPerMtok: figures.cacheWrite5mUsdPerMtok ?? null,
    cacheWrite1hUsdPerMtok: figures.cacheWrite1hUsdPerMtok ?? null,
    outputUsdPerMtok: figures.outputUsdPerMtok,
    effectiveFrom: meta.effectiveFrom ?? SEED_EFFECTIVE_FROM,
    source: meta.source,
    checkedAt: meta.checkedAt,
    notes: meta.notes ?? null,
  };
}

/** OpenAI: cached input is a discounted read; cache writes cost normal input (NULL). */
function openai(modelPattern: string, input: string, cachedInput: string | null, output: string, notes: string | null, effectiveFrom?: string) {
  const isEconomics = notes === null;
  return row(
    "openai",
    modelPattern,
    { inputUsdPerMtok: input, cacheReadUsdPerMtok: cachedInput, outputUsdPerMtok: output },
    { source: OPENAI_SOURCE, checkedAt: isEconomics ? ECONOMICS_CHECKED_AT : NOT_RECHECKED_AT, notes, effectiveFrom },
  );
}

/** Anthropic: cache read 0.1× input, cache write 1.25× (5-minute TTL) or 2× (1-hour TTL). */
function anthropic(modelPattern: string, input: string, output: string, notes: string | null) {
  return row(
    "anthropic",
    modelPattern,
    {
      inputUsdPerMtok: input,
      cacheReadUsdPerMtok: scalePrice(input, 1n, 10n),
      cacheWrite5mUsdPerMtok: scalePrice(input, 5n, 4n),
      cacheWrite1hUsdPerMtok: scalePrice(input, 2n, 1n),
      outputUsdPerMtok: output,
    },
    { source: ANTHROPIC_SOURCE, checkedAt: notes?.startsWith("Not in ECONOMICS") ? NOT_RECHECKED_AT : ECONOMICS_CHECKED_AT, notes },
  );
}

export const SEED_PRICES: readonly SeedPrice[] = [
  // OpenAI. Exact names also price their dated snapshots (gpt-4o-2024-08-06).
  openai("gpt-4o", "2.50", "1.25", "10.00", null),
  openai("gpt-4o-2024-05-13", "5.00", null, "15.00", `${NOT_IN_ECONOMICS} The first gpt-4o snapshot kept its launch price and had no cached-input discount.`),
  openai("gpt-4o-mini", "0.15", "0.075", "0.60", NOT_IN_ECONOMICS),
  openai("gpt-4.1", "2.00", "0.50", "8.00", null),
  openai("gpt-4.1-mini", "0.40", "0.10", "1.60", NOT_IN_ECONOMICS),
  openai("gpt-4.1-nano", "0.10", "0.025", "0.40", NOT_IN_ECONOMICS),
  openai("gpt-5", "1.25", "0.125", "10.00", null),
  openai("gpt-5-chat-latest", "1.25", "0.125", "10.00", `${NOT_IN_ECONOMICS} Listed at the GPT-5 price.`),
  openai("gpt-5-mini", "0.25", "0.025", "2.00", NOT_IN_ECONOMICS),
  openai("gpt-5-nano", "0.05", "0.005", "0.40", NOT_IN_ECONOMICS),
  openai("o1", "15.00", "7.50", "60.00", NOT_IN_ECONOMICS),
  openai("o3", "10.00", "2.50", "40.00", `${NOT_IN_ECONOMICS} Launch price, until OpenAI cut o3 by 80% on 2025-06-10.`),
  openai("o3", "2.00", "0.50", "8.00", `${NOT_IN_ECONOMICS} Price from the 2025-06-10 cut.`, "2025-06-10"),
  openai("o3-mini", "1.10", "0.55", "4.40", NOT_IN_ECONOMICS),
  openai("o4-mini", "1.10", "0.275", "4.40", NOT_IN_ECONOMICS),

  // Anthropic. Bedrock and Vertex AI Claude ids fall back to these rows (lib/pricing/model-pattern).
  anthropic("claude-sonnet-4*", "3.00", "15.00", "Sonnet 4 and 4.5. Prompts over 200k tokens (1M-context beta) cost more; not modelled."),
  anthropic("claude-haiku-4-5*", "1.00", "5.00", null),
  anthropic("claude-opus-4*", "5.00", "25.00", "Opus 4.5 and later (ECONOMICS.md); Opus 4 and 4.1 have their own rows."),
  anthropic("claude-opus-4", "15.00", "75.00", `${NOT_IN_ECONOMICS} Opus 4 (claude-opus-4-20250514), before the Opus 4.5 price cut.`),
  anthropic("claude-opus-4-0", "15.00", "75.00", `${NOT_IN_ECONOMICS} Alias of Opus 4.`),
  anthropic("claude-opus-4-1", "15.00", "75.00", `${NOT_IN_ECONOMICS} Opus 4.1.`),

  // Google Gemini (Vertex AI Gemini falls back to these rows).
  row(
    "gcp.gemini",
    "gemini-2.5-pro*",
    { inputUsdPerMtok: "1.25", cacheReadUsdPerMtok: null, outputUsdPerMtok: "10.00" },
    {
      source: GEMINI_SOURCE,
      checkedAt: "2026-10-07",
      notes:
        "Prompts up to 200k tokens; longer prompts cost more (not modelled). Context caching is priced separately " +
        "(plus storage per hour) and not seeded, so cached tokens are priced as input (an overestimate): set the cache read price to use it.",
    },
  ),
  row(
    "gcp.gemini",
    "gemini-2.5-flash",
    { inputUsdPerMtok: "0.30", cacheReadUsdPerMtok: null, outputUsdPerMtok: "2.50" },
    {
      source: GEMINI_SOURCE,
      checkedAt: ECONOMICS_CHECKED_AT,
      notes:
        "Output price UNCONFIRMED: ECONOMICS.md confirms the 0.30 input only; 2.50 is the public list price as last known " +
        "(and what ECONOMICS.md's ~$25k monthly example implies). Cached tokens are priced as input (context caching not seeded).",
    },
  ),
  row(
    "gcp.gemini",
    "gemini-2.5-flash-lite",
    { inputUsdPerMtok: "0.10", cacheReadUsdPerMtok: null, outputUsdPerMtok: "0.40" },
    { source: GEMINI_SOURCE, checkedAt: NOT_RECHECKED_AT, notes: `${NOT_IN_ECONOMICS} Cached tokens are priced as input.` },
  ),

  // Hosted open-weight Llama 70B. ECONOMICS.md gives ~0.59–0.90 blended and says it varies by host,
  // not confirmed per host; the per-host figures below are public list prices as last known.
  row(
    "groq",
    "llama-3.3-70b-versatile",
    { inputUsdPerMtok: "0.59", cacheReadUsdPerMtok: null, outputUsdPerMtok: "0.79" },
    { source: "https://groq.com/pricing", checkedAt: NOT_RECHECKED_AT, notes: `${NOT_IN_ECONOMICS} Not confirmed per host.` },
  ),
  row(
    "together_ai",
    "meta-llama/llama-3.3-70b-instruct-turbo",
    { inputUsdPerMtok: "0.88", cacheReadUsdPerMtok: null, outputUsdPerMtok: "0.88" },
    { source: "https://www.together.ai/pricing", checkedAt: NOT_RECHECKED_AT, notes: `${NOT_IN_ECONOMICS} Not confirmed per host.` },
  ),
  row(
    "fireworks_ai",
    "accounts/fireworks/models/llama-v3p3-70b-instruct",
    { inputUsdPerMtok: "0.90", cacheReadUsdPerMtok: null, outputUsdPerMtok: "0.90" },
    { source: "https://fireworks.ai/pricing", checkedAt: NOT_RECHECKED_AT, notes: `${NOT_IN_ECONOMICS} Not confirmed per host.` },
  ),
];

/**
 * Inserts the seeded global rows that are missing, at every start. A row whose identity
 * (global, provider, pattern, effective_from) exists is left alone, so a user's edit of a seeded
 * price is never overwritten and a new Sous release only adds rows (a price change ships as a new
 * dated row). Safe when instances start together (the unique index arbitrates). A seeded row a
 * user deleted comes back at the next start: override prices per project instead of deleting.
 * Returns the number of rows inserted.
 */
export async function upsertSeedPrices(db: Queryable, prices: readonly SeedPrice[] = SEED_PRICES): Promise<number> {
  const column = <K extends keyof SeedPrice>(key: K) => prices.map((price) => price[key]);
  const result = await db.query(
    `INSERT INTO prices (project_id, provider, model_pattern, input_usd_per_mtok, cache_read_usd_per_mtok,
       cache_write_5m_usd_per_mtok, cache_write_1h_usd_per_mtok, output_usd_per_mtok, effective_from, source,
       checked_at, notes)
     SELECT NULL, * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
       $7::numeric[], $8::date[], $9::text[], $10::date[], $11::text[])
     ON CONFLICT (COALESCE(project_id, '00000000-0000-0000-0000-000000000000'::uuid), provider, model_pattern, effective_from)
     DO NOTHING`,
    [
      column("provider"),
      column("modelPattern"),
      column("inputUsdPerMtok"),
      column("cacheReadUsdPerMtok"),
      column("cacheWrite5mUsdPerMtok"),
      column("cacheWrite1hUsdPerMtok"),
      column("outputUsdPerMtok"),
      column("effectiveFrom"),
      column("source"),
      column("checkedAt"),
      column("notes"),
    ],
  );
  return result.rowCount ?? 0;
}
