import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

/**
 * `npm start` builds the web app when there is no build, or when the build was made from
 * other sources (after a `git pull` or a dependency change), so a new user never runs a stale UI.
 */
const STAMP_FILE = ".next/sous-build-stamp";

export function sourceStamp(root: string): string {
  const hash = createHash("sha256");
  for (const file of ["package-lock.json", "package.json"]) {
    const full = path.join(root, file);
    if (existsSync(full)) hash.update(readFileSync(full));
  }
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status === 0) hash.update(head.stdout.trim());
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "app", "components", "lib", "public"], { cwd: root, encoding: "utf8" });
  if (dirty.status === 0) hash.update(dirty.stdout);
  return hash.digest("hex");
}

export function isBuildCurrent(root: string): boolean {
  const stampFile = path.join(root, STAMP_FILE);
  if (!existsSync(path.join(root, ".next/BUILD_ID")) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, "utf8").trim() === sourceStamp(root);
}

export function buildWebApp(root: string): void {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status})`);
  writeFileSync(path.join(root, STAMP_FILE), `${sourceStamp(root)}\n`);
}
