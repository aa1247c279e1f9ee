import { getPool } from "@/lib/db/pool";
import { ProjectNotFoundError } from "@/lib/projects/get-project";
import { hasPgCode, isUuid, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, type Queryable } from "@/lib/projects/queryable";
import { invalidatePriceBook } from "@/lib/pricing/price-book";
import { priceInputSchema, type Price } from "@/lib/pricing/price-schema";

/**
 * The editable, dated price list. A project sees the global (seeded) rows plus its own; a row of
 * its own for the same provider and pattern overrides the global one from its effective date
 * (lib/pricing/price-book). A price change is best recorded as a new row with a later
 * effective_from, so earlier calls keep the price they were made at; costs already stored are
 * not recomputed. Every write invalidates this process's price book; other instances pick it up
 * within PRICE_BOOK_TTL_MS.
 */
export class PriceConflictError extends Error {
  readonly code = "conflict";
}

/** Which rows an operation may touch: a project's own rows, or (projectId null) the global list. */
export interface PriceScope {
  projectId: string | null;
}

const COLUMNS = `id, project_id, provider, model_pattern, input_usd_per_mtok::text AS input,
  cache_read_usd_per_mtok::text AS cache_read, cache_write_5m_usd_per_mtok::text AS cache_write_5m,
  cache_write_1h_usd_per_mtok::text AS cache_write_1h, output_usd_per_mtok::text AS output,
  effective_from::text AS effective_from, source, checked_at::text AS checked_at, notes`;

interface PriceRow {
  id: string;
  project_id: string | null;
  provider: string;
  model_pattern: string;
  input: string;
  cache_read: string | null;
  cache_write_5m: string | null;
  cache_write_1h: string | null;
  output: string;
  effective_from: string;
  source: string;
  checked_at: string;
  notes: string | null;
}

function toPrice(row: PriceRow): Price {
  return {
    id: row.id,
    projectId: row.project_id,
    scope: row.project_id === null ? "global" : "project",
    provider: row.provider,
    modelPattern: row.model_pattern,
    inputUsdPerMtok: trimDecimal(row.input),
    cacheReadUsdPerMtok: row.cache_read === null ? null : trimDecimal(row.cache_read),
    cacheWrite5mUsdPerMtok: row.cache_write_5m === null ? null : trimDecimal(row.cache_write_5m),
    cacheWrite1hUsdPerMtok: row.cache_write_1h === null ? null : trimDecimal(row.cache_write_1h),
    outputUsdPerMtok: trimDecimal(row.output),
    effectiveFrom: row.effective_from,
    source: row.source,
    checkedAt: row.checked_at,
    notes: row.notes,
  };
}

/** "2.500000" → "2.50", "0.075000" → "0.075": at least two decimals, no trailing zeros beyond. */
function trimDecimal(value: string): string {
  const [whole, fraction = ""] = value.split(".");
  return `${whole}.${fraction.replace(/0+$/, "").padEnd(2, "0")}`;
}

/** The rows that price this project's calls: global ones and its own, by provider, pattern, newest first. */
export async function listPrices(projectId: string | null, db: Queryable = getPool()): Promise<Price[]> {
  if (projectId !== null && !isUuid(projectId)) return [];
  const { rows } = await db.query<PriceRow>(
    `SELECT ${COLUMNS} FROM prices WHERE project_id IS NULL OR project_id = $1
     ORDER BY provider, model_pattern, effective_from DESC, project_id NULLS LAST`,
    [projectId],
  );
  return rows.map(toPrice);
}

/** Adds a row (body validated here; a ZodError names each bad field). */
export async function createPrice(scope: PriceScope, body: unknown, db: Queryable = getPool()): Promise<Price> {
  const input = priceInputSchema.parse(body);
  if (scope.projectId !== null && !isUuid(scope.projectId)) throw new ProjectNotFoundError(`No project ${scope.projectId}.`);
  try {
    const { rows } = await db.query<PriceRow>(
      `INSERT INTO prices (project_id, provider, model_pattern, input_usd_per_mtok, cache_read_usd_per_mtok,
         cache_write_5m_usd_per_mtok, cache_write_1h_usd_per_mtok, output_usd_per_mtok, effective_from, source, checked_at, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
      [scope.projectId, ...inputValues(input)],
    );
    invalidatePriceBook();
    return toPrice(rows[0]!);
  } catch (error) {
    throw translateError(error, scope);
  }
}

/** Replaces a row's fields; null when no such row in this scope. */
export async function updatePrice(scope: PriceScope, priceId: string, body: unknown, db: Queryable = getPool()): Promise<Price | null> {
  const input = priceInputSchema.parse(body);
  if (!isUuid(priceId)) return null;
  try {
    const { rows } = await db.query<PriceRow>(
      `UPDATE prices SET provider = $3, model_pattern = $4, input_usd_per_mtok = $5, cache_read_usd_per_mtok = $6,
         cache_write_5m_usd_per_mtok = $7, cache_write_1h_usd_per_mtok = $8, output_usd_per_mtok = $9,
         effective_from = $10, source = $11, checked_at = $12, notes = $13
       WHERE id = $1 AND project_id IS NOT DISTINCT FROM $2::uuid RETURNING ${COLUMNS}`,
      [priceId, scope.projectId, ...inputValues(input)],
    );
    invalidatePriceBook();
    return rows[0] ? toPrice(rows[0]) : null;
  } catch (error) {
    throw translateError(error, scope);
  }
}

/** Deletes a row; false when no such row in this scope. A deleted seeded row returns at the next start. */
export async function deletePrice(scope: PriceScope, priceId: string, db: Queryable = getPool()): Promise<boolean> {
  if (!isUuid(priceId)) return false;
  const result = await db.query("DELETE FROM prices WHERE id = $1 AND project_id IS NOT DISTINCT FROM $2::uuid", [
    priceId,
    scope.projectId,
  ]);
  invalidatePriceBook();
  return (result.rowCount ?? 0) > 0;
}

function inputValues(input: ReturnType<typeof priceInputSchema.parse>): unknown[] {
  return [
    input.provider,
    input.modelPattern,
    input.inputUsdPerMtok,
    input.cacheReadUsdPerMtok,
    input.cacheWrite5mUsdPerMtok,
    input.cacheWrite1hUsdPerMtok,
    input.outputUsdPerMtok,
    input.effectiveFrom,
    input.source,
    input.checkedAt,
    input.notes,
  ];
}

function translateError(error: unknown, scope: PriceScope): unknown {
  if (hasPgCode(error, PG_UNIQUE_VIOLATION)) {
    return new PriceConflictError(
      "A price for this provider, model pattern and effective date already exists here: edit it, or use another effective date.",
    );
  }
  if (hasPgCode(error, PG_FOREIGN_KEY_VIOLATION)) return new ProjectNotFoundError(`No project ${scope.projectId}.`);
  return error;
}
