import type pg from "pg";
import { autoInterval, type AnalyticsQuery } from "@/lib/analytics/query";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { filtersFor, RANGES, type Variant } from "./catalog";
import { mulberry32 } from "../prng";

/**
 * Times each variant through runAnalyticsQuery, the function the API routes and dashboards call,
 * one query at a time. Each iteration ends its range at a different instant (the anchor minus a
 * random 0–12 h, to the millisecond, so no edge falls on a minute) and draws its own filter value;
 * nothing caches results. Variants take turns (round robin) so that noise from other work on the
 * machine spreads over all of them. The random sequence is seeded: every run asks the same queries.
 */
export interface VariantTiming {
  variant: Variant;
  /** Wall time of runAnalyticsQuery per iteration, ms. */
  totalMs: number[];
  /** Of which waiting for PostgreSQL, ms. */
  sqlMs: number[];
  groups: number[];
  sources: Set<string>;
}

const MAX_END_OFFSET_MS = 12 * 3_600_000;

export async function timeQueries(
  pool: pg.Pool,
  projectId: string,
  settings: ProjectSettings,
  anchorMs: number,
  variantList: readonly Variant[],
  iterations: number,
  onRound: (round: number) => void = () => {},
): Promise<VariantTiming[]> {
  const random = mulberry32(20_261_201);
  const timings: VariantTiming[] = variantList.map((variant) => ({ variant, totalMs: [], sqlMs: [], groups: [], sources: new Set() }));
  let sqlMs = 0;
  const timedPool = {
    query: async (...args: Parameters<pg.Pool["query"]>) => {
      const startedAt = performance.now();
      try {
        return await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        sqlMs += performance.now() - startedAt;
      }
    },
  } as unknown as pg.Pool;

  // One warm-up round, not counted (connections, plans, first reads from disk).
  for (let round = -1; round < iterations; round++) {
    for (const timing of timings) {
      const query = queryFor(timing.variant, projectId, anchorMs, random);
      sqlMs = 0;
      const startedAt = performance.now();
      const result = await runAnalyticsQuery(query, { db: timedPool, settings, now: anchorMs });
      const elapsed = performance.now() - startedAt;
      if (round < 0) continue;
      timing.totalMs.push(elapsed);
      timing.sqlMs.push(sqlMs);
      timing.groups.push(result.groups.length);
      timing.sources.add(result.source);
    }
    if (round >= 0) onRound(round + 1);
  }
  return timings;
}

export function queryFor(variant: Variant, projectId: string, anchorMs: number, random: () => number): AnalyticsQuery {
  const toMs = anchorMs - Math.floor(random() * MAX_END_OFFSET_MS);
  const fromMs = toMs - RANGES[variant.range];
  return {
    projectId,
    metrics: variant.query.metrics,
    groupBy: variant.query.groupBy,
    interval: variant.query.interval === "auto" ? autoInterval(fromMs, toMs) : null,
    filters: filtersFor(variant.filter, random),
    range: { from: new Date(fromMs), to: new Date(toMs) },
    ...(variant.query.limitGroups !== undefined ? { limitGroups: variant.query.limitGroups } : {}),
    ...(variant.query.rankBy !== undefined ? { rankBy: variant.query.rankBy } : {}),
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
