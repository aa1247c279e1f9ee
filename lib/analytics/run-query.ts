import type pg from "pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { columnsFor, compileQuery, dimensionConditions, TAKEN_AWAY_SUFFIX } from "@/lib/analytics/compile-query";
import { CellSums, computeMetric, HistogramTotals, isHistogramMetric, type MetricValue } from "@/lib/analytics/compute-metrics";
import { chooseSource, coarsestTier, dimensionCube, planSegments, type QuerySource, type Segment } from "@/lib/analytics/plan-query";
import { INTERVALS, validateQuery, type AnalyticsQuery, type GroupDimension, type Interval, type Metric, type RankBy } from "@/lib/analytics/query";
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
  /** limitGroups: how many groups had calls in the range, those added up as the rest included. */
  groupCount?: number;
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
  /** From how many selected dimension rows on they are looked up row by row (default MANY_DIMENSION_ROWS). */
  manyDimensionRows?: number;
}

export async function runAnalyticsQuery(input: AnalyticsQuery, options: RunOptions): Promise<AnalyticsResult> {
  const query = validateQuery(input);
  const { db, settings } = options;
  let source = chooseSource(query, settings);
  // Read together (two round trips at once), and the watermark once: every statement of the query
  // plans its tiers against the same one.
  const tagKey = source.kind === "rollup" ? source.tagKey : null;
  const mayRankFirst = canRankFirst(query, source);
  const [admittedTagValues, watermark, dimensionValues] = await Promise.all([
    tagKey === null ? null : loadAdmittedTagValues(db, query.projectId, tagKey),
    source.kind === "raw" ? null : readWatermark(db, query.projectId),
    mayRankFirst && !query.groupBy!.startsWith("attribute:") ? countDimensionValues(db, query.projectId, query.groupBy as GroupDimension) : null,
  ]);
  let watermarkMs = watermark;
  const filterValue = tagKey === null ? undefined : query.filters.attributes[tagKey];
  if (filterValue !== undefined && !admittedTagValues!.includes(filterValue)) {
    source = { kind: "raw", reason: `"${filterValue}" is not one of the tracked values of tag "${tagKey}"` };
    watermarkMs = null;
  }
  const prepared: Prepared = { query, source, admittedTagValues, watermarkMs, options };
  // At most this many groups: the dimension's values so far, or the tag's admitted values, its
  // "other" and the calls without it.
  const groupsAtMost = dimensionValues ?? (admittedTagValues?.length ?? 0) + 2;
  if (mayRankFirst && source.kind === "rollup" && groupsAtMost > RANK_FIRST_GROUPS_PER_KEPT * query.limitGroups!) {
    return runLargestGroupsFirst(prepared);
  }
  const statement = await compile(prepared);
  const { rows } = await db.query(statement.text, statement.values);
  return assemble(query, source, rows, settings.timeZone, options.rawSpanCap ?? RAW_SPAN_CAP);
}

interface Prepared {
  query: AnalyticsQuery;
  source: QuerySource;
  admittedTagValues: string[] | null;
  /** The project's rollup watermark (null: none yet, or a raw-source query). */
  watermarkMs: number | null;
  options: RunOptions;
}

/** The columns a query reads: its metrics' and, with limitGroups, what it ranks groups by. */
function compiledMetrics(query: AnalyticsQuery): Metric[] {
  return query.limitGroups !== undefined && query.rankBy !== undefined && !query.metrics.includes(query.rankBy)
    ? [...query.metrics, query.rankBy]
    : [...query.metrics];
}

