import type pg from "pg";

/**
 * PostgreSQL's own counters around the measured window (no extension needed): transactions,
 * rows inserted, WAL written (and how much of it is full-page images after a checkpoint), and
 * checkpoints. Per span they show what an insert costs the server beyond its CPU time.
 */
export interface DatabaseCounters {
  commits: number;
  rowsInserted: number;
  walRecords: number;
  walFullPageImages: number;
  walBytes: number;
  checkpoints: number;
  blocksRead: number;
}

export async function readDatabaseCounters(pool: pg.Pool): Promise<DatabaseCounters> {
  const { rows } = await pool.query(`
    SELECT d.xact_commit, d.tup_inserted, d.blks_read, w.wal_records, w.wal_fpi, w.wal_bytes,
           c.num_timed + c.num_requested AS checkpoints
    FROM pg_stat_database d, pg_stat_wal w, pg_stat_checkpointer c
    WHERE d.datname = current_database()`);
  const row = rows[0];
  return {
    commits: Number(row.xact_commit),
    rowsInserted: Number(row.tup_inserted),
    walRecords: Number(row.wal_records),
    walFullPageImages: Number(row.wal_fpi),
    walBytes: Number(row.wal_bytes),
    checkpoints: Number(row.checkpoints),
    blocksRead: Number(row.blks_read),
  };
}

export function countersBetween(a: DatabaseCounters, b: DatabaseCounters): DatabaseCounters {
  return {
    commits: b.commits - a.commits,
    rowsInserted: b.rowsInserted - a.rowsInserted,
    walRecords: b.walRecords - a.walRecords,
    walFullPageImages: b.walFullPageImages - a.walFullPageImages,
    walBytes: b.walBytes - a.walBytes,
    checkpoints: b.checkpoints - a.checkpoints,
    blocksRead: b.blocksRead - a.blocksRead,
  };
}

/** Rows, bytes and sizes of what the benchmark stores. */
export async function readDatabaseSize(pool: pg.Pool): Promise<{ databaseBytes: number; estimatedSpans: number }> {
  const { rows } = await pool.query(`
    SELECT pg_database_size(current_database()) AS database_bytes,
           (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'spans'::regclass) AS estimated_spans`);
  return { databaseBytes: Number(rows[0].database_bytes), estimatedSpans: Math.round(Number(rows[0].estimated_spans)) };
}
