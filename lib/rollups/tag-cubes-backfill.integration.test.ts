import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SparseHistogram } from "@/lib/analytics/histogram";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { CUBES } from "@/lib/rollups/cubes";
import { createRollupDeltaHook } from "@/lib/rollups/record-deltas";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * Migration 20261201090000_rollup_tag_cubes backfills the single-dimension tag cubes (model+tag, …)
 * of rollups written before they existed, from the core+tag cube. Its rows must be the rows the
 * rollup writer itself produces: here the writer fills every cube, the new cubes are deleted, the
 * migration's backfill runs again, and every row comes back the same (histograms as multisets).
 */
const MIGRATION = path.join(process.cwd(), "prisma/migrations/20261201090000_rollup_tag_cubes/migration.sql");
const NEW_CUBES = CUBES.filter((cube) => cube.hasTag && cube.name !== "tag" && cube.name !== "core+tag").map((cube) => cube.name);

let db: TestDatabase;
const settings: ProjectSettings = {
  ...BUILT_IN_SETTINGS,
  allocationTagKeys: ["team", "customer"],
  allocationTagLimit: 3,
  timeZone: "Europe/Paris",
  customized: [],
};

beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

async function snapshot(projectId: string): Promise<string[]> {
  const rows: string[] = [];
  for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
    const { rows: tierRows } = await db.pool.query(
      `SELECT d.cube, d.service_name, d.provider, d.model, d.prompt_name, d.prompt_version, d.environment, d.workload,
              d.streaming, d.tag_key, d.tag_value, t.*
       FROM ${table} t JOIN rollup_dims d USING (project_id, dim_id) WHERE t.project_id = $1 AND d.cube = ANY($2)`,
      [projectId, NEW_CUBES],
    );
    for (const { dim_id: _dimId, ...row } of tierRows) {
      for (const column of ["ttft_hist", "ttft_cache_hit_hist", "duration_hist"]) {
        const histogram = new SparseHistogram();
        histogram.addEncoded(row[column]);
        row[column] = histogram.encode().toString("hex");
      }
      rows.push(`${table} ${JSON.stringify(row)}`);
    }
  }
  return rows.sort();
}

it("backfills the single-dimension tag cubes exactly as the rollup writer fills them", async () => {
  expect(NEW_CUBES).toHaveLength(7);
  const projectId = randomUUID();
  let state = 7;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const now = Date.now();
  const rows = Array.from({ length: 400 }, () =>
    llmSpanRow({
      startTimeUnixNano: BigInt(now - Math.floor(random() * 3 * 3_600_000)) * 1_000_000n,
      serviceName: pick(["support-bot", "search-api"]),
      provider: pick(["openai", null]),
      requestModel: pick(["gpt-4o", "claude-sonnet-4-5"]),
      promptName: pick(["answer", null]),
      promptVersion: pick(["v1", "v2"]),
      environment: pick(["production", null]),
      workload: pick(["interactive", null]),
      streaming: pick([true, false, null]),
      ttftMs: random() < 0.8 ? Math.exp(4 + random() * 4) : null,
      durationMs: Math.exp(5 + random() * 5),
      cacheReadTokens: random() < 0.5 ? Math.floor(random() * 100) : null,
      costNanoUsd: random() < 0.1 ? null : BigInt(Math.floor(random() * 5_000_000)),
      attributes: { team: pick(["payments", "growth", undefined]), customer: pick(["a", "b", "c", "d", "e"]) },
    }),
  );
  const writer = new SpanWriter({ pool: db.pool });
  writer.onCommitTransaction(createRollupDeltaHook(async () => settings));
  await writer.write(projectId, rows);
  while ((await applyRollupDeltas(db.pool, async () => settings))?.deltas) {
    // until every delta is folded
  }
  const written = await snapshot(projectId);
  expect(written.length).toBeGreaterThan(100);

  for (const table of ["rollup_minute", "rollup_hour", "rollup_day"]) {
    await db.pool.query(
      `DELETE FROM ${table} t USING rollup_dims d WHERE d.project_id = t.project_id AND d.dim_id = t.dim_id AND d.cube = ANY($1)`,
      [NEW_CUBES],
    );
  }
  await db.pool.query("DELETE FROM rollup_dims WHERE cube = ANY($1)", [NEW_CUBES]);
  expect(await snapshot(projectId)).toEqual([]);

  const backfill = /DO \$\$[\s\S]*?END \$\$;/.exec(readFileSync(MIGRATION, "utf8"))![0];
  await db.pool.query(backfill);
  expect(await snapshot(projectId)).toEqual(written);
});
