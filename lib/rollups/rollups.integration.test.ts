import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DenseHistogram, SparseHistogram } from "@/lib/analytics/histogram";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow, plainSpanRow } from "@/lib/ingest/span-row-fixture";
import type { SpanRow } from "@/lib/ingest/types";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { OTHER_TAG_VALUE } from "@/lib/rollups/cubes";
import { COUNT_COLUMNS, MONEY_COLUMNS } from "@/lib/rollups/metrics";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { rebuildRollups } from "@/lib/rollups/rebuild-rollups";
import { readWatermark } from "@/lib/rollups/watermark";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * Rollups against a real PostgreSQL: the writer's hook and the job count exactly the spans that
 * were inserted (redelivery changes nothing), every cube adds up to the raw spans (the hour and day
 * tiers once the job has folded the current hour: watermark.ts), and a rebuild from raw spans gives
 * the same rows as incremental maintenance.
 */
let db: TestDatabase;
const settings: ProjectSettings = {
  ...BUILT_IN_SETTINGS,
  allocationTagKeys: ["team", "customer"],
  allocationTagLimit: 3,
  timeZone: "America/New_York",
  ttftBudgetMs: 300,
  serviceTtftBudgets: { "batch-jobs": 5_000 },
  customized: [],
};
const settingsFor = async () => settings;

beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

/** Deterministic varied calls over the last few hours, with nulls where instrumentations leave facts out. */
function makeCalls(count: number, seed: number): SpanRow[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const start = BigInt(now - Math.floor(random() * 5 * 3_600_000)) * 1_000_000n + BigInt(Math.floor(random() * 999_999));
    const reportsCache = random() < 0.7;
    const input = random() < 0.95 ? 100 + Math.floor(random() * 5000) : null;
    const cacheRead = reportsCache && input !== null ? Math.floor(input * random() * (random() < 0.5 ? 0 : 1)) : null;
    return llmSpanRow({
      startTimeUnixNano: start,
      serviceName: pick(["support-bot", "search-api", "batch-jobs"]),
      provider: pick(["openai", "anthropic", null]),
      requestModel: pick(["gpt-4o", "claude-sonnet-4-5"]),
      responseModel: pick(["gpt-4o-2024-08-06", null]),
      promptName: pick(["answer", "summarize", null]),
      promptVersion: pick(["v1", "v2", null]),
      environment: pick(["production", "staging", null]),
      workload: pick(["interactive", "batch", null]),
      streaming: pick([true, false, null]),
      status: random() < 0.1 ? "error" : "ok",
      ttftMs: random() < 0.8 ? Math.exp(4 + random() * 4) : null,
      durationMs: random() < 0.02 ? 0 : Math.exp(5 + random() * 5),
      inputTokens: input,
      outputTokens: input === null ? null : Math.floor(random() * 800),
      cacheReadTokens: cacheRead,
      cacheWriteTokens: reportsCache ? Math.floor(random() * 50) : null,
      reasoningTokens: random() < 0.3 ? Math.floor(random() * 100) : null,
      costNanoUsd: random() < 0.1 ? null : BigInt(Math.floor(random() * 5_000_000_000)),
      costSource: "computed",
      cacheSavingsNanoUsd: reportsCache ? BigInt(Math.floor(random() * 200_000_000)) - 50_000_000n : null,
      attributes: {
        team: pick(["payments", "growth", undefined]),
        customer: pick(["acme", "globex", "initech", "umbrella", "hooli"]),
        unrelated: "x",
      } as Record<string, unknown>,
    });
  });
}

/** Runs the job until no delta waits; `now` later than the calls folds their hours (watermark.ts). */
async function drain(now = Date.now()): Promise<void> {
  await runRollupsUntilIdle(db.pool, settingsFor, { batchSize: 50, now });
}

/** As the job does once the current hour has closed: every call is then in the hour and day tiers. */
const AFTER_THIS_HOUR = () => Date.now() + 2 * 3_600_000;

