import type pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { columnsFor, compileQuery, dimensionConditions } from "@/lib/analytics/compile-query";
import { CellSums, computeMetric, type MetricValue } from "@/lib/analytics/compute-metrics";
import { chooseSource, coarsestTier, planSegments, type QuerySource, type Segment } from "@/lib/analytics/plan-query";
import { INTERVALS, validateQuery, type AnalyticsQuery, type Interval, type Metric } from "@/lib/analytics/query";
import { cubeInTier, OTHER_TAG_VALUE, type CubeName } from "@/lib/rollups/cubes";
import { rollupRetention } from "@/lib/rollups/rollup-retention";
import { readWatermark } from "@/lib/rollups/watermark";
import { bucketStart, nextBucketStart } from "@/lib/rollups/time-buckets";
import type { ProjectSettings } from "@/lib/settings/project-settings";

/**
 * Runs an analytics query: validates it, picks the source and segments (plan-query.ts), runs the
 * one compiled statement, merges the histograms and computes the metrics per group and time bucket.
 * Time series come back with every bucket of the range, gaps filled: 0 for additive metrics, null
 * for ratios and percentiles.
 */
export const REST_GROUP = "__rest__";
export const RAW_SPAN_CAP = 1_000_000;

export interface ResultGroup {
  /** The group's value (null: not reported); for prompt versions "name@version". */
  group: string | null;
  /** For prompt-version groups: the pair. */
  promptName?: string | null;
  promptVersion?: string | null;
  /** Metric values over the whole range. */
  values: Partial<Record<Metric, MetricValue>>;
  /** Per time bucket (same order as AnalyticsResult.buckets), when the query has an interval. */
  points?: Partial<Record<Metric, MetricValue>>[];
}

export interface AnalyticsResult {
  groups: ResultGroup[];
  /** Bucket starts (ms) when the query has an interval. */
  buckets: number[] | null;
  source: "rollups" | "raw";
  /** Why the query read raw spans, and whether it hit the cap (newest spans only). */
  rawReason?: string;
  isTruncated?: boolean;
}

export interface RunOptions {
  db: pg.Pool;
  settings: Pick<ProjectSettings, "timeZone" | "allocationTagKeys" | "ttftBudgetMs" | "serviceTtftBudgets">;
  now?: number;
  /** Raw-source queries read at most this many of the newest calls (default RAW_SPAN_CAP). */
  rawSpanCap?: number;
}

export async function runAnalyticsQuery(
  input: AnalyticsQuery,
  { db, settings, now = Date.now(), rawSpanCap = RAW_SPAN_CAP }: RunOptions,
): Promise<AnalyticsResult> {
  const query = validateQuery(input);
  const fromMs = query.range.from.getTime();
  const toMs = query.range.to.getTime();
  let source = chooseSource(query, settings);
  let admittedTagValues: string[] | null = null;
  if (source.kind === "rollup" && source.tagKey !== null) {
    admittedTagValues = await loadAdmittedTagValues(db, query.projectId, source.tagKey);
    const filterValue = query.filters.attributes[source.tagKey];
    if (filterValue !== undefined && !admittedTagValues.includes(filterValue)) {
      source = { kind: "raw", reason: `"${filterValue}" is not one of the tracked values of tag "${source.tagKey}"` };
    }
  }
  const watermark = source.kind === "raw" ? null : await readWatermark(db, query.projectId);
  const canSubtract = !columnsFor(query.metrics).some((column) => column.endsWith("_hist"));
  const segments: Segment[] =
    source.kind === "raw"
      ? [{ tier: "raw", fromMs, toMs, sign: 1 }]
      : planSegments(fromMs, toMs, coarsestTier(query.interval), settings.timeZone, rollupRetention(), now, {
          watermarkMs: watermark ?? undefined,
          canSubtract,
        });
  const dimIds = source.kind === "rollup" ? await selectDimensions(db, query, source, segments) : undefined;
  const statement = compileQuery(query, source, segments, {
    timeZone: settings.timeZone,
    budgets: settings,
    admittedTagValues,
    rawSpanCap,
    dimIds,
  });
  const { rows } = await db.query(statement.text, statement.values);
  return assemble(query, source, rows, settings.timeZone, rawSpanCap);
}

