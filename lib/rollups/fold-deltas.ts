import type pg from "pg";
import {
  CUBE_BY_NAME,
  cubeCode,
  fanOut,
  HOUR_AND_DAY_CUBES,
  isCubeInTier,
  MINUTE_CUBES,
  projectKey,
  type CoreValues,
  type CubeName,
  type DimKey,
  dimKeyId,
} from "@/lib/rollups/cubes";
import { admitTagValues, resolveDimIds } from "@/lib/rollups/dimensions";
import {
  cloneMetrics,
  HISTOGRAM_COLUMNS,
  mergeMetrics,
  metricArrays,
  metricsFromRow,
  metricUnnestList,
  METRIC_COLUMNS,
  type RollupMetrics,
} from "@/lib/rollups/metrics";
import { identityPart, type Delta } from "@/lib/rollups/record-deltas";
import { ensureRollupPartitions } from "@/lib/rollups/rollup-partitions";
import { retainedFrom, rollupRetention, type RollupRetention } from "@/lib/rollups/rollup-retention";
import { bucketStart, type Tier } from "@/lib/rollups/time-buckets";

/**
 * Folds deltas into the three tiers: each delta counts in every cube (cubes.ts) of its minute, its
 * local hour and its local day, the last two at once or, after the project's watermark, when its
 * hour has closed (watermark.ts). Rows already in a tier are merged with what arrives (the caller
 * holds the rollup lock, so nobody else writes the tiers meanwhile). Tiers whose retention has
 * passed for a bucket are skipped (an old span still counts in the day tier, kept for ever).
 */
export const TIERS: readonly Tier[] = ["minute", "hour", "day"];
export const TIER_TABLES: Record<Tier, string> = { minute: "rollup_minute", hour: "rollup_hour", day: "rollup_day" };

export interface ProjectRollupSettings {
  timeZone: string;
  allocationTagKeys: readonly string[];
  allocationTagLimit: number;
}

export interface TierRow {
  bucketMs: number;
  key: DimKey;
  /** dimKeyId(key), computed once. */
  keyId: string;
  metrics: RollupMetrics;
}

/** Tier rows being built for one project: tier → (bucket|dimKeyId) → row. */
export class TierAccumulator {
  readonly rows: Record<Tier, Map<string, TierRow>> = { minute: new Map(), hour: new Map(), day: new Map() };

  add(tier: Tier, bucketMs: number, key: DimKey, metrics: RollupMetrics, keyId = dimKeyId(key)): void {
    this.put(tier, bucketMs, key, keyId, metrics, cloneMetrics);
  }

  /** Like add, but a new row keeps `metrics` itself: the caller gives it up. */
  addOwned(tier: Tier, bucketMs: number, key: DimKey, metrics: RollupMetrics): void {
    this.put(tier, bucketMs, key, dimKeyId(key), metrics, (owned) => owned);
  }

  private put(tier: Tier, bucketMs: number, key: DimKey, keyId: string, metrics: RollupMetrics, adopt: (metrics: RollupMetrics) => RollupMetrics): void {
    const id = `${bucketMs}|${keyId}`;
    const row = this.rows[tier].get(id);
    if (row) mergeMetrics(row.metrics, metrics);
    else this.rows[tier].set(id, { bucketMs, key, keyId, metrics: adopt(metrics) });
  }

  get size(): number {
    return this.rows.minute.size + this.rows.hour.size + this.rows.day.size;
  }
}

/**
 * Adds one project's deltas to `into`, mapping tag values beyond each key's limit to "other".
 * Callers pass deltas already added up per minute, dimensions and tags (the job's TAKE_DELTAS_SQL,
 * the rebuild's GROUP BY); a repeat would still count right, only cost another merge. Deltas of a minute at or after `watermarkMs` go to the minute tier only (watermark.ts folds them
 * into hours and days once their hour has closed); the others to each of `tiers`.
 */
