import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded";
import { unixNanoToMicros, unixNanoToTimestamptz } from "@/lib/ingest/convert";
import { listPartitionDays, maintainPartitions, utcDay } from "@/lib/ingest/partitions";
import { getIngestStats } from "@/lib/ingest/record-stats";
import { llmSpanRow, plainSpanRow } from "@/lib/ingest/span-row-fixture";
import type { SpanRow } from "@/lib/ingest/types";
import {
  DatabaseUnavailableError,
  InvalidSpanDataError,
  SpanWriter,
  WriterOverloadedError,
  type InsertedSpan,
  type SpanWriterOptions,
} from "@/lib/ingest/writer";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
let projectId: string;
const DAY_NS = 86_400_000_000_000n;

beforeAll(async () => {
  db = await startTestDatabase();
  db.pool.on("error", () => {}); // backends terminated on purpose below
  projectId = await createProject();
  await maintainPartitions(db.pool);
});
afterAll(async () => db?.stop());

async function createProject(): Promise<string> {
  const id = randomUUID();
  await db.pool.query("INSERT INTO projects (id, name, slug) VALUES ($1, $2, $2)", [id, `p-${id.slice(0, 8)}`]);
  return id;
}

function newWriter(options: Partial<SpanWriterOptions> = {}): SpanWriter {
  return new SpanWriter({ pool: db.pool, ...options });
}

async function storedCount(rows: readonly SpanRow[]): Promise<number> {
  const { rows: result } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM spans WHERE span_id = ANY($1::bytea[])",
    [rows.map((row) => Buffer.from(row.spanId, "hex"))],
  );
  return result[0].n;
}

function statOf(stats: Awaited<ReturnType<typeof getIngestStats>>, serviceName: string, reason: string) {
  return stats.find((stat) => stat.serviceName === serviceName && stat.reason === reason)?.spanCount ?? 0;
}

