import { getPool } from "@/lib/db/pool";
import { readMigrations } from "@/lib/db/migrate";

export interface Health {
  status: "ok" | "unavailable";
  database: "ok" | "unreachable" | "not_migrated";
  message?: string;
}

/** Healthy once the database answers and every migration this build knows has been applied. */
export async function getHealth(): Promise<Health> {
  try {
    const { rows } = await getPool().query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = readMigrations().filter((migration) => !applied.has(migration.name));
    if (missing.length > 0) {
      return { status: "unavailable", database: "not_migrated", message: `${missing.length} migration(s) not applied yet` };
    }
    return { status: "ok", database: "ok" };
  } catch (error) {
    const notMigrated = (error as { code?: string }).code === "42P01";
    return {
      status: "unavailable",
      database: notMigrated ? "not_migrated" : "unreachable",
      message: notMigrated ? "the database has no Sous schema yet" : "the database is unreachable",
    };
  }
}
