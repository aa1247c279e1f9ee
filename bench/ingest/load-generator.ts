/**
 * One load generator: a child process of bench/ingest.ts (its own event loop and heap, so the
 * benchmark's coordinator, the other generators and the app never share a thread). It owns one
 * official `@opentelemetry/exporter-trace-otlp-proto` exporter and keeps `inFlight` export() calls
 * running back to back (a closed loop), each with a fresh batch of LLM spans from one service.
 *
 * It reports every finished export() to the parent over IPC: when it started, how long the
 * exporter took to call back (the acknowledgement latency an instrumented service sees, including
 * serialization and any retries the exporter made), which sequence numbers the batch carried and
 * whether the exporter reported success. The parent decides what counts as the measured window.
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { LlmSpanFactory, SERVICES } from "./llm-span-factory";
import {
  SEQUENCE_BITS_PER_GENERATOR,
  type CoordinatorMessage,
  type ExportRecord,
  type LoadGeneratorConfig,
  type LoadGeneratorMessage,
} from "./load-protocol";

const REPORT_INTERVAL_MS = 500;

async function main(): Promise<void> {
  const config = JSON.parse(process.env.SOUS_BENCH_LOAD_CONFIG ?? "null") as LoadGeneratorConfig | null;
  if (!config || !process.send) throw new Error("load-generator.ts runs as a child of bench/ingest.ts");
  const send = (message: LoadGeneratorMessage) => process.send!(message);

  const exporter = new OTLPTraceExporter({
    url: config.url,
    headers: { Authorization: `Bearer ${config.apiKey}` },
    timeoutMillis: config.timeoutMs,
  });
  const base = config.index * 2 ** SEQUENCE_BITS_PER_GENERATOR;
  let counter = 0;
  const nextSequence = (count: number) => {
    counter += count;
    if (counter >= 2 ** SEQUENCE_BITS_PER_GENERATOR) throw new Error("sequence space of this generator exhausted");
    return base + counter - count;
  };
  // Each generator speaks for several services (6 services over 4 generators: some twice).
  const factories = Array.from(
    { length: SERVICES.length },
    (_, i) => new LlmSpanFactory((config.index + i) % SERVICES.length, config.runTag, nextSequence),
  );
  let pending: ExportRecord[] = [];
  let isStopping = false;
  let batchNumber = 0;

  const exportOnce = () =>
    new Promise<void>((resolve) => {
      const factory = factories[batchNumber++ % factories.length]!;
      const batch = factory.batch(config.batchSize, Date.now());
      const startedAt = performance.timeOrigin + performance.now();
      const t0 = performance.now();
      exporter.export(batch.spans, (result: ExportResult) => {
        const record: ExportRecord = {
          startedAt,
          latencyMs: performance.now() - t0,
          firstSequence: batch.firstSequence,
          spanCount: batch.spans.length,
          inputTokens: batch.inputTokens,
          isOk: result.code === ExportResultCode.SUCCESS,
        };
        if (!record.isOk) record.error = String(result.error?.message ?? result.error ?? "export failed").slice(0, 300);
        pending.push(record);
        resolve();
      });
    });

  const loop = async () => {
    while (!isStopping) await exportOnce();
  };

  await new Promise<void>((resolve) => {
    process.on("message", (message: CoordinatorMessage) => {
      if (message.type === "start") resolve();
      if (message.type === "stop") isStopping = true;
    });
    send({ type: "ready" });
  });

  const reporter = setInterval(() => {
    if (pending.length === 0) return;
    send({ type: "exports", records: pending });
    pending = [];
  }, REPORT_INTERVAL_MS);
  await Promise.all(Array.from({ length: config.inFlight }, loop));
  clearInterval(reporter);
  await exporter.shutdown();
  send({ type: "done", records: pending });
  process.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`[load ${process.env.SOUS_BENCH_LOAD_INDEX}] ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
