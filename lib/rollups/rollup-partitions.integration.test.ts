import { afterAll, beforeAll, expect, it } from "vitest";
import { CUBES } from "@/lib/rollups/cubes";
import {
  ensureRollupPartitions,
  LIVE_MINUTE_FILLFACTOR,
  partitionPeriod,
  periodPartitionName,
} from "@/lib/rollups/rollup-partitions";
import { DAY_MS } from "@/lib/rollups/time-buckets";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => {
  await db?.stop();
});

async function storage(name: string): Promise<string[] | null> {
  const { rows } = await db.pool.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = $1", [name]);
  expect(rows).toHaveLength(1);
  return rows[0]!.reloptions;
}

it("leaves room for in-page updates in the minute partitions live traffic writes, and packs past days full", async () => {
  const now = Date.now();
  const past = now - 3 * DAY_MS;
  const client = await db.pool.connect();
  try {
    await ensureRollupPartitions(client, "minute", [now, past]);
    await ensureRollupPartitions(client, "hour", [now]);
  } finally {
    client.release();
  }
  const minuteCubes = CUBES.filter((cube) => cube.isInMinuteTier);
  expect(minuteCubes.length).toBeGreaterThan(0);
  for (const cube of minuteCubes) {
    expect(await storage(periodPartitionName("minute", cube, partitionPeriod("minute", now)))).toEqual([
      `fillfactor=${LIVE_MINUTE_FILLFACTOR}`,
    ]);
    expect(await storage(periodPartitionName("minute", cube, partitionPeriod("minute", past)))).toBeNull();
  }
  expect(await storage(periodPartitionName("hour", CUBES[0]!, partitionPeriod("hour", now)))).toBeNull();
});
