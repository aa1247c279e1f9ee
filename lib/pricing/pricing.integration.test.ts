import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setPool } from "@/lib/db/pool";
import { computeCost } from "@/lib/pricing/compute-cost";
import { getPriceBook, invalidatePriceBook, loadPriceBook, readPriceBook } from "@/lib/pricing/price-book";
import { SEED_PRICES, upsertSeedPrices } from "@/lib/pricing/seed-prices";
import { llmCall } from "@/lib/pricing/test-fixtures";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
let projectId: string;
beforeAll(async () => {
  db = await startTestDatabase();
  setPool(db.pool);
  const { rows } = await db.pool.query("INSERT INTO projects (name, slug) VALUES ('Pricing', 'pricing') RETURNING id");
  projectId = rows[0].id;
});
afterAll(async () => db?.stop());

const DAY = "2026-11-20";

describe("upsertSeedPrices", () => {
  it("inserts the seeded rows once and never overwrites a user's edit", async () => {
    expect(await upsertSeedPrices(db.pool)).toBe(SEED_PRICES.length);
    expect(await upsertSeedPrices(db.pool)).toBe(0);
    await db.pool.query("UPDATE prices SET input_usd_per_mtok = 2.25 WHERE project_id IS NULL AND model_pattern = 'gpt-4o'");
    await Promise.all([upsertSeedPrices(db.pool), upsertSeedPrices(db.pool)]); // two instances starting together
    const { rows } = await db.pool.query(
      "SELECT input_usd_per_mtok::text AS input, source, checked_at::text AS checked FROM prices WHERE model_pattern = 'gpt-4o'",
    );
    expect(rows).toEqual([{ input: "2.250000", source: "https://openai.com/api/pricing/", checked: "2026-11-01" }]);
    const { rows: count } = await db.pool.query("SELECT count(*)::int AS n FROM prices");
    expect(count[0].n).toBe(SEED_PRICES.length);
    await db.pool.query("UPDATE prices SET input_usd_per_mtok = 2.50 WHERE project_id IS NULL AND model_pattern = 'gpt-4o'");
  });
});

describe("price book from the database", () => {
  it("resolves global and project rows", async () => {
    await db.pool.query(
      `INSERT INTO prices (project_id, provider, model_pattern, input_usd_per_mtok, output_usd_per_mtok, effective_from, source, checked_at)
       VALUES ($1, 'openai', 'gpt-4o', 2.00, 8.00, '2026-01-01', 'negotiated discount', '2026-11-20')`,
      [projectId],
    );
    const book = await readPriceBook(db.pool);
    expect(book.lookup(null, "openai", "gpt-4o-2024-08-06", DAY)?.inputPicoUsdPerToken).toBe(2_500_000n);
    expect(book.lookup(projectId, "openai", "gpt-4o-2024-08-06", DAY)?.inputPicoUsdPerToken).toBe(2_000_000n);
    expect(book.lookup(projectId, "openai", "gpt-4o", "2025-12-31")?.inputPicoUsdPerToken).toBe(2_500_000n);
    expect(book.lookup(projectId, "aws.bedrock", "anthropic.claude-haiku-4-5-20251001-v1:0", DAY)).toMatchObject({
      provider: "anthropic",
      cacheWrite1hPicoUsdPerToken: 2_000_000n,
    });
  });

  it("caches the process-wide book and reloads after invalidatePriceBook", async () => {
    invalidatePriceBook();
    const first = await loadPriceBook();
    expect(first.isLoaded).toBe(true);
    expect(getPriceBook()).toBe(first);
    await db.pool.query(
      `INSERT INTO prices (provider, model_pattern, input_usd_per_mtok, output_usd_per_mtok, effective_from, source, checked_at)
       VALUES ('openai', 'my-fine-tune', 3.00, 12.00, '2026-01-01', 'test', '2026-11-20')`,
    );
    expect(getPriceBook().lookup(null, "openai", "my-fine-tune", DAY)).toBeNull(); // within the TTL
    invalidatePriceBook();
    const reloaded = await loadPriceBook();
    expect(reloaded).not.toBe(first);
    expect(reloaded.lookup(null, "openai", "my-fine-tune", DAY)?.outputPicoUsdPerToken).toBe(12_000_000n);
  });
});

