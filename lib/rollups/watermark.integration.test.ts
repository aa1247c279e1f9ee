import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { SpanWriter } from "@/lib/ingest/writer";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { cubeCode } from "@/lib/rollups/cubes";
import { foldSealedHours } from "@/lib/rollups/fold-sealed-hours";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { ensureRollupPartitions } from "@/lib/rollups/rollup-partitions";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { ensureWatermark, readWatermark, SEAL_GRACE_MS } from "@/lib/rollups/watermark";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { teamCallsAt, totalCubeCalls } from "@/lib/testing/rollup-helpers";

/**
 * The hour and day tiers are written once per closed hour (watermark.ts): until then the current
 * hour is in the minute tier only, and queries read it from there; SEAL_GRACE_MS after the hour
 * closes the job seals it and the fold adds its minutes into hours and days and moves the
 * watermark; a late call of a folded hour goes to every tier at once. At every step each tier and
 * the query layer count every call exactly once.
 */
const HOUR = 3_600_000;
let db: TestDatabase;
const settings: ProjectSettings = { ...BUILT_IN_SETTINGS, allocationTagKeys: ["team"], customized: [] };
const settingsFor = async () => settings;

beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

async function drain(now: number): Promise<void> {
  await runRollupsUntilIdle(db.pool, settingsFor, { batchSize: 7, now });
}

const tierCalls = (projectId: string, table: string, fromMs?: number, toMs?: number) => totalCubeCalls(db.pool, projectId, table, fromMs, toMs);

async function queriedCalls(projectId: string, fromMs: number, toMs: number, now: number): Promise<number> {
  const result = await runAnalyticsQuery(
    { projectId, metrics: ["calls"], groupBy: "attribute:team", interval: null, filters: { attributes: {} }, range: { from: new Date(fromMs), to: new Date(toMs) } },
    { db: db.pool, settings, now },
  );
  expect(result.source).toBe("rollups");
  return result.groups.reduce((sum, group) => sum + Number(group.values.calls), 0);
}

it("keeps the current hour in minutes until it closes, then folds it into hours and days once", async () => {
  const projectId = randomUUID();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  // "now" is 20 minutes into an hour; calls two hours ago and in the current hour.
  const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const now = hour + 20 * 60_000;
  await writer.write(projectId, teamCallsAt([hour - 2 * HOUR + 5_000, hour - 2 * HOUR + 6_000, hour + 60_000, hour + 2 * 60_000, hour + 19 * 60_000]));
  await drain(now);

  expect(await readWatermark(db.pool, projectId)).toBe(hour);
  expect(await tierCalls(projectId, "rollup_minute")).toBe(5);
  expect(await tierCalls(projectId, "rollup_hour")).toBe(2);
  expect(await tierCalls(projectId, "rollup_day")).toBe(2);
  // The query layer finds all five: hours before the watermark, minutes after it.
  expect(await queriedCalls(projectId, hour - 3 * HOUR, now, now)).toBe(5);

  // The hour has closed but is not folded yet (spans of its calls may still arrive): queries
  // still read it from minutes.
  const closed = hour + HOUR + 30_000;
  await drain(closed);
  expect(await readWatermark(db.pool, projectId)).toBe(hour);
  expect(await queriedCalls(projectId, hour - 3 * HOUR, closed, closed)).toBe(5);
  // Then its minutes are folded into the hour and day tiers, once.
  const later = hour + HOUR + SEAL_GRACE_MS + 30_000;
  await drain(later);
  expect(await readWatermark(db.pool, projectId)).toBe(hour + HOUR);
  expect(await tierCalls(projectId, "rollup_hour", hour, hour + HOUR)).toBe(3);
  expect([await tierCalls(projectId, "rollup_minute"), await tierCalls(projectId, "rollup_hour"), await tierCalls(projectId, "rollup_day")]).toEqual([5, 5, 5]);
  await drain(later + 10_000); // nothing left to fold: nothing changes
  expect(await tierCalls(projectId, "rollup_hour")).toBe(5);
  // Tag cubes that only the hour and day tiers keep are built from the minutes' core+tag rows.
  const { rows } = await db.pool.query(
    "SELECT sum(calls)::int AS n FROM rollup_hour WHERE project_id = $1 AND cube = $2 AND bucket = $3",
    [projectId, cubeCode("model+tag"), new Date(hour)],
  );
  expect(rows[0].n).toBe(3);

  // A late call of the folded hour goes to every tier at once.
  await writer.write(projectId, teamCallsAt([hour + 30 * 60_000]));
  await drain(later + 20_000);
  expect([await tierCalls(projectId, "rollup_minute"), await tierCalls(projectId, "rollup_hour"), await tierCalls(projectId, "rollup_day")]).toEqual([6, 6, 6]);
  expect(await queriedCalls(projectId, hour - 3 * HOUR, later, later)).toBe(6);
});

