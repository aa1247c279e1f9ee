import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DenseHistogram } from "@/lib/analytics/histogram";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { NO_CORE_VALUES } from "@/lib/rollups/cubes";
import { TierAccumulator, writeTierRows } from "@/lib/rollups/fold-deltas";
import { FOLD_LOCK_KEY, foldSealedHours } from "@/lib/rollups/fold-sealed-hours";
import { emptyMetrics } from "@/lib/rollups/metrics";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { readWatermark, SEAL_GRACE_MS } from "@/lib/rollups/watermark";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { teamCallsAt, totalCubeCalls } from "@/lib/testing/rollup-helpers";

/**
 * The fold of a closed hour runs beside the rollup job, not under its lock (fold-sealed-hours.ts):
 * the job keeps applying deltas while it runs, leaves the deltas of the sealed minutes for
 * afterwards, and the two never lose each other's writes to a day row they share.
 */
const HOUR = 3_600_000;
let db: TestDatabase;
const settings: ProjectSettings = { ...BUILT_IN_SETTINGS, allocationTagKeys: ["team"], customized: [] };
const settingsFor = async () => settings;

beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

const tierCalls = (projectId: string, table: string) => totalCubeCalls(db.pool, projectId, table);

async function waitingDeltas(projectId: string): Promise<number> {
  const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM rollup_deltas WHERE project_id = $1", [projectId]);
  return rows[0].n;
}

it("applies other deltas while a sealed hour waits for its fold, then counts the sealed hour's late call once", async () => {
  const projectId = randomUUID();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  await writer.write(projectId, teamCallsAt([hour + 60_000, hour + 30 * 60_000]));
  await runRollupsUntilIdle(db.pool, settingsFor, { now: hour + 40 * 60_000 });
  expect(await readWatermark(db.pool, projectId)).toBe(hour);

  // Another process is folding: the job seals the closed hour and goes on without waiting for it.
  const folder = await db.pool.connect();
  try {
    await folder.query("SELECT pg_advisory_lock($1)", [FOLD_LOCK_KEY]);
    const now = hour + HOUR + SEAL_GRACE_MS + 60_000;
    const sealing = await applyRollupDeltas(db.pool, settingsFor, { now });
    expect(sealing!.sealed).toEqual([{ projectId, fromMs: hour, toMs: hour + HOUR }]);

    // A late call of the sealed hour and a call of the current one arrive during the fold.
    await writer.write(projectId, teamCallsAt([hour + 50 * 60_000, hour + HOUR + 2 * 60_000]));
    const during = await applyRollupDeltas(db.pool, settingsFor, { now });
    expect(during!.deltas).toBe(1); // the current call; the sealed one waits
    expect(await waitingDeltas(projectId)).toBe(1);
    expect(await tierCalls(projectId, "rollup_minute")).toBe(3);
    expect(await foldSealedHours(db.pool, settingsFor, { now })).toBeNull(); // someone else folds

    await folder.query("SELECT pg_advisory_unlock($1)", [FOLD_LOCK_KEY]);
    expect(await foldSealedHours(db.pool, settingsFor, { now })).toMatchObject({ hours: 1 });
    expect(await readWatermark(db.pool, projectId)).toBe(hour + HOUR);
    // Folded without the late call; now it is late for every tier.
    expect([await tierCalls(projectId, "rollup_hour"), await tierCalls(projectId, "rollup_day")]).toEqual([2, 2]);
    expect((await applyRollupDeltas(db.pool, settingsFor, { now }))!.deltas).toBe(1);
    expect(await waitingDeltas(projectId)).toBe(0);
    expect([await tierCalls(projectId, "rollup_minute"), await tierCalls(projectId, "rollup_hour"), await tierCalls(projectId, "rollup_day")]).toEqual([4, 3, 3]);
    const result = await runAnalyticsQuery(
      { projectId, metrics: ["calls"], groupBy: null, interval: null, filters: { attributes: {} }, range: { from: new Date(hour - HOUR), to: new Date(now) } },
      { db: db.pool, settings, now },
    );
    expect(Number(result.groups[0]!.values.calls)).toBe(4);
  } finally {
    folder.release();
  }
});

/** One day row of the total cube, as the fold or the job's late path writes it. */
function dayRow(dayMs: number, ttfts: number[]): TierAccumulator {
  const metrics = emptyMetrics();
  for (const ttftMs of ttfts) {
    metrics.counts.calls++;
    metrics.counts.ttft_calls++;
    metrics.ttft.add(ttftMs);
  }
  const accumulator = new TierAccumulator();
  accumulator.add("day", dayMs, { cube: "total", values: NO_CORE_VALUES, tagKey: null, tagValue: null }, metrics);
  return accumulator;
}

async function storedDayRow(projectId: string, dayMs: number): Promise<{ calls: number; ttftCount: number }> {
  const { rows } = await db.pool.query("SELECT calls, ttft_hist FROM rollup_day WHERE project_id = $1 AND cube = 0 AND bucket = $2", [projectId, new Date(dayMs)]);
  const ttft = new DenseHistogram();
  ttft.addEncoded(rows[0].ttft_hist);
  return { calls: Number(rows[0].calls), ttftCount: ttft.total };
}

