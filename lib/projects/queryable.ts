import type pg from "pg";

/**
 * Anything that runs a parameterized query: the pg pool, a checked-out client inside a
 * transaction, or a standalone client (the launcher and the keys CLI bring their own).
 * The domain modules take one explicitly where a caller may hold a transaction, and default to
 * the process-wide pool (lib/db/pool) otherwise.
 */
export type Queryable = Pick<pg.ClientBase, "query">;

/** PostgreSQL error codes this code reacts to. */
export const PG_FOREIGN_KEY_VIOLATION = "23503";
export const PG_UNIQUE_VIOLATION = "23505";

export function hasPgCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs and CLIs; checking the shape first avoids a PostgreSQL cast error. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
