import { getPool } from "@/lib/db/pool";
import { readMigrations } from "@/lib/db/migrate";
import { getSpanWriter } from "@/lib/ingest/writer";

export interface Health {
  status: "ok" | "unavailable";
  database: "ok" | "unreachable" | "not_migrated";
  message?: string;
  /** The ingest writer of this instance: spans waiting for a transaction, and in one. */
  writeQueue?: { queuedSpans: number; inFlightSpans: number; lastFlushMs: number | null; lastError: string | null };
  /** Rollups: deltas waiting to be folded in, and the age of the oldest (cluster-wide). */
  rollups?: { waitingDeltas: number; lagMs: number };
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
    const { rows: waiting } = await getPool().query<{ deltas: string; lag_ms: string | null }>(
      "SELECT count(*) AS deltas, extract(epoch FROM clock_timestamp() - min(created_at)) * 1000 AS lag_ms FROM rollup_deltas",
    );
    const writer = getSpanWriter().stats();
    return {
      status: "ok",
      database: "ok",
      writeQueue: {
        queuedSpans: writer.queuedSpans,
        inFlightSpans: writer.inFlightSpans,
        lastFlushMs: writer.lastFlushMs,
        lastError: writer.lastError,
      },
      rollups: { waitingDeltas: Number(waiting[0]?.deltas ?? 0), lagMs: Math.round(Number(waiting[0]?.lag_ms ?? 0)) },
    };
  } catch (error) {
    const notMigrated = (error as { code?: string }).code === "42P01";
    return {
      status: "unavailable",
      database: notMigrated ? "not_migrated" : "unreachable",
      message: notMigrated ? "the database has no Sous schema yet" : "the database is unreachable",
    };
  }
}
