/**
 * CPU cost per span of each step of the app's ingest path, in one process, without HTTP or
 * PostgreSQL: what the official exporter spends serializing (the load generator's side), then what
 * Sous spends decoding, normalizing, pricing, encoding for the writer and aggregating rollup deltas.
 * Measured in CPU time of this thread (process.cpuUsage), so other processes on a busy machine
 * matter less than with wall time; each step runs in rounds and the median round is printed.
 *
 *   npx tsx bench/ingest-path-probe.ts [--rounds 5] [--batches 40]
 */
import { parseArgs } from "node:util";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { serialize } from "pg-protocol";
import { bindMessage } from "@/lib/ingest/binary-query";
import { encodeSpans, groupParameterParts, groupParameters } from "@/lib/ingest/encode-spans";
import type { SpanRow } from "@/lib/ingest/types";
import { collapseNestedCalls } from "@/lib/normalize/collapse-nested-calls";
import { normalizeSpan } from "@/lib/normalize/normalize-span";
import { decodeProtobufTraceRequest } from "@/lib/otlp/decode-protobuf";
import type { DecodedSpan } from "@/lib/otlp/types";
import { computeCacheSavings, computeCost } from "@/lib/pricing/compute-cost";
import { PriceBook } from "@/lib/pricing/price-book";
import { seedRecords } from "@/lib/pricing/test-fixtures";
import { LlmSpanFactory, SERVICES } from "./ingest/llm-span-factory";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, batches: { type: "string", default: "40" } },
});
const rounds = Number(args.rounds);
const batchCount = Number(args.batches);
const BATCH = 512;
const PROJECT = "0b5e7c1e-0000-4000-8000-000000000001";

let sequence = 0;
const factories = SERVICES.map((_, i) => new LlmSpanFactory(i, 0x5ca1ab1e, (n) => (sequence += n) - n));
const priceBook = PriceBook.fromRecords(seedRecords());

async function timeStep<T>(name: string, inputs: readonly T[], spansPerInput: number, step: (input: T) => unknown): Promise<void> {
  const perSpan: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    for (const input of inputs) await step(input);
    const used = process.cpuUsage(before);
    perSpan.push((used.user + used.system) / (inputs.length * spansPerInput));
  }
  perSpan.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${perSpan[Math.floor(perSpan.length / 2)]!.toFixed(2).padStart(7)} µs/span (CPU, median of ${rounds})`);
}

const batches = Array.from({ length: batchCount }, (_, i) => factories[i % factories.length]!.batch(BATCH, Date.now()).spans);
const bodies = batches.map((spans) => ProtobufTraceSerializer.serializeRequest(spans)!);
console.log(`${batchCount} batches of ${BATCH} LLM spans, ${Math.round(bodies[0]!.length / BATCH)} B/span of OTLP protobuf`);

await timeStep("exporter: make spans (bench factory)", factories, BATCH, (factory) => factory.batch(BATCH, Date.now()));
await timeStep("exporter: ProtobufTraceSerializer", batches, BATCH, (spans) => ProtobufTraceSerializer.serializeRequest(spans));
await timeStep("Sous: decode protobuf", bodies, BATCH, (body) => decodeProtobufTraceRequest(body));
const decoded: DecodedSpan[][] = bodies.map((body) => decodeProtobufTraceRequest(body).spans);
await timeStep("Sous: normalize", decoded, BATCH, (spans) => spans.map((span) => normalizeSpan(span)));
const normalized = (): SpanRow[][] => decoded.map((spans) => spans.map((span) => normalizeSpan(span) as SpanRow));
const rows = normalized();
await timeStep("Sous: collapse nested calls", rows, BATCH, (batch) => collapseNestedCalls(batch));
await timeStep("Sous: price (cost + cache savings)", rows, BATCH, (batch) => {
  for (const row of batch) {
    const cost = computeCost(PROJECT, row, priceBook);
    row.costNanoUsd = cost.costNanoUsd;
    row.costSource = cost.costSource;
    row.cacheSavingsNanoUsd = computeCacheSavings(PROJECT, row, priceBook);
  }
});
await timeStep("Sous: encode for the writer", rows, BATCH, (batch) => encodeSpans(PROJECT, batch));
const encoded = rows.map((batch) => encodeSpans(PROJECT, batch));
const groups = Array.from({ length: Math.floor(encoded.length / 8) }, (_, i) => encoded.slice(i * 8, i * 8 + 8));
await timeStep("Sous: Bind message, node-pg from whole arrays (old)", groups, BATCH * 8, (group) =>
  serialize.bind({ values: groupParameters(group), valueMapper: (value: unknown) => value }),
);
await timeStep("Sous: Bind message from the calls' parts (new)", groups, BATCH * 8, (group) => bindMessage(groupParameterParts(group)));
const sizes = rows.flat().map((row) => Buffer.byteLength(JSON.stringify(row.attributes)));
console.log(`stored attributes JSON: ${Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)} B/span on average`);
