import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { formatCount, quantiles } from "./format";
import type { CoordinatorMessage, ExportRecord, LoadGeneratorConfig, LoadGeneratorMessage } from "./load-protocol";

/**
 * Runs the load generators (one child process each) for warm-up + duration, prints a progress
 * line every few seconds, and returns every export() they made. The clock starts once every
 * generator has built its spans and is waiting, so start-up is not part of the window.
 */
export interface LoadOptions {
  url: string;
  apiKey: string;
  generators: number;
  inFlight: number;
  batchSize: number;
  runTag: number;
  timeoutMs: number;
  warmupMs: number;
  durationMs: number;
  /** Called once the generators run (their pids), at the start and at the end of the measured window. */
  onStarted: (pids: number[]) => void;
  onWindowStart: () => void | Promise<void>;
  onWindowEnd: () => void | Promise<void>;
  progress: () => string;
}

export interface LoadResult {
  exports: ExportRecord[];
  /** Epoch ms of the measured window. */
  windowStart: number;
  windowEnd: number;
  /** Epoch ms when the first export started and when the last one finished. */
  firstStart: number;
  lastEnd: number;
}

const PROGRESS_EVERY_MS = 10_000;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const script = path.join(import.meta.dirname, "load-generator.ts");
  const exports: ExportRecord[] = [];
  const children: ChildProcess[] = [];
  const done: Promise<void>[] = [];
  const ready: Promise<void>[] = [];
  for (let index = 0; index < options.generators; index++) {
    const config: LoadGeneratorConfig = {
      index,
      url: options.url,
      apiKey: options.apiKey,
      batchSize: options.batchSize,
      inFlight: options.inFlight,
      runTag: options.runTag,
      timeoutMs: options.timeoutMs,
    };
    const child = fork(script, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, SOUS_BENCH_LOAD_CONFIG: JSON.stringify(config), SOUS_BENCH_LOAD_INDEX: String(index) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(child);
    ready.push(new Promise((resolve) => child.on("message", (m: LoadGeneratorMessage) => m.type === "ready" && resolve())));
    done.push(
      new Promise((resolve, reject) => {
        child.on("message", (message: LoadGeneratorMessage) => {
          if (message.type === "exports" || message.type === "done") exports.push(...message.records);
          if (message.type === "done") resolve();
        });
        child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`load generator ${index} exited with code ${code}`))));
      }),
    );
  }
  const stopAll = () => {
    for (const child of children) if (child.connected) child.send({ type: "stop" } satisfies CoordinatorMessage);
  };
  process.once("SIGINT", stopAll);
  try {
    await Promise.all(ready);
    options.onStarted(children.map((child) => child.pid!));
    const firstStart = Date.now();
    for (const child of children) child.send({ type: "start" } satisfies CoordinatorMessage);
    const windowStart = firstStart + options.warmupMs;
    const windowEnd = windowStart + options.durationMs;
    let lastProgress = firstStart;
    let lastCount = 0;
    let windowStarted = false;
    while (Date.now() < windowEnd) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(10, windowEnd - Date.now()))));
      if (!windowStarted && Date.now() >= windowStart) {
        windowStarted = true;
        await options.onWindowStart();
      }
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        const recent = exports.slice(lastCount);
        const spans = recent.reduce((sum, r) => sum + (r.isOk ? r.spanCount : 0), 0);
        const failed = recent.filter((r) => !r.isOk).length;
        const [p50, p99] = quantiles(recent.map((r) => r.latencyMs), [0.5, 0.99]);
        const phase = Date.now() < windowStart ? "warm-up" : "measuring";
        process.stdout.write(
          `[load] ${phase} ${Math.round((Date.now() - firstStart) / 1000)}s: ${formatCount((spans * 1000) / (Date.now() - lastProgress))} spans/s, ` +
            `ack p50 ${Math.round(p50 ?? 0)} ms p99 ${Math.round(p99 ?? 0)} ms${failed > 0 ? `, ${failed} failed exports` : ""}; ${options.progress()}\n`,
        );
        lastProgress = Date.now();
        lastCount = exports.length;
      }
    }
    await options.onWindowEnd();
    stopAll();
    await Promise.all(done);
    const lastEnd = Math.max(...exports.map((r) => r.startedAt + r.latencyMs));
    return { exports, windowStart, windowEnd, firstStart, lastEnd };
  } finally {
    process.removeListener("SIGINT", stopAll);
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  }
}
