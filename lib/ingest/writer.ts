import pg from "pg";
import { databaseUrl } from "@/lib/db/pool";
import { connectGuarded } from "@/lib/ingest/connect";
import { encodeSpans, type EncodedSpans } from "@/lib/ingest/encode-spans";
import {
  DatabaseUnavailableError,
  InvalidSpanDataError,
  WriterOverloadedError,
  isConnectionError,
  isDataError,
  isMissingPartition,
  isRetryableConflict,
} from "@/lib/ingest/errors";
import { insertSpanGroup, type InsertExtensionSql } from "@/lib/ingest/insert-spans";
import { ensurePartitionDays, forgetPartitionDays } from "@/lib/ingest/partitions";
import {
  ACCEPTED_REASON,
  DUPLICATE_MESSAGE,
  DUPLICATE_REASON,
  addIngestStatCount,
  upsertIngestStats,
  type IngestStatCount,
} from "@/lib/ingest/record-stats";
import type { SpanRow } from "@/lib/ingest/types";

export { DatabaseUnavailableError, InvalidSpanDataError, WriterOverloadedError } from "@/lib/ingest/errors";

/**
 * The ingest writer: one per process. write() resolves only after its rows are committed.
 *
 * Group commit: calls queue up while a transaction runs and the next transaction takes them all
 * (up to maxSpansPerTransaction), so the batch size follows the load with no timer. A call is never
 * split across transactions. Rows go in with one set-wise statement (insert-spans.ts).
 *
 * Counts: a call's `inserted` are its rows stored by this write; `duplicates` are rows already
 * stored, or repeated earlier in the same group. When the same span is in several calls of one
 * group, the call queued first gets it as inserted and the later ones as duplicate; inside a call,
 * the first occurrence wins. So inserted + duplicates = rows.length for every call, and the sum of
 * `inserted` over all calls is the number of rows added to spans.
 *
 * Failure: every call of a failed transaction is rejected and nothing of it is committed:
 * DatabaseUnavailableError when the database cannot be reached or the transaction fails for another
 * reason (retry later), InvalidSpanDataError for the one call whose data PostgreSQL refuses (the
 * group is retried call by call, so one bad call cannot fail its neighbours).
 */
export interface WriteResult {
  inserted: number;
  duplicates: number;
}

export interface InsertedSpan {
  projectId: string;
  row: SpanRow;
}

/** Runs inside the writer's transaction, after the insert and before COMMIT; throwing rolls it back. */
export type CommitHook = (client: pg.PoolClient, insertedRows: readonly InsertedSpan[]) => Promise<void>;

/**
 * A statement the span INSERT runs too, as a data-modifying CTE over exactly the rows it inserted
 * (`inserted`, which returns the extension's `returning` expressions as well as the key), given the
 * projects of the group and the writer's pool (for what the statement depends on in the database).
 */
export interface InsertExtension {
  statementFor: (projectIds: readonly string[], db: pg.Pool) => Promise<InsertExtensionSql>;
}

export interface SpanWriterOptions {
  pool: pg.Pool;
  /** Bound on queued spans; beyond it write() fails fast with WriterOverloadedError. */
  maxQueuedSpans?: number;
  /** Bound on queued encoded bytes (memory), same effect. */
  maxQueuedBytes?: number;
  maxSpansPerTransaction?: number;
  /**
   * Transactions in flight at once. With 2, the next group is parsed and inserted by a second
   * backend (another core) while the first one inserts or commits.
   */
  maxConcurrentTransactions?: number;
  statementTimeoutMs?: number;
}

