import { Prisma } from "@/lib/generated/prisma/client";
import type { QuerySource, Segment } from "@/lib/analytics/plan-query";
import { INTERVALS, type AnalyticsQuery, type GroupDimension, type Interval, type Metric } from "@/lib/analytics/query";
import { aggregateSql, spanMetricSql, type BudgetSettings } from "@/lib/analytics/span-metrics-sql";
import { CUBE_BY_NAME, cubeInTier, type CubeName } from "@/lib/rollups/cubes";
import { cubePartitionName } from "@/lib/rollups/rollup-partitions";
import type { Tier } from "@/lib/rollups/time-buckets";
import type { METRIC_COLUMNS } from "@/lib/rollups/metrics";
import { admittedTagValueSql, tagValueSql } from "@/lib/rollups/tags";

/**
 * Compiles a planned query into one statement: every segment selects its rows (tier rows joined to
 * their dimensions, or raw spans with their per-span contributions) as (t, g1, g2, columns…), sums
 * negated for a subtracted segment (plan-query.ts), and the outer query adds them up per time
 * bucket and group, but for segments whose rows are a cell each (isRowPerCell), returned as they
 * are. Histograms are concatenated (bytea, hex over the wire: PostgreSQL prints and node-pg reads
 * it natively, faster than base64), those of subtracted segments apart (TAKEN_AWAY_SUFFIX), and
 * merged in run-query.ts, which adds up the rows of a cell. Only the columns the metrics need are read.
 */
type MetricColumn = (typeof METRIC_COLUMNS)[number];

const COLUMNS_OF: Record<Metric, readonly MetricColumn[]> = {
  calls: [],
  errors: ["errors"],
  errorRate: ["errors"],
  ttftCalls: ["ttft_calls"],
  inputTokens: ["input_tokens", "token_calls"],
  outputTokens: ["output_tokens", "token_calls"],
  reasoningTokens: ["reasoning_tokens", "token_calls"],
  cacheReadTokens: ["cache_read_tokens", "cache_reported_calls"],
  cacheWriteTokens: ["cache_write_tokens", "cache_reported_calls"],
  cacheHitRate: ["cache_read_tokens", "cache_reported_input_tokens"],
  cachedCallRate: ["cache_hit_calls", "cache_reported_calls"],
  costUsd: ["cost_nano_usd", "unknown_cost_calls"],
  costPerCallUsd: ["cost_nano_usd", "unknown_cost_calls"],
  unknownCostCalls: ["unknown_cost_calls"],
  cacheSavingsUsd: ["cache_savings_nano_usd", "cache_reported_calls"],
  withinBudgetRate: ["within_budget_calls", "ttft_calls"],
  ttftMs: ["ttft_hist"],
  durationMs: ["duration_hist"],
  ttftCacheHitMs: ["ttft_cache_hit_hist"],
  ttftNoCacheHitMs: ["ttft_hist", "ttft_cache_hit_hist"],
};

export function columnsFor(metrics: readonly Metric[]): MetricColumn[] {
  const columns = new Set<MetricColumn>(["calls"]);
  for (const metric of metrics) for (const column of COLUMNS_OF[metric]) columns.add(column);
  return [...columns];
}

export interface CompileContext {
  timeZone: string;
  budgets: BudgetSettings;
  /** Admitted values of the query's allocation tag (others read as "other" on raw edges). */
  admittedTagValues: readonly string[] | null;
  /** Raw-source queries read at most this many spans (newest first). */
  rawSpanCap: number;
  /**
   * Per cube, the dimension rows the query's filters and tag key select, when few enough to look
   * up by id (selectedDimensions); a cube not in the map is read whole and joined to its dimensions.
   */
  dimIds?: ReadonlyMap<CubeName, readonly number[]>;
  /** Cubes whose many selected dimension rows are looked up by id, row by row (run-query.ts). */
  lookUpDimensions?: ReadonlySet<CubeName>;
  /** Only these groups' calls (their g1 values; null: calls without the dimension): limitGroups' largest. */
  groupValues?: readonly (string | null)[];
}

