import { ZodError } from "zod";

/**
 * The one error type of the HTTP API: a code, a message meant for the caller, and one
 * code → status table. The JSON shape is always `{ error: { code, message } }`, and a 500
 * never carries internals.
 */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function errorResponse(error: unknown): Response {
  const apiError = toApiError(error);
  const headers: Record<string, string> = {};
  if (apiError.retryAfterSeconds !== undefined) headers["Retry-After"] = String(apiError.retryAfterSeconds);
  return Response.json({ error: { code: apiError.code, message: apiError.message } }, { status: apiError.status, headers });
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isCodedError(error)) return new ApiError(error.code, error.message);
  if (error instanceof ZodError) {
    const message = error.issues
      .map((issue) => `${issue.path.length ? issue.path.join(".") : "request"}: ${issue.message}`)
      .join("; ");
    return new ApiError("bad_request", message);
  }
  if (isDatabaseUnavailable(error)) {
    return new ApiError("unavailable", "The database is unavailable; retry shortly.", 5);
  }
  console.error("[sous] unexpected error:", error instanceof Error ? error.stack ?? error.message : error);
  return new ApiError("internal", "Internal error; see the server log.");
}

const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "08003"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && connectionErrorCodes.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/** Domain errors (lib/auth, lib/projects, lib/pricing) carry one of the API's codes. */
function isCodedError(error: unknown): error is Error & { code: ErrorCode } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && Object.hasOwn(errorStatus, code) && code !== "internal";
}