export async function accumulateDeltas(
  client: pg.ClientBase,
  projectId: string,
  deltas: readonly Delta[],
  settings: ProjectRollupSettings,
  into: TierAccumulator,
  tiers: readonly Tier[] = TIERS,
  now = Date.now(),
  watermarkMs = Number.POSITIVE_INFINITY,
): Promise<void> {
  const retention = rollupRetention();
  const tagMapping = await admitTagValues(client, projectId, tagCandidates(deltas, settings), settings.allocationTagLimit);
  const minuteOnly: MappedDelta[] = [];
  for (const delta of deltas) {
    const values: CoreValues = {
      service: delta.service,
      provider: delta.provider,
      model: delta.model,
      promptName: delta.promptName,
      promptVersion: delta.promptVersion,
      environment: delta.environment,
      workload: delta.workload,
      streaming: delta.streaming,
    };
    const tags = new Map<string, string | null>();
    for (const key of settings.allocationTagKeys) {
      const value = delta.tags[key] ?? null;
      tags.set(key, value === null ? null : tagMapping.get(key)!.get(value)!);
    }
    // Most deltas are of the current hour and go to the minute tier only (whatever their age: the
    // watermark's fold still needs them); they are added up level by level below.
    if (delta.minuteMs >= watermarkMs) {
      minuteOnly.push({ minuteMs: delta.minuteMs, coreId: coreIdentity(delta), values, tags, metrics: delta.metrics });
      continue;
    }
    const keys = fanOut(values, tags);
    const keyIds = keys.map(dimKeyId);
    for (const tier of tiers) {
      const bucketMs = bucketStart(tier, delta.minuteMs, settings.timeZone);
      if (!isRetained(tier, bucketMs, retention, now)) continue;
      keys.forEach((key, i) => {
        if (isCubeInTier(key.cube, tier)) into.add(tier, bucketMs, key, delta.metrics, keyIds[i]);
      });
    }
  }
  accumulateMinuteRows(minuteOnly, settings.allocationTagKeys, into);
}

/** A delta with its core dimension values and its tag values mapped to admitted ones. */
interface MappedDelta {
  minuteMs: number;
  /** The delta's minute and core dimension values as text (coreIdentity). */
  coreId: string;
  values: CoreValues;
  tags: ReadonlyMap<string, string | null>;
  metrics: RollupMetrics;
}

interface LevelRow {
  minuteMs: number;
  coreId: string;
  key: DimKey;
  metrics: RollupMetrics;
}

/**
 * The minute rows of `deltas` in every minute cube (what fanOut(…, MINUTE_CUBES) gives), added up
 * level by level: each delta into its core+tag rows (one per tag key), the core rows from one tag
 * key's core+tag rows, each tag key's tag rows from its core+tag rows, and the single-dimension and
 * total rows from the core rows. Every level has at most as many rows as the one below, so this
 * merges far fewer histograms than adding each delta to all of its rows.
 */
function accumulateMinuteRows(deltas: readonly MappedDelta[], tagKeys: readonly string[], into: TierAccumulator): void {
  if (deltas.length === 0) return;
  const coreTag = new Map<string, LevelRow>();
  for (const delta of deltas) {
    for (const [tagKey, tagValue] of delta.tags) {
      addToLevel(coreTag, `${delta.coreId}\u0001${tagKey}\u0001${identityPart(tagValue)}`, delta.minuteMs, delta.coreId, delta.metrics, () => ({
        cube: "core+tag",
        values: delta.values,
        tagKey,
        tagValue,
      }));
    }
  }
  const core = new Map<string, LevelRow>();
  const tag = new Map<string, LevelRow>();
  if (tagKeys.length === 0) {
    for (const delta of deltas) {
      addToLevel(core, delta.coreId, delta.minuteMs, delta.coreId, delta.metrics, () => ({ cube: "core", values: delta.values, tagKey: null, tagValue: null }));
    }
  }
  for (const row of coreTag.values()) {
    const { tagKey, tagValue } = row.key;
    if (tagKey === tagKeys[0]) {
      addToLevel(core, row.coreId, row.minuteMs, row.coreId, row.metrics, () => ({ cube: "core", values: row.key.values, tagKey: null, tagValue: null }));
    }
    addToLevel(tag, `${row.minuteMs}\u0001${tagKey}\u0001${identityPart(tagValue)}`, row.minuteMs, "", row.metrics, () => projectKey(row.key, TAG_CUBE));
  }
  const single = new Map<string, LevelRow>();
  for (const row of core.values()) {
    for (const cube of SINGLE_MINUTE_CUBES) {
      const key = projectKey(row.key, cube);
      addToLevel(single, `${row.minuteMs}\u0001${dimKeyId(key)}`, row.minuteMs, "", row.metrics, () => key);
    }
  }
  for (const level of [coreTag, core, tag, single]) {
    for (const row of level.values()) into.addOwned("minute", row.minuteMs, row.key, row.metrics);
  }
}

/** The total and single-dimension cubes: their minute rows are added up from core rows. */
const SINGLE_MINUTE_CUBES = MINUTE_CUBES.filter((cube) => !cube.hasTag && cube.name !== "core");
const TAG_CUBE = CUBE_BY_NAME.get("tag")!;

function addToLevel(level: Map<string, LevelRow>, id: string, minuteMs: number, coreId: string, metrics: RollupMetrics, key: () => DimKey): void {
  const row = level.get(id);
  if (row) mergeMetrics(row.metrics, metrics);
  else level.set(id, { minuteMs, coreId, key: key(), metrics: cloneMetrics(metrics) });
}

