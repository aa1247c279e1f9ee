import "server-only";
import { authenticateApiKey } from "@/lib/auth/authenticate-api-key";
import { isDatabaseUnavailable } from "@/lib/api/errors";
import { formatFromContentType, type OtlpFormat } from "@/lib/otlp/content-type";
import { decodeJsonTraceRequest } from "@/lib/otlp/decode-json";
import { decodeProtobufTraceRequest } from "@/lib/otlp/decode-protobuf";
import { encodeStatus, encodeTraceResponse, summarizeRejections } from "@/lib/otlp/encode-response";
import { OtlpDecodeError, OtlpHttpError } from "@/lib/otlp/errors";
import { readBody } from "@/lib/otlp/read-body";
import type { RejectedSpan } from "@/lib/otlp/types";
import { recordRejections } from "@/lib/ingest/record-stats";
import { getSpanWriter, WriterOverloadedError, DatabaseUnavailableError } from "@/lib/ingest/writer";
import { toSpanRows } from "@/lib/receiver/to-span-rows";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { getProjectSettings } from "@/lib/settings/project-settings";

/**
 * POST /api/otlp/v1/traces: bytes → gunzip (capped) → decode → normalize → price → group-commit
 * writer. Acknowledged only after the spans are committed. A malformed span is rejected alone
 * (partialSuccess); statuses follow the OTLP/HTTP spec so exporters retry exactly what they should:
 * 400 bad data, 401 key, 413 size, 415 type, 503 + Retry-After when Sous cannot take it now.
 */
const HOUR_NS = 3_600_000_000_000n;
const DAY_NS = 24n * HOUR_NS;

export async function receiveTraces(request: Request): Promise<Response> {
  const format = formatFromContentType(request.headers.get("content-type"));
  if (!format) {
    return statusResponse("json", 415, "Content-Type must be application/x-protobuf or application/json (OTLP/HTTP).");
  }
  try {
    const caller = await authenticateApiKey(request.headers.get("authorization"));
    if (!caller) {
      return statusResponse(format, 401, "Missing or invalid API key: send `Authorization: Bearer <key>` (OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <key>\").");
    }
    const body = await readBody(request.body, { contentEncoding: request.headers.get("content-encoding") });
    // The price book loads once per process (then refreshes in the background): wait for the
    // first load so early spans are not priced "unknown".
    const [settings] = await Promise.all([getProjectSettings(caller.projectId), loadPriceBook()]);
    const now = BigInt(Date.now()) * 1_000_000n;
    const window = {
      minStartTimeUnixNano: now - BigInt(settings.retentionDays) * DAY_NS,
      maxStartTimeUnixNano: now + HOUR_NS,
    };
    const decoded = format === "protobuf" ? decodeProtobufTraceRequest(body, window) : decodeJsonTraceRequest(body, window);
    const { rows, rejected: unnormalized } = toSpanRows(caller.projectId, decoded.spans, settings);
    const rejected: RejectedSpan[] = [...decoded.rejected, ...unnormalized];
    if (rows.length > 0) await getSpanWriter().write(caller.projectId, rows);
    if (rejected.length > 0) {
      await recordRejections(caller.projectId, rejected).catch(() => {});
    }
    return traceResponse(format, rejected);
  } catch (error) {
    return failureResponse(format, error);
  }
}

function traceResponse(format: OtlpFormat, rejected: RejectedSpan[]): Response {
  const partial = rejected.length > 0 ? { rejectedSpans: rejected.length, errorMessage: summarizeRejections(rejected) } : null;
  return new Response(encodeTraceResponse(format, partial), { status: 200, headers: { "Content-Type": contentType(format) } });
}

function failureResponse(format: OtlpFormat, error: unknown): Response {
  if (error instanceof OtlpHttpError) return statusResponse(format, error.status, error.message);
  if (error instanceof OtlpDecodeError) return statusResponse(format, 400, error.message);
  if (error instanceof WriterOverloadedError) {
    return statusResponse(format, 503, "Sous is writing as fast as it can; retry after the delay.", 1);
  }
  if (error instanceof DatabaseUnavailableError || isDatabaseUnavailable(error)) {
    return statusResponse(format, 503, "The database is unavailable; retry after the delay.", 5);
  }
  console.error("[sous] OTLP receiver error:", error instanceof Error ? error.stack ?? error.message : error);
  // Unknown failures may be transient (the data was never judged bad): ask for a retry.
  return statusResponse(format, 503, "Sous could not store this request; retry after the delay.", 5);
}

function statusResponse(format: OtlpFormat, status: number, message: string, retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = { "Content-Type": contentType(format) };
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
  return new Response(encodeStatus(format, status, message), { status, headers });
}

function contentType(format: OtlpFormat): string {
  return format === "protobuf" ? "application/x-protobuf" : "application/json";
}
