import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort } from "@/lib/db/embedded";

/**
 * The real app for integration tests: `scripts/start.ts` (the `npm start` launcher) with its own
 * embedded PostgreSQL in a scratch data directory, a known ingest key, on a free port.
 * Needs a current build (`npm run build`), as `npm test` makes before the integration tier.
 */
export interface AppServer {
  baseUrl: string;
  apiKey: string;
  /** SOUS_DATA_DIR of this instance: the project's CLIs reach its database through it. */
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const root = process.cwd();
  const base = path.join(tmpdir(), "sous-test-app");
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const dataDir = path.join(base, `app-${process.pid}-${randomUUID().slice(0, 8)}`);
  const port = await findFreePort();
  const apiKey = `sous_${randomBytes(32).toString("base64url")}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: "",
      PORT: String(port),
      HOST: "127.0.0.1",
      SOUS_DATA_DIR: dataDir,
      SOUS_INIT_PROJECT_KEY: apiKey,
      SOUS_SKIP_BUILD_CHECK: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const ready = await Promise.race([
    waitFor(() => output.includes("[sous] ready:")).then(() => true),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the app did not start:\n${output}`);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the app");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