/** A delta's minute and core dimension values as text: equal for deltas of the same core row. */
function coreIdentity(delta: Delta): string {
  return `${delta.minuteMs}\u0001${delta.service}\u0001${identityPart(delta.provider)}\u0001${identityPart(delta.model)}\u0001${identityPart(delta.promptName)}\u0001${identityPart(delta.promptVersion)}\u0001${identityPart(delta.environment)}\u0001${identityPart(delta.workload)}\u0001${delta.streaming}`;
}

/**
 * Adds the rows of one tier to a coarser tier (same keys, coarser buckets). A minute row lies in
 * exactly one local hour and an hour row in one local day, so this gives what fanning every delta
 * out again would, with far fewer merges (a rebuild folds minutes into hours and hours into days).
 * Cubes the finer tier does not keep (cubes.ts HOUR_AND_DAY_CUBES) are added up from its core+tag
 * rows, which hold every dimension.
 */
export function rollUpTier(
  from: TierAccumulator,
  fromTier: Tier,
  toTier: Tier,
  timeZone: string,
  into: TierAccumulator,
  now = Date.now(),
): void {
  const retention = rollupRetention();
  const missing = HOUR_AND_DAY_CUBES.filter((cube) => !isCubeInTier(cube.name, fromTier) && isCubeInTier(cube.name, toTier));
  for (const row of from.rows[fromTier].values()) {
    const bucketMs = bucketStart(toTier, row.bucketMs, timeZone);
    if (!isRetained(toTier, bucketMs, retention, now)) continue;
    into.add(toTier, bucketMs, row.key, row.metrics, row.keyId);
    if (row.key.cube !== "core+tag") continue;
    for (const cube of missing) into.add(toTier, bucketMs, projectKey(row.key, cube), row.metrics);
  }
}

function tagCandidates(deltas: readonly Delta[], settings: ProjectRollupSettings): Map<string, Set<string>> {
  const candidates = new Map<string, Set<string>>();
  for (const key of settings.allocationTagKeys) candidates.set(key, new Set());
  for (const delta of deltas) {
    for (const key of settings.allocationTagKeys) {
      const value = delta.tags[key];
      if (value !== null && value !== undefined) candidates.get(key)!.add(value);
    }
  }
  return candidates;
}

export function isRetained(tier: Tier, bucketMs: number, retention: RollupRetention, now: number): boolean {
  return bucketMs >= retainedFrom(tier, retention, now);
}

/**
 * Writes one project's accumulated rows. `merge`: add to rows already stored (the job); otherwise
 * the caller has emptied the buckets first (a rebuild) and rows are inserted as they are, in
 * compareTierRows order.
 *
 * The minute rows of the many-row cubes (APPENDED_MINUTE_CUBES) are merged inside PostgreSQL
 * (counts added, histograms appended: a histogram may be a concatenation, histogram.ts), so the job
 * that runs every second does not read them back. The other minute rows, and hour and day rows, are
 * read, merged and rewritten, which keeps their histograms compact for the updates to come and the
 * queries that read them; hour and day rows are written once per closed hour (the fold of sealed
 * hours), or for late calls (the job), and those two may run at once: see mergeAndReplace.
 */
export async function writeTierRows(
  client: pg.ClientBase,
  projectId: string,
  accumulator: TierAccumulator,
  { merge }: { merge: boolean },
): Promise<number> {
  const allKeys: DimKey[] = [];
  const allKeyIds: string[] = [];
  for (const tier of TIERS) {
    for (const row of accumulator.rows[tier].values()) {
      allKeys.push(row.key);
      allKeyIds.push(row.keyId);
    }
  }
  if (allKeys.length === 0) return 0;
  const dimIds = await resolveDimIds(client, projectId, allKeys, allKeyIds);
  let written = 0;
  for (const tier of TIERS) {
    const rows = [...accumulator.rows[tier].values()];
    if (rows.length === 0) continue;
    if (!merge) rows.sort(compareTierRows);
    await ensureRollupPartitions(client, tier, rows.map((row) => row.bucketMs));
    const ids = rows.map((row) => dimIds.get(row.keyId)!);
    if (!merge) await upsert(client, tier, projectId, rows, ids, REPLACE_STORED);
    else if (tier === "minute") {
      const isAppended = (row: TierRow) => APPENDED_MINUTE_CUBES.has(row.key.cube);
      const appended = rows.flatMap((row, i) => (isAppended(row) ? [i] : []));
      const read = rows.flatMap((row, i) => (isAppended(row) ? [] : [i]));
      if (appended.length > 0) await upsert(client, tier, projectId, appended.map((i) => rows[i]!), appended.map((i) => ids[i]!), ADD_TO_STORED);
      if (read.length > 0) await mergeAndReplace(client, tier, projectId, read.map((i) => rows[i]!), read.map((i) => ids[i]!));
    } else await mergeAndReplace(client, tier, projectId, rows, ids);
    written += rows.length;
  }
  return written;
}

