import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropPartitionsBefore,
  ensurePartitions,
  formatDay,
  listPartitionDays,
  maintainPartitions,
  partitionName,
  utcDay,
} from "@/lib/ingest/partitions";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { SpanWriter } from "@/lib/ingest/writer";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

const DAY_NS = 86_400_000_000_000n;

describe("daily partitions", () => {
  it("names partitions by UTC day", () => {
    expect(utcDay("2026-11-25")).toBe(utcDay(new Date("2026-11-25T23:59:59.999Z")));
    expect(utcDay(new Date("2026-11-26T00:00:00Z")) - utcDay("2026-11-25")).toBe(1);
    expect(formatDay(utcDay("2026-02-28") + 1)).toBe("2026-03-01");
    expect(partitionName("spans", utcDay("2026-11-25"))).toBe("spans_p20261125");
    expect(partitionName("span_contents", utcDay("2026-01-05"))).toBe("span_contents_p20260105");
  });

  it("creates both tables' partitions once, with the parent's keys and indexes", async () => {
    const created = await ensurePartitions(db.pool, "2026-03-01", "2026-03-02");
    expect(created.sort()).toEqual(["span_contents_p20260301", "span_contents_p20260302", "spans_p20260301", "spans_p20260302"]);
    expect(await ensurePartitions(db.pool, "2026-03-01", "2026-03-02")).toEqual([]);

    const { rows: indexes } = await db.pool.query(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'spans_p20260301' ORDER BY indexname",
    );
    expect(indexes.map((row) => row.indexdef.replace(/^.* USING /, ""))).toEqual(
      expect.arrayContaining([
        "btree (project_id, start_time, trace_id, span_id)",
        "btree (project_id, start_time DESC) WHERE is_llm",
        "btree (project_id, trace_id)",
      ]),
    );
    const { rows: bounds } = await db.pool.query(
      "SELECT pg_get_expr(relpartbound, oid) AS bound, reloptions FROM pg_class WHERE relname = 'spans_p20260301'",
    );
    expect(bounds[0].bound).toBe("FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-03-02 00:00:00+00')");
    expect(bounds[0].reloptions).toEqual(["toast_tuple_target=8160"]);
  });

  it("is safe when several instances create the same day at once", async () => {
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: db.url, max: 1 }).on("error", () => {}));
    try {
      const results = await Promise.all(pools.map((pool) => ensurePartitions(pool, "2026-04-10", "2026-04-10")));
      expect(results.flat().sort()).toEqual(["span_contents_p20260410", "spans_p20260410"]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("keeps today..today+2 ready", async () => {
    const now = new Date("2027-06-30T22:00:00Z");
    await maintainPartitions(db.pool, now);
    const days = await listPartitionDays(db.pool);
    for (const day of ["2027-06-30", "2027-07-01", "2027-07-02"]) expect(days).toContain(utcDay(day));
    expect(days).not.toContain(utcDay("2027-07-03"));
  });

  it("drops whole days before a cutoff and keeps the rest with their rows", async () => {
    await ensurePartitions(db.pool, "2025-01-01", "2025-01-03");
    const projectId = randomUUID();
    const kept = llmSpanRow({ startTimeUnixNano: BigInt(Date.parse("2025-01-03T12:00:00Z")) * 1_000_000n });
    const expired = llmSpanRow({ startTimeUnixNano: BigInt(Date.parse("2025-01-01T12:00:00Z")) * 1_000_000n });
    await new SpanWriter({ pool: db.pool }).write(projectId, [kept, expired]);

    const dropped = await dropPartitionsBefore(db.pool, "2025-01-03");
    expect(dropped.sort()).toEqual(["span_contents_p20250101", "span_contents_p20250102", "spans_p20250101", "spans_p20250102"]);
    const days = await listPartitionDays(db.pool);
    expect(days).not.toContain(utcDay("2025-01-01"));
    expect(days).toContain(utcDay("2025-01-03"));
    const { rows } = await db.pool.query("SELECT encode(span_id, 'hex') AS span_id FROM spans WHERE project_id = $1", [projectId]);
    expect(rows).toEqual([{ span_id: kept.spanId }]);
  });

  it("lets the writer recreate a partition dropped behind its back", async () => {
    const writer = new SpanWriter({ pool: db.pool });
    const start = BigInt(Date.parse("2025-05-05T08:00:00Z")) * 1_000_000n;
    await writer.write(randomUUID(), [llmSpanRow({ startTimeUnixNano: start })]);
    // Another instance applies retention; this process still believes the day exists.
    const otherInstance = new pg.Pool({ connectionString: db.url, max: 1 }).on("error", () => {});
    try {
      await dropPartitionsBefore(otherInstance, "2025-05-06");
    } finally {
      await otherInstance.end();
    }
    expect(await writer.write(randomUUID(), [llmSpanRow({ startTimeUnixNano: start + DAY_NS / 2n })])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await listPartitionDays(db.pool)).toContain(utcDay("2025-05-05"));
  });
});
