import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SpanWriter } from "@/lib/ingest/writer";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { startRollupJob } from "@/lib/rollups/rollup-job";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { teamCallsAt, totalCubeCalls } from "@/lib/testing/rollup-helpers";

/**
 * The job as the launcher runs it: on its own timer it applies what the writer recorded, and it
 * vacuums the delta queue it empties (autovacuum alone let the queue grow to ~110 MB of dead rows
 * at a saturating load, scanned by every run).
 */
let db: TestDatabase;
const settings: ProjectSettings = { ...BUILT_IN_SETTINGS, allocationTagKeys: ["team"], customized: [] };

beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

async function queueVacuums(): Promise<number> {
  await db.pool.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await db.pool.query<{ count: string }>(
    "SELECT vacuum_count AS count FROM pg_stat_user_tables WHERE relname = 'rollup_deltas'",
  );
  return Number(rows[0]!.count);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("applies the recorded calls on its own and vacuums the emptied delta queue", async () => {
  const projectId = randomUUID();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(async () => settings));
  const vacuumsBefore = await queueVacuums();
  const now = Date.now();
  await writer.write(projectId, teamCallsAt([now - 3_000, now - 2_000, now - 1_000]));

  const job = startRollupJob(db.pool, async () => settings, { intervalMs: 50 });
  try {
    await waitFor(async () => job.status().appliedDeltas > 0 && (await totalCubeCalls(db.pool, projectId, "rollup_minute")) === 3);
  } finally {
    await job.stop();
  }
  expect(job.status().failures).toBe(0);
  expect(await queueVacuums()).toBeGreaterThan(vacuumsBefore);
  const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM rollup_deltas WHERE project_id = $1", [projectId]);
  expect(rows[0].n).toBe(0);
});
