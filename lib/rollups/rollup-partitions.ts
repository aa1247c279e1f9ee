import type pg from "pg";
import { cubesInTier, type Cube } from "@/lib/rollups/cubes";
import { DAY_MS, type Tier } from "@/lib/rollups/time-buckets";

/**
 * Partitions of the rollup tiers. Each tier is LIST-partitioned by cube (rollup_hour_<cube>, the
 * cube's code in the rows' `cube` column; migration 20261201120000), so a cube's rows sit together.
 * Below that, rollup_minute's cube partitions are split by UTC day (rollup_minute_<cube>_pYYYYMMDD)
 * and rollup_hour's by UTC month (rollup_hour_<cube>_pYYYYMM); rollup_day's cube partitions are
 * small and not split. The time partitions are created by whoever holds the rollup lock (the job, a
 * rebuild, the maintenance run), so creation never races, and retention drops whole partitions.
 */
type PartitionedTier = Exclude<Tier, "day">;

// Periods known to have their partitions, per database (tests run several databases in one process).
const known = new Set<string>();

function knownKey(client: pg.ClientBase, name: string): string {
  const { host, port, database } = client as unknown as { host?: string; port?: number; database?: string };
  return `${host}:${port}/${database}/${name}`;
}

export interface Period {
  /** The partition name's suffix: p20261201 (minute), p202612 (hour). */
  suffix: string;
  from: string; // ISO, inclusive
  to: string; // ISO, exclusive
}

export function partitionPeriod(tier: PartitionedTier, bucketMs: number): Period {
  const date = new Date(bucketMs);
  if (tier === "minute") {
    const day = Math.floor(bucketMs / DAY_MS) * DAY_MS;
    const from = new Date(day).toISOString();
    return { suffix: `p${from.slice(0, 10).replaceAll("-", "")}`, from, to: new Date(day + DAY_MS).toISOString() };
  }
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const from = new Date(Date.UTC(year, month, 1)).toISOString();
  return { suffix: `p${from.slice(0, 7).replace("-", "")}`, from, to: new Date(Date.UTC(year, month + 1, 1)).toISOString() };
}

/** The cube partition of a tier: rollup_hour_model_tag. */
export function cubePartitionName(tier: Tier, cube: Cube): string {
  return `rollup_${tier}_${cube.slug}`;
}

/** The time partition of a cube partition: rollup_hour_model_tag_p202612. */
export function periodPartitionName(tier: PartitionedTier, cube: Cube, period: Period): string {
  return `${cubePartitionName(tier, cube)}_${period.suffix}`;
}

/**
 * Free space left in each page of a minute partition that live traffic still writes (today's,
 * tomorrow's). The job updates the current minute's rows every second; with room on the page the
 * new row version stays there (a HOT update) and neither index is touched. Full pages made half of
 * those updates write both indexes (BENCHMARKS.md "Ingest", bench:ingest: +13 % spans/s with 60).
 * Past days, written once by a rebuild, are packed full.
 */
export const LIVE_MINUTE_FILLFACTOR = 60;

function storageFor(tier: PartitionedTier, period: Period): string {
  const live = tier === "minute" && Date.parse(period.to) > Date.now();
  return live ? ` WITH (fillfactor = ${LIVE_MINUTE_FILLFACTOR})` : "";
}

/** Makes sure the partitions holding these buckets exist for every cube of the tier (inside the caller's transaction). */
export async function ensureRollupPartitions(client: pg.ClientBase, tier: Tier, bucketsMs: readonly number[]): Promise<void> {
  if (tier === "day") return;
  const periods = new Map<string, Period>();
  const days = new Set<number>(); // a partition is whole UTC days: one look per day is enough
  for (const bucketMs of bucketsMs) {
    const day = Math.floor(bucketMs / DAY_MS);
    if (days.has(day)) continue;
    days.add(day);
    const period = partitionPeriod(tier, bucketMs);
    if (!known.has(knownKey(client, `${tier}_${period.suffix}`))) periods.set(period.suffix, period);
  }
  for (const period of periods.values()) {
    for (const cube of cubesInTier(tier)) {
      const name = periodPartitionName(tier, cube, period);
      const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [name]);
      if (rows[0]!.exists) continue;
      // CREATE + ATTACH takes only SHARE UPDATE EXCLUSIVE on the parent: queries keep running.
      await client.query(`CREATE TABLE ${name} (LIKE rollup_${tier} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)${storageFor(tier, period)}`);
      await client.query(
        `ALTER TABLE ${cubePartitionName(tier, cube)} ATTACH PARTITION ${name} FOR VALUES FROM ('${period.from}') TO ('${period.to}')`,
      );
    }
    known.add(knownKey(client, `${tier}_${period.suffix}`));
  }
}

/**
 * Drops the time partitions wholly older than the cutoff, in every cube; returns their names. Runs
 * outside a transaction: each is detached CONCURRENTLY (waits for running queries, blocks none),
 * then dropped.
 */
export async function dropRollupPartitionsBefore(client: pg.ClientBase, tier: PartitionedTier, cutoffMs: number): Promise<string[]> {
  const { rows } = await client.query<{ name: string; parent: string; upper: Date; is_detach_pending: boolean }>(
    `SELECT c.relname AS name, parent.relname AS parent, i.inhdetachpending AS is_detach_pending,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
     FROM pg_partition_tree($1::regclass) t
     JOIN pg_class c ON c.oid = t.relid
     JOIN pg_inherits i ON i.inhrelid = c.oid
     JOIN pg_class parent ON parent.oid = i.inhparent
     WHERE t.isleaf AND t.level = 2
     ORDER BY 1`,
    [`rollup_${tier}`],
  );
  const dropped: string[] = [];
  const periods = new Set<string>();
  for (const row of rows) {
    if (row.upper.getTime() > cutoffMs) continue;
    // A detach interrupted earlier is finalized instead.
    await client.query(`ALTER TABLE ${row.parent} DETACH PARTITION ${row.name} ${row.is_detach_pending ? "FINALIZE" : "CONCURRENTLY"}`);
    await client.query(`DROP TABLE ${row.name}`);
    periods.add(row.name.slice(row.name.lastIndexOf("_") + 1));
    dropped.push(row.name);
  }
  for (const suffix of periods) known.delete(knownKey(client, `${tier}_${suffix}`));
  return dropped;
}

/** Forgets what this process knows (tests that drop partitions behind its back). */
export function forgetRollupPartitions(): void {
  known.clear();
}