/** The rollup_dims column and the raw-span expression of each core dimension. */
const DIMENSION_SQL: Record<GroupDimension, { dims: string; raw: string }> = {
  service: { dims: "d.service_name", raw: "s.service_name" },
  provider: { dims: "d.provider", raw: "s.provider" },
  model: { dims: "d.model", raw: "COALESCE(s.response_model, s.request_model)" },
  promptName: { dims: "d.prompt_name", raw: "s.prompt_name" },
  promptVersion: { dims: "d.prompt_version", raw: "s.prompt_version" },
  environment: { dims: "d.environment", raw: "s.environment" },
  workload: { dims: "d.workload", raw: "s.workload" },
  streaming: { dims: "d.streaming", raw: "s.streaming" },
};

/**
 * The suffix of a histogram column holding the calls of subtracted segments (plan-query.ts), which
 * run-query.ts takes away: bytes cannot be negated as sums are.
 */
export const TAKEN_AWAY_SUFFIX = "_taken_away";

/** A column of the statement: a metric column, or (sign −1) a histogram's taken-away twin. */
interface OutputColumn {
  name: string;
  column: MetricColumn;
  sign: 1 | -1;
}

const isHistogramColumn = (column: string) => column.endsWith("_hist");

export function compileQuery(query: AnalyticsQuery, source: QuerySource, segments: readonly Segment[], context: CompileContext): Prisma.Sql {
  const columns = columnsFor(query.metrics);
  const outputs: OutputColumn[] = columns.map((column) => ({ name: column, column, sign: 1 }));
  if (segments.some((segment) => segment.sign === -1)) {
    for (const column of columns.filter(isHistogramColumn)) outputs.push({ name: `${column}${TAKEN_AWAY_SUFFIX}`, column, sign: -1 });
  }
  const select = (segment: Segment) =>
    segment.tier === "raw" || source.kind === "raw"
      ? rawSelect(query, source, segment, outputs, context)
      : tierSelect(query, source, segment, outputs, context);
  const grouped = segments.filter((segment) => !isRowPerCell(query, source, segment));
  const passed = segments.filter((segment) => isRowPerCell(query, source, segment));
  const parts: Prisma.Sql[] = [];
  if (grouped.length > 0) {
    const outerColumns = outputs.map(({ name, column }) =>
      isHistogramColumn(column)
        ? Prisma.raw(`string_agg(x.${name}, ''::bytea) AS ${name}`)
        : // int8 on the wire (a string to node-pg, read as BigInt): cheaper to print than the numeric
          // sum() gives, and 2^63 nano-USD is $9.2 billion; a larger sum fails loudly, never wraps.
          Prisma.raw(`sum(x.${name})::int8 AS ${name}`),
    );
    // Grouped by byte order ("C"): the same groups, but sorting or hashing by the database's
    // collation compares through strcoll (a 7-day list of 1,001 customers: 20,000 rows sorted in
    // 31 of its ~120 ms).
    parts.push(Prisma.sql`
      SELECT extract(epoch FROM x.t) * 1000 AS t, x.g1 COLLATE "C" AS g1, x.g2 COLLATE "C" AS g2, ${Prisma.join(outerColumns)}
      FROM (${Prisma.join(grouped.map(select), " UNION ALL ")}) x
      GROUP BY x.t, x.g1 COLLATE "C", x.g2 COLLATE "C"`);
  }
  if (passed.length > 0) {
    parts.push(Prisma.sql`
      SELECT extract(epoch FROM x.t) * 1000 AS t, x.g1, x.g2, ${Prisma.raw(outputs.map(({ name }) => `x.${name}`).join(", "))}
      FROM (${Prisma.join(passed.map(select), " UNION ALL ")}) x`);
  }
  return Prisma.join(parts, " UNION ALL ");
}