describe("exactness", () => {
  it("stores per-call costs whose sum equals PostgreSQL's exact numeric computation", async () => {
    const book = await readPriceBook(db.pool);
    const models: [string, string][] = [
      ["openai", "gpt-4o"],
      ["openai", "gpt-4.1-mini"],
      ["openai", "gpt-5-nano"],
      ["anthropic", "claude-sonnet-4-5"],
      ["anthropic", "claude-haiku-4-5"],
      ["gcp.gemini", "gemini-2.5-flash"],
      ["groq", "llama-3.3-70b-versatile"],
    ];
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const calls = Array.from({ length: 5_000 }, (_, index) => {
      const [provider, model] = models[index % models.length]!;
      const input = Math.floor(random() * 150_000);
      const cacheRead = Math.floor(random() * input * 0.6);
      const cacheWrite = provider === "anthropic" ? Math.floor(random() * (input - cacheRead)) : 0;
      const span = llmCall({
        provider,
        requestModel: model,
        inputTokens: input,
        cacheReadTokens: cacheRead,
        cacheWriteTokens: cacheWrite,
        cacheWriteTtl: index % 3 === 0 ? "1h" : "5m",
        outputTokens: Math.floor(random() * 4_000),
      });
      const price = book.lookup(null, provider, model, DAY)!;
      return { span, priceId: price.id, cost: computeCost(null, span, book) };
    });
    expect(calls.every((call) => call.cost.costSource === "computed")).toBe(true);

    await db.pool.query(`CREATE TABLE cost_check (input bigint, cache_read bigint, cache_write bigint, ttl text,
      output bigint, price_id uuid, cost_nano_usd bigint)`);
    await db.pool.query(
      `INSERT INTO cost_check SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::uuid[], $7::bigint[])`,
      [
        calls.map((call) => call.span.inputTokens),
        calls.map((call) => call.span.cacheReadTokens),
        calls.map((call) => call.span.cacheWriteTokens),
        calls.map((call) => call.span.cacheWriteTtl),
        calls.map((call) => call.span.outputTokens),
        calls.map((call) => call.priceId),
        calls.map((call) => call.cost.costNanoUsd!.toString()),
      ],
    );
    // USD per 1M tokens × tokens / 1e6 = USD; × 1e9 = nano-USD; round() on numeric rounds half away from zero.
    const { rows } = await db.pool.query(`
      WITH exact AS (
        SELECT c.cost_nano_usd,
               round(((c.input - c.cache_read - c.cache_write) * p.input_usd_per_mtok
                 + c.cache_read * coalesce(p.cache_read_usd_per_mtok, p.input_usd_per_mtok)
                 + c.cache_write * CASE WHEN c.ttl = '1h'
                     THEN coalesce(p.cache_write_1h_usd_per_mtok, p.cache_write_5m_usd_per_mtok, p.input_usd_per_mtok)
                     ELSE coalesce(p.cache_write_5m_usd_per_mtok, p.input_usd_per_mtok) END
                 + c.output * p.output_usd_per_mtok) * 1000) AS sql_nano_usd
        FROM cost_check c JOIN prices p ON p.id = c.price_id)
      SELECT count(*) FILTER (WHERE cost_nano_usd <> sql_nano_usd)::int AS mismatches,
             sum(cost_nano_usd)::text AS stored_total, sum(sql_nano_usd)::text AS exact_total FROM exact`);
    const jsTotal = calls.reduce((sum, call) => sum + call.cost.costNanoUsd!, 0n);
    expect(rows[0].mismatches).toBe(0);
    expect(rows[0].stored_total).toBe(rows[0].exact_total);
    expect(rows[0].stored_total).toBe(jsTotal.toString());
    await db.pool.query("DROP TABLE cost_check");
  });
});
