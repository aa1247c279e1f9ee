import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dimKeyId, fanOut, type CoreValues } from "@/lib/rollups/cubes";
import { forgetDimIds, resolveDimIds } from "@/lib/rollups/dimensions";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * rollup_dims ids: new keys are inserted once, and keys already stored are found again by a process
 * that has not cached them (a restart, another instance), NULL values included (NULL matches NULL).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

const values = (overrides: Partial<CoreValues>): CoreValues => ({
  service: "search-api",
  provider: "openai",
  model: "gpt-4o",
  promptName: "answer",
  promptVersion: "v1",
  environment: "production",
  workload: "interactive",
  streaming: true,
  ...overrides,
});

it("finds stored keys again after a restart, with NULL columns, and inserts only the new ones", async () => {
  const projectId = randomUUID();
  await db.pool.query("INSERT INTO projects (id, name, slug) VALUES ($1, 'p', $2)", [projectId, `p-${projectId.slice(0, 8)}`]);
  const tags = new Map<string, string | null>([["team", "payments"], ["customer", null]]);
  const first = [
    ...fanOut(values({}), tags),
    ...fanOut(values({ provider: null, streaming: null, promptName: null, promptVersion: null }), tags),
  ];
  const client = await db.pool.connect();
  try {
    const ids = new Map((await resolveDimIds(client, projectId, first)).entries());
    const stored = Number((await client.query("SELECT count(*) FROM rollup_dims WHERE project_id = $1", [projectId])).rows[0].count);
    expect(stored).toBe(new Set(first.map(dimKeyId)).size);

    forgetDimIds();
    const later = [...first, ...fanOut(values({ workload: null, environment: null }), tags)];
    const again = await resolveDimIds(client, projectId, later);
    for (const key of first) expect(again.get(dimKeyId(key)), dimKeyId(key)).toBe(ids.get(dimKeyId(key)));
    const storedAfter = Number((await client.query("SELECT count(*) FROM rollup_dims WHERE project_id = $1", [projectId])).rows[0].count);
    expect(storedAfter).toBe(new Set(later.map(dimKeyId)).size);
  } finally {
    client.release();
  }
});
