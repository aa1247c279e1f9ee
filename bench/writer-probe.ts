/**
 * What one span costs PostgreSQL when the writer stores it: CPU time of the backend (read from
 * /proc, so other processes on a busy machine matter little), wall time and WAL bytes per span,
 * for the writer's real statement (lib/ingest/insert-spans.ts) against a durable embedded server
 * (lib/db/embedded.ts with isDurable: true, a scratch data directory deleted afterwards).
 *
 *   npx tsx bench/writer-probe.ts [--group 4096] [--seconds 10] [--variants a,b] [--explain]
 *
 * --seconds is per variant (they run interleaved).
 *
 * Rows come from the real path: the benchmark's LLM spans (bench/ingest/llm-span-factory.ts)
 * serialized by the official OTLP serializer, decoded, normalized and priced by lib/, with fresh
 * ids and times for every transaction. Variants (run in turns, so machine noise falls on each
 * alike) change the rows or the schema to show what a design choice costs; see VARIANTS below.
 * A transaction is BEGIN; the insert of `group` rows; COMMIT, one at a time, as the writer does
 * with one transaction in flight. The backend's CPU time is read from /proc in 10 ms ticks, so
 * compare medians over many transactions, not single ones.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { SPAN_COLUMNS, encodeSpans, groupParameters } from "@/lib/ingest/encode-spans";
import { INSERT_SPANS_SQL, extensionParameters, insertSpansSql } from "@/lib/ingest/insert-spans";
import { binaryArray } from "@/lib/ingest/pg-binary";
import type { InsertExtension } from "@/lib/ingest/writer";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { maintainPartitions } from "@/lib/ingest/partitions";
import type { SpanRow } from "@/lib/ingest/types";
import { normalizeSpan } from "@/lib/normalize/normalize-span";
import { decodeProtobufTraceRequest } from "@/lib/otlp/decode-protobuf";
import { computeCacheSavings, computeCost } from "@/lib/pricing/compute-cost";
import { PriceBook } from "@/lib/pricing/price-book";
import { seedRecords } from "@/lib/pricing/test-fixtures";
import { LlmSpanFactory, SERVICES, serviceResourceAttributes } from "./ingest/llm-span-factory";

const { values: args } = parseArgs({
  options: {
    group: { type: "string", default: "4096" },
    seconds: { type: "string", default: "10" },
    variants: { type: "string", default: "" },
    explain: { type: "boolean", default: false },
  },
});

interface Variant {
  description: string;
  /** Run once on a fresh schema (each variant gets its own database). */
  setupSql?: string[];
  rows?: (rows: SpanRow[]) => SpanRow[];
  /** Another statement and parameters (e.g. another column type). */
  sql?: string;
  parameters?: (values: Buffer[]) => Buffer[];
  /** An insert extension run by the statement, as the writer runs it (SpanWriter.extendInsert). */
  extension?: InsertExtension;
}

/** The span INSERT with an extension for a project, and the extension's own parameters (insert-spans.ts). */
interface ExtendedStatement {
  sql: string;
  parameters: Buffer[];
}

async function extendedStatement(extension: InsertExtension, projectId: string, pool: pg.Pool): Promise<ExtendedStatement> {
  const moved = extensionParameters(await extension.statementFor([projectId], pool));
  return {
    sql: insertSpansSql(moved),
    parameters: moved.parameters.map(({ elementOid, count, parts }) => binaryArray(elementOid, count, parts)),
  };
}

/** 100 of the load's customer values (llm-span-factory.ts), without their "cus_" prefix. */
const ADMITTED_CUSTOMERS = Array.from({ length: BUILT_IN_SETTINGS.allocationTagLimit }, (_, i) => (1000 + i * 50).toString(36));
const BUILT_IN_PROJECT_SETTINGS = async (): Promise<ProjectSettings> => ({ ...BUILT_IN_SETTINGS, customized: [] });

