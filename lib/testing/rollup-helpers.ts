import type pg from "pg";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import { cubeCode } from "@/lib/rollups/cubes";

/** Calls of one project counted in a tier's total cube, over buckets in [fromMs, toMs). */
export async function totalCubeCalls(pool: pg.Pool, projectId: string, table: string, fromMs = 0, toMs = 8.64e15): Promise<number> {
  const { rows } = await pool.query(
    `SELECT COALESCE(sum(calls), 0)::int AS n FROM ${table} WHERE project_id = $1 AND cube = $2 AND bucket >= $3 AND bucket < $4`,
    [projectId, cubeCode("total"), new Date(fromMs), new Date(toMs)],
  );
  return rows[0].n;
}

/** One LLM call starting at each time (ms), tagged team "b" and "a" in turn. */
export function teamCallsAt(startMs: readonly number[]) {
  return startMs.map((ms, i) => llmSpanRow({ startTimeUnixNano: BigInt(ms) * 1_000_000n + BigInt(i), attributes: { team: i % 2 ? "a" : "b" } }));
}
