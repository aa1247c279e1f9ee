import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrate";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
});
afterAll(async () => db?.stop());

function copyMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sous-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("applyMigrations", () => {
  it("applies every committed migration once, recording Prisma checksums", async () => {
    const first = await applyMigrations(db.url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    const { rows } = await db.pool.query("SELECT migration_name, checksum FROM _prisma_migrations ORDER BY 1");
    expect(rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("upgrades a populated database with a new migration, keeping its data", async () => {
    await applyMigrations(db.url);
    await db.pool.query("INSERT INTO projects (name, slug) VALUES ('Populated', 'populated')");
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "29990101000000_add_column"));
    writeFileSync(
      path.join(dir, "29990101000000_add_column", "migration.sql"),
      "ALTER TABLE projects ADD COLUMN upgrade_marker text NOT NULL DEFAULT 'upgraded';\n",
    );
    const result = await applyMigrations(db.url, dir);
    expect(result.applied).toEqual(["29990101000000_add_column"]);
    const { rows } = await db.pool.query("SELECT upgrade_marker FROM projects WHERE slug = 'populated'");
    expect(rows).toEqual([{ upgrade_marker: "upgraded" }]);

    // The committed set no longer knows that migration: refuse, rather than run an older schema.
    await expect(applyMigrations(db.url)).rejects.toThrow(/does not know: 29990101000000_add_column/);
    await db.pool.query("ALTER TABLE projects DROP COLUMN upgrade_marker");
    await db.pool.query("DELETE FROM _prisma_migrations WHERE migration_name = '29990101000000_add_column'");
  });

  it("runs a migration marked no-transaction outside a transaction (CREATE INDEX CONCURRENTLY)", async () => {
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "29990102000000_concurrent_index"));
    writeFileSync(
      path.join(dir, "29990102000000_concurrent_index", "migration.sql"),
      "-- sous:no-transaction\nCREATE INDEX CONCURRENTLY projects_name_test ON projects (name);\n",
    );
    const result = await applyMigrations(db.url, dir);
    expect(result.applied).toEqual(["29990102000000_concurrent_index"]);
    const { rows } = await db.pool.query("SELECT indexname FROM pg_indexes WHERE indexname = 'projects_name_test'");
    expect(rows).toHaveLength(1);
    await db.pool.query("DROP INDEX projects_name_test");
    await db.pool.query("DELETE FROM _prisma_migrations WHERE migration_name = '29990102000000_concurrent_index'");
  });

  it("refuses a migration edited after it was applied", async () => {
    const dir = copyMigrations();
    const first = readMigrations()[0]!.name;
    writeFileSync(path.join(dir, first, "migration.sql"), `${readMigrations()[0]!.sql}\n-- edited\n`);
    await expect(applyMigrations(db.url, dir)).rejects.toThrow(/checksum mismatch/);
  });

  it("lets concurrent starts migrate once", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);
    expect(results.flatMap((r) => r.applied)).toEqual([]);
    await client.end();
  });
});
