import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { toPostgresText } from "@/lib/ingest/convert";
import type { RejectedSpan } from "@/lib/otlp/types";

/**
 * Ingest self-observability (DESIGN.md): spans counted per (project, service, reason) in
 * ingest_stats. Reason "" counts spans stored; "duplicate" counts repeated deliveries of a span
 * already stored (accepted, stored once); every other reason is a rejection, with its last message.
 * Counts are aggregated in memory and written set-wise inside the writer's transactions, so
 * counting costs no commit of its own.
 */
export const ACCEPTED_REASON = "";
export const DUPLICATE_REASON = "duplicate";
export const DUPLICATE_MESSAGE =
  "Already stored: a repeated delivery of the same span (same start time, trace id and span id) is stored once.";

export interface IngestStatCount {
  projectId: string;
  serviceName: string;
  reason: string;
  count: number;
  /** The latest message for this reason (rejections); null keeps the stored one. */
  message: string | null;
}

/** Adds counts to ingest_stats in one statement (rows for deleted projects are skipped). */
export async function upsertIngestStats(client: pg.ClientBase, counts: readonly IngestStatCount[]): Promise<void> {
  if (counts.length === 0) return;
  // One row per key (ON CONFLICT DO UPDATE cannot touch a row twice), locked in key order so
  // concurrent writer transactions cannot deadlock on these rows.
  const merged = new Map<string, IngestStatCount>();
  for (const c of counts) addIngestStatCount(merged, c.projectId, c.serviceName, c.reason, c.count, c.message);
  const sorted = [...merged.values()].sort(compareKeys);
  await client.query(
    `INSERT INTO ingest_stats AS s (project_id, service_name, reason, span_count, last_message, last_seen_at)
     SELECT u.project_id, u.service_name, u.reason, u.span_count, u.last_message, now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::text[]) WITH ORDINALITY
          AS u(project_id, service_name, reason, span_count, last_message, position)
     JOIN projects p ON p.id = u.project_id
     ORDER BY u.position
     ON CONFLICT (project_id, service_name, reason) DO UPDATE
       SET span_count = s.span_count + excluded.span_count,
           last_message = COALESCE(excluded.last_message, s.last_message),
           last_seen_at = excluded.last_seen_at`,
    [
      sorted.map((c) => c.projectId),
      sorted.map((c) => toPostgresText(c.serviceName)),
      sorted.map((c) => toPostgresText(c.reason)),
      sorted.map((c) => c.count),
      sorted.map((c) => (c.message === null ? null : toPostgresText(c.message))),
    ],
  );
}

function compareKeys(a: IngestStatCount, b: IngestStatCount): number {
  if (a.projectId !== b.projectId) return a.projectId < b.projectId ? -1 : 1;
  if (a.serviceName !== b.serviceName) return a.serviceName < b.serviceName ? -1 : 1;
  return a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0;
}

/** Adds `count` under one key of a Map of counts, keeping the latest non-null message. */
export function addIngestStatCount(
  into: Map<string, IngestStatCount>,
  projectId: string,
  serviceName: string,
  reason: string,
  count: number,
  message: string | null,
): void {
  const key = `${projectId}\u0000${serviceName}\u0000${reason}`;
  const existing = into.get(key);
  if (existing) {
    existing.count += count;
    if (message !== null) existing.message = message;
  } else {
    into.set(key, { projectId, serviceName, reason, count, message });
  }
}

/**
 * Counts a request's rejected spans. They are written with the writer's next transaction; the
 * promise settles when that transaction does (callers need not wait for it). If it fails, the
 * counts stay queued for the next one.
 */
export async function recordRejections(
  projectId: string,
  rejected: readonly RejectedSpan[],
  writer?: { recordCounts(counts: readonly IngestStatCount[]): Promise<void> },
): Promise<void> {
  if (rejected.length === 0) return;
  const counts = new Map<string, IngestStatCount>();
  for (const span of rejected) {
    addIngestStatCount(counts, projectId, span.serviceName, span.reason, 1, span.message);
  }
  // Imported lazily: the writer imports this module.
  const target = writer ?? (await import("@/lib/ingest/writer")).getSpanWriter();
  await target.recordCounts([...counts.values()]);
}

export interface IngestStat {
  serviceName: string;
  /** "" for stored spans, "duplicate" for repeated deliveries, otherwise the rejection reason. */
  reason: string;
  spanCount: number;
  lastMessage: string | null;
  lastSeenAt: Date;
}

export async function getIngestStats(projectId: string, pool: pg.Pool = getPool()): Promise<IngestStat[]> {
  const { rows } = await pool.query<{
    service_name: string;
    reason: string;
    span_count: string;
    last_message: string | null;
    last_seen_at: Date;
  }>(
    `SELECT service_name, reason, span_count, last_message, last_seen_at
     FROM ingest_stats WHERE project_id = $1 ORDER BY service_name, reason`,
    [projectId],
  );
  return rows.map((row) => ({
    serviceName: row.service_name,
    reason: row.reason,
    spanCount: Number(row.span_count), // exact below 2^53 spans
    lastMessage: row.last_message,
    lastSeenAt: row.last_seen_at,
  }));
}