const ATTRIBUTES_PARAMETER = SPAN_COLUMNS.findIndex(([name]) => name === "attributes");

/** A binary jsonb[] parameter as json[]: the same JSON text without jsonb's version byte. */
function jsonbArrayAsJson(array: Buffer): Buffer {
  const count = array.readInt32BE(12);
  const parts: Buffer[] = [Buffer.from(array.subarray(0, 20))];
  parts[0]!.writeUInt32BE(114, 8);
  let offset = 20;
  for (let i = 0; i < count; i++) {
    const length = array.readInt32BE(offset);
    if (length < 0) {
      parts.push(array.subarray(offset, offset + 4));
      offset += 4;
      continue;
    }
    const header = Buffer.alloc(4);
    header.writeInt32BE(length - 1);
    parts.push(header, array.subarray(offset + 5, offset + 4 + length));
    offset += 4 + length;
  }
  return Buffer.concat(parts);
}

const RESOURCE_KEYS = new Set(Object.keys(serviceResourceAttributes(0)));
const withoutResource = (rows: SpanRow[]) =>
  rows.map((row) => ({ ...row, attributes: Object.fromEntries(Object.entries(row.attributes).filter(([key]) => !RESOURCE_KEYS.has(key))) }));

const VARIANTS: Record<string, Variant> = {
  current: { description: "the writer as it is" },
  "current-again": { description: "the same again, in another database (shows the noise and order effects)" },
  "no-resource": { description: "resource attributes not copied into each span's attributes", rows: withoutResource },
  "empty-attributes": { description: "attributes {} (lower bound: no jsonb to parse and store)", rows: (rows) => rows.map((row) => ({ ...row, attributes: {} })) },
  json: {
    description: "attributes as json (text, validated) instead of jsonb",
    setupSql: ["ALTER TABLE spans ALTER COLUMN attributes TYPE json"],
    sql: INSERT_SPANS_SQL.replace(`unnest($${ATTRIBUTES_PARAMETER + 1}::jsonb[])`, `unnest($${ATTRIBUTES_PARAMETER + 1}::json[])`),
    parameters: (values) => values.map((value, i) => (i === ATTRIBUTES_PARAMETER ? jsonbArrayAsJson(value) : value)),
  },
  "plain-insert": {
    description: "INSERT without ON CONFLICT and RETURNING (not idempotent: the cost of that machinery)",
    sql: `INSERT INTO spans (${SPAN_COLUMNS.map(([column]) => column).join(", ")}) SELECT ${SPAN_COLUMNS.map(([, type], i) => `unnest($${i + 1}::${type}[])`).join(", ")}`,
    parameters: (values) => values.slice(0, SPAN_COLUMNS.length),
  },
  "no-trace-index": { description: "without the (project_id, trace_id) index", setupSql: ["DROP INDEX spans_trace"] },
  "trace-hash": {
    description: "trace index as a hash index on trace_id",
    setupSql: ["DROP INDEX spans_trace", "CREATE INDEX spans_trace_hash ON spans USING hash (trace_id)"],
  },
  "trace-id-only": {
    description: "trace index as a btree on trace_id alone",
    setupSql: ["DROP INDEX spans_trace", "CREATE INDEX spans_trace_id ON spans (trace_id)"],
  },
  "no-llm-index": { description: "without the partial (project_id, start_time DESC) index", setupSql: ["DROP INDEX spans_llm_recent"] },
  "rollup-deltas": {
    description: "with the rollup deltas the app records (built-in settings: three allocation tags, all still admitting values)",
    extension: recordRollupDeltas(BUILT_IN_PROJECT_SETTINGS),
  },
  "rollup-deltas-closed": {
    description: "the same once the customer tag has admitted its 100 values (the others count as other)",
    setupSql: [
      `INSERT INTO rollup_dims (project_id, cube, tag_key, tag_value)
       SELECT (SELECT id FROM projects), 'tag', 'customer', 'cus_' || v FROM unnest('{${ADMITTED_CUSTOMERS.join(",")}}'::text[]) v`,
    ],
    extension: recordRollupDeltas(BUILT_IN_PROJECT_SETTINGS),
  },
};

