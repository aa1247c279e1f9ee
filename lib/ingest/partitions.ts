import type pg from "pg";
import { connectGuarded } from "@/lib/ingest/connect";

/**
 * Daily partitions of spans and span_contents: `spans_pYYYYMMDD` and `span_contents_pYYYYMMDD`,
 * each holding one UTC day [00:00, 24:00) of start_time.
 *
 * - Created ahead (maintainPartitions: today..today+2, at start and hourly) and on demand by the
 *   writer for any other day (a span is accepted back to now − retention).
 * - Creation is CREATE TABLE + ATTACH PARTITION, which locks the parent only in SHARE UPDATE
 *   EXCLUSIVE mode: it neither waits for running dashboard queries nor blocks inserts, as
 *   CREATE TABLE … PARTITION OF (ACCESS EXCLUSIVE on the parent) would.
 * - Creation and retention take a cluster-wide advisory lock, so instances never race.
 * - Retention drops whole days (DETACH … CONCURRENTLY, then DROP), never DELETEs rows.
 */
export type PartitionedTable = "spans" | "span_contents";
export const PARTITIONED_TABLES: readonly PartitionedTable[] = ["spans", "span_contents"];

const PARTITION_LOCK_KEY = 7_305_114_212; // arbitrary, constant: "sous partitions"
const DAY_MS = 86_400_000;
/** Creation gives up rather than stalling ingest behind a lock for longer than this. */
const LOCK_TIMEOUT_MS = 10_000;

/**
 * A span row is ~2–3 KB (its attributes jsonb is most of it). With the default toast_tuple_target
 * (~2 KB) PostgreSQL pglz-compresses nearly every row on insert, which halved ingest throughput in
 * bench/writer-probe.ts; rows are kept uncompressed up to 8 KB instead (more disk, less CPU).
 * Storage parameters cannot be set on a partitioned table, so each partition gets them.
 */
const STORAGE_PARAMETERS: Record<PartitionedTable, string> = {
  spans: " WITH (toast_tuple_target = 8160)",
  span_contents: "",
};

/** A UTC day: a Date (any instant of the day), "YYYY-MM-DD", or days since 1970-01-01. */
export type DayInput = Date | string | number;

export function utcDay(input: DayInput): number {
  if (typeof input === "number") return Math.floor(input);
  const ms = typeof input === "string" ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(input) ? `${input}T00:00:00Z` : input) : input.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`"${String(input)}" is not a day`);
  return Math.floor(ms / DAY_MS);
}

/** "2026-11-25" for a UTC day number. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function partitionName(table: PartitionedTable, day: number): string {
  return `${table}_p${formatDay(day).replaceAll("-", "")}`;
}

const PARTITION_NAME = /^(spans|span_contents)_p(\d{4})(\d{2})(\d{2})$/;

function dayOfPartition(name: string): number | null {
  const match = PARTITION_NAME.exec(name);
  return match ? utcDay(`${match[2]}-${match[3]}-${match[4]}`) : null;
}

// Days known to have both partitions, per pool (tests run several databases in one process).
const knownDays = new WeakMap<pg.Pool, Set<number>>();

function knownDaysOf(pool: pg.Pool): Set<number> {
  let days = knownDays.get(pool);
  if (!days) knownDays.set(pool, (days = new Set()));
  return days;
}

/** Makes sure both partitions exist for every day in [fromDay, toDay]; returns the tables created. */
export async function ensurePartitions(pool: pg.Pool, fromDay: DayInput, toDay: DayInput): Promise<string[]> {
  const days: number[] = [];
  for (let day = utcDay(fromDay); day <= utcDay(toDay); day++) days.push(day);
  return ensurePartitionDays(pool, days);
}

/**
 * The writer's check before inserting: free for days already seen by this process, one catalog
 * query otherwise, and creation (under the advisory lock) only for days that have no partition.
 */
export async function ensurePartitionDays(pool: pg.Pool, days: readonly number[]): Promise<string[]> {
  const known = knownDaysOf(pool);
  const unknown = days.filter((day) => !known.has(day));
  if (unknown.length === 0) return [];
  const client = await connectGuarded(pool);
  let isBroken = false;
  try {
    const attached = await attachedPartitionDays(client);
    const missing = unknown.filter((day) => !attached.has(day));
    const created = missing.length > 0 ? await createPartitions(client, missing) : [];
    for (const day of unknown) known.add(day);
    return created;
  } catch (error) {
    isBroken = true;
    throw error;
  } finally {
    client.release(isBroken);
  }
}

/** Forgets cached days (after "no partition for row": a partition was dropped behind our back). */
export function forgetPartitionDays(pool: pg.Pool, days: readonly number[]): void {
  const known = knownDaysOf(pool);
  for (const day of days) known.delete(day);
}

