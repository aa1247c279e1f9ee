/**
 * `npm run keys -- create <name> [--project slug] | list [--project slug] | revoke <id>`:
 * manage ingest/API keys from a shell (lib/auth/keys-command). Talks to DATABASE_URL, or to the
 * embedded PostgreSQL of a running `npm start` (same SOUS_DATA_DIR).
 */
import pg from "pg";
import { runKeysCommand } from "@/lib/auth/keys-command";
import { resolveDatabaseUrl } from "@/lib/launcher/runtime-file";

const UNDEFINED_TABLE = "42P01";

async function main(): Promise<number> {
  const url = resolveDatabaseUrl();
  if (!url) {
    process.stderr.write(
      "npm run keys needs the database Sous uses: run it while `npm start` is running (embedded\n" +
        "PostgreSQL, same SOUS_DATA_DIR), or set DATABASE_URL, e.g.\n" +
        "  DATABASE_URL=postgresql://user:password@host:5432/sous npm run keys -- list\n",
    );
    return 2;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await runKeysCommand(process.argv.slice(2), {
      db: pool,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message =
      code === UNDEFINED_TABLE
        ? "This database has no Sous tables yet: start Sous once against it (npm start), or run npm run db:migrate."
        : `npm run keys failed: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

main().then((code) => process.exit(code));
