import { microsToUtcDay, unixNanoToMicros } from "@/lib/ingest/convert";
import { InvalidSpanDataError } from "@/lib/ingest/errors";
import { BinaryValues, PgOid, binaryArray, type BinaryArrayParameter } from "@/lib/ingest/pg-binary";
import type { SpanRow } from "@/lib/ingest/types";

/**
 * One write() call's rows encoded column by column in PostgreSQL's binary format, ready to be
 * concatenated with other calls into the array parameters of the insert statement
 * (insert-spans.ts). Encoding happens when the call is queued, so a bad row fails its own call
 * only, and the CPU work overlaps with the database's work on the previous transaction.
 */

/** The spans columns the writer fills, in parameter order, with their element types. */
export const SPAN_COLUMNS = [
  ["project_id", "uuid"],
  ["start_time", "timestamptz"],
  ["trace_id", "bytea"],
  ["span_id", "bytea"],
  ["parent_span_id", "bytea"],
  ["end_time", "timestamptz"],
  ["duration_ms", "float8"],
  ["service_name", "text"],
  ["environment", "text"],
  ["name", "text"],
  ["kind", "int2"],
  ["scope_name", "text"],
  ["status", "text"],
  ["error_type", "text"],
  ["is_llm", "bool"],
  ["operation", "text"],
  ["provider", "text"],
  ["request_model", "text"],
  ["response_model", "text"],
  ["finish_reason", "text"],
  ["streaming", "bool"],
  ["ttft_ms", "float8"],
  ["input_tokens", "int8"],
  ["output_tokens", "int8"],
  ["cache_read_tokens", "int8"],
  ["cache_write_tokens", "int8"],
  ["reasoning_tokens", "int8"],
  ["cost_nano_usd", "int8"],
  ["cost_source", "text"],
  ["cache_savings_nano_usd", "int8"],
  ["prompt_name", "text"],
  ["prompt_version", "text"],
  ["prompt_prefix_hash", "text"],
  ["user_id", "text"],
  ["session_id", "text"],
  ["workload", "text"],
  ["attributes", "jsonb"],
  ["events", "jsonb"],
] as const satisfies readonly (readonly [string, keyof typeof PgOid])[];

/** span_contents values; the span they belong to is given by its position in the group. */
export const CONTENT_COLUMNS = [
  ["system_prompt", "text"],
  ["input_messages", "jsonb"],
  ["output_messages", "jsonb"],
  ["is_truncated", "bool"],
] as const satisfies readonly (readonly [string, keyof typeof PgOid])[];

