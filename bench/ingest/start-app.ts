import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { findFreePort } from "@/lib/db/embedded";
import { descendantsOf, listProcesses } from "./process-stats";

/**
 * Sous as `npm start` runs it in production: the launcher (scripts/start.ts) against the
 * benchmark's DATABASE_URL, which applies migrations, bootstraps, builds the web app if the build
 * is missing or stale, and runs `next start`. The Next.js server process (the one that receives
 * OTLP and runs the writer) is found in the launcher's process tree, for RSS and CPU.
 */
export interface RunningApp {
  baseUrl: string;
  launcherPid: number;
  /** The `next start` server process. */
  serverPid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export interface StartAppOptions {
  databaseUrl: string;
  apiKey: string;
  /** Extra environment (SOUS_WRITE_* tuning, NODE_OPTIONS for --cpu-prof). */
  env?: Record<string, string>;
  /** Another checkout of Sous to run (e.g. a git worktree of an older commit), for A/B runs. */
  appDir?: string;
  onOutput?: (line: string) => void;
}

const BUILD_BUSY = "Another next build process is already running";

/** Starts the app; when another `next build` holds the build lock (a shared checkout), waits and retries. */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAppOnce(options);
    } catch (error) {
      if (!(error as Error).message.includes(BUILD_BUSY) || attempt >= 20) throw error;
      process.stdout.write("[bench] another next build is running in this checkout; retrying in 30 s\n");
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
  }
}

async function startAppOnce(options: StartAppOptions): Promise<RunningApp> {
  const root = options.appDir ? path.resolve(options.appDir) : path.resolve(import.meta.dirname, "../..");
  const port = await findFreePort();
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      SOUS_INIT_PROJECT_KEY: options.apiKey,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    for (const line of text.split("\n")) if (line.trim() !== "") options.onOutput?.(line);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const isReady = await Promise.race([waitFor(() => output.includes("[sous] ready:")).then(() => true), exited.then(() => false)]);
  if (!isReady) throw new Error(`the app did not start:\n${output.slice(-4000)}`);
  const serverPid = findNextServer(child.pid!);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    launcherPid: child.pid!,
    serverPid,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
      // The launcher stops `next start` itself; should it not have, a stray server would keep the
      // benchmark's pipes (and so the benchmark) alive.
      try {
        process.kill(serverPid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

/** The launcher's descendant running `next start` (the deepest one, should Next fork a worker). */
function findNextServer(launcherPid: number): number {
  const processes = listProcesses();
  const candidates = descendantsOf(launcherPid, processes).filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      return comm.startsWith("next-server") || /next\/dist\/bin\/next start/.test(cmdline);
    } catch {
      return false;
    }
  });
  if (candidates.length === 0) throw new Error(`no Next.js server process under the launcher (pid ${launcherPid})`);
  return candidates[candidates.length - 1]!;
}

async function waitFor(condition: () => boolean, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the app to be ready");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
