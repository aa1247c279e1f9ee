import { getPool } from "@/lib/db/pool";
import type { Queryable } from "@/lib/projects/queryable";
import { picoUsdPerToken } from "@/lib/pricing/money";
import {
  compareSpecificity,
  compileModelPattern,
  modelNameCandidates,
  priceProvidersFor,
  type ModelPattern,
} from "@/lib/pricing/model-pattern";

/**
 * The price list in memory, for pricing spans on the ingest path (≥ 25k spans/s).
 *
 * lookup() is synchronous and O(1) after the first call for a (project, provider, model): the
 * ordered candidate rows are memoized, leaving a scan of a few dated versions. Resolution order:
 * 1. providers: the call's own, then resellers' sources (model-pattern priceProvidersFor);
 * 2. within a provider, the most specific matching pattern first (model-pattern);
 * 3. within a pattern, the project's own rows before the global (seeded) rows;
 * 4. within those, the newest effective_from ≤ the call's UTC day.
 * The first row found wins; none → null (the cost is then "unknown", never 0).
 *
 * The process-wide book (getPriceBook) reloads from the database when older than
 * PRICE_BOOK_TTL_MS, serving the previous book meanwhile; price edits call invalidatePriceBook()
 * so this instance reloads on next use, and other instances see them within the TTL.
 */
export const PRICE_BOOK_TTL_MS = 30_000;
const RETRY_AFTER_FAILURE_MS = 5_000;
const MAX_MEMO_ENTRIES = 50_000;

/** A prices row as loaded (decimal strings, ISO dates). */
export interface PriceRecord {
  id: string;
  projectId: string | null;
  provider: string;
  modelPattern: string;
  inputUsdPerMtok: string;
  cacheReadUsdPerMtok: string | null;
  cacheWrite5mUsdPerMtok: string | null;
  cacheWrite1hUsdPerMtok: string | null;
  outputUsdPerMtok: string;
  /** YYYY-MM-DD */
  effectiveFrom: string;
}

/** A price ready for exact arithmetic: integer pico-USD per token (lib/pricing/money). */
export interface ResolvedPrice {
  id: string;
  projectId: string | null;
  provider: string;
  modelPattern: string;
  effectiveFrom: string;
  inputPicoUsdPerToken: bigint;
  cacheReadPicoUsdPerToken: bigint | null;
  cacheWrite5mPicoUsdPerToken: bigint | null;
  cacheWrite1hPicoUsdPerToken: bigint | null;
  outputPicoUsdPerToken: bigint;
}

/** What computeCost needs; PriceBook implements it, and tests may pass a stub. */
export interface PriceLookup {
  readonly isLoaded: boolean;
  lookup(projectId: string | null, provider: string | null, model: string | null, dayUtc: string): ResolvedPrice | null;
}

interface PatternRows {
  pattern: ModelPattern;
  /** Newest first. */
  projectVersions: Map<string, ResolvedPrice[]>;
  globalVersions: ResolvedPrice[];
}

const GLOBAL = "";

export class PriceBook implements PriceLookup {
  /** provider → pattern → rows */
  private readonly byProvider = new Map<string, Map<string, PatternRows>>();
  private readonly memo = new Map<string, ResolvedPrice[][]>();

  private constructor(
    readonly isLoaded: boolean,
    readonly size: number,
  ) {}

  static empty(): PriceBook {
    return new PriceBook(false, 0);
  }

  /** Rows with an invalid price or pattern are skipped (and reported), never fatal to ingest. */
  static fromRecords(records: readonly PriceRecord[], onInvalid: (record: PriceRecord, error: Error) => void = () => {}): PriceBook {
    const book = new PriceBook(true, records.length);
    for (const record of records) {
      try {
        book.add(record);
      } catch (error) {
        onInvalid(record, error as Error);
      }
    }
    for (const patterns of book.byProvider.values()) {
      for (const rows of patterns.values()) {
        rows.globalVersions.sort(newestFirst);
        for (const versions of rows.projectVersions.values()) versions.sort(newestFirst);
      }
    }
    return book;
  }

  private add(record: PriceRecord): void {
    const pattern = compileModelPattern(record.modelPattern);
    const provider = record.provider.trim().toLowerCase();
    const price: ResolvedPrice = {
      id: record.id,
      projectId: record.projectId,
      provider,
      modelPattern: pattern.pattern,
      effectiveFrom: record.effectiveFrom,
      inputPicoUsdPerToken: picoUsdPerToken(record.inputUsdPerMtok),
      cacheReadPicoUsdPerToken: optionalPrice(record.cacheReadUsdPerMtok),
      cacheWrite5mPicoUsdPerToken: optionalPrice(record.cacheWrite5mUsdPerMtok),
      cacheWrite1hPicoUsdPerToken: optionalPrice(record.cacheWrite1hUsdPerMtok),
      outputPicoUsdPerToken: picoUsdPerToken(record.outputUsdPerMtok),
    };
    let patterns = this.byProvider.get(provider);
    if (!patterns) this.byProvider.set(provider, (patterns = new Map()));
    let rows = patterns.get(pattern.pattern);
    if (!rows) patterns.set(pattern.pattern, (rows = { pattern, projectVersions: new Map(), globalVersions: [] }));
    if (record.projectId === null) {
      rows.globalVersions.push(price);
    } else {
      const versions = rows.projectVersions.get(record.projectId);
      if (versions) versions.push(price);
      else rows.projectVersions.set(record.projectId, [price]);
    }
  }