/**
 * Minute cubes whose rows the job adds to without reading them: core and core+tag, hundreds to
 * thousands of rows a minute with a few calls each, whose histograms stay short. The other cubes'
 * minute rows (total, one dimension, one tag) take hundreds of calls every second; appended to, their
 * histograms would grow by a few KB a second to ~50 KB by the minute's end, compressed and rewritten
 * out of line whole on every update (the ingest benchmark: BENCHMARKS.md). They are read, merged and
 * replaced instead, as hour and day rows are, so they stay one entry per bucket.
 */
const APPENDED_MINUTE_CUBES: ReadonlySet<CubeName> = new Set(["core", "core+tag"]);

/**
 * Adds `rows` to the stored rows: rows read and merged are locked, then replaced. A row that was not
 * there yet may be inserted meanwhile by the other writer (the job or the fold of sealed hours):
 * added to, never overwritten.
 */
async function mergeAndReplace(client: pg.ClientBase, tier: Tier, projectId: string, rows: TierRow[], ids: number[]): Promise<void> {
  const merged = await mergeStored(client, tier, projectId, rows, ids);
  const isMerged = (_: unknown, i: number) => merged.has(i);
  const isNew = (_: unknown, i: number) => !merged.has(i);
  if (merged.size > 0) await upsert(client, tier, projectId, rows.filter(isMerged), ids.filter(isMerged), REPLACE_STORED);
  if (merged.size < rows.length) await upsert(client, tier, projectId, rows.filter(isNew), ids.filter(isNew), ADD_TO_STORED);
}

/**
 * The order rows are best inserted in: by bucket, tag key and dimension values, so that the rows one
 * breakdown reads (a cube's rows of one tag key, or of one service and tag key, in a bucket) share
 * pages.
 */
export function compareTierRows(a: TierRow, b: TierRow): number {
  return a.bucketMs - b.bucketMs || compareText(a.key.tagKey, b.key.tagKey) || compareText(a.keyId, b.keyId);
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Adds the stored rows to `rows`, locking them (FOR UPDATE: the job's late deltas and the fold of
 * sealed hours may write the same day rows at once). Returns the indexes of the rows merged.
 */
async function mergeStored(client: pg.ClientBase, tier: Tier, projectId: string, rows: TierRow[], ids: number[]): Promise<Set<number>> {
  const { rows: stored } = await client.query(
    `SELECT extract(epoch FROM t.bucket) * 1000 AS bucket_ms, t.dim_id, ${METRIC_COLUMNS.map((c) => `t.${c}`).join(", ")}
     FROM ${TIER_TABLES[tier]} t
     JOIN unnest($2::timestamptz[], $3::int4[], $4::int2[]) AS k(bucket, dim_id, cube) USING (bucket, dim_id, cube)
     WHERE t.project_id = $1
     FOR UPDATE OF t`,
    [projectId, rows.map((row) => new Date(row.bucketMs).toISOString()), ids, rows.map((row) => cubeCode(row.key.cube))],
  );
  const merged = new Set<number>();
  if (stored.length === 0) return merged;
  const index = new Map<string, number>();
  rows.forEach((row, i) => index.set(`${row.bucketMs}|${ids[i]}`, i));
  for (const old of stored) {
    const i = index.get(`${Number(old.bucket_ms)}|${old.dim_id}`);
    if (i === undefined) continue;
    mergeMetrics(rows[i]!.metrics, metricsFromRow(old));
    merged.add(i);
  }
  return merged;
}

/** ON CONFLICT updates: the stored row replaced by the merged one, or the new one added to it. */
const REPLACE_STORED = METRIC_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", ");
const ADD_TO_STORED = METRIC_COLUMNS.map((column) =>
  (HISTOGRAM_COLUMNS as readonly string[]).includes(column) ? `${column} = t.${column} || EXCLUDED.${column}` : `${column} = t.${column} + EXCLUDED.${column}`,
).join(", ");

async function upsert(client: pg.ClientBase, tier: Tier, projectId: string, rows: TierRow[], ids: number[], updates: string): Promise<void> {
  await client.query(
    `INSERT INTO ${TIER_TABLES[tier]} AS t (project_id, bucket, dim_id, cube, ${METRIC_COLUMNS.join(", ")})
     SELECT $1::uuid, unnest($2::timestamptz[]), unnest($3::int4[]), unnest($4::int2[]), ${metricUnnestList(5)}
     ON CONFLICT (project_id, bucket, dim_id, cube) DO UPDATE SET ${updates}`,
    [
      projectId,
      rows.map((row) => new Date(row.bucketMs).toISOString()),
      ids,
      rows.map((row) => cubeCode(row.key.cube)),
      ...metricArrays(rows.map((row) => row.metrics)),
    ],
  );
}