export interface WriterStats {
  queuedSpans: number;
  queuedBytes: number;
  queuedWrites: number;
  inFlightSpans: number;
  inFlightTransactions: number;
  flushes: number;
  failedFlushes: number;
  lastFlushMs: number | null;
  lastFlushSpans: number;
  insertedSpans: number;
  duplicateSpans: number;
  overloadRejections: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

interface PendingWrite {
  projectId: string;
  rows: readonly SpanRow[];
  encoded: EncodedSpans;
  resolve: (result: WriteResult) => void;
  reject: (error: Error) => void;
}

interface PendingCounts {
  counts: Map<string, IngestStatCount>;
  waiters: { resolve: () => void; reject: (error: Error) => void }[];
}

const MAX_ATTEMPTS = 4;
/** Rejection counts kept while the database is down; beyond this, new keys are dropped. */
const MAX_PENDING_COUNT_KEYS = 10_000;

export class SpanWriter {
  private readonly pool: pg.Pool;
  private readonly maxQueuedSpans: number;
  private readonly maxQueuedBytes: number;
  private readonly maxSpansPerTransaction: number;
  private readonly maxConcurrentTransactions: number;
  private readonly statementTimeoutMs: number;
  private readonly hooks: CommitHook[] = [];
  private extension: InsertExtension | null = null;
  private queue: PendingWrite[] = [];
  private pendingCounts: PendingCounts = { counts: new Map(), waiters: [] };
  private queuedSpans = 0;
  private queuedBytes = 0;
  private inFlightSpans = 0;
  private activeTransactions = 0;
  private isPumpScheduled = false;
  private idleWaiters: (() => void)[] = [];
  private counters = {
    flushes: 0,
    failedFlushes: 0,
    lastFlushMs: null as number | null,
    lastFlushSpans: 0,
    insertedSpans: 0,
    duplicateSpans: 0,
    overloadRejections: 0,
    lastError: null as string | null,
    lastErrorAt: null as Date | null,
  };

  constructor(options: SpanWriterOptions) {
    this.pool = options.pool;
    this.maxQueuedSpans = options.maxQueuedSpans ?? 100_000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 128 * 1024 * 1024;
    this.maxSpansPerTransaction = options.maxSpansPerTransaction ?? 20_000;
    this.maxConcurrentTransactions = options.maxConcurrentTransactions ?? 1;
    this.statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  }