  lookup(projectId: string | null, provider: string | null, model: string | null, dayUtc: string): ResolvedPrice | null {
    if (!provider || !model) return null;
    const key = `${projectId ?? GLOBAL}\n${provider}\n${model}`;
    let chain = this.memo.get(key);
    if (!chain) {
      if (this.memo.size >= MAX_MEMO_ENTRIES) this.memo.clear();
      chain = this.candidates(projectId, provider, model);
      this.memo.set(key, chain);
    }
    for (const versions of chain) {
      for (const price of versions) {
        if (price.effectiveFrom <= dayUtc) return price;
      }
    }
    return null;
  }

  /** The dated version lists that may price this model, in resolution order. */
  private candidates(projectId: string | null, provider: string, model: string): ResolvedPrice[][] {
    const names = modelNameCandidates(model);
    const chain: ResolvedPrice[][] = [];
    for (const priceProvider of priceProvidersFor(provider)) {
      const patterns = this.byProvider.get(priceProvider);
      if (!patterns) continue;
      const matching = [...patterns.values()]
        .filter((rows) => names.some((name) => rows.pattern.matches(name)))
        .sort((a, b) => compareSpecificity(a.pattern, b.pattern));
      for (const rows of matching) {
        const own = projectId === null ? undefined : rows.projectVersions.get(projectId);
        if (own) chain.push(own);
        if (rows.globalVersions.length > 0) chain.push(rows.globalVersions);
      }
    }
    return chain;
  }
}

function optionalPrice(value: string | null): bigint | null {
  return value === null ? null : picoUsdPerToken(value);
}

function newestFirst(a: ResolvedPrice, b: ResolvedPrice): number {
  return a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0;
}

/** Every price row, global and per project (the table is small: tens to hundreds of rows). */
export async function loadPriceRecords(db: Queryable): Promise<PriceRecord[]> {
  const { rows } = await db.query<{
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
  }>(
    `SELECT id, project_id, provider, model_pattern,
            input_usd_per_mtok::text AS input, cache_read_usd_per_mtok::text AS cache_read,
            cache_write_5m_usd_per_mtok::text AS cache_write_5m, cache_write_1h_usd_per_mtok::text AS cache_write_1h,
            output_usd_per_mtok::text AS output, effective_from::text AS effective_from
     FROM prices`,
  );
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    provider: row.provider,
    modelPattern: row.model_pattern,
    inputUsdPerMtok: row.input,
    cacheReadUsdPerMtok: row.cache_read,
    cacheWrite5mUsdPerMtok: row.cache_write_5m,
    cacheWrite1hUsdPerMtok: row.cache_write_1h,
    outputUsdPerMtok: row.output,
    effectiveFrom: row.effective_from,
  }));
}

/** A fresh book straight from the database (no cache). */
export async function readPriceBook(db: Queryable): Promise<PriceBook> {
  return PriceBook.fromRecords(await loadPriceRecords(db), (record, error) =>
    console.error(`[sous] price ${record.id} (${record.provider} ${record.modelPattern}) skipped: ${error.message}`),
  );
}

interface Holder {
  book: PriceBook;
  /** performance.now() after which the book is reloaded; -Infinity when invalidated. */
  refreshAt: number;
  loading: Promise<PriceBook> | null;
  /** Bumped by invalidatePriceBook: a load that started before an edit does not count as fresh. */
  generation: number;
}

const globalForPrices = globalThis as unknown as { sousPriceBook?: Holder };
function holder(): Holder {
  globalForPrices.sousPriceBook ??= { book: PriceBook.empty(), refreshAt: -Infinity, loading: null, generation: 0 };
  return globalForPrices.sousPriceBook;
}

function refresh(current: Holder): Promise<PriceBook> {
  const generation = current.generation;
  current.loading ??= readPriceBook(getPool())
    .then((book) => {
      current.book = book;
      current.refreshAt = generation === current.generation ? performance.now() + PRICE_BOOK_TTL_MS : -Infinity;
      return book;
    })
    .catch((error: unknown) => {
      console.error(`[sous] could not load prices (keeping the previous list): ${(error as Error).message}`);
      current.refreshAt = performance.now() + RETRY_AFTER_FAILURE_MS;
      if (!current.book.isLoaded) throw error;
      return current.book;
    })
    .finally(() => {
      current.loading = null;
    });
  return current.loading;
}

/**
 * The current book, without waiting: when it is stale a reload starts in the background and this
 * call still returns the previous book. Before the first load completes it returns an empty book
 * (isLoaded false), so call `await loadPriceBook()` once per request before pricing spans.
 */
export function getPriceBook(): PriceBook {
  const current = holder();
  if (performance.now() >= current.refreshAt && !current.loading) void refresh(current).catch(() => {});
  return current.book;
}

/** The book, waiting for a load only when none has completed yet or it was invalidated. */
export async function loadPriceBook(): Promise<PriceBook> {
  const current = holder();
  // Twice at most: a load already in flight when prices were edited is followed by a fresh one.
  for (let attempt = 0; attempt < 2 && (!current.book.isLoaded || current.refreshAt === -Infinity); attempt++) {
    await refresh(current);
  }
  return getPriceBook();
}

/** After a price edit: this process reloads on next use (loadPriceBook waits for it). */
export function invalidatePriceBook(): void {
  const current = holder();
  current.generation += 1;
  current.refreshAt = -Infinity;
}