it("starts after the hours that were rolled up before watermarks existed", async () => {
  const projectId = randomUUID();
  const now = Date.now();
  const currentHour = Math.floor(now / HOUR) * HOUR;
  const { rows } = await db.pool.query<{ dim_id: number }>(
    "INSERT INTO rollup_dims (project_id, cube) VALUES ($1, 'total') RETURNING dim_id",
    [projectId],
  );
  // The hour tier holds the current hour already (written by the job before this change).
  const client = await db.pool.connect();
  try {
    await ensureRollupPartitions(client, "hour", [currentHour]);
    await client.query(
      `INSERT INTO rollup_hour (project_id, bucket, dim_id, cube, calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls,
         cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd, ttft_hist, ttft_cache_hit_hist, duration_hist)
       VALUES ($1, $2, $3, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\x'::bytea, '\\x'::bytea, '\\x'::bytea)`,
      [projectId, new Date(currentHour), rows[0]!.dim_id],
    );
    expect(await ensureWatermark(client, projectId, "UTC", now)).toBe(currentHour + HOUR);
    expect(await ensureWatermark(client, projectId, "UTC", now + 5 * HOUR)).toBe(currentHour + HOUR); // created once
  } finally {
    client.release();
  }
  // A project without hour rows starts at the current hour.
  const fresh = await db.pool.connect();
  try {
    expect(await ensureWatermark(fresh, randomUUID(), "UTC", now)).toBe(currentHour);
  } finally {
    fresh.release();
  }
});

it("catches up a long pause a day at a time, without losing a call", async () => {
  const projectId = randomUUID();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  const start = Math.floor(Date.now() / HOUR) * HOUR - 40 * HOUR;
  const times = Array.from({ length: 30 }, (_, i) => start + i * 80 * 60_000 + 1_000);
  await writer.write(projectId, teamCallsAt(times));
  await drain(start + 30_000); // the job ran once, 40 hours ago, then stopped
  expect(await readWatermark(db.pool, projectId)).toBe(start);
  expect(await tierCalls(projectId, "rollup_hour")).toBe(0);

  const now = start + 40 * HOUR + SEAL_GRACE_MS;
  const catchUp = async () => {
    await applyRollupDeltas(db.pool, settingsFor, { now });
    return foldSealedHours(db.pool, settingsFor, { now });
  };
  expect(await catchUp()).toMatchObject({ hours: 24 });
  expect(await readWatermark(db.pool, projectId)).toBe(start + 24 * HOUR);
  expect(await tierCalls(projectId, "rollup_hour")).toBe(times.filter((t) => t < start + 24 * HOUR).length);
  expect(await catchUp()).toMatchObject({ hours: 16 });
  expect(await readWatermark(db.pool, projectId)).toBe(start + 40 * HOUR);
  expect([await tierCalls(projectId, "rollup_hour"), await tierCalls(projectId, "rollup_day")]).toEqual([30, 30]);
});
