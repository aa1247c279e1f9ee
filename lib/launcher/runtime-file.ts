import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * While `npm start` runs with the embedded PostgreSQL, it leaves the connection URL in
 * `<SOUS_DATA_DIR>/runtime.json` (mode 0600, removed at stop), so the project's own tools
 * (`npm run keys`, `npm run simulate`) can reach the same database without printing secrets.
 */
const FILE_NAME = "runtime.json";

export interface RuntimeInfo {
  databaseUrl: string;
  pid: number;
}

export function writeRuntimeFile(dataDir: string, info: RuntimeInfo): void {
  writeFileSync(path.join(dataDir, FILE_NAME), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export function removeRuntimeFile(dataDir: string): void {
  rmSync(path.join(dataDir, FILE_NAME), { force: true });
}

/** DATABASE_URL when set, else the running embedded server's URL, else null. */
export function resolveDatabaseUrl(env: Record<string, string | undefined> = process.env): string | null {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const file = path.join(path.resolve(env.SOUS_DATA_DIR || ".data"), FILE_NAME);
  if (!existsSync(file)) return null;
  const info = JSON.parse(readFileSync(file, "utf8")) as RuntimeInfo;
  return isAlive(info.pid) ? info.databaseUrl : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
