import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { ensurePartitions, listPartitionDays, utcDay } from "@/lib/ingest/partitions";
import { applyRetention } from "@/lib/jobs/apply-retention";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { cubesInTier } from "@/lib/rollups/cubes";
import { ensureRollupPartitions, partitionPeriod, periodPartitionName } from "@/lib/rollups/rollup-partitions";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/** Retention drops whole partitions: raw days past 30 days, minute days past 7, hour months past 90; day rows stay. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

const DAY = 86_400_000;

it("drops expired partitions of spans and rollup tiers, and keeps the day tier", async () => {
  const projectId = randomUUID();
  const settingsFor = async () => ({ ...BUILT_IN_SETTINGS, customized: [] });
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  const now = Date.now();
  const ages = [1, 5, 20, 40, 100]; // days before now
  await ensurePartitions(db.pool, new Date(now - 101 * DAY), new Date(now));
  await writer.write(projectId, ages.map((age) => llmSpanRow({ startTimeUnixNano: BigInt(now - age * DAY) * 1_000_000n })));
  // The job skips tiers already past retention when it folds; count what each tier holds.
  await runRollupsUntilIdle(db.pool, settingsFor);
  const tierCalls = async (table: string) =>
    Number((await db.pool.query(`SELECT COALESCE(sum(calls), 0) AS n FROM ${table} t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1 AND d.cube = 'total'`, [projectId])).rows[0].n);
  expect([await tierCalls("rollup_minute"), await tierCalls("rollup_hour"), await tierCalls("rollup_day")]).toEqual([2, 4, 5]);

  // Tier rows written back when they were recent: a minute 10 days ago, an hour 4 months ago.
  const client = await db.pool.connect();
  try {
    await ensureRollupPartitions(client, "minute", [now - 10 * DAY]);
    await ensureRollupPartitions(client, "hour", [now - 125 * DAY]);
    for (const [table, age] of [["rollup_minute", 10], ["rollup_hour", 125]] as const) {
      await client.query(
        `INSERT INTO ${table} SELECT project_id, $2, dim_id, calls, errors, ttft_calls, within_budget_calls, token_calls,
           unknown_cost_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls,
           cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd, ttft_hist, ttft_cache_hit_hist, duration_hist, cube
         FROM rollup_day WHERE project_id = $1 LIMIT 1`,
        [projectId, new Date(now - age * DAY)],
      );
    }
  } finally {
    client.release();
  }
  // Every cube of the tier has its partition of the period, and all of them go.
  const oldMinute = cubesInTier("minute").map((cube) => periodPartitionName("minute", cube, partitionPeriod("minute", now - 10 * DAY)));
  const oldHour = cubesInTier("hour").map((cube) => periodPartitionName("hour", cube, partitionPeriod("hour", now - 125 * DAY)));
  const tenDaysAgo = new Date(now - 10 * DAY).toISOString().slice(0, 10).replaceAll("-", "");
  expect(oldMinute).toContain(`rollup_minute_core_tag_p${tenDaysAgo}`);

  const result = await applyRetention(db.pool, now);
  expect(result.droppedRollupPartitions).toEqual(expect.arrayContaining([...oldMinute, ...oldHour]));
  expect(result.droppedSpanPartitions.length).toBeGreaterThan(0);
  const days = await listPartitionDays(db.pool);
  expect(Math.min(...days)).toBe(utcDay(new Date(now - 30 * DAY)));
  const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM spans WHERE project_id = $1", [projectId]);
  expect(rows[0].n).toBe(3); // 1, 5 and 20 days old
  expect(result.droppedRollupPartitions.every((name) => /^rollup_(minute_[a-z_]+_p\d{8}|hour_[a-z_]+_p\d{6})$/.test(name))).toBe(true);
  const { rows: minuteParts } = await db.pool.query<{ name: string }>(
    "SELECT relid::regclass::text AS name FROM pg_partition_tree('rollup_minute') WHERE isleaf",
  );
  expect(minuteParts.length).toBeGreaterThan(0);
  const oldestMinuteDay = minuteParts.map((part) => part.name.slice(-8)).sort()[0]!;
  expect(oldestMinuteDay >= new Date(now - 8 * DAY).toISOString().slice(0, 10).replaceAll("-", "")).toBe(true);
  expect([await tierCalls("rollup_minute"), await tierCalls("rollup_hour"), await tierCalls("rollup_day")]).toEqual([2, 4, 5]);
  // Nothing left to drop the second time.
  expect((await applyRetention(db.pool, now)).droppedSpanPartitions).toEqual([]);
});

it("keeps minute partitions from the oldest watermark on: minutes not yet folded into hours", async () => {
  const now = Date.now();
  const client = await db.pool.connect();
  try {
    await ensureRollupPartitions(client, "minute", [now - 9 * DAY]);
  } finally {
    client.release();
  }
  const nineDaysAgo = cubesInTier("minute").map((cube) => periodPartitionName("minute", cube, partitionPeriod("minute", now - 9 * DAY)));
  const leaves = async () =>
    (await db.pool.query<{ name: string }>("SELECT relid::regclass::text AS name FROM pg_partition_tree('rollup_minute') WHERE isleaf")).rows.map(
      (row) => row.name,
    );
  // A project whose job stopped ten days ago: its minutes since then are not in the hour tier yet.
  const stalled = randomUUID();
  const watermark = Math.floor((now - 10 * DAY) / 3_600_000) * 3_600_000;
  await db.pool.query("INSERT INTO rollup_watermarks (project_id, complete_until) VALUES ($1, $2)", [stalled, new Date(watermark)]);
  expect((await applyRetention(db.pool, now)).droppedRollupPartitions).toEqual([]);
  expect(await leaves()).toEqual(expect.arrayContaining(nineDaysAgo));

  // Once it has caught up, they go like any other expired minutes.
  await db.pool.query("UPDATE rollup_watermarks SET complete_until = $2 WHERE project_id = $1", [stalled, new Date(now - 3_600_000)]);
  expect((await applyRetention(db.pool, now)).droppedRollupPartitions).toEqual(expect.arrayContaining(nineDaysAgo));
  expect(await leaves()).not.toEqual(expect.arrayContaining([nineDaysAgo[0]]));
});
