import type pg from "pg";
import { nanoToUsd } from "@/lib/analytics/compute-metrics";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { cubeCode } from "@/lib/rollups/cubes";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import type { BenchMeta } from "./load-calls";

/**
 * Rollup totals against raw totals over the whole window: calls, every token kind, cost and cache
 * savings in exact nano-USD. Checked three ways: each cube of the day tier (every cube counts each
 * call once, so each must add up to the raw total), the hour tier's total cube, and the query layer
 * itself (runAnalyticsQuery over the whole window, as a dashboard would ask).
 */
const SUMS = [
  ["calls", "count(*)"],
  ["input_tokens", "sum(input_tokens)"],
  ["output_tokens", "sum(output_tokens)"],
  ["cache_read_tokens", "sum(cache_read_tokens)"],
  ["cache_write_tokens", "sum(cache_write_tokens)"],
  ["reasoning_tokens", "sum(reasoning_tokens)"],
  ["cost_nano_usd", "sum(cost_nano_usd)"],
  ["cache_savings_nano_usd", "sum(cache_savings_nano_usd)"],
] as const;

export interface TotalsCheck {
  raw: Record<string, bigint>;
  mismatches: string[];
  checkedCubes: number;
}

export async function checkTotals(pool: pg.Pool, projectId: string, settings: ProjectSettings, meta: BenchMeta): Promise<TotalsCheck> {
  const toBig = (row: Record<string, string | null>) =>
    Object.fromEntries(SUMS.map(([name]) => [name, BigInt(row[name] ?? 0)])) as Record<string, bigint>;
  const { rows: [rawRow] } = await pool.query(
    `SELECT ${SUMS.map(([name, sql]) => `${sql}::text AS ${name}`).join(", ")} FROM spans WHERE project_id = $1 AND is_llm`,
    [projectId],
  );
  const raw = toBig(rawRow);
  const mismatches: string[] = [];
  const compare = (label: string, sums: Record<string, bigint>) => {
    for (const [name] of SUMS) {
      if (sums[name] !== raw[name]) mismatches.push(`${label} ${name}: ${sums[name]} ≠ raw ${raw[name]}`);
    }
  };

  const tierSums = SUMS.map(([name]) => `sum(r.${name})::text AS ${name}`).join(", ");
  const { rows: cubes } = await pool.query(
    `SELECT d.cube, d.tag_key, ${tierSums}
     FROM rollup_day r JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id
     WHERE r.project_id = $1 GROUP BY d.cube, d.tag_key ORDER BY d.cube, d.tag_key`,
    [projectId],
  );
  for (const cube of cubes) compare(`day tier, cube ${cube.cube}${cube.tag_key ? ` (${cube.tag_key})` : ""}:`, toBig(cube));
  const { rows: [hour] } = await pool.query(
    `SELECT ${tierSums} FROM rollup_hour r JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id
     WHERE r.project_id = $1 AND r.cube = $2 AND d.cube = 'total'`,
    [projectId, cubeCode("total")],
  );
  compare("hour tier, cube total:", toBig(hour));

  const result = await runAnalyticsQuery(
    {
      projectId,
      metrics: ["calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens", "costUsd", "cacheSavingsUsd"],
      groupBy: null,
      interval: null,
      filters: { attributes: {} },
      range: { from: new Date(meta.windowStartMs - 86_400_000), to: new Date(meta.anchorMs + 60_000) },
    },
    { db: pool, settings, now: meta.anchorMs },
  );
  const values = result.groups[0]?.values ?? {};
  const expected: [string, number | null][] = [
    ["calls", Number(raw.calls)],
    ["inputTokens", Number(raw.input_tokens)],
    ["outputTokens", Number(raw.output_tokens)],
    ["cacheReadTokens", Number(raw.cache_read_tokens)],
    ["cacheWriteTokens", Number(raw.cache_write_tokens)],
    ["reasoningTokens", Number(raw.reasoning_tokens)],
    ["costUsd", nanoToUsd(raw.cost_nano_usd!)],
    ["cacheSavingsUsd", nanoToUsd(raw.cache_savings_nano_usd!)],
  ];
  for (const [metric, value] of expected) {
    const got = values[metric as keyof typeof values];
    if (got !== value) mismatches.push(`runAnalyticsQuery ${metric}: ${JSON.stringify(got)} ≠ raw ${value}`);
  }
  return { raw, mismatches, checkedCubes: cubes.length };
}