/** Plans a query's segments and compiles it into one statement; `groupValues` keeps only those groups. */
async function compile({ query, source, admittedTagValues, watermarkMs, options }: Prepared, groupValues?: readonly (string | null)[]): Promise<Prisma.Sql> {
  const { db, settings, now = Date.now(), rawSpanCap = RAW_SPAN_CAP } = options;
  const fromMs = query.range.from.getTime();
  const toMs = query.range.to.getTime();
  const metrics = compiledMetrics(query);
  const isSumsOnly = !columnsFor(metrics).some((column) => column.endsWith("_hist"));
  const coarsest = coarsestTier(query.interval);
  const segments: Segment[] =
    source.kind === "raw"
      ? [{ tier: "raw", fromMs, toMs, sign: 1 }]
      : planSegments(fromMs, toMs, coarsest, settings.timeZone, rollupRetention(), now, {
          watermarkMs: watermarkMs ?? undefined,
          // Histograms too: their bucket counts are taken away as exactly as sums (collectCells).
          canSubtract: true,
          // Sums with their minutes in core+tag (spend by team for one model): edges from raw spans,
          // up to half an hour each with subtraction (7-day lists filtered by model: 190 → 85 ms).
          minutesAfterWatermarkOnly: isSumsOnly && coarsest !== "minute" && cubeInTier(source.cube, "minute") !== source.cube,
        });
  const dimensions =
    source.kind === "rollup"
      ? await selectDimensions(db, query, source, segments, groupValues, options.manyDimensionRows ?? MANY_DIMENSION_ROWS)
      : undefined;
  return compileQuery({ ...query, metrics }, source, segments, {
    timeZone: settings.timeZone,
    budgets: settings,
    admittedTagValues,
    rawSpanCap,
    dimIds: dimensions?.ids,
    lookUpDimensions: dimensions?.manyRows,
    groupValues,
  });
}

/**
 * A grouped time series keeping its largest groups (limitGroups) reads every group in every
 * bucket to find them: a 7-day hourly spend chart by team is 168 × 101 tier rows, ~17,000, most of
 * them added up as the rest. When its metrics are all sums (so the rest can be had by subtraction)
 * and it reads rollups, it can instead rank the groups over the whole range first (a summary: a few
 * day rows per group), then read, in one statement so both see the same calls, the series of the
 * kept groups (looked up by dimension id) and the ungrouped series; the rest is the difference.
 *
 * That pays only when most groups go into the rest: the ranking is a statement of its own, and it
 * reads the range's edges a second time. So it is done for more than RANK_FIRST_GROUPS_PER_KEPT
 * times as many possible groups as are kept (spend by team, 101 teams for 9 kept; not cache use by
 * model, 8 models for 6), and not for daily buckets, where a group's series is its day rows, about
 * what the ranking reads anyway (30-day spend by team: p50 111 → 59 ms; BENCHMARKS.md).
 */
const RANK_FIRST_GROUPS_PER_KEPT = 2;

function canRankFirst(query: AnalyticsQuery, source: QuerySource): boolean {
  return (
    source.kind === "rollup" &&
    query.limitGroups !== undefined &&
    query.interval !== null &&
    query.interval !== "1d" &&
    query.groupBy !== null &&
    query.groupBy !== "promptVersion" &&
    !columnsFor(compiledMetrics(query)).some((column) => column.endsWith("_hist"))
  );
}

/** How many values a core dimension has had in the project: its single-dimension cube's rows. */
async function countDimensionValues(db: pg.Pool, projectId: string, dimension: GroupDimension): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM rollup_dims WHERE project_id = $1 AND cube = $2", [
    projectId,
    dimensionCube(dimension),
  ]);
  return rows[0]!.n;
}