export interface EncodedSpans {
  rowCount: number;
  /** One buffer of binary values per SPAN_COLUMNS entry. */
  columns: Buffer[];
  /** Positions (0-based, within this call) of the rows that carry captured content. */
  contentRowIndexes: number[];
  /** One buffer per CONTENT_COLUMNS entry, one value per contentRowIndexes entry. */
  contentColumns: Buffer[];
  /** Distinct UTC days (days since 1970-01-01) of the rows' start times. */
  days: number[];
  byteLength: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function uuidBytes(uuid: string): Buffer {
  if (!UUID_PATTERN.test(uuid)) throw new InvalidSpanDataError(`project id "${uuid.slice(0, 40)}" is not a UUID`);
  return Buffer.from(uuid.replaceAll("-", ""), "hex");
}

/** Encodes one call's rows; throws InvalidSpanDataError naming the first row that cannot be stored. */
export function encodeSpans(projectId: string, rows: readonly SpanRow[]): EncodedSpans {
  const project = uuidBytes(projectId);
  const n = rows.length;
  const fixed = (width: number) => new BinaryValues(n * (4 + width) + 4);
  const text = () => new BinaryValues(n * 24 + 64);
  const [
    projectIds, startTimes, traceIds, spanIds, parentSpanIds, endTimes, durations, services, environments,
    names, kinds, scopeNames, statuses, errorTypes, isLlms, operations, providers, requestModels,
    responseModels, finishReasons, streamings, ttfts, inputTokens, outputTokens, cacheReadTokens,
    cacheWriteTokens, reasoningTokens, costs, costSources, savings, promptNames, promptVersions, prefixHashes,
    userIds, sessionIds, workloads, attributes, events,
  ] = [
    fixed(16), fixed(8), fixed(16), fixed(8), fixed(8), fixed(8), fixed(8), text(), text(),
    text(), fixed(2), text(), fixed(5), text(), fixed(1), text(), text(), text(),
    text(), text(), fixed(1), fixed(8), fixed(8), fixed(8), fixed(8),
    fixed(8), fixed(8), fixed(8), text(), fixed(8), text(), text(), new BinaryValues(n * 68 + 64),
    text(), text(), text(), new BinaryValues(n * 1024 + 64), fixed(0),
  ];
  const contentRowIndexes: number[] = [];
  const systemPrompts = new BinaryValues(64);
  const inputMessages = new BinaryValues(64);
  const outputMessages = new BinaryValues(64);
  const isTruncated = new BinaryValues(64);
  const days: number[] = [];
  let lastDay = Number.NaN;

  for (let i = 0; i < n; i++) {
    const row = rows[i];
    try {
      checkRequired(row);
      const start = checkTime(unixNanoToMicros(row.startTimeUnixNano), "start");
      const day = microsToUtcDay(Number(start));
      if (day !== lastDay) {
        if (!days.includes(day)) days.push(day);
        lastDay = day;
      }
      projectIds.raw(project);
      startTimes.timestamptzMicros(start);
      traceIds.hex(row.traceId);
      spanIds.hex(row.spanId);
      parentSpanIds.hex(row.parentSpanId || null);
      endTimes.timestamptzMicros(checkTime(unixNanoToMicros(row.endTimeUnixNano), "end"));
      durations.float8(row.durationMs);
      services.text(row.serviceName);
      environments.text(row.environment);
      names.text(row.name);
      kinds.int2(row.kind);
      scopeNames.text(row.scopeName);
      statuses.text(row.status);
      errorTypes.text(row.errorType);
      isLlms.bool(row.isLlm);
      operations.text(row.operation);
      providers.text(row.provider);
      requestModels.text(row.requestModel);
      responseModels.text(row.responseModel);
      finishReasons.text(row.finishReason);
      streamings.bool(row.streaming);
      ttfts.float8(row.ttftMs);
      inputTokens.int8(row.inputTokens);
      outputTokens.int8(row.outputTokens);
      cacheReadTokens.int8(row.cacheReadTokens);
      cacheWriteTokens.int8(row.cacheWriteTokens);
      reasoningTokens.int8(row.reasoningTokens);
      costs.bigint8(row.costNanoUsd);
      costSources.text(row.costSource);
      savings.bigint8(row.cacheSavingsNanoUsd ?? null);
      promptNames.text(row.promptName);
      promptVersions.text(row.promptVersion);
      prefixHashes.text(row.promptPrefixHash);
      userIds.text(row.userId);
      sessionIds.text(row.sessionId);
      workloads.text(row.workload);
      attributes.jsonb(row.attributes ?? {});
      events.jsonb(row.events && row.events.length > 0 ? row.events : null);
      const content = row.content;
      if (content) {
        contentRowIndexes.push(i);
        systemPrompts.text(content.systemPrompt);
        inputMessages.jsonb(content.inputMessages);
        outputMessages.jsonb(content.outputMessages);
        isTruncated.bool(Boolean(content.isTruncated));
      }
    } catch (error) {
      if (error instanceof InvalidSpanDataError) throw error;
      throw new InvalidSpanDataError(
        `span ${String(row?.spanId).slice(0, 40)} (row ${i}) cannot be stored: ${(error as Error).message}`,
        error,
      );
    }
  }

  const columns = [
    projectIds, startTimes, traceIds, spanIds, parentSpanIds, endTimes, durations, services, environments,
    names, kinds, scopeNames, statuses, errorTypes, isLlms, operations, providers, requestModels,
    responseModels, finishReasons, streamings, ttfts, inputTokens, outputTokens, cacheReadTokens,
    cacheWriteTokens, reasoningTokens, costs, costSources, savings, promptNames, promptVersions, prefixHashes,
    userIds, sessionIds, workloads, attributes, events,
  ].map((values) => values.bytes());
  const contentColumns = [systemPrompts, inputMessages, outputMessages, isTruncated].map((values) => values.bytes());
  let byteLength = 0;
  for (const column of columns) byteLength += column.length;
  for (const column of contentColumns) byteLength += column.length;
  return { rowCount: n, columns, contentRowIndexes, contentColumns, days, byteLength };
}

/** 10000-01-01T00:00:00Z in microseconds since the Unix epoch. */
const YEAR_10000_MICROS = 253_402_300_800_000_000n;

/** Times before 1970 or after year 9999 have no partition name and mean a broken clock or encoder. */
function checkTime(micros: bigint, which: string): bigint {
  if (micros < 0n || micros >= YEAR_10000_MICROS) throw new TypeError(`${which} time ${micros} µs is outside 1970–9999`);
  return micros;
}

function checkRequired(row: SpanRow): void {
  if (typeof row.startTimeUnixNano !== "bigint" || typeof row.endTimeUnixNano !== "bigint") {
    throw new TypeError("start and end times must be bigint nanoseconds");
  }
  if (typeof row.serviceName !== "string" || typeof row.name !== "string" || typeof row.status !== "string") {
    throw new TypeError("serviceName, name and status are required");
  }
  if (typeof row.durationMs !== "number" || typeof row.kind !== "number" || typeof row.isLlm !== "boolean") {
    throw new TypeError("durationMs, kind and isLlm are required");
  }
}

/**
 * The statement parameters for a group of encoded calls, in queue order (see insert-spans.ts):
 * each column's array made of the calls' encoded parts, not copied.
 */
export function groupParameterParts(group: readonly EncodedSpans[]): BinaryArrayParameter[] {
  let rowCount = 0;
  let contentCount = 0;
  for (const encoded of group) {
    rowCount += encoded.rowCount;
    contentCount += encoded.contentRowIndexes.length;
  }
  const parameters: BinaryArrayParameter[] = SPAN_COLUMNS.map(([, type], column) => ({
    elementOid: PgOid[type],
    count: rowCount,
    parts: group.map((encoded) => encoded.columns[column]),
  }));
  // Content rows point at their span by 1-based position in the whole group (the ordinality).
  const positions = new BinaryValues(contentCount * 8 + 4);
  let base = 0;
  for (const encoded of group) {
    for (const index of encoded.contentRowIndexes) positions.int4(base + index + 1);
    base += encoded.rowCount;
  }
  parameters.push({ elementOid: PgOid.int4, count: contentCount, parts: [positions.bytes()] });
  CONTENT_COLUMNS.forEach(([, type], column) => {
    parameters.push({ elementOid: PgOid[type], count: contentCount, parts: group.map((encoded) => encoded.contentColumns[column]) });
  });
  return parameters;
}

/** The same parameters as one buffer each (copies): for ordinary node-pg queries and probes. */
export function groupParameters(group: readonly EncodedSpans[]): Buffer[] {
  return groupParameterParts(group).map(({ elementOid, count, parts }) => binaryArray(elementOid, count, parts));
}
