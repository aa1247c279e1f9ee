/**
 * Errors of the ingest writer. Each has a stable `code`; the receiver maps them to HTTP:
 * `writer_overloaded` and `database_unavailable` → 503 with Retry-After (the exporter keeps the
 * data and retries), `invalid_span_data` → 400 (retrying the same bytes can never succeed).
 */
export class SpanWriteError extends Error {
  constructor(
    readonly code: "writer_overloaded" | "database_unavailable" | "invalid_span_data",
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The write queue is full: nothing of this call was queued. */
export class WriterOverloadedError extends SpanWriteError {
  constructor(message: string) {
    super("writer_overloaded", message, 1);
  }
}

/**
 * The transaction holding this call did not commit (database unreachable, restarted, timed out,
 * or an unexpected failure such as a commit hook throwing). Nothing of it was committed.
 */
export class DatabaseUnavailableError extends SpanWriteError {
  constructor(message: string, cause?: unknown) {
    super("database_unavailable", message, 5, { cause });
  }
}

/** This call's rows cannot be stored as they are (caught while encoding or rejected by PostgreSQL). */
export class InvalidSpanDataError extends SpanWriteError {
  constructor(message: string, cause?: unknown) {
    super("invalid_span_data", message, undefined, { cause });
  }
}

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled (statement_timeout)
  "53300", // too_many_connections
  "53100", // disk_full
  "58030", // io_error
]);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when the failure is about reaching or keeping the database, not about the data. */
export function isConnectionError(error: unknown): boolean {
  const code = sqlState(error);
  if (code && (CONNECTION_ERROR_CODES.has(code) || code.startsWith("08"))) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return (
    typeof message === "string" &&
    /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connect ECONNREFUSED|write after end/i.test(
      message,
    )
  );
}

/**
 * True when PostgreSQL rejected the data itself, so the same rows would fail again: SQLSTATE class
 * 22 (data exception), 23 (integrity violation, except a missing partition) or 54 (program limit,
 * e.g. JSON nested too deep).
 */
export function isDataError(error: unknown): boolean {
  if (error instanceof InvalidSpanDataError) return true;
  const code = sqlState(error);
  return code !== undefined && /^(22|23|54)/.test(code) && !isMissingPartition(error);
}

/** deadlock_detected and serialization_failure: retrying the same transaction is correct. */
export function isRetryableConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code === "40P01" || code === "40001";
}

/** `no partition of relation "spans" found for row` (SQLSTATE 23514): a day's partition is missing. */
export function isMissingPartition(error: unknown): boolean {
  return sqlState(error) === "23514" && /no partition of relation/i.test(String((error as Error).message));
}