async function runLargestGroupsFirst(prepared: Prepared): Promise<AnalyticsResult> {
  const { query, source, options } = prepared;
  const rankMetric = query.rankBy ?? "calls";
  const rankQuery: AnalyticsQuery = { ...query, metrics: [rankMetric], interval: null, limitGroups: undefined, rankBy: undefined };
  const rankStatement = await compile({ ...prepared, query: rankQuery });
  const { rows: rankRows } = await options.db.query(rankStatement.text, rankStatement.values);
  const keys = rankRows.map((row) => JSON.stringify([row.g1, row.g2]));
  const { kept, present } = largestGroups(rankRows, keys, query.limitGroups!, query.rankBy);
  if (kept === null) {
    // No more groups than the limit: nothing to add up as the rest.
    const statement = await compile(prepared);
    const { rows } = await options.db.query(statement.text, statement.values);
    return assemble(query, source, rows, options.settings.timeZone, RAW_SPAN_CAP);
  }
  const groupValues = rankRows.filter((_, r) => kept.has(keys[r]!)).map((row) => row.g1 as string | null);
  const ungrouped: AnalyticsQuery = { ...query, groupBy: null };
  const [keptStatement, totalStatement] = await Promise.all([
    compile(prepared, groupValues),
    // Its own source (the total cube when unfiltered, not the group's); limitGroups and rankBy
    // kept: the same columns as the kept groups' statement.
    compile({ ...prepared, query: ungrouped, source: chooseSource(ungrouped, options.settings), admittedTagValues: null }),
  ]);
  const statement = Prisma.sql`
    SELECT false AS is_total, * FROM (${keptStatement}) k
    UNION ALL
    SELECT true AS is_total, * FROM (${totalStatement}) t`;
  const { rows } = await options.db.query(statement.text, statement.values);
  const keptRows = rows.filter((row) => !row.is_total);
  const totalRows = rows.filter((row) => row.is_total);
  const cells = collectCells(query, keptRows, null);
  const rest = collectCells(query, totalRows, null).groups.values().next().value ?? newCells(REST_GROUP);
  rest.group = REST_GROUP;
  for (const group of cells.groups.values()) {
    rest.total.subtract(group.total);
    for (const [t, bucket] of group.byBucket) rest.byBucket.get(t)?.subtract(bucket);
  }
  return finish(query, source, cells.groups, rest, 0, options.settings.timeZone, RAW_SPAN_CAP, present.length);
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
/**
 * Minute edges of an hour-and-day cube are read from core+tag (cubes.ts), where the dimension rows
 * a filter selects can outnumber an edge's minute rows many times (one model's customers: ~80,000
 * against a few thousand): from this many on, each minute row looks its dimension row up by id
 * instead of the query hashing them all (compile-query.ts). With fewer (one model's teams, ~8,000)
 * the hash is the cheaper.
 */
export const MANY_DIMENSION_ROWS = 20_000;

interface DimensionPlan {
  /** Per cube, the ids of the dimension rows to read, when few enough (see above). */
  ids: Map<CubeName, number[]>;
  /** Cubes whose selected dimension rows are MANY_DIMENSION_ROWS or more. */
  manyRows: Set<CubeName>;
}

async function selectDimensions(
  db: Pick<pg.Pool, "query">,
  query: AnalyticsQuery,
  source: Extract<QuerySource, { kind: "rollup" }>,
  segments: readonly Segment[],
  groupValues: readonly (string | null)[] | undefined,
  manyRows: number,
): Promise<DimensionPlan> {
  const plan: DimensionPlan = { ids: new Map(), manyRows: new Set() };
  const cubes = new Set<CubeName>();
  for (const segment of segments) if (segment.tier !== "raw") cubes.add(cubeInTier(source.cube, segment.tier));
  const enough = Math.ceil(MAX_SELECTED_DIMENSIONS / MAX_SELECTED_SHARE);
  await Promise.all(
    [...cubes].map(async (cube) => {
      const conditions = dimensionConditions(query, source, cube, groupValues);
      if (conditions.length === 1) return; // the cube alone (no tag key, no filter): all of its rows
      const statement = Prisma.sql`
        SELECT ARRAY(SELECT d.dim_id FROM rollup_dims d
                     WHERE d.project_id = ${query.projectId}::uuid AND ${Prisma.join(conditions, " AND ")}
                     LIMIT ${MAX_SELECTED_DIMENSIONS + 1}) AS ids,
               (SELECT count(*) FROM (SELECT FROM rollup_dims d WHERE d.project_id = ${query.projectId}::uuid AND d.cube = ${cube} LIMIT ${enough}) c)::int AS cube_dims`;
      const { rows } = await db.query<{ ids: number[]; cube_dims: number }>(statement.text, statement.values);
      const { ids, cube_dims: cubeDims } = rows[0]!;
      if (ids.length <= MAX_SELECTED_DIMENSIONS && ids.length <= cubeDims * MAX_SELECTED_SHARE) {
        plan.ids.set(cube, ids);
      } else if (cube !== source.cube) {
        const count = Prisma.sql`
          SELECT count(*)::int AS n FROM (SELECT FROM rollup_dims d
                                          WHERE d.project_id = ${query.projectId}::uuid AND ${Prisma.join(conditions, " AND ")}
                                          LIMIT ${manyRows}) c`;
        const { rows: counted } = await db.query<{ n: number }>(count.text, count.values);
        if (counted[0]!.n >= manyRows) plan.manyRows.add(cube);
      }
    }),
  );
  return plan;
}

interface GroupCells {
  group: string | null;
  promptName?: string | null;
  promptVersion?: string | null;
  total: CellSums;
  byBucket: Map<number, CellSums>;
}

function newCells(group: string | null): GroupCells {
  return { group, total: new CellSums(), byBucket: new Map() };
}

function assemble(
  query: AnalyticsQuery,
  source: QuerySource,
  rows: Record<string, unknown>[],
  timeZone: string,
  rawSpanCap: number,
): AnalyticsResult {
  const keys = rows.map((row) => JSON.stringify([row.g1, row.g2]));
  const ranking = query.limitGroups === undefined ? null : largestGroups(rows, keys, query.limitGroups, query.rankBy);
  const { groups, rest, spansRead } = collectCells(query, rows, ranking?.kept ?? null, keys);
  return finish(query, source, groups, rest, spansRead, timeZone, rawSpanCap, ranking?.present.length);
}

/**
 * Adds the rows up per group (g1, g2): a total and a cell per time bucket. Rows of groups not in
 * `kept` (when given) go into `rest`, limitGroups' "__rest__" group.
 */
function collectCells(
  query: AnalyticsQuery,
  rows: readonly Record<string, unknown>[],
  kept: ReadonlySet<string> | null,
  keys: readonly string[] = rows.map((row) => JSON.stringify([row.g1, row.g2])),
): { groups: Map<string, GroupCells>; rest: GroupCells; spansRead: number } {
  const groups = new Map<string, GroupCells>();
  const isPromptVersion = query.groupBy === "promptVersion";
  const columns = rows.length === 0 ? [] : Object.keys(rows[0]!).filter((column) => !["t", "g1", "g2", "is_total"].includes(column));
  // Per column: the histogram column it adds to (taken away: TAKEN_AWAY_SUFFIX), or null for a sum.
  const histogramOf = columns.map((column) =>
    column.endsWith(TAKEN_AWAY_SUFFIX)
      ? { column: column.slice(0, -TAKEN_AWAY_SUFFIX.length), sign: -1 as const }
      : column.endsWith("_hist")
        ? { column, sign: 1 as const }
        : null,
  );
  const callsIndex = columns.indexOf("calls");
  const rest = newCells(REST_GROUP);
  let spansRead = 0;
  // A grouped time series is thousands of rows (groups × buckets): each is added straight into its
  // group's total and its bucket's cell, or into the rest's when limitGroups leaves its group out.
  rows.forEach((row, r) => {
    let cells = kept === null || kept.has(keys[r]!) ? groups.get(keys[r]!) : rest;
    if (!cells) {
      const g1 = row.g1 as string | null;
      const g2 = row.g2 as string | null;
      cells = newCells(isPromptVersion ? `${g1 ?? ""}@${g2 ?? ""}` : g1);
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
      const value = row[columns[i]!] as string | Buffer | null;
      if (value === null) continue;
      const histogram = histogramOf[i];
      if (histogram) {
        // bytea: node-pg gives a Buffer.
        cells.total.addHistogram(histogram.column, value as Buffer, histogram.sign);
        bucket?.addHistogram(histogram.column, value as Buffer, histogram.sign);
      } else {
        const count = BigInt(value as string);
        cells.total.addCount(columns[i]!, count);
        bucket?.addCount(columns[i]!, count);
        if (i === callsIndex) spansRead += Number(count);
      }
    }
  });
  return { groups, rest, spansRead };
}

/** The result: groups with calls, largest first, then the rest (if it has calls); every bucket of the range. */
function finish(
  query: AnalyticsQuery,
  source: QuerySource,
  groups: ReadonlyMap<string, GroupCells>,
  rest: GroupCells,
  spansRead: number,
  timeZone: string,
  rawSpanCap: number,
  groupCount?: number,
): AnalyticsResult {
  // A group can add up to no call when an edge was subtracted (plan-query.ts): it was only outside the range.
  const list = [...groups.values()].filter((cells) => cells.total.count("calls") !== 0n).sort(byRank(query.rankBy));
  if (rest.total.count("calls") !== 0n) list.push(rest);
  const buckets = query.interval ? bucketStarts(query.range.from.getTime(), query.range.to.getTime(), query.interval, timeZone) : null;
  return {
    groups: list.map((cells) => resultGroup(query, cells, buckets)),
    buckets,
    source: source.kind === "raw" ? "raw" : "rollups",
    ...(groupCount !== undefined ? { groupCount } : {}),
    ...(source.kind === "raw" ? { rawReason: source.reason, isTruncated: spansRead >= rawSpanCap } : {}),
  };
}

/** The tier column each ranking reads first (calls break ties, then the group's value). */
const RANK_COLUMN: Record<RankBy, string> = { calls: "calls", costUsd: "cost_nano_usd" };

/** Largest first: by `rankBy`'s sum, then calls. */
function byRank(rankBy: RankBy = "calls") {
  const column = RANK_COLUMN[rankBy];
  return (a: GroupCells, b: GroupCells) => compareBig(b.total.count(column), a.total.count(column)) || compareBig(b.total.count("calls"), a.total.count("calls"));
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * limitGroups: the keys of the `limit` largest groups (by `rankBy`'s sum, then calls, then key),
 * or null when there are no more groups with calls than that (nothing to add up as the rest); and
 * the keys of all groups with calls.
 */
function largestGroups(
  rows: readonly Record<string, unknown>[],
  keys: readonly string[],
  limit: number,
  rankBy: RankBy = "calls",
): { kept: Set<string> | null; present: string[] } {
  const column = RANK_COLUMN[rankBy];
  const sums = new Map<string, { rank: bigint; calls: bigint }>();
  rows.forEach((row, r) => {
    const sum = sums.get(keys[r]!) ?? { rank: 0n, calls: 0n };
    sum.rank += BigInt((row[column] as string | null) ?? 0);
    sum.calls += BigInt(row.calls as string);
    sums.set(keys[r]!, sum);
  });
  const ranked = [...sums]
    .filter(([, sum]) => sum.calls !== 0n)
    .sort(([keyA, a], [keyB, b]) => compareBig(b.rank, a.rank) || compareBig(b.calls, a.calls) || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0));
  return {
    kept: ranked.length > limit ? new Set(ranked.slice(0, limit).map(([key]) => key)) : null,
    present: ranked.map(([key]) => key),
  };
}

function resultGroup(query: AnalyticsQuery, cells: GroupCells, buckets: number[] | null): ResultGroup {
  // An empty bucket computes to 0 for additive metrics and null for the others (compute-metrics.ts).
  const empty = new CellSums();
  const values = (sums: CellSums = empty, totals?: HistogramTotals) => {
    const result: Partial<Record<Metric, MetricValue>> = {};
    for (const metric of query.metrics) result[metric] = computeMetric(metric, sums, totals);
    return result;
  };
  if (!buckets) return withPromptVersion({ group: cells.group, values: values(cells.total) }, cells);
  // The buckets' cells first, adding up their merged histograms: the group's percentiles come from
  // those sums (every row of the group is in one of its buckets) rather than from every chunk again.
  const totals = new HistogramTotals();
  const byBucket = new Map<number, Partial<Record<Metric, MetricValue>>>();
  for (const [t, sums] of cells.byBucket) byBucket.set(t, values(sums, totals));
  const groupValues: Partial<Record<Metric, MetricValue>> = {};
  for (const metric of query.metrics) {
    groupValues[metric] = isHistogramMetric(metric) ? totals.percentiles(metric) : computeMetric(metric, cells.total);
  }
  return withPromptVersion({ group: cells.group, values: groupValues, points: buckets.map((t) => byBucket.get(t) ?? values()) }, cells);
}

function withPromptVersion(group: ResultGroup, cells: GroupCells): ResultGroup {
  if (cells.promptName !== undefined) Object.assign(group, { promptName: cells.promptName, promptVersion: cells.promptVersion });
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
