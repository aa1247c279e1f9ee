/**
 * `npm run simulate -- --rate 5 --duration 60s`: sends realistic LLM traffic from several
 * simulated services to Sous through the official OTLP exporter. See lib/simulator/.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { parseCliArgs, simulateUsage } from "@/lib/simulator/parse-cli-args";
import { runSimulation, type SimulationProgress, type SimulationSummary } from "@/lib/simulator/run-simulation";

const keyRejectedMessage =
  "the key was rejected: pass --key or SOUS_API_KEY (printed by npm start on first run)";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${simulateUsage}`);
    return 2;
  }
  if (parsed.isHelp) {
    process.stdout.write(simulateUsage);
    return 0;
  }
  const { options } = parsed;
  options.seed ??= Math.floor(Math.random() * 2 ** 31);
  const live = options.durationMs ? `${options.ratePerSecond} calls/s for ${options.durationMs / 1000}s` : "no live traffic";
  const backfill = options.backfillMs ? `, after backfilling ${options.backfillMs / 3_600_000}h` : "";
  log(`sending to ${options.endpoint} (${options.protocol}): ${live}${backfill}, seed ${options.seed}`);
  if (!options.apiKey) {
    log("no key given (--key or SOUS_API_KEY): sending without Authorization");
  }

  // The exporter only logs partial success (spans Sous rejected, e.g. outside retention): count it.
  let partialSuccessWarnings = 0;
  diag.setLogger(
    {
      error: () => {},
      warn: (message, ...args) => {
        if (!message.includes("Partial Success")) return;
        partialSuccessWarnings += 1;
        if (partialSuccessWarnings <= 3) log(`Sous rejected some spans: ${args.join(" ")}`);
      },
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );

  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    log("stopping: flushing what was generated (Ctrl-C again to quit now)");
    controller.abort();
  });

  const summary = await runSimulation({
    ...options,
    signal: controller.signal,
    onProgress: (progress) => log(formatProgress(progress)),
  });
  printSummary(summary, options.endpoint ?? "", partialSuccessWarnings);

  if (summary.export.isKeyRejected) {
    log(keyRejectedMessage);
    return 1;
  }
  if (summary.export.lastError?.includes("ECONNREFUSED")) {
    log(`nothing is listening at ${options.endpoint}: start Sous with npm start, or pass --endpoint`);
  }
  if (summary.export.failedRequests > 0) return 1;
  return summary.wasInterrupted ? 130 : 0;
}

function formatProgress(progress: SimulationProgress): string {
  const where =
    progress.phase === "backfill" ? `backfill at ${new Date(progress.clockMs).toISOString()}` : progress.phase;
  const errors = progress.export.failedRequests;
  return [
    `${(progress.elapsedMs / 1000).toFixed(0).padStart(4)}s ${where}:`,
    `${progress.calls.toLocaleString("en")} calls,`,
    `${progress.export.spansExported.toLocaleString("en")}/${progress.spans.toLocaleString("en")} spans sent,`,
    `${errors} export error${errors === 1 ? "" : "s"}`,
    errors > 0 && progress.export.lastError ? `(last: ${progress.export.lastError})` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function printSummary(summary: SimulationSummary, endpoint: string, partialSuccessWarnings: number): void {
  const { export: stats } = summary;
  const lines = [
    "",
    `Summary (seed ${summary.seed}, to ${endpoint})`,
    `  window        ${new Date(summary.fromMs).toISOString()} → ${new Date(summary.toMs).toISOString()}`,
    `  calls         ${summary.calls.toLocaleString("en")} LLM calls in ${summary.traces.toLocaleString("en")} traces`,
    `  spans         ${stats.spansExported.toLocaleString("en")} sent, ${stats.spansFailed.toLocaleString("en")} failed`,
    `  exports       ${stats.exportRequests} requests, ${stats.failedRequests} failed`,
    "  traces by service",
    ...Object.entries(summary.tracesByService)
      .sort(([, a], [, b]) => b - a)
      .map(([service, traces]) => `    ${service.padEnd(20)} ${traces.toLocaleString("en").padStart(9)}`),
  ];
  if (summary.inFlightDropped > 0) {
    const calls = summary.inFlightDropped === 1 ? "1 call" : `${summary.inFlightDropped} calls`;
    lines.push(`  in flight     ${calls} still running at the stop (not sent)`);
  }
  if (partialSuccessWarnings > 0) {
    lines.push(`  rejected      Sous reported partial success on ${partialSuccessWarnings} export(s)`);
  }
  if (stats.lastError) lines.push(`  last error    ${stats.lastError}`);
  for (const warning of summary.warnings) lines.push(`  note          ${warning}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

function log(message: string): void {
  process.stdout.write(`[simulate] ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[simulate] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