async function loadAdmittedTagValues(db: pg.Pool, projectId: string, tagKey: string): Promise<string[]> {
  const { rows } = await db.query<{ tag_value: string }>(
    `SELECT tag_value FROM rollup_dims
     WHERE project_id = $1 AND cube = 'tag' AND tag_key = $2 AND tag_value IS NOT NULL AND tag_value <> $3`,
    [projectId, tagKey, OTHER_TAG_VALUE],
  );
  return rows.map((row) => row.tag_value);
}

/**
 * A breakdown by a tag, or a filtered query, often needs a few of its cube's rows in each bucket:
 * the `team` tag's 101 of the tag cube's ~1,130 an hour in bench:query. Their dimension ids, looked
 * up first, let PostgreSQL fetch just those rows through the tiers' (project, dimension, bucket)
 * index, pages in order (a bitmap scan), instead of reading every row of the cube in the range and
 * joining it to its dimensions (a 7-day hourly breakdown by team: 218 → 53 ms in PostgreSQL). The ids
 * go in as a literal array, so the planner sees how many there are (an ARRAY(subquery) it cannot see
 * into, and without the filters, once made filtered breakdowns 20 times slower: BENCHMARKS.md).
 * When the ids are many, or most of the cube (a breakdown by a 1,000-value tag: 1,001 of its 1,132),
 * fetching by id is slower than reading the cube, which it then is, as before.
 * A dimension first seen between the two statements is not read: its calls arrived after the query.
 */
const MAX_SELECTED_DIMENSIONS = 2_000;
/** Ids are used when they are at most this share of the cube's dimensions. */
const MAX_SELECTED_SHARE = 0.25;

async function selectDimensions(
  db: Pick<pg.Pool, "query">,
  query: AnalyticsQuery,
  source: Extract<QuerySource, { kind: "rollup" }>,
  segments: readonly Segment[],
): Promise<Map<CubeName, number[]>> {
  const selected = new Map<CubeName, number[]>();
  const cubes = new Set<CubeName>();
  for (const segment of segments) if (segment.tier !== "raw") cubes.add(cubeInTier(source.cube, segment.tier));
  const enough = Math.ceil(MAX_SELECTED_DIMENSIONS / MAX_SELECTED_SHARE);
  await Promise.all(
    [...cubes].map(async (cube) => {
      const conditions = dimensionConditions(query, source, cube);
      if (conditions.length === 1) return; // the cube alone (no tag key, no filter): all of its rows
      const statement = Prisma.sql`
        SELECT ARRAY(SELECT d.dim_id FROM rollup_dims d
                     WHERE d.project_id = ${query.projectId}::uuid AND ${Prisma.join(conditions, " AND ")}
                     LIMIT ${MAX_SELECTED_DIMENSIONS + 1}) AS ids,
               (SELECT count(*) FROM (SELECT FROM rollup_dims d WHERE d.project_id = ${query.projectId}::uuid AND d.cube = ${cube} LIMIT ${enough}) c)::int AS cube_dims`;
      const { rows } = await db.query<{ ids: number[]; cube_dims: number }>(statement.text, statement.values);
      const { ids, cube_dims: cubeDims } = rows[0]!;
      if (ids.length <= MAX_SELECTED_DIMENSIONS && ids.length <= cubeDims * MAX_SELECTED_SHARE) selected.set(cube, ids);
    }),
  );
  return selected;
}

interface GroupCells {
  group: string | null;
  promptName?: string | null;
  promptVersion?: string | null;
  total: CellSums;
  byBucket: Map<number, CellSums>;
}