/**
 * A segment's metric columns, from each column's value in it: negated in a subtracted segment, but
 * for histograms, which go to their taken-away twin instead (NULL in the other).
 */
function selectColumns(outputs: readonly OutputColumn[], segment: Segment, valueOf: (column: MetricColumn) => Prisma.Sql): Prisma.Sql {
  return Prisma.join(
    outputs.map(({ name, column, sign }) => {
      if (!isHistogramColumn(column)) return Prisma.sql`${Prisma.raw(segment.sign === -1 ? "-" : "")}${valueOf(column)} AS ${Prisma.raw(name)}`;
      return sign === segment.sign ? Prisma.sql`${valueOf(column)} AS ${Prisma.raw(name)}` : Prisma.raw(`NULL::bytea AS ${name}`);
    }),
  );
}

/** Each query interval's tier: the tier whose buckets are the interval's. */
const TIER_OF_INTERVAL: Partial<Record<Interval, Tier>> = { "1m": "minute", "1h": "hour", "1d": "day" };

/**
 * Whether a segment's tier rows are each a result cell of their own (a group in a time bucket):
 * its buckets are the query's, and each of its cube's dimension rows is a group of its own, its
 * dimensions being grouped on or fixed by a filter (the model cube by model; model+tag by team for
 * one model). Such rows are returned as they are, not added up per cell (run-query.ts adds up rows
 * of a cell either way): the hours of a 7-day latency chart by model, ~1,300 rows with two
 * histograms each, cost PostgreSQL more to aggregate (a copy into a string_agg state each, spilled
 * to disk past work_mem) than to read.
 */
function isRowPerCell(query: AnalyticsQuery, source: QuerySource, segment: Segment): boolean {
  if (source.kind === "raw" || segment.tier === "raw" || query.interval === null) return false;
  if (TIER_OF_INTERVAL[query.interval] !== segment.tier) return false;
  const cube = CUBE_BY_NAME.get(cubeInTier(source.cube, segment.tier))!;
  const grouped = new Set<string>(query.groupBy === "promptVersion" ? ["promptName", "promptVersion"] : query.groupBy ? [query.groupBy] : []);
  const isFixed = (dimension: GroupDimension) => grouped.has(dimension) || query.filters[dimension] !== undefined;
  const isTagFixed = source.tagKey !== null && (query.groupBy === `attribute:${source.tagKey}` || query.filters.attributes[source.tagKey] !== undefined);
  return cube.dimensions.every(isFixed) && (!cube.hasTag || isTagFixed);
}