  write(projectId: string, rows: readonly SpanRow[]): Promise<WriteResult> {
    if (rows.length === 0) return Promise.resolve({ inserted: 0, duplicates: 0 });
    // An oversized call is still taken by an empty queue, or it could never be written.
    const isEmpty = this.queue.length === 0;
    if (!isEmpty && (this.queuedSpans + rows.length > this.maxQueuedSpans || this.queuedBytes >= this.maxQueuedBytes)) {
      this.counters.overloadRejections++;
      return Promise.reject(
        new WriterOverloadedError(`The write queue is full (${this.queuedSpans} spans, ${this.queuedBytes} bytes waiting).`),
      );
    }
    let encoded: EncodedSpans;
    try {
      encoded = encodeSpans(projectId, rows);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<WriteResult>((resolve, reject) => {
      this.queue.push({ projectId, rows, encoded, resolve, reject });
      this.queuedSpans += rows.length;
      this.queuedBytes += encoded.byteLength;
      this.schedulePump();
    });
  }

  /** Adds ingest_stats counts (rejections) to the next transaction; settles when it does. */
  recordCounts(counts: readonly IngestStatCount[]): Promise<void> {
    if (counts.length === 0) return Promise.resolve();
    const pending = this.pendingCounts;
    for (const c of counts) {
      const key = `${c.projectId}\u0000${c.serviceName}\u0000${c.reason}`;
      if (pending.counts.size >= MAX_PENDING_COUNT_KEYS && !pending.counts.has(key)) continue;
      addIngestStatCount(pending.counts, c.projectId, c.serviceName, c.reason, c.count, c.message);
    }
    return new Promise<void>((resolve, reject) => {
      pending.waiters.push({ resolve, reject });
      this.schedulePump();
    });
  }

  /** Sets the extension every span INSERT runs (one at a time; null removes it). */
  extendInsert(extension: InsertExtension | null): void {
    this.extension = extension;
  }

  /** Registers a hook run in every transaction with its newly inserted rows; returns its removal. */
  onCommitTransaction(hook: CommitHook): () => void {
    this.hooks.push(hook);
    return () => {
      const index = this.hooks.indexOf(hook);
      if (index >= 0) this.hooks.splice(index, 1);
    };
  }

  stats(): WriterStats {
    return {
      queuedSpans: this.queuedSpans,
      queuedBytes: this.queuedBytes,
      queuedWrites: this.queue.length,
      inFlightSpans: this.inFlightSpans,
      inFlightTransactions: this.activeTransactions,
      ...this.counters,
    };
  }

  /** Resolves once everything queued so far has been committed or rejected. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.pendingCounts.waiters.length === 0 && this.activeTransactions === 0;
  }

  private schedulePump(): void {
    if (this.isPumpScheduled) return;
    this.isPumpScheduled = true;
    // setImmediate: calls made while handling the same I/O turn share the transaction.
    setImmediate(() => {
      this.isPumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (
      this.activeTransactions < this.maxConcurrentTransactions &&
      (this.queue.length > 0 || this.pendingCounts.waiters.length > 0)
    ) {
      const group = this.takeGroup();
      const spans = group.reduce((sum, write) => sum + write.rows.length, 0);
      const counts = this.pendingCounts;
      this.pendingCounts = { counts: new Map(), waiters: [] };
      this.inFlightSpans += spans;
      this.activeTransactions++;
      let isSettled = false;
      // Bookkeeping before the callers are settled, so they see it in stats().
      const settle = () => {
        if (isSettled) return;
        isSettled = true;
        this.inFlightSpans -= spans;
        this.activeTransactions--;
      };
      void this.flush(group, counts, settle).finally(() => {
        settle();
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private takeGroup(): PendingWrite[] {
    let spans = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count].rows.length;
      if (count > 0 && spans + next > this.maxSpansPerTransaction) break;
      spans += next;
      count++;
    }
    const group = this.queue.splice(0, count);
    for (const write of group) {
      this.queuedSpans -= write.rows.length;
      this.queuedBytes -= write.encoded.byteLength;
    }
    return group;
  }

  /** One group: retried on deadlock or a vanished partition, split call by call on a data error. */
  private async flush(group: PendingWrite[], counts: PendingCounts, settle: () => void = () => {}): Promise<void> {
    const startedAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.runTransaction(group, counts.counts);
        this.counters.flushes++;
        this.counters.lastFlushMs = Math.round((performance.now() - startedAt) * 10) / 10;
        this.counters.lastFlushSpans = group.reduce((sum, write) => sum + write.rows.length, 0);
        settle();
        group.forEach((write, i) => write.resolve(results[i]));
        for (const waiter of counts.waiters) waiter.resolve();
        return;
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryableConflict(error)) continue;
        if (attempt < MAX_ATTEMPTS && isMissingPartition(error)) {
          forgetPartitionDays(this.pool, daysOf(group));
          continue;
        }
        this.counters.failedFlushes++;
        this.counters.lastError = (error as Error).message;
        this.counters.lastErrorAt = new Date();
        const parts = group.length + (counts.counts.size > 0 ? 1 : 0);
        if (isDataError(error) && !isConnectionError(error) && parts > 1) {
          // Find what PostgreSQL refuses: each call alone, then the counts alone.
          for (const write of group) await this.flush([write], { counts: new Map(), waiters: [] });
          if (counts.counts.size > 0) await this.flush([], counts);
          return;
        }
        settle();
        this.fail(group, counts, error);
        return;
      }
    }
  }

  private fail(group: PendingWrite[], counts: PendingCounts, error: unknown): void {
    const isRefused = isDataError(error) && !isConnectionError(error);
    const failure = isRefused
      ? error instanceof InvalidSpanDataError
        ? error
        : new InvalidSpanDataError(`PostgreSQL refused these spans: ${(error as Error).message}`, error)
      : new DatabaseUnavailableError(
          isConnectionError(error)
            ? `The database is unavailable: ${(error as Error).message}`
            : `The spans could not be stored: ${(error as Error).message}`,
          error,
        );
    for (const write of group) write.reject(failure);
    // Refused counts are dropped; counts that only missed a transaction wait for the next one.
    if (!isRefused) this.restoreCounts(counts);
    for (const waiter of counts.waiters) waiter.reject(failure);
  }

  /** Puts counts of a failed transaction back, to be written by a later one. */
  private restoreCounts(counts: PendingCounts): void {
    for (const c of counts.counts.values()) {
      addIngestStatCount(this.pendingCounts.counts, c.projectId, c.serviceName, c.reason, c.count, c.message);
    }
  }

  private async runTransaction(
    group: PendingWrite[],
    extraCounts: Map<string, IngestStatCount>,
  ): Promise<WriteResult[]> {
    if (group.length > 0) await ensurePartitionDays(this.pool, daysOf(group));
    const extension =
      this.extension && group.length > 0
        ? await this.extension.statementFor([...new Set(group.map((write) => write.projectId))], this.pool)
        : null;
    const client = await connectGuarded(this.pool);
    let isBroken = false;
    try {
      // No nested loops for the insert statement: its CTEs are estimated at one row, and a nested
      // loop over thousands of rows would be quadratic.
      await client.query(`BEGIN; SET LOCAL statement_timeout = ${this.statementTimeoutMs}; SET LOCAL enable_nestloop = off`);
      const isNew = group.length > 0 ? await insertSpanGroup(client, group.map((write) => write.encoded), extension) : new Uint8Array(0);
      const counts = new Map(extraCounts);
      const results = tally(group, isNew, counts);
      if (this.hooks.length > 0) {
        await client.query("RESET enable_nestloop");
        const insertedRows = collectInserted(group, isNew);
        for (const hook of this.hooks) await hook(client, insertedRows);
      }
      // Last before COMMIT: the ingest_stats rows are shared by concurrent transactions (same
      // project and service), so their row locks are held for as short a time as possible.
      await upsertIngestStats(client, [...counts.values()]);
      await client.query("COMMIT");
      for (const result of results) {
        this.counters.insertedSpans += result.inserted;
        this.counters.duplicateSpans += result.duplicates;
      }
      return results;
    } catch (error) {
      isBroken = isConnectionError(error);
      if (!isBroken) await client.query("ROLLBACK").catch(() => (isBroken = true));
      throw error;
    } finally {
      client.release(isBroken);
    }
  }
}