function assemble(
  query: AnalyticsQuery,
  source: QuerySource,
  rows: Record<string, unknown>[],
  timeZone: string,
  rawSpanCap: number,
): AnalyticsResult {
  const groups = new Map<string, GroupCells>();
  const isPromptVersion = query.groupBy === "promptVersion";
  const columns = rows.length === 0 ? [] : Object.keys(rows[0]!).filter((column) => column !== "t" && column !== "g1" && column !== "g2");
  const isHistogram = columns.map((column) => column.endsWith("_hist"));
  const callsIndex = columns.indexOf("calls");
  const keys = rows.map((row) => JSON.stringify([row.g1, row.g2]));
  const kept = query.limitGroups === undefined ? null : largestGroups(rows, keys, query.limitGroups);
  const rest: GroupCells = { group: REST_GROUP, total: new CellSums(), byBucket: new Map() };
  let spansRead = 0;
  // A grouped time series is thousands of rows (groups × buckets): each is added straight into its
  // group's total and its bucket's cell, or into the rest's when limitGroups leaves its group out.
  rows.forEach((row, r) => {
    let cells = kept === null || kept.has(keys[r]!) ? groups.get(keys[r]!) : rest;
    if (!cells) {
      const g1 = row.g1 as string | null;
      const g2 = row.g2 as string | null;
      cells = { group: isPromptVersion ? `${g1 ?? ""}@${g2 ?? ""}` : g1, total: new CellSums(), byBucket: new Map() };
      if (isPromptVersion) Object.assign(cells, { promptName: g1, promptVersion: g2 });
      groups.set(keys[r]!, cells);
    }
    let bucket: CellSums | undefined;
    if (query.interval) {
      const t = Number(row.t);
      bucket = cells.byBucket.get(t);
      if (!bucket) cells.byBucket.set(t, (bucket = new CellSums()));
    }
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i]!] as string | null;
      if (value === null) continue;
      if (isHistogram[i]) {
        const bytes = Buffer.from(value, "base64");
        cells.total.addHistogram(columns[i]!, bytes);
        bucket?.addHistogram(columns[i]!, bytes);
      } else {
        const count = BigInt(value);
        cells.total.addCount(columns[i]!, count);
        bucket?.addCount(columns[i]!, count);
        if (i === callsIndex) spansRead += Number(count);
      }
    }
  });
  // A group can add up to no call when an edge was subtracted (plan-query.ts): it was only outside the range.
  const list = [...groups.values()]
    .filter((cells) => cells.total.count("calls") !== 0n)
    .sort((a, b) => Number(b.total.count("calls") - a.total.count("calls")));
  if (rest.total.count("calls") !== 0n) list.push(rest);
  const buckets = query.interval ? bucketStarts(query.range.from.getTime(), query.range.to.getTime(), query.interval, timeZone) : null;
  return {
    groups: list.map((cells) => resultGroup(query, cells, buckets)),
    buckets,
    source: source.kind === "raw" ? "raw" : "rollups",
    ...(source.kind === "raw" ? { rawReason: source.reason, isTruncated: spansRead >= rawSpanCap } : {}),
  };
}

/**
 * limitGroups: the keys of the `limit` groups with the most calls (ties: the first seen), or null
 * when there are no more groups than that (nothing to add up as the rest).
 */
function largestGroups(rows: readonly Record<string, unknown>[], keys: readonly string[], limit: number): Set<string> | null {
  const calls = new Map<string, bigint>();
  rows.forEach((row, r) => calls.set(keys[r]!, (calls.get(keys[r]!) ?? 0n) + BigInt(row.calls as string)));
  const ranked = [...calls].filter(([, count]) => count !== 0n).sort((a, b) => Number(b[1] - a[1]));
  return ranked.length > limit ? new Set(ranked.slice(0, limit).map(([key]) => key)) : null;
}

function resultGroup(query: AnalyticsQuery, cells: GroupCells, buckets: number[] | null): ResultGroup {
  // An empty bucket computes to 0 for additive metrics and null for the others (compute-metrics.ts).
  const empty = new CellSums();
  const values = (sums: CellSums = empty) => {
    const result: Partial<Record<Metric, MetricValue>> = {};
    for (const metric of query.metrics) result[metric] = computeMetric(metric, sums);
    return result;
  };
  const group: ResultGroup = { group: cells.group, values: values(cells.total) };
  if (cells.promptName !== undefined) Object.assign(group, { promptName: cells.promptName, promptVersion: cells.promptVersion });
  if (buckets) group.points = buckets.map((t) => values(cells.byBucket.get(t)));
  return group;
}

/** Every bucket start of the range: the bucket holding `from`, then each next one before `to`. */
export function bucketStarts(fromMs: number, toMs: number, interval: Interval, timeZone: string): number[] {
  const starts: number[] = [];
  if (interval === "1d" || interval === "1h") {
    const tier = interval === "1d" ? "day" : "hour";
    for (let t = bucketStart(tier, fromMs, timeZone); t < toMs; t = nextBucketStart(tier, t, timeZone)) starts.push(t);
    return starts;
  }
  const size = INTERVALS[interval];
  for (let t = Math.floor(fromMs / size) * size; t < toMs; t += size) starts.push(t);
  return starts;
}