const SUMS = `count(*) AS calls, count(*) FILTER (WHERE status = 'error') AS errors,
  count(*) FILTER (WHERE input_tokens IS NOT NULL OR output_tokens IS NOT NULL) AS token_calls, count(ttft_ms) AS ttft_calls,
  count(*) FILTER (WHERE ttft_ms <= CASE WHEN service_name = 'batch-jobs' THEN 5000 ELSE 300 END) AS within_budget_calls,
  COALESCE(sum(input_tokens), 0) AS input_tokens, COALESCE(sum(output_tokens), 0) AS output_tokens,
  COALESCE(sum(cache_read_tokens), 0) AS cache_read_tokens, COALESCE(sum(cache_write_tokens), 0) AS cache_write_tokens,
  COALESCE(sum(reasoning_tokens), 0) AS reasoning_tokens, count(cache_read_tokens) AS cache_reported_calls,
  COALESCE(sum(input_tokens) FILTER (WHERE cache_read_tokens IS NOT NULL), 0) AS cache_reported_input_tokens,
  count(*) FILTER (WHERE cache_read_tokens > 0) AS cache_hit_calls, count(*) FILTER (WHERE cost_nano_usd IS NULL) AS unknown_cost_calls,
  COALESCE(sum(cost_nano_usd), 0) AS cost_nano_usd, COALESCE(sum(cache_savings_nano_usd), 0) AS cache_savings_nano_usd`;
// The same totals from a tier: each column is a sum of the rows' own column.
const TIER_SUMS = [...COUNT_COLUMNS, ...MONEY_COLUMNS].map((column) => `sum(${column}) AS ${column}`).join(", ");

async function rawTotals(projectId: string, beforeMs = Number.POSITIVE_INFINITY) {
  const { rows } = await db.pool.query(`SELECT ${SUMS} FROM spans WHERE project_id = $1 AND is_llm AND start_time < $2`, [
    projectId,
    Number.isFinite(beforeMs) ? new Date(beforeMs) : "infinity",
  ]);
  return normalize(rows[0]);
}

async function tierTotals(projectId: string, table: string, cube: string) {
  const { rows } = await db.pool.query(
    `SELECT ${TIER_SUMS} FROM ${table} t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1 AND d.cube = $2`,
    [projectId, cube],
  );
  return normalize(rows[0]);
}

function normalize(row: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? "0" : String(value)]));
}

async function tierSnapshot(projectId: string) {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
    const { rows } = await db.pool.query(
      `SELECT t.bucket, d.cube, d.service_name, d.provider, d.model, d.prompt_name, d.prompt_version, d.environment, d.workload,
              d.streaming, d.tag_key, d.tag_value, t.*
       FROM ${table} t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1`,
      [projectId],
    );
    snapshot[table] = rows
      .map((row) => {
        const { dim_id, ...rest } = row;
        void dim_id;
        for (const column of ["ttft_hist", "ttft_cache_hit_hist", "duration_hist"]) {
          const histogram = new DenseHistogram();
          histogram.addEncoded(rest[column]);
          rest[column] = Array.from(histogram.counts).join(",");
        }
        return JSON.stringify(rest);
      })
      .sort();
  }
  return snapshot;
}