function tierSelect(
  query: AnalyticsQuery,
  source: Extract<QuerySource, { kind: "rollup" }>,
  segment: Segment,
  outputs: readonly OutputColumn[],
  context: CompileContext,
): Prisma.Sql {
  const cube = cubeInTier(source.cube, segment.tier as Tier);
  // The cube's own partition of the tier, named rather than reached through a `cube = …` condition:
  // such a condition stays in the plan, and as `cube` is in no index it ruled out index-only scans
  // (the day tier's index carries the sums: an index-only read of a cube's days by dimension).
  const rowConditions: Prisma.Sql[] = [
    Prisma.sql`r.project_id = ${query.projectId}::uuid`,
    Prisma.sql`r.bucket >= ${new Date(segment.fromMs)}`,
    Prisma.sql`r.bucket < ${new Date(segment.toMs)}`,
  ];
  const dimConditions = dimensionConditions(query, source, cube, context.groupValues);
  const dimIds = context.dimIds?.get(cube);
  if (dimIds !== undefined) rowConditions.push(Prisma.sql`r.dim_id = ANY(${[...dimIds]}::int4[])`);
  const [g1, g2] = groupSql(query, "dims", context);
  const table = Prisma.raw(cubePartitionName(segment.tier as Tier, CUBE_BY_NAME.get(cube)!));
  // Many dimension rows against few tier rows (the core+tag minutes of an edge, for one model's
  // customers: ~80,000 against a few thousand): each row looks its dimension row up by id (OFFSET 0
  // keeps the lookup a nested loop; hashing every matching dimension row took 30 of a 30-day
  // list's ~50 ms there).
  const dims =
    context.lookUpDimensions?.has(cube)
      ? Prisma.sql`JOIN LATERAL (SELECT d.* FROM rollup_dims d
                                 WHERE d.project_id = r.project_id AND d.dim_id = r.dim_id AND ${Prisma.join(dimConditions, " AND ")}
                                 OFFSET 0) d ON TRUE`
      : Prisma.sql`JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id AND ${Prisma.join(dimConditions, " AND ")}`;
  const selected = selectColumns(outputs, segment, (column) => Prisma.raw(`r.${column}`));
  // Totals of sums (a customer list, a ranking): each dimension's rows are added up before they
  // meet their dimension row, in the tier index's (dimension, bucket) order, so the outer GROUP BY
  // gets a row per dimension rather than per dimension and day (30 days of 1,001 customers: 30,000
  // rows, sorted for grouping as the join's estimate is far too low; p50 124 → 98 ms).
  if (query.interval === null && !outputs.some(({ column }) => isHistogramColumn(column))) {
    const sums = Prisma.raw(outputs.map(({ name }) => `sum(r.${name})::int8 AS ${name}`).join(", "));
    return Prisma.sql`
      SELECT NULL::timestamptz AS t, ${g1} AS g1, ${g2} AS g2, ${selected}
      FROM (SELECT r.project_id, r.dim_id, ${sums} FROM ${table} r WHERE ${Prisma.join(rowConditions, " AND ")} GROUP BY r.project_id, r.dim_id) r
      ${dims}`;
  }
  return Prisma.sql`
    SELECT ${timeBucketSql(query.interval, Prisma.raw("r.bucket"), context.timeZone)} AS t, ${g1} AS g1, ${g2} AS g2,
           ${selected}
    FROM ${table} r
    ${dims}
    WHERE ${Prisma.join(rowConditions, " AND ")}`;
}

/** What a cube's dimension rows (`d`) must match: the cube, the tag key, the filters, the groups kept. */
export function dimensionConditions(
  query: AnalyticsQuery,
  source: Extract<QuerySource, { kind: "rollup" }>,
  cube: CubeName,
  groupValues?: readonly (string | null)[],
): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`d.cube = ${cube}`];
  if (source.tagKey !== null) conditions.push(Prisma.sql`d.tag_key = ${source.tagKey}`);
  for (const [dimension, value] of definedFilters(query)) {
    conditions.push(Prisma.sql`${Prisma.raw(DIMENSION_SQL[dimension].dims)} = ${value}`);
  }
  for (const value of Object.values(query.filters.attributes)) conditions.push(Prisma.sql`d.tag_value = ${value}`);
  if (groupValues !== undefined) conditions.push(groupCondition(groupSql(query, "dims", null)[0], groupValues));
  return conditions;
}

/** The group value `g1` is one of `values` (null: the calls that lack the dimension). */
function groupCondition(g1: Prisma.Sql, values: readonly (string | null)[]): Prisma.Sql {
  const matches = Prisma.sql`${g1} = ANY(${values.filter((value): value is string => value !== null)}::text[])`;
  return values.includes(null) ? Prisma.sql`(${matches} OR ${g1} IS NULL)` : matches;
}