describe("SpanWriter", () => {
  it("round-trips every column; nulls stay null and bigint cost stays exact", async () => {
    const llm = llmSpanRow({
      startTimeUnixNano: 1_795_000_000_123_456_789n, // sub-microsecond digits are dropped, not rounded
      content: { systemPrompt: "You are terse.", inputMessages: [{ role: "user", content: "hi" }], outputMessages: null, isTruncated: true },
      attributes: { "gen_ai.request.model": "gpt-4o", nested: { list: [1, "two", null] }, odd: "nul\u0000byte" },
    });
    const plain = plainSpanRow();
    const writer = newWriter();
    expect(await writer.write(projectId, [llm, plain])).toEqual({ inserted: 2, duplicates: 0 });

    const { rows } = await db.pool.query(
      `SELECT project_id, (extract(epoch FROM start_time) * 1000000)::bigint::text AS start_micros,
              start_time = $2::timestamptz AS is_start_exact, (extract(epoch FROM end_time) * 1000000)::bigint::text AS end_micros,
              encode(trace_id, 'hex') AS trace_id, encode(parent_span_id, 'hex') AS parent_span_id,
              duration_ms, service_name, environment, name, kind, scope_name, status, error_type, is_llm, operation,
              provider, request_model, response_model, finish_reason, streaming, ttft_ms, input_tokens::text,
              output_tokens::text, cache_read_tokens::text, cache_write_tokens::text, reasoning_tokens::text,
              cost_nano_usd::text, cost_source, prompt_name, prompt_version, prompt_prefix_hash, user_id, session_id,
              workload, attributes, events, received_at IS NOT NULL AS has_received_at
       FROM spans WHERE span_id = $1`,
      [Buffer.from(llm.spanId, "hex"), unixNanoToTimestamptz(llm.startTimeUnixNano)],
    );
    expect(rows[0]).toEqual({
      project_id: projectId,
      start_micros: "1795000000123456",
      is_start_exact: true,
      end_micros: String(unixNanoToMicros(llm.endTimeUnixNano)),
      trace_id: llm.traceId,
      parent_span_id: llm.parentSpanId,
      duration_ms: llm.durationMs,
      service_name: "checkout-assistant",
      environment: "production",
      name: "chat gpt-4o",
      kind: 3,
      scope_name: "@opentelemetry/instrumentation-openai",
      status: "ok",
      error_type: null,
      is_llm: true,
      operation: "chat",
      provider: "openai",
      request_model: "gpt-4o",
      response_model: "gpt-4o-2024-08-06",
      finish_reason: "stop",
      streaming: true,
      ttft_ms: 212.5,
      input_tokens: "1200",
      output_tokens: "85",
      cache_read_tokens: "1024",
      cache_write_tokens: "0",
      reasoning_tokens: "12",
      cost_nano_usd: "9007199254740993",
      cost_source: "computed",
      prompt_name: "checkout/answer",
      prompt_version: "v7",
      prompt_prefix_hash: llm.promptPrefixHash,
      user_id: "user-42",
      session_id: "session-7",
      workload: "interactive",
      attributes: { "gen_ai.request.model": "gpt-4o", nested: { list: [1, "two", null] }, odd: "nul\uFFFDbyte" },
      events: llm.events,
      has_received_at: true,
    });

    const { rows: plainRows } = await db.pool.query(
      "SELECT to_jsonb(s) - 'project_id' - 'start_time' - 'end_time' - 'received_at' AS row FROM spans s WHERE span_id = $1",
      [Buffer.from(plain.spanId, "hex")],
    );
    const stored = plainRows[0].row as Record<string, unknown>;
    for (const column of ["parent_span_id", "environment", "scope_name", "error_type", "operation", "provider", "request_model",
      "response_model", "finish_reason", "streaming", "ttft_ms", "input_tokens", "output_tokens", "cache_read_tokens",
      "cache_write_tokens", "reasoning_tokens", "cost_nano_usd", "cost_source", "prompt_name", "prompt_version",
      "prompt_prefix_hash", "user_id", "session_id", "workload", "events"]) {
      expect(stored[column], column).toBeNull();
    }
    expect(stored.attributes).toEqual({});
    expect(stored.is_llm).toBe(false);

    const { rows: contents } = await db.pool.query(
      `SELECT encode(span_id, 'hex') AS span_id, start_time = $1::timestamptz AS is_start_exact, system_prompt,
              input_messages, output_messages, is_truncated FROM span_contents WHERE project_id = $2`,
      [unixNanoToTimestamptz(llm.startTimeUnixNano), projectId],
    );
    expect(contents).toEqual([
      { span_id: llm.spanId, is_start_exact: true, system_prompt: "You are terse.", input_messages: [{ role: "user", content: "hi" }], output_messages: null, is_truncated: true },
    ]);
  });

  it("stores a batch sent twice at once only once, and each call's counts add up", async () => {
    const serviceName = `dedupe-${randomUUID().slice(0, 8)}`;
    const unique = Array.from({ length: 5 }, () => llmSpanRow({ serviceName, content: { systemPrompt: "s", inputMessages: null, outputMessages: null, isTruncated: false } }));
    const batch = [...unique, unique[0]]; // also repeated inside the call
    const writer = newWriter();
    const [first, second] = await Promise.all([writer.write(projectId, batch), writer.write(projectId, batch)]);
    expect(writer.stats().flushes).toBe(1); // both calls shared one transaction
    // The call queued first gets the new rows; within a call, the first occurrence.
    expect(first).toEqual({ inserted: 5, duplicates: 1 });
    expect(second).toEqual({ inserted: 0, duplicates: 6 });
    expect(await writer.write(projectId, batch)).toEqual({ inserted: 0, duplicates: 6 });
    expect(await storedCount(unique)).toBe(5);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM span_contents WHERE span_id = ANY($1::bytea[])", [
      unique.map((row) => Buffer.from(row.spanId, "hex")),
    ]);
    expect(rows[0].n).toBe(5);

    const stats = await getIngestStats(projectId, db.pool);
    expect(statOf(stats, serviceName, "")).toBe(5);
    expect(statOf(stats, serviceName, "duplicate")).toBe(13);
  });

  it("keeps counts exact when overlapping batches race in two transactions", async () => {
    const pool = Array.from({ length: 300 }, () => llmSpanRow());
    const writer = newWriter({ maxConcurrentTransactions: 2, maxSpansPerTransaction: 200 });
    const calls = Array.from({ length: 24 }, (_, i) => {
      const rows = Array.from({ length: 60 }, (_, j) => pool[(i * 37 + j * 11) % pool.length]);
      return writer.write(projectId, rows).then((result) => ({ result, rows }));
    });
    const results = await Promise.all(calls);
    const distinct = new Set(results.flatMap(({ rows }) => rows.map((row) => row.spanId)));
    for (const { result, rows } of results) expect(result.inserted + result.duplicates).toBe(rows.length);
    expect(results.reduce((sum, { result }) => sum + result.inserted, 0)).toBe(distinct.size);
    expect(await storedCount(pool)).toBe(distinct.size);
  });

  it("creates partitions on demand for a past day and for tomorrow", async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const past = llmSpanRow({ startTimeUnixNano: now - 20n * DAY_NS });
    const tomorrow = llmSpanRow({ startTimeUnixNano: now + DAY_NS });
    expect(await newWriter().write(projectId, [past, tomorrow])).toEqual({ inserted: 2, duplicates: 0 });
    const days = await listPartitionDays(db.pool);
    const today = utcDay(new Date());
    expect(days).toContain(today - 20);
    expect(days).toContain(today + 1);
    expect(await storedCount([past, tomorrow])).toBe(2);
  });

  it("answers WriterOverloadedError at once when the queue is full, and still commits what it accepted", async () => {
    const writer = newWriter({ maxQueuedSpans: 10 });
    const locker = await db.pool.connect();
    try {
      await locker.query("BEGIN; LOCK TABLE spans IN ACCESS EXCLUSIVE MODE");
      const inFlight = Array.from({ length: 8 }, () => llmSpanRow());
      const queued = Array.from({ length: 8 }, () => llmSpanRow());
      const first = writer.write(projectId, inFlight);
      await waitFor(() => writer.stats().inFlightSpans === 8);
      const second = writer.write(projectId, queued);
      expect(writer.stats().queuedSpans).toBe(8);
      await expect(writer.write(projectId, [llmSpanRow(), llmSpanRow(), llmSpanRow()])).rejects.toBeInstanceOf(WriterOverloadedError);
      expect(writer.stats().overloadRejections).toBe(1);
      await locker.query("COMMIT");
      expect(await first).toEqual({ inserted: 8, duplicates: 0 });
      expect(await second).toEqual({ inserted: 8, duplicates: 0 });
      expect(await storedCount([...inFlight, ...queued])).toBe(16);
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      locker.release();
    }
  });

  it("answers DatabaseUnavailableError when the database cannot be reached", async () => {
    const closed = new pg.Pool({ connectionString: `postgresql://sous:x@127.0.0.1:${await findFreePort()}/sous`, connectionTimeoutMillis: 2_000 });
    const writer = new SpanWriter({ pool: closed });
    try {
      await expect(writer.write(projectId, [llmSpanRow()])).rejects.toBeInstanceOf(DatabaseUnavailableError);
      expect(writer.stats()).toMatchObject({ failedFlushes: 1, inFlightSpans: 0, queuedSpans: 0 });
    } finally {
      await closed.end();
    }
  });

  it("commits nothing of a transaction whose connection dies, and recovers", async () => {
    const writer = newWriter();
    const locker = await db.pool.connect();
    const rows = [llmSpanRow(), llmSpanRow()];
    try {
      await locker.query("BEGIN; LOCK TABLE spans IN ACCESS EXCLUSIVE MODE");
      // Settled into a value at once: the rejection may arrive while the terminate query is in flight.
      const outcome = writer.write(projectId, rows).then(
        () => undefined,
        (error: unknown) => error,
      );
      let pid: number | undefined;
      // Not on the locker: pg_stat_activity is a snapshot for the rest of a transaction.
      await waitFor(async () => {
        const { rows: waiting } = await db.pool.query(
          "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO spans%'",
        );
        pid = waiting[0]?.pid;
        return pid !== undefined;
      });
      await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await outcome).toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      locker.release();
    }
    expect(await storedCount(rows)).toBe(0);
    expect(await writer.write(projectId, rows)).toEqual({ inserted: 2, duplicates: 0 });
  });

  it("runs commit hooks in the transaction with exactly the new rows", async () => {
    const writer = newWriter();
    const stored = [llmSpanRow(), llmSpanRow()];
    await writer.write(projectId, stored);
    const fresh = [llmSpanRow(), plainSpanRow(), llmSpanRow()];
    const seen: { rows: InsertedSpan[]; visible: number }[] = [];
    const remove = writer.onCommitTransaction(async (client, insertedRows) => {
      const { rows } = await client.query("SELECT count(*)::int AS n FROM spans WHERE span_id = ANY($1::bytea[])", [
        insertedRows.map(({ row }) => Buffer.from(row.spanId, "hex")),
      ]);
      seen.push({ rows: [...insertedRows], visible: rows[0].n });
    });
    expect(await writer.write(projectId, [stored[0], ...fresh, stored[1]])).toEqual({ inserted: 3, duplicates: 2 });
    expect(seen).toHaveLength(1);
    expect(seen[0].rows).toEqual(fresh.map((row) => ({ projectId, row })));
    expect(seen[0].visible).toBe(3);
    remove();
    await writer.write(projectId, [llmSpanRow()]);
    expect(seen).toHaveLength(1);
  });

  it("rolls back rows and counts when a commit hook fails", async () => {
    const serviceName = `hook-${randomUUID().slice(0, 8)}`;
    const writer = newWriter();
    writer.onCommitTransaction(async () => {
      throw new Error("rollup failed");
    });
    const rows = [llmSpanRow({ serviceName })];
    await expect(writer.write(projectId, rows)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(await storedCount(rows)).toBe(0);
    expect(statOf(await getIngestStats(projectId, db.pool), serviceName, "")).toBe(0);
  });

  it("fails only the call PostgreSQL refuses and commits its neighbours", async () => {
    const writer = newWriter();
    writer.onCommitTransaction(async (client, insertedRows) => {
      if (insertedRows.some(({ row }) => row.name === "poison")) await client.query("SELECT 1 / 0"); // 22012
    });
    const good = [llmSpanRow(), llmSpanRow()];
    const bad = [llmSpanRow({ name: "poison" })];
    const [goodResult, badResult] = await Promise.allSettled([writer.write(projectId, good), writer.write(projectId, bad)]);
    expect(goodResult).toEqual({ status: "fulfilled", value: { inserted: 2, duplicates: 0 } });
    expect(badResult.status).toBe("rejected");
    expect((badResult as PromiseRejectedResult).reason).toBeInstanceOf(InvalidSpanDataError);
    expect(await storedCount(good)).toBe(2);
    expect(await storedCount(bad)).toBe(0);
  });

  it("refuses malformed rows at write() without touching the queue", async () => {
    const writer = newWriter();
    await expect(writer.write(projectId, [llmSpanRow(), llmSpanRow({ traceId: "not-hex" })])).rejects.toBeInstanceOf(InvalidSpanDataError);
    await expect(writer.write("not-a-uuid", [llmSpanRow()])).rejects.toBeInstanceOf(InvalidSpanDataError);
    await expect(writer.write(projectId, [llmSpanRow({ startTimeUnixNano: -5n })])).rejects.toBeInstanceOf(InvalidSpanDataError);
    expect(writer.stats()).toMatchObject({ queuedSpans: 0, flushes: 0 });
    expect(await writer.write(projectId, [])).toEqual({ inserted: 0, duplicates: 0 });
  });

  it("reports its queue and flushes", async () => {
    const writer = newWriter();
    await writer.write(projectId, [llmSpanRow(), llmSpanRow()]);
    expect(writer.stats()).toMatchObject({
      queuedSpans: 0,
      inFlightSpans: 0,
      inFlightTransactions: 0,
      flushes: 1,
      lastFlushSpans: 2,
      insertedSpans: 2,
      duplicateSpans: 0,
      failedFlushes: 0,
    });
    expect(writer.stats().lastFlushMs).toBeGreaterThan(0);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