describe("rollups", () => {
  it("count exactly the inserted calls in every cube and tier, whatever is redelivered", async () => {
    const projectId = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const calls = makeCalls(600, 7);
    await Promise.all([writer.write(projectId, calls.slice(0, 300)), writer.write(projectId, calls.slice(200, 600))]);
    await writer.write(projectId, [...calls.slice(0, 100), plainSpanRow()]); // an exporter's retry, and a non-LLM span
    await drain();
    // The current hour is in the minute tier only until it has closed.
    const watermark = await readWatermark(db.pool, projectId);
    expect(watermark! % 3_600_000).toBe(0); // New York hours are UTC hours
    expect(Date.now() - watermark!).toBeLessThan(3_600_000);
    expect(await tierTotals(projectId, "rollup_minute", "total")).toEqual(await rawTotals(projectId));
    expect(await tierTotals(projectId, "rollup_hour", "total")).toEqual(await rawTotals(projectId, watermark!));
    expect(await tierTotals(projectId, "rollup_day", "core")).toEqual(await rawTotals(projectId, watermark!));
    await drain(AFTER_THIS_HOUR());

    const raw = await rawTotals(projectId);
    expect(raw.calls).toBe("600");
    for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
      for (const cube of ["total", "service", "model", "prompt", "streaming", "core"]) {
        expect(await tierTotals(projectId, table, cube), `${table} ${cube}`).toEqual(raw);
      }
      // Each tag key's breakdown adds up too.
      const { rows } = await db.pool.query(
        `SELECT d.tag_key, sum(t.calls)::text AS calls, sum(t.cost_nano_usd)::text AS cost FROM ${table} t
         JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1 AND d.cube = 'core+tag' GROUP BY 1 ORDER BY 1`,
        [projectId],
      );
      expect(rows).toEqual([
        { tag_key: "customer", calls: "600", cost: raw.cost_nano_usd },
        { tag_key: "team", calls: "600", cost: raw.cost_nano_usd },
      ]);
    }
  });

  it("record each project's deltas with its own tag keys and budgets when one insert holds several projects", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const secondSettings: ProjectSettings = { ...settings, allocationTagKeys: ["feature"], ttftBudgetMs: 100, serviceTtftBudgets: {} };
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(async (projectId) => (projectId === second ? secondSettings : settings)));
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    const call = (i: number, ttftMs: number) =>
      llmSpanRow({
        startTimeUnixNano: BigInt(minute + i) * 1_000_000n,
        serviceName: "support-bot",
        ttftMs,
        attributes: { team: "payments", feature: "refunds", customer: "acme" },
      });
    const calls = [call(1, 50), call(2, 200), call(3, 200)];
    // Written in one turn: one transaction, one INSERT for both projects (and a repeated span).
    const results = await Promise.all([writer.write(first, calls), writer.write(second, [...calls, calls[0]!])]);
    expect(results).toEqual([{ inserted: 3, duplicates: 0 }, { inserted: 3, duplicates: 1 }]);
    const { rows } = await db.pool.query(
      `SELECT project_id, tags, sum(calls)::int AS calls, sum(within_budget_calls)::int AS within, count(DISTINCT created_at)::int AS transactions
       FROM rollup_deltas WHERE project_id = ANY($1::uuid[]) GROUP BY 1, 2`,
      [[first, second]],
    );
    const byProject = new Map(rows.map((row) => [row.project_id, row]));
    expect(byProject.get(first)).toMatchObject({ tags: { team: "payments", customer: "acme" }, calls: 3, within: 3, transactions: 1 });
    expect(byProject.get(second)).toMatchObject({ tags: { feature: "refunds" }, calls: 3, within: 1, transactions: 1 });
    await drain();
  });

  it("add up, in one run, the deltas that many writer transactions record for the same minute and dimensions", async () => {
    const projectId = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const minuteMs = Math.floor(Date.now() / 60_000) * 60_000;
    const ttfts = Array.from({ length: 40 }, (_, i) => 50 + i * 37.5);
    const expected = new SparseHistogram();
    for (const ttft of ttfts) expected.add(ttft);
    for (let i = 0; i < ttfts.length; i += 4) {
      const batch = ttfts.slice(i, i + 4).map((ttftMs, j) =>
        llmSpanRow({ startTimeUnixNano: BigInt(minuteMs + i * 100 + j) * 1_000_000n, ttftMs, attributes: { team: "payments", customer: "acme" } }),
      );
      await writer.write(projectId, batch); // one transaction, one delta of the same identity each time
    }
    const { rows: waiting } = await db.pool.query("SELECT count(*)::int AS deltas FROM rollup_deltas WHERE project_id = $1", [projectId]);
    expect(waiting[0].deltas).toBe(10);
    const result = await applyRollupDeltas(db.pool, settingsFor, { batchSize: 1_000 });
    expect(result!.deltas).toBe(10);

    expect(await tierTotals(projectId, "rollup_minute", "total")).toEqual(await rawTotals(projectId));
    const { rows } = await db.pool.query(
      `SELECT d.cube, t.ttft_hist FROM rollup_minute t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1 ORDER BY 1`,
      [projectId],
    );
    // One row per minute cube (two for each cube with a tag), each holding all 40 TTFTs.
    expect(rows.map((row) => row.cube)).toEqual(
      ["core", "core+tag", "core+tag", "environment", "model", "prompt", "provider", "service", "streaming", "tag", "tag", "total", "workload"],
    );
    for (const row of rows) {
      const histogram = new SparseHistogram();
      histogram.addEncoded(row.ttft_hist);
      expect([...histogram.counts].sort(([a], [b]) => a - b), row.cube).toEqual([...expected.counts].sort(([a], [b]) => a - b));
    }
  });

  it("keep the busy minute rows one entry per bucket however many runs add to them", async () => {
    const projectId = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const minuteMs = Math.floor(Date.now() / 60_000) * 60_000;
    const ttfts = [40, 80, 160, 320, 640];
    const expected = new SparseHistogram();
    const oneRun = new SparseHistogram();
    for (const ttft of ttfts) oneRun.add(ttft);
    for (let run = 0; run < 6; run++) {
      const calls = ttfts.map((ttftMs, i) =>
        llmSpanRow({ startTimeUnixNano: BigInt(minuteMs + run * 1_000 + i) * 1_000_000n, ttftMs, attributes: { team: "payments" } }),
      );
      for (const ttft of ttfts) expected.add(ttft);
      await writer.write(projectId, calls);
      await applyRollupDeltas(db.pool, settingsFor, { batchSize: 1_000 }); // a run of the job each time
    }
    expect(await tierTotals(projectId, "rollup_minute", "total")).toEqual(await rawTotals(projectId));
    const { rows } = await db.pool.query(
      `SELECT d.cube, t.ttft_hist FROM rollup_minute t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1`,
      [projectId],
    );
    const sorted = (histogram: SparseHistogram) => [...histogram.counts].sort(([a], [b]) => a - b);
    for (const row of rows) {
      const histogram = new SparseHistogram();
      histogram.addEncoded(row.ttft_hist);
      expect(sorted(histogram), row.cube).toEqual(sorted(expected));
      // Total, one dimension, one tag: merged on every run, one entry per bucket. Core and
      // core+tag rows are appended to: each run's entries follow the last's.
      const bytes = ["core", "core+tag"].includes(row.cube) ? 6 * oneRun.encode().length : expected.encode().length;
      expect(row.ttft_hist.length, row.cube).toBe(bytes);
    }
  });

  it("keep the first values of a tag up to its limit and count the rest as other", async () => {
    const projectId = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    await writer.write(projectId, makeCalls(200, 11));
    await drain(AFTER_THIS_HOUR());
    const { rows } = await db.pool.query(
      `SELECT d.tag_value, sum(t.calls)::int AS calls FROM rollup_day t JOIN rollup_dims d USING (project_id, dim_id)
       WHERE t.project_id = $1 AND d.cube = 'tag' AND d.tag_key = 'customer' GROUP BY 1 ORDER BY 1`,
      [projectId],
    );
    const { rows: raw } = await db.pool.query(
      "SELECT attributes ->> 'customer' AS customer, count(*)::int AS calls FROM spans WHERE project_id = $1 GROUP BY 1 ORDER BY 1",
      [projectId],
    );
    // Values are admitted in sorted order within a batch: acme, globex, hooli; the rest is other.
    const expected = new Map<string, number>();
    for (const { customer, calls } of raw) {
      const value = ["acme", "globex", "hooli"].includes(customer) ? customer : OTHER_TAG_VALUE;
      expected.set(value, (expected.get(value) ?? 0) + calls);
    }
    expect(rows).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([tag_value, calls]) => ({ tag_value, calls })));

    // Once a key has admitted its limit, the writer itself counts its other values as other (a new
    // process: it reads the admissions afresh); a key still admitting (team: 2 of 3) passes its
    // values on as they are.
    const laterWriter = new SpanWriter({ pool: db.pool });
    laterWriter.extendInsert(recordRollupDeltas(settingsFor));
    const later = makeCalls(200, 12);
    await laterWriter.write(projectId, later);
    const { rows: deltaTags } = await db.pool.query(
      `SELECT DISTINCT tags ->> 'customer' AS customer, tags ->> 'team' AS team FROM rollup_deltas WHERE project_id = $1`,
      [projectId],
    );
    expect(new Set(deltaTags.map((row) => row.customer))).toEqual(new Set(["acme", "globex", "hooli", OTHER_TAG_VALUE]));
    expect(new Set(deltaTags.map((row) => row.team))).toEqual(new Set(["payments", "growth", null]));
    await drain(AFTER_THIS_HOUR());
    const { rows: after } = await db.pool.query(
      `SELECT d.tag_value, sum(t.calls)::int AS calls FROM rollup_day t JOIN rollup_dims d USING (project_id, dim_id)
       WHERE t.project_id = $1 AND d.cube = 'tag' AND d.tag_key = 'customer' GROUP BY 1 ORDER BY 1`,
      [projectId],
    );
    for (const call of later) {
      const customer = call.attributes.customer as string;
      const value = ["acme", "globex", "hooli"].includes(customer) ? customer : OTHER_TAG_VALUE;
      expected.set(value, (expected.get(value) ?? 0) + 1);
    }
    expect(after).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([tag_value, calls]) => ({ tag_value, calls })));

    // A query's raw edges count them the same way. Asked as if ten days later, when the minute tier
    // is gone, so the edges' part hours are read from raw spans.
    const range = { from: new Date(Date.now() - 4 * 3_600_000 - 1_234_567), to: new Date(Date.now() - 1_234_567) };
    const statements: string[] = [];
    const recordingPool = {
      query: (text: string, values: unknown[]) => (statements.push(text), db.pool.query(text, values)),
    } as unknown as pg.Pool;
    const byCustomer = await runAnalyticsQuery(
      { projectId, metrics: ["calls"], groupBy: "attribute:customer", interval: null, filters: { attributes: {} }, range },
      { db: recordingPool, settings, now: Date.now() + 10 * 86_400_000 },
    );
    expect(byCustomer.source).toBe("rollups");
    expect(statements.some((text) => /FROM spans s\b/.test(text))).toBe(true);
    const { rows: inRange } = await db.pool.query(
      `SELECT attributes ->> 'customer' AS customer FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $3`,
      [projectId, range.from, range.to],
    );
    const expectedInRange = new Map<string, number>();
    for (const { customer } of inRange) {
      const value = ["acme", "globex", "hooli"].includes(customer) ? customer : OTHER_TAG_VALUE;
      expectedInRange.set(value, (expectedInRange.get(value) ?? 0) + 1);
    }
    expect(new Map(byCustomer.groups.map((group) => [group.group, group.values.calls]))).toEqual(expectedInRange);
    expect(await tierTotals(projectId, "rollup_day", "core+tag")).toEqual(
      Object.fromEntries(Object.entries(await rawTotals(projectId)).map(([column, value]) => [column, String(BigInt(value) * 2n)])),
    );
  });

  it("rebuild from raw spans to the same rows as incremental maintenance, while ingest goes on", async () => {
    const projectId = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const calls = makeCalls(500, 23);
    for (let i = 0; i < 500; i += 50) await writer.write(projectId, calls.slice(i, i + 50));
    await drain();
    const incremental = await tierSnapshot(projectId);
    expect(incremental.rollup_day!.length).toBeGreaterThan(10);

    // A rebuild with spans arriving during it: they must be counted once, by the job afterwards.
    const late = makeCalls(100, 99);
    const [rebuilt] = await Promise.all([
      rebuildRollups(db.pool, projectId, settings, { fromMs: Date.now() - 6 * 3_600_000, toMs: Date.now() + 60_000 }),
      writer.write(projectId, late),
    ]);
    expect(rebuilt.calls).toBeGreaterThanOrEqual(500);
    await drain(AFTER_THIS_HOUR());
    expect(await tierTotals(projectId, "rollup_day", "core")).toEqual(await rawTotals(projectId));

    // Without the late spans, the rebuild gives exactly the incremental rows.
    const other = randomUUID();
    const otherWriter = new SpanWriter({ pool: db.pool });
    otherWriter.extendInsert(recordRollupDeltas(settingsFor));
    for (let i = 0; i < 500; i += 50) await otherWriter.write(other, calls.slice(i, i + 50));
    await drain();
    const before = await tierSnapshot(other);
    await rebuildRollups(db.pool, other, settings, { fromMs: Date.now() - 6 * 3_600_000, toMs: Date.now() + 60_000 });
    expect(await tierSnapshot(other)).toEqual(before);
  });
});
