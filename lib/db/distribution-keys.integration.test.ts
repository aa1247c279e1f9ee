import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * Scale-out on paper, checked in code: every large table can be distributed by project with Citus,
 * which requires each primary key and unique index of a distributed table to include the
 * distribution column; Sous keeps it first, so every lookup and range scan is per project.
 */
const LARGE_TABLES = [
  "spans",
  "span_contents",
  "ingest_stats",
  "rollup_deltas",
  "rollup_dims",
  "rollup_minute",
  "rollup_hour",
  "rollup_day",
];

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

it("keys every large table by project first: each primary key and unique index starts with project_id", async () => {
  const { rows: tables } = await db.pool.query<{ name: string }>(
    "SELECT relname AS name FROM pg_class WHERE relname = ANY($1) AND relkind IN ('r', 'p')",
    [LARGE_TABLES],
  );
  expect(tables.map((table) => table.name).sort()).toEqual([...LARGE_TABLES].sort());
  const { rows } = await db.pool.query<{ table_name: string; index_name: string; first_column: string; is_primary: boolean }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisprimary AS is_primary,
            (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = ix.indkey[0]) AS first_column
     FROM pg_index ix
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_class i ON i.oid = ix.indexrelid
     WHERE t.relname = ANY($1) AND ix.indisunique`,
    [LARGE_TABLES],
  );
  expect(rows.length).toBeGreaterThanOrEqual(LARGE_TABLES.length - 1); // rollup_deltas is append-only, without a key
  for (const row of rows) expect(row.first_column, `${row.table_name}.${row.index_name}`).toBe("project_id");
  // And the tables that hold per-project data have no foreign key that Citus could not keep.
  const { rows: foreignKeys } = await db.pool.query(
    `SELECT conrelid::regclass::text AS table_name, confrelid::regclass::text AS target
     FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
    [LARGE_TABLES],
  );
  for (const key of foreignKeys) expect(key.target, `${key.table_name} → ${key.target}`).toBe("projects");
});
