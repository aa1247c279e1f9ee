import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { CUBES } from "@/lib/rollups/cubes";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * Migration 20261201120000_rollup_cube_partitions splits each tier by cube. Rows written before it
 * must all land in their cube's partition, in time partitions named as lib/rollups/rollup-partitions.ts
 * names them, so that the rollup job keeps writing into the same periods afterwards.
 */
const MIGRATION = "20261201120000_rollup_cube_partitions";
const DAY = 86_400_000;

let db: TestDatabase;
let migrationsBefore: string;
beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
  migrationsBefore = mkdtempSync(path.join(tmpdir(), "sous-migrations-before-"));
  for (const name of readdirSync(MIGRATIONS_DIR).filter((entry) => entry < MIGRATION)) {
    cpSync(path.join(MIGRATIONS_DIR, name), path.join(migrationsBefore, name), { recursive: true });
  }
});
afterAll(async () => {
  await db?.stop();
  if (migrationsBefore) rmSync(migrationsBefore, { recursive: true, force: true });
});

it("lists the cubes with the codes, partition names and tiers of lib/rollups/cubes.ts", () => {
  const sql = readFileSync(path.join(MIGRATIONS_DIR, MIGRATION, "migration.sql"), "utf8");
  const listed = [...sql.matchAll(/\((\d+), '([a-z+]+)', '([a-z_]+)', (true|false)\)/g)].map((m) => [Number(m[1]), m[2], m[3], m[4] === "true"]);
  expect(listed).toEqual(CUBES.map((cube) => [cube.code, cube.name, cube.slug, cube.isInMinuteTier]));
});

it("moves every tier row into its cube's partition, where the rollup job goes on writing", async () => {
  await applyMigrations(db.url, migrationsBefore);
  const projectId = randomUUID();
  const now = Date.now();
  const minute = new Date(Math.floor((now - 2 * DAY) / 60_000) * 60_000);
  const day = minute.toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  const dims = [
    ["total", null, null],
    ["model", "gpt-4o", null],
    ["model+tag", "gpt-4o", "team-a"],
    ["core+tag", "gpt-4o", "team-a"],
  ] as const;
  const ids = new Map<string, number>();
  for (const [cube, model, team] of dims) {
    const { rows } = await db.pool.query<{ dim_id: number }>(
      `INSERT INTO rollup_dims (project_id, cube, model, tag_key, tag_value) VALUES ($1, $2, $3, $4, $5) RETURNING dim_id`,
      [projectId, cube, model, team === null ? null : "team", team],
    );
    ids.set(cube, rows[0]!.dim_id);
  }
  await db.pool.query(
    `CREATE TABLE rollup_minute_p${day.replaceAll("-", "")} PARTITION OF rollup_minute FOR VALUES FROM ('${day}T00:00:00Z') TO ('${day}T00:00:00Z'::timestamptz + interval '1 day')`,
  );
  await db.pool.query(
    `CREATE TABLE rollup_hour_p${month.replace("-", "")} PARTITION OF rollup_hour FOR VALUES FROM ('${month}-01T00:00:00Z') TO ('${month}-01T00:00:00Z'::timestamptz + interval '1 month')`,
  );
  const insert = async (table: string, bucket: Date, cube: string, calls: number) =>
    db.pool.query(
      `INSERT INTO ${table} (project_id, bucket, dim_id, calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls,
         cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd, ttft_hist, ttft_cache_hit_hist, duration_hist)
       VALUES ($1, $2, $3, $4::bigint, 0, 0, 0, 0, 0, $4::bigint * 100, 0, 0, 0, 0, 0, 0, 0, $4::bigint * 7, 0, '\\x'::bytea, '\\x'::bytea, '\\x'::bytea)`,
      [projectId, bucket, ids.get(cube), calls],
    );
  const hour = new Date(Math.floor(minute.getTime() / 3_600_000) * 3_600_000);
  const dayStart = new Date(`${day}T00:00:00Z`);
  for (const [cube, calls] of [["total", 5], ["model", 5], ["core+tag", 3]] as const) await insert("rollup_minute", minute, cube, calls);
  for (const [cube, calls] of [["total", 5], ["model", 5], ["model+tag", 3], ["core+tag", 3]] as const) {
    await insert("rollup_hour", hour, cube, calls);
    await insert("rollup_day", dayStart, cube, calls);
  }

  expect((await applyMigrations(db.url)).applied[0]).toBe(MIGRATION);

  const { rows } = await db.pool.query<{ partition: string; cube: number; calls: string; cost: string }>(
    `SELECT tableoid::regclass::text AS partition, cube, calls::text, cost_nano_usd::text AS cost
     FROM (SELECT tableoid, * FROM rollup_minute UNION ALL SELECT tableoid, * FROM rollup_hour UNION ALL SELECT tableoid, * FROM rollup_day) t
     WHERE project_id = $1 ORDER BY 1`,
    [projectId],
  );
  const ymd = day.replaceAll("-", "");
  const ym = month.replace("-", "");
  expect(rows).toEqual(
    [
      { partition: `rollup_day_core_tag`, cube: 17, calls: "3", cost: "21" },
      { partition: `rollup_day_model`, cube: 3, calls: "5", cost: "35" },
      { partition: `rollup_day_model_tag`, cube: 12, calls: "3", cost: "21" },
      { partition: `rollup_day_total`, cube: 0, calls: "5", cost: "35" },
      { partition: `rollup_hour_core_tag_p${ym}`, cube: 17, calls: "3", cost: "21" },
      { partition: `rollup_hour_model_p${ym}`, cube: 3, calls: "5", cost: "35" },
      { partition: `rollup_hour_model_tag_p${ym}`, cube: 12, calls: "3", cost: "21" },
      { partition: `rollup_hour_total_p${ym}`, cube: 0, calls: "5", cost: "35" },
      { partition: `rollup_minute_core_tag_p${ymd}`, cube: 17, calls: "3", cost: "21" },
      { partition: `rollup_minute_model_p${ymd}`, cube: 3, calls: "5", cost: "35" },
      { partition: `rollup_minute_total_p${ymd}`, cube: 0, calls: "5", cost: "35" },
    ].sort((a, b) => (a.partition < b.partition ? -1 : 1)),
  );
  const { rows: old } = await db.pool.query("SELECT to_regclass('rollup_minute_unsplit') AS t");
  expect(old[0].t).toBeNull();

  // The job folds a new call of the same minute into the moved rows.
  const settings = async () => ({ ...BUILT_IN_SETTINGS, customized: [] });
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settings));
  await writer.write(projectId, [llmSpanRow({ startTimeUnixNano: BigInt(minute.getTime() + 1_000) * 1_000_000n })]);
  await runRollupsUntilIdle(db.pool, settings);
  const { rows: totals } = await db.pool.query<{ partition: string; calls: string }>(
    `SELECT tableoid::regclass::text AS partition, calls::text FROM rollup_minute WHERE project_id = $1 AND cube = 0 AND bucket = $2`,
    [projectId, minute],
  );
  expect(totals).toEqual([{ partition: `rollup_minute_total_p${ymd}`, calls: "6" }]);
});