/** Days for which both tables have an attached partition. */
async function attachedPartitionDays(client: pg.ClientBase): Promise<Set<number>> {
  const counts = new Map<number, number>();
  for (const { name } of await listAttachedPartitions(client)) {
    const day = dayOfPartition(name);
    if (day !== null) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count === PARTITIONED_TABLES.length).map(([day]) => day));
}

async function listAttachedPartitions(client: pg.ClientBase): Promise<{ name: string; isDetachPending: boolean }[]> {
  const { rows } = await client.query<{ name: string; is_detach_pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS is_detach_pending
     FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent IN ('spans'::regclass, 'span_contents'::regclass)`,
  );
  return rows.filter((row) => !row.is_detach_pending).map((row) => ({ name: row.name, isDetachPending: false }));
}

async function createPartitions(client: pg.ClientBase, days: readonly number[]): Promise<string[]> {
  const created: string[] = [];
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}`);
    await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
    for (const day of days) {
      for (const table of PARTITIONED_TABLES) {
        const name = partitionName(table, day);
        const { rows } = await client.query<{ is_table: boolean; is_attached: boolean }>(
          `SELECT to_regclass($1) IS NOT NULL AS is_table,
                  EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1) AND NOT inhdetachpending) AS is_attached`,
          [name],
        );
        if (rows[0].is_attached) continue;
        if (!rows[0].is_table) {
          // LIKE copies columns, NOT NULL, defaults and storage; ATTACH adds the parent's indexes.
          await client.query(
            `CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)${STORAGE_PARAMETERS[table]}`,
          );
        }
        await client.query(
          `ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${formatDay(day)} 00:00:00+00') TO ('${formatDay(day + 1)} 00:00:00+00')`,
        );
        created.push(name);
      }
    }
    await client.query("COMMIT");
    return created;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Creates today..today+2 (UTC) ahead of time; run at start and hourly. Returns the tables created. */
export async function maintainPartitions(pool: pg.Pool, now: Date = new Date()): Promise<string[]> {
  const today = utcDay(now);
  return ensurePartitions(pool, today, today + 2);
}

/**
 * Retention: drops both tables' partitions of every day before `day` (UTC). Each is detached
 * CONCURRENTLY first (waits for running queries instead of blocking them), then dropped; a detach
 * interrupted earlier is finalized. Returns the tables dropped.
 */
export async function dropPartitionsBefore(pool: pg.Pool, day: DayInput): Promise<string[]> {
  const cutoff = utcDay(day);
  const client = await connectGuarded(pool);
  const dropped: string[] = [];
  let isBroken = false;
  try {
    // Session lock: DETACH … CONCURRENTLY cannot run inside a transaction block.
    await client.query("SELECT pg_advisory_lock($1)", [PARTITION_LOCK_KEY]);
    const { rows } = await client.query<{ name: string; parent: PartitionedTable; is_detach_pending: boolean | null }>(
      `SELECT c.relname AS name, p.relname AS parent, i.inhdetachpending AS is_detach_pending
       FROM pg_class c
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       LEFT JOIN pg_class p ON p.oid = i.inhparent
       WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
         AND c.relname ~ '^(spans|span_contents)_p[0-9]{8}$'`,
    );
    for (const row of rows) {
      const partitionDay = dayOfPartition(row.name);
      if (partitionDay === null || partitionDay >= cutoff) continue;
      if (row.parent) {
        const mode = row.is_detach_pending ? "FINALIZE" : "CONCURRENTLY";
        await client.query(`ALTER TABLE ${row.parent} DETACH PARTITION ${row.name} ${mode}`);
      }
      await client.query(`DROP TABLE IF EXISTS ${row.name}`);
      dropped.push(row.name);
    }
  } catch (error) {
    isBroken = true; // also drops the session's advisory lock with the connection
    throw error;
  } finally {
    if (!isBroken) await client.query("SELECT pg_advisory_unlock($1)", [PARTITION_LOCK_KEY]).catch(() => {});
    client.release(isBroken);
  }
  const known = knownDaysOf(pool);
  for (const knownDay of [...known]) if (knownDay < cutoff) known.delete(knownDay);
  return dropped;
}

/** The days that have a spans partition, ascending (for health and retention reports). */
export async function listPartitionDays(pool: pg.Pool): Promise<number[]> {
  const client = await connectGuarded(pool);
  try {
    const days = (await listAttachedPartitions(client))
      .filter(({ name }) => name.startsWith("spans_p"))
      .map(({ name }) => dayOfPartition(name))
      .filter((day): day is number => day !== null);
    return days.sort((a, b) => a - b);
  } finally {
    client.release();
  }
}