const groupSize = Number(args.group);
const chosen = args.variants ? args.variants.split(",") : Object.keys(VARIANTS);
for (const name of chosen) if (!VARIANTS[name]) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(", ")}`);

const templates = buildTemplateRows();
let cursor = 0;
const server = await startEmbeddedDatabase({
  dataDir: path.join(tmpdir(), "sous-writer-probe", `data-${process.pid}`),
  isPersistent: false,
  isDurable: true,
});
const admin = new pg.Pool({ connectionString: server.url, max: 2 });
try {
  const pools = new Map<string, { pool: pg.Pool; projectId: string; extended: ExtendedStatement | null }>();
  for (const name of chosen) {
    const database = `probe_${name.replace(/\W/g, "_")}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = server.url.replace(/\/sous$/, `/${database}`);
    await applyMigrations(url);
    const pool = new pg.Pool({ connectionString: url, max: 2, options: "-c jit=off" });
    pool.on("error", () => {}); // idle clients at shutdown
    const { rows } = await pool.query("INSERT INTO projects (name, slug) VALUES ('probe', 'probe') RETURNING id");
    await maintainPartitions(pool);
    for (const statement of VARIANTS[name]!.setupSql ?? []) await pool.query(statement);
    const extension = VARIANTS[name]!.extension;
    pools.set(name, { pool, projectId: rows[0].id, extended: extension ? await extendedStatement(extension, rows[0].id, pool) : null });
  }
  const settings = await admin.query(
    "SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name",
    [["fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "wal_compression", "max_wal_size"]],
  );
  console.log(`server: ${settings.rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ""}`).join(" ")}`);
  console.log(`rows: ${Math.round(avg(templates.map((row) => JSON.stringify(row.attributes).length)))} B of attributes JSON per span; ${groupSize} rows per transaction`);

  // Variants take turns transaction by transaction, so bursts of load from other processes fall
  // on all of them alike; per variant the median transaction is reported.
  const samples = new Map(chosen.map((name) => [name, { cpu: [] as number[], wall: [] as number[], wal: [] as number[] }]));
  const clients = new Map<string, { client: pg.PoolClient; backendPid: number; projectId: string; extended: ExtendedStatement | null }>();
  for (const name of chosen) {
    const { pool, projectId, extended } = pools.get(name)!;
    const client = await pool.connect();
    clients.set(name, { client, projectId, extended, backendPid: (await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid });
  }
  const deadline = performance.now() + Number(args.seconds) * 1000 * chosen.length;
  while (performance.now() < deadline) {
    for (const name of chosen) {
      const { client, backendPid, projectId, extended } = clients.get(name)!;
      const variant = VARIANTS[name]!;
      const values = parametersOf(variant, projectId, extended);
      const walBefore = (await client.query("SELECT pg_current_wal_insert_lsn() AS lsn")).rows[0].lsn as string;
      const cpuBefore = backendCpuMicros(backendPid);
      const t0 = performance.now();
      await client.query("BEGIN; SET LOCAL enable_nestloop = off");
      const result = await client.query({ text: statementOf(variant, extended), values, rowMode: "array" });
      await client.query("COMMIT");
      const inserted = variant.sql ? result.rowCount : (result.rows[0]?.[0] as number[] | null)?.length;
      const wallMs = performance.now() - t0;
      const cpuMicros = backendCpuMicros(backendPid) - cpuBefore;
      const wal = (await client.query("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS bytes", [walBefore])).rows[0];
      if (inserted !== groupSize) throw new Error(`${name}: ${inserted} of ${groupSize} rows were new`);
      const sample = samples.get(name)!;
      sample.cpu.push(cpuMicros / groupSize);
      sample.wall.push((wallMs * 1000) / groupSize);
      sample.wal.push(Number(wal.bytes) / groupSize);
    }
  }
  for (const { client } of clients.values()) client.release();
  console.log(`${"variant".padEnd(18)} ${"CPU µs/span".padStart(12)} ${"wall µs/span".padStart(13)} ${"WAL B/span".padStart(11)}  (medians of ${samples.get(chosen[0]!)!.cpu.length} transactions)`);
  for (const [name, sample] of samples) {
    console.log(
      `${name.padEnd(18)} ${median(sample.cpu).toFixed(1).padStart(12)} ${median(sample.wall).toFixed(1).padStart(13)} ` +
        `${Math.round(median(sample.wal)).toString().padStart(11)}  ${VARIANTS[name]!.description}`,
    );
  }
  if (args.explain) {
    for (const name of chosen) {
      const { pool, projectId, extended } = pools.get(name)!;
      const client = await pool.connect();
      await client.query("BEGIN; SET LOCAL enable_nestloop = off");
      const variant = VARIANTS[name]!;
      const values = parametersOf(variant, projectId, extended);
      const { rows } = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS, WAL) ${statementOf(variant, extended)}`, values });
      await client.query("COMMIT");
      client.release();
      console.log(`\n-- ${name}\n${rows.map((row) => row["QUERY PLAN"]).join("\n")}`);
    }
  }
  for (const { pool } of pools.values()) await pool.end();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await admin.end();
  await server.stop();
}