it("never loses a write when the fold and the job's late path write the same day row at once", async () => {
  const projectId = randomUUID();
  const day = Date.UTC(2026, 10, 20);
  const first = await db.pool.connect();
  const second = await db.pool.connect();
  try {
    // Both find no row yet: the second insert waits for the first, then adds to it.
    await first.query("BEGIN");
    await second.query("BEGIN");
    await writeTierRows(first, projectId, dayRow(day, [100, 200]), { merge: true });
    const blocked = writeTierRows(second, projectId, dayRow(day, [300]), { merge: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.query("COMMIT");
    await blocked;
    await second.query("COMMIT");
    expect(await storedDayRow(projectId, day)).toEqual({ calls: 3, ttftCount: 3 });

    // Both merge the stored row: the second reads it only once the first has committed.
    await first.query("BEGIN");
    await second.query("BEGIN");
    await writeTierRows(first, projectId, dayRow(day, [400, 500, 600]), { merge: true });
    const waiting = writeTierRows(second, projectId, dayRow(day, [700]), { merge: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.query("COMMIT");
    await waiting;
    await second.query("COMMIT");
    expect(await storedDayRow(projectId, day)).toEqual({ calls: 7, ttftCount: 7 });
  } finally {
    first.release();
    second.release();
  }
});

it("seals up to the end of the local hour holding a watermark that a time-zone change left mid-hour", async () => {
  const projectId = randomUUID();
  const kolkata: ProjectSettings = { ...settings, timeZone: "Asia/Kolkata" }; // UTC+05:30: local hours start at :30 UTC
  const utcHour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  await db.pool.query("INSERT INTO rollup_watermarks (project_id, complete_until) VALUES ($1, $2)", [projectId, new Date(utcHour)]);
  const now = utcHour + 30 * 60_000 + SEAL_GRACE_MS + 1_000;
  const applied = await applyRollupDeltas(db.pool, async () => kolkata, { now });
  expect(applied!.sealed).toContainEqual({ projectId, fromMs: utcHour, toMs: utcHour + 30 * 60_000 });
  await foldSealedHours(db.pool, async () => kolkata, { now });
  expect(await readWatermark(db.pool, projectId)).toBe(utcHour + 30 * 60_000);
});

it("gives way to the job's run in progress between chunks of its work", async () => {
  const projectId = randomUUID();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
  await writer.write(projectId, teamCallsAt([hour + 60_000, hour + 120_000]));
  await runRollupsUntilIdle(db.pool, settingsFor, { now: hour + 10 * 60_000 });
  const now = hour + HOUR + SEAL_GRACE_MS;
  await applyRollupDeltas(db.pool, settingsFor, { now });

  let releaseRun = () => {};
  const run = new Promise<void>((resolve) => (releaseRun = resolve));
  let waits = 0;
  const fold = foldSealedHours(db.pool, settingsFor, { now, giveWay: () => (waits++, run) });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(waits).toBe(1); // waiting for the run, not folding on
  expect(await readWatermark(db.pool, projectId)).toBe(hour);
  releaseRun();
  expect(await fold).toMatchObject({ hours: 1 });
  expect(waits).toBeGreaterThan(1);
  expect(await readWatermark(db.pool, projectId)).toBe(hour + HOUR);
});

it("inserts a closed hour's rows one tag key after another, so a breakdown by one tag reads few pages", async () => {
  const projectId = randomUUID();
  const twoKeys: ProjectSettings = { ...settings, allocationTagKeys: ["team", "customer"], allocationTagLimit: 1_000 };
  const twoKeysFor = async () => twoKeys;
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(twoKeysFor));
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  // Each minute brings new values of both keys, so minute rows (read back in that order) interleave them.
  const calls = Array.from({ length: 120 }, (_, i) =>
    llmSpanRow({ startTimeUnixNano: BigInt(hour + (i % 60) * 60_000 + i) * 1_000_000n, attributes: { team: `team-${i % 40}`, customer: `customer-${i}` } }),
  );
  await writer.write(projectId, calls);
  await runRollupsUntilIdle(db.pool, twoKeysFor, { now: hour + 60_000 }); // the watermark starts at this hour
  expect(await readWatermark(db.pool, projectId)).toBe(hour);
  await runRollupsUntilIdle(db.pool, twoKeysFor, { now: hour + HOUR + SEAL_GRACE_MS + 60_000 });
  expect(await readWatermark(db.pool, projectId)).toBe(hour + HOUR);

  const { rows } = await db.pool.query<{ tag_key: string }>(
    `SELECT d.tag_key FROM rollup_hour_tag r JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id
     WHERE r.project_id = $1 ORDER BY r.tableoid::regclass::text, r.ctid`,
    [projectId],
  );
  expect(rows.length).toBe(40 + 120);
  const runs = rows.filter((row, i) => i === 0 || row.tag_key !== rows[i - 1]!.tag_key).length;
  expect(runs).toBe(2);
});