function daysOf(group: readonly PendingWrite[]): number[] {
  const days = new Set<number>();
  for (const write of group) for (const day of write.encoded.days) days.add(day);
  return [...days];
}

/** Per-call results, and the accepted/duplicate counts per (project, service) added to `counts`. */
function tally(group: readonly PendingWrite[], isNew: Uint8Array, counts: Map<string, IngestStatCount>): WriteResult[] {
  const results: WriteResult[] = [];
  let position = 0;
  for (const write of group) {
    let inserted = 0;
    let service = "";
    let serviceInserted = 0;
    let serviceDuplicates = 0;
    const flushService = () => {
      if (serviceInserted > 0) addIngestStatCount(counts, write.projectId, service, ACCEPTED_REASON, serviceInserted, null);
      if (serviceDuplicates > 0) {
        addIngestStatCount(counts, write.projectId, service, DUPLICATE_REASON, serviceDuplicates, DUPLICATE_MESSAGE);
      }
      serviceInserted = 0;
      serviceDuplicates = 0;
    };
    for (const row of write.rows) {
      if (row.serviceName !== service) {
        flushService();
        service = row.serviceName;
      }
      if (isNew[position++] === 1) {
        inserted++;
        serviceInserted++;
      } else {
        serviceDuplicates++;
      }
    }
    flushService();
    results.push({ inserted, duplicates: write.rows.length - inserted });
  }
  return results;
}

function collectInserted(group: readonly PendingWrite[], isNew: Uint8Array): InsertedSpan[] {
  const inserted: InsertedSpan[] = [];
  let position = 0;
  for (const write of group) {
    for (const row of write.rows) if (isNew[position++] === 1) inserted.push({ projectId: write.projectId, row });
  }
  return inserted;
}

const globalForWriter = globalThis as unknown as { sousSpanWriter?: SpanWriter };

function envNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, not "${value}"`);
  return parsed;
}

/**
 * The process's writer, with its own small pool (so dashboard queries never take its connections):
 * SOUS_WRITE_QUEUE_MAX_SPANS, SOUS_WRITE_QUEUE_MAX_BYTES, SOUS_WRITE_MAX_SPANS_PER_TRANSACTION and
 * SOUS_WRITE_CONCURRENT_TRANSACTIONS tune it.
 */
export function getSpanWriter(): SpanWriter {
  if (!globalForWriter.sousSpanWriter) {
    const maxConcurrentTransactions = envNumber("SOUS_WRITE_CONCURRENT_TRANSACTIONS") ?? 1;
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: maxConcurrentTransactions + 1, // + partition creation
      connectionTimeoutMillis: 5_000,
      application_name: "sous-writer",
      options: "-c jit=off",
    });
    pool.on("error", () => {}); // an idle client's error (database restart) must not crash the process
    globalForWriter.sousSpanWriter = new SpanWriter({
      pool,
      maxQueuedSpans: envNumber("SOUS_WRITE_QUEUE_MAX_SPANS"),
      maxQueuedBytes: envNumber("SOUS_WRITE_QUEUE_MAX_BYTES"),
      maxSpansPerTransaction: envNumber("SOUS_WRITE_MAX_SPANS_PER_TRANSACTION"),
      maxConcurrentTransactions,
    });
  }
  return globalForWriter.sousSpanWriter;
}
