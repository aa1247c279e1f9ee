import type pg from "pg";

/**
 * Size on disk of the benchmark's tables (heap + TOAST + indexes, partitions included) and of the
 * whole database, with row counts.
 */
export interface TableSize {
  table: string;
  rows: number;
  bytes: number;
  indexBytes: number;
}

const TABLES = ["spans", "rollup_minute", "rollup_hour", "rollup_day", "rollup_dims"];

export async function measureDataSize(pool: pg.Pool): Promise<{ tables: TableSize[]; databaseBytes: number }> {
  const { rows } = await pool.query<{ table_name: string; bytes: string; index_bytes: string; rows: string }>(
    `SELECT t.table_name,
            sum(pg_total_relation_size(p.oid)) AS bytes,
            sum(pg_indexes_size(p.oid)) AS index_bytes,
            sum(CASE WHEN p.relkind = 'p' THEN 0 ELSE greatest(p.reltuples, 0) END)::bigint AS rows
     FROM unnest($1::text[]) AS t(table_name)
     JOIN pg_class parent ON parent.relname = t.table_name AND parent.relnamespace = 'public'::regnamespace
     -- (pg_partition_tree is empty for a table that is not partitioned, such as rollup_dims)
     JOIN pg_class p ON p.oid = parent.oid OR p.oid IN (SELECT relid FROM pg_partition_tree(parent.oid))
     GROUP BY t.table_name`,
    [TABLES],
  );
  const { rows: [database] } = await pool.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
  const byName = new Map(rows.map((row) => [row.table_name, row]));
  return {
    tables: TABLES.map((table) => ({
      table,
      rows: Number(byName.get(table)?.rows ?? 0),
      bytes: Number(byName.get(table)?.bytes ?? 0),
      indexBytes: Number(byName.get(table)?.index_bytes ?? 0),
    })),
    databaseBytes: Number(database!.bytes),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
