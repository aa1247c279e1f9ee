import type pg from "pg";
import { DAY_MS, type Tier } from "@/lib/rollups/time-buckets";

/**
 * Partitions of the rollup tiers: rollup_minute by UTC day (rollup_minute_pYYYYMMDD), rollup_hour
 * by UTC month (rollup_hour_pYYYYMM); rollup_day is small and not partitioned. They are created by
 * whoever holds the rollup lock (the job, a rebuild, the maintenance run), so creation never races,
 * and retention drops whole partitions.
 */
type PartitionedTier = Exclude<Tier, "day">;

// Partitions known to exist, per database (tests run several databases in one process).
const known = new Set<string>();

function knownKey(client: pg.ClientBase, name: string): string {
  const { host, port, database } = client as unknown as { host?: string; port?: number; database?: string };
  return `${host}:${port}/${database}/${name}`;
}

interface Period {
  name: string;
  from: string; // ISO, inclusive
  to: string; // ISO, exclusive
}

export function partitionPeriod(tier: PartitionedTier, bucketMs: number): Period {
  const date = new Date(bucketMs);
  if (tier === "minute") {
    const day = Math.floor(bucketMs / DAY_MS) * DAY_MS;
    const from = new Date(day).toISOString();
    return { name: `rollup_minute_p${from.slice(0, 10).replaceAll("-", "")}`, from, to: new Date(day + DAY_MS).toISOString() };
  }
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const from = new Date(Date.UTC(year, month, 1)).toISOString();
  return { name: `rollup_hour_p${from.slice(0, 7).replace("-", "")}`, from, to: new Date(Date.UTC(year, month + 1, 1)).toISOString() };
}

/** Makes sure the partitions holding these buckets exist (inside the caller's transaction). */
export async function ensureRollupPartitions(client: pg.ClientBase, tier: Tier, bucketsMs: readonly number[]): Promise<void> {
  if (tier === "day") return;
  const periods = new Map<string, Period>();
  const days = new Set<number>(); // a partition is whole UTC days: one look per day is enough
  for (const bucketMs of bucketsMs) {
    const day = Math.floor(bucketMs / DAY_MS);
    if (days.has(day)) continue;
    days.add(day);
    const period = partitionPeriod(tier, bucketMs);
    if (!known.has(knownKey(client, period.name))) periods.set(period.name, period);
  }
  for (const period of periods.values()) {
    const table = tier === "minute" ? "rollup_minute" : "rollup_hour";
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [period.name]);
    if (!rows[0]!.exists) {
      // CREATE + ATTACH takes only SHARE UPDATE EXCLUSIVE on the parent: queries keep running.
      await client.query(`CREATE TABLE ${period.name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await client.query(`ALTER TABLE ${table} ATTACH PARTITION ${period.name} FOR VALUES FROM ('${period.from}') TO ('${period.to}')`);
    }
    known.add(knownKey(client, period.name));
  }
}

/**
 * Drops the partitions wholly older than the cutoff; returns their names. Runs outside a
 * transaction: each is detached CONCURRENTLY (waits for running queries, blocks none), then dropped.
 */
export async function dropRollupPartitionsBefore(client: pg.ClientBase, tier: PartitionedTier, cutoffMs: number): Promise<string[]> {
  const table = tier === "minute" ? "rollup_minute" : "rollup_hour";
  const { rows } = await client.query<{ name: string; upper: Date; is_detach_pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS is_detach_pending,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass`,
    [table],
  );
  const dropped: string[] = [];
  for (const row of rows) {
    if (row.upper.getTime() > cutoffMs) continue;
    // A detach interrupted earlier is finalized instead.
    await client.query(`ALTER TABLE ${table} DETACH PARTITION ${row.name} ${row.is_detach_pending ? "FINALIZE" : "CONCURRENTLY"}`);
    await client.query(`DROP TABLE ${row.name}`);
    known.delete(knownKey(client, row.name));
    dropped.push(row.name);
  }
  return dropped;
}

/** Forgets what this process knows (tests that drop partitions behind its back). */
export function forgetRollupPartitions(): void {
  known.clear();
}