function rawSelect(query: AnalyticsQuery, source: QuerySource, segment: Segment, outputs: readonly OutputColumn[], context: CompileContext): Prisma.Sql {
  const perSpan = spanMetricSql(context.budgets);
  const conditions: Prisma.Sql[] = [
    Prisma.sql`s.project_id = ${query.projectId}::uuid`,
    Prisma.sql`s.is_llm`,
    Prisma.sql`s.start_time >= ${new Date(segment.fromMs)}`,
    Prisma.sql`s.start_time < ${new Date(segment.toMs)}`,
  ];
  for (const [dimension, value] of definedFilters(query)) {
    conditions.push(Prisma.sql`${Prisma.raw(DIMENSION_SQL[dimension].raw)} = ${value}`);
  }
  for (const [key, value] of Object.entries(query.filters.attributes)) conditions.push(Prisma.sql`${tagValueSql(key)} = ${value}`);
  const [g1, g2] = groupSql(query, source.kind === "raw" ? "raw" : "rawMapped", context);
  if (context.groupValues !== undefined) conditions.push(groupCondition(g1, context.groupValues));
  // A raw-source query reads the newest spans up to the cap (the response says when it was hit).
  const from =
    source.kind === "raw"
      ? Prisma.sql`(SELECT * FROM spans s WHERE ${Prisma.join(conditions, " AND ")} ORDER BY s.start_time DESC LIMIT ${context.rawSpanCap}) s`
      : Prisma.sql`spans s`;
  const where = source.kind === "raw" ? Prisma.sql`TRUE` : Prisma.join(conditions, " AND ");
  return Prisma.sql`
    SELECT ${timeBucketSql(query.interval, Prisma.raw("s.start_time"), context.timeZone)} AS t, ${g1} AS g1, ${g2} AS g2,
           ${selectColumns(outputs, segment, (column) => Prisma.sql`(${perSpan[column]})`)}
    FROM ${from}
    WHERE ${where}`;
}

function definedFilters(query: AnalyticsQuery): [GroupDimension, string | boolean][] {
  const filters: [GroupDimension, string | boolean][] = [];
  for (const dimension of Object.keys(DIMENSION_SQL) as GroupDimension[]) {
    const value = query.filters[dimension];
    if (value !== undefined) filters.push([dimension, value]);
  }
  return filters;
}

/** (g1, g2): the group value as text; for prompt versions g1 is the name and g2 the version. */
function groupSql(query: AnalyticsQuery, side: "dims" | "raw" | "rawMapped", context: Pick<CompileContext, "admittedTagValues"> | null): [Prisma.Sql, Prisma.Sql] {
  const none = Prisma.sql`NULL::text`;
  const groupBy = query.groupBy;
  if (groupBy === null) return [none, none];
  if (groupBy.startsWith("attribute:")) {
    const key = groupBy.slice("attribute:".length);
    if (side === "dims") return [Prisma.sql`d.tag_value`, none];
    const value = tagValueSql(key);
    if (side === "raw" || !context?.admittedTagValues) return [value, none];
    return [admittedTagValueSql(value, context.admittedTagValues), none];
  }
  const expression = (dimension: GroupDimension) =>
    Prisma.raw(`(${side === "dims" ? DIMENSION_SQL[dimension].dims : DIMENSION_SQL[dimension].raw})::text`);
  if (groupBy === "promptVersion") return [expression("promptName"), expression("promptVersion")];
  return [expression(groupBy as GroupDimension), none];
}

/** The start of the query's time bucket holding `time` (NULL without an interval). */
export function timeBucketSql(interval: Interval | null, time: Prisma.Sql, timeZone: string): Prisma.Sql {
  if (interval === null) return Prisma.sql`NULL::timestamptz`;
  if (interval === "1d") return Prisma.sql`date_trunc('day', ${time}, ${timeZone})`;
  if (interval === "1h") return Prisma.sql`date_trunc('hour', ${time}, ${timeZone})`;
  if (interval === "1m") return Prisma.sql`date_trunc('minute', ${time})`;
  // 5 and 15 minutes: the same grid in every zone (offsets are whole quarter hours).
  return Prisma.sql`date_bin(${`${INTERVALS[interval] / 60_000} minutes`}::interval, ${time}, timestamptz '2000-01-01 00:00:00+00')`;
}
