import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintainPartitions } from "@/lib/ingest/partitions";
import { getIngestStats, recordRejections } from "@/lib/ingest/record-stats";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { SpanWriter } from "@/lib/ingest/writer";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
  await maintainPartitions(db.pool);
});
afterAll(async () => db?.stop());

async function createProject(): Promise<string> {
  const id = randomUUID();
  await db.pool.query("INSERT INTO projects (id, name, slug) VALUES ($1, $2, $2)", [id, `p-${id.slice(0, 8)}`]);
  return id;
}

describe("ingest stats", () => {
  it("counts stored spans, repeated deliveries and rejections per service and reason", async () => {
    const projectId = await createProject();
    const writer = new SpanWriter({ pool: db.pool });
    const rows = [llmSpanRow({ serviceName: "api" }), llmSpanRow({ serviceName: "api" }), llmSpanRow({ serviceName: "worker" })];
    await writer.write(projectId, rows);
    await writer.write(projectId, rows.slice(0, 1));
    await recordRejections(
      projectId,
      [
        { serviceName: "api", reason: "invalid_trace_id", message: "span 1: trace id must be 16 bytes" },
        { serviceName: "api", reason: "invalid_trace_id", message: "span 2: trace id must be 16 bytes" },
        { serviceName: "worker", reason: "timestamp_out_of_range", message: "span 3: starts 3 h in the future" },
      ],
      writer,
    );
    await recordRejections(projectId, [{ serviceName: "api", reason: "invalid_trace_id", message: "span 9: trace id is empty" }], writer);

    const stats = await getIngestStats(projectId, db.pool);
    expect(stats.map(({ lastSeenAt, ...stat }) => (expect(lastSeenAt).toBeInstanceOf(Date), stat))).toEqual([
      { serviceName: "api", reason: "", spanCount: 2, lastMessage: null },
      { serviceName: "api", reason: "duplicate", spanCount: 1, lastMessage: expect.stringContaining("repeated delivery") },
      { serviceName: "api", reason: "invalid_trace_id", spanCount: 3, lastMessage: "span 9: trace id is empty" },
      { serviceName: "worker", reason: "", spanCount: 1, lastMessage: null },
      { serviceName: "worker", reason: "timestamp_out_of_range", spanCount: 1, lastMessage: "span 3: starts 3 h in the future" },
    ]);
  });

  it("writes rejection counts with concurrent span transactions without losing any", async () => {
    const projectId = await createProject();
    const writer = new SpanWriter({ pool: db.pool, maxConcurrentTransactions: 2 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        Promise.all([
          writer.write(projectId, [llmSpanRow({ serviceName: "api" })]),
          recordRejections(projectId, [{ serviceName: "api", reason: "bad", message: `m${i}` }], writer),
        ]),
      ),
    );
    const stats = await getIngestStats(projectId, db.pool);
    expect(stats.find((stat) => stat.reason === "")?.spanCount).toBe(20);
    expect(stats.find((stat) => stat.reason === "bad")?.spanCount).toBe(20);
  });

  it("returns nothing for a project without traffic", async () => {
    expect(await getIngestStats(randomUUID(), db.pool)).toEqual([]);
  });
});
