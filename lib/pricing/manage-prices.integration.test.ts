import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { setPool } from "@/lib/db/pool";
import { createPrice, deletePrice, listPrices, PriceConflictError, updatePrice } from "@/lib/pricing/manage-prices";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { upsertSeedPrices } from "@/lib/pricing/seed-prices";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
let projectId: string;
let otherProjectId: string;
beforeAll(async () => {
  db = await startTestDatabase();
  setPool(db.pool);
  await upsertSeedPrices(db.pool);
  const { rows } = await db.pool.query("INSERT INTO projects (name, slug) VALUES ('A', 'a'), ('B', 'b') RETURNING id");
  [projectId, otherProjectId] = [rows[0].id, rows[1].id];
});
afterAll(async () => db?.stop());

const discount = {
  provider: "OpenAI",
  modelPattern: "GPT-4o",
  inputUsdPerMtok: 2,
  cacheReadUsdPerMtok: "1.000001",
  outputUsdPerMtok: "8",
  effectiveFrom: "2026-01-01",
  source: "contract 2026",
  checkedAt: "2026-11-20",
};

describe("managing prices", () => {
  it("adds a project override that prices that project's calls only", async () => {
    const created = await createPrice({ projectId }, discount);
    expect(created).toMatchObject({
      scope: "project",
      provider: "openai",
      modelPattern: "gpt-4o",
      inputUsdPerMtok: "2.00",
      cacheReadUsdPerMtok: "1.000001",
      cacheWrite5mUsdPerMtok: null,
      outputUsdPerMtok: "8.00",
      notes: null,
    });
    const book = await loadPriceBook();
    expect(book.lookup(projectId, "openai", "gpt-4o", "2026-11-20")?.id).toBe(created.id);
    expect(book.lookup(otherProjectId, "openai", "gpt-4o", "2026-11-20")?.id).not.toBe(created.id);

    const listed = await listPrices(projectId);
    expect(listed.filter((price) => price.modelPattern === "gpt-4o").map((price) => price.scope)).toEqual(["project", "global"]);
    expect((await listPrices(otherProjectId)).some((price) => price.id === created.id)).toBe(false);
  });

  it("refuses duplicates and invalid rows with clear messages", async () => {
    await expect(createPrice({ projectId }, discount)).rejects.toBeInstanceOf(PriceConflictError);
    const error = await createPrice({ projectId }, { ...discount, modelPattern: "*", inputUsdPerMtok: 1e-7, effectiveFrom: "2026-02-30" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "modelPattern: a model pattern needs some literal text (a bare * would price every model)",
      'inputUsdPerMtok: must be a price in USD per 1M tokens (0 or more, at most 6 decimals), e.g. "2.50"',
      "effectiveFrom: is not a calendar date",
    ]);
  });

  it("updates and deletes only within the scope", async () => {
    const created = await createPrice({ projectId }, { ...discount, effectiveFrom: "2026-09-01" });
    expect(await updatePrice({ projectId: otherProjectId }, created.id, discount)).toBeNull();
    const updated = await updatePrice({ projectId }, created.id, { ...discount, effectiveFrom: "2026-09-01", outputUsdPerMtok: "7.5" });
    expect(updated?.outputUsdPerMtok).toBe("7.50");
    expect((await loadPriceBook()).lookup(projectId, "openai", "gpt-4o", "2026-11-20")?.outputPicoUsdPerToken).toBe(7_500_000n);
    expect(await deletePrice({ projectId: null }, created.id)).toBe(false);
    expect(await deletePrice({ projectId }, created.id)).toBe(true);
    expect((await loadPriceBook()).lookup(projectId, "openai", "gpt-4o", "2026-11-20")?.outputPicoUsdPerToken).toBe(8_000_000n);
  });
});