/** A fresh group's parameters for a variant: the span arrays, then the extension's own. */
function parametersOf(variant: Variant, projectId: string, extended: ExtendedStatement | null): Buffer[] {
  const values = (variant.parameters ?? ((v) => v))(groupParameters([encodeSpans(projectId, (variant.rows ?? ((r) => r))(freshRows(groupSize)))]));
  return extended ? [...values, ...extended.parameters] : values;
}

function statementOf(variant: Variant, extended: ExtendedStatement | null): string {
  return extended?.sql ?? variant.sql ?? INSERT_SPANS_SQL;
}

/** Spans of every service through the receiver's decode → normalize → price steps. */
function buildTemplateRows(): SpanRow[] {
  const priceBook = PriceBook.fromRecords(seedRecords());
  let sequence = 0;
  const rows: SpanRow[] = [];
  SERVICES.forEach((_, serviceIndex) => {
    const factory = new LlmSpanFactory(serviceIndex, 0, (count) => (sequence += count) - count);
    const body = ProtobufTraceSerializer.serializeRequest(factory.batch(512, Date.now()).spans)!;
    for (const span of decodeProtobufTraceRequest(body).spans) {
      const row = normalizeSpan(span) as SpanRow;
      const cost = computeCost(null, row, priceBook);
      row.costNanoUsd = cost.costNanoUsd;
      row.costSource = cost.costSource;
      row.cacheSavingsNanoUsd = computeCacheSavings(null, row, priceBook);
      rows.push(row);
    }
  });
  return rows;
}

/** Template rows with fresh ids and start times around now (each transaction: new keys). */
function freshRows(count: number): SpanRow[] {
  const ids = randomBytes(count * 24).toString("hex");
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: count }, (_, i) => {
    const template = templates[cursor++ % templates.length]!;
    const duration = template.endTimeUnixNano - template.startTimeUnixNano;
    const start = nowNs - duration - BigInt(i * 1000);
    return {
      ...template,
      traceId: ids.slice(i * 48, i * 48 + 32),
      spanId: ids.slice(i * 48 + 32, i * 48 + 48),
      startTimeUnixNano: start,
      endTimeUnixNano: start + duration,
    };
  });
}

/** utime + stime of a process, in microseconds (USER_HZ = 100). */
function backendCpuMicros(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function avg(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
