import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Applies the committed SQL migrations in prisma/migrations, recording them in
 * `_prisma_migrations` with Prisma's checksum (SHA-256 of migration.sql) so that
 * `prisma migrate deploy` agrees where it can run.
 *
 * - Runs under a session advisory lock, so several app instances can start at once.
 * - Refuses a database holding migrations this build does not know (a newer Sous ran on it).
 * - Refuses a migration whose file changed after it was applied.
 * - Each migration runs in its own transaction, unless its first line is
 *   `-- sous:no-transaction` (needed for CREATE INDEX CONCURRENTLY).
 */
// Resolved from the working directory (the repo root for `npm start`, tests and scripts), because
// inside a Next build this module's own location is the bundle, not the source tree.
export const MIGRATIONS_DIR = path.resolve(/*turbopackIgnore: true*/ process.env.SOUS_ROOT ?? process.cwd(), "prisma/migrations");
const LOCK_KEY = 7_305_114_211; // arbitrary, constant: "sous migrations"

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
  isTransactional: boolean;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return {
        name,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
        isTransactional: !sql.startsWith("-- sous:no-transaction"),
      };
    });
}

export class MigrationError extends Error {}

export interface MigrateResult {
  applied: string[];
}

export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id                  varchar(36) PRIMARY KEY NOT NULL,
      checksum            varchar(64) NOT NULL,
      finished_at         timestamptz,
      migration_name      varchar(255) NOT NULL,
      logs                text,
      rolled_back_at      timestamptz,
      started_at          timestamptz NOT NULL DEFAULT now(),
      applied_steps_count integer NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL",
    );
    const known = new Map(migrations.map((m) => [m.name, m]));
    const unknown = rows.filter((row) => !known.has(row.migration_name)).map((row) => row.migration_name);
    if (unknown.length > 0) {
      throw new MigrationError(
        `The database has migrations this version of Sous does not know: ${unknown.join(", ")}. ` +
          "It was probably migrated by a newer Sous; run that version (or restore a backup).",
      );
    }
    const unfinished = rows.filter((row) => row.finished_at === null).map((row) => row.migration_name);
    if (unfinished.length > 0) {
      throw new MigrationError(
        `Migration ${unfinished.join(", ")} started but did not finish (it cannot run in a transaction). ` +
          "Check the database, then delete its row from _prisma_migrations to retry it.",
      );
    }
    for (const row of rows) {
      if (known.get(row.migration_name)!.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.migration_name} was changed after it was applied (checksum mismatch). ` +
            "Committed migrations must never be edited; add a new one instead.",
        );
      }
    }
    const done = new Set(rows.map((row) => row.migration_name));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await applyOne(client, migration);
      applied.push(migration.name);
    }
    return { applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  if (migration.isTransactional) {
    await client.query("BEGIN");
    try {
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [id, migration.checksum, migration.name],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
    }
    return;
  }
  // Outside a transaction: record the start first, so a crash half-way is visible at next start.
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
    [id, migration.checksum, migration.name],
  );
  try {
    // Statements are run one by one: CREATE INDEX CONCURRENTLY refuses multi-statement strings.
    for (const statement of splitStatements(migration.sql)) await client.query(statement);
  } catch (error) {
    await client.query("UPDATE _prisma_migrations SET logs = $2 WHERE id = $1", [id, (error as Error).message]);
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
  await client.query("UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1", [id]);
}

/** Splits a non-transactional migration on semicolons at line ends; such files hold simple DDL only. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
}
