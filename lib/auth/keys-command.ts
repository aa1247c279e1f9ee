import { createApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from "@/lib/auth/api-keys";
import { findDefaultProject, getProjectBySlug, type Project } from "@/lib/projects/get-project";
import type { Queryable } from "@/lib/projects/queryable";

/**
 * `npm run keys -- <command>`: create, list and revoke ingest/API keys against the database
 * directly (scripts/keys.ts supplies the connection). Returns the process exit code.
 */
export const KEYS_USAGE = `Usage: npm run keys -- <command>
  create <name> [--project <slug>]   create a key (printed once) for the default or given project
  list [--project <slug>]            list a project's keys (never the keys themselves)
  revoke <key id>                    revoke a key (ingest stops accepting it within a second)`;

export interface KeysCommandIo {
  db: Queryable;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runKeysCommand(args: readonly string[], io: KeysCommandIo): Promise<number> {
  const { positional, projectSlug, problem } = parseArgs(args);
  if (problem) return usageError(io, problem);
  const [command, ...rest] = positional;
  switch (command) {
    case "create": {
      if (rest.length !== 1) return usageError(io, "create takes one name (quote it if it has spaces).");
      const project = await resolveProject(projectSlug, io);
      if (!project) return 1;
      const key = await createApiKey(project.id, rest[0]!, io.db);
      io.out(`Created key "${key.name}" (id ${key.id}) for project ${project.slug}.`);
      io.out("It is shown only now; store it as a secret:");
      io.out("");
      io.out(`  ${key.key}`);
      io.out("");
      io.out(`Send it as: OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${key.key}"`);
      return 0;
    }
    case "list": {
      if (rest.length !== 0) return usageError(io, "list takes no arguments besides --project.");
      const project = await resolveProject(projectSlug, io);
      if (!project) return 1;
      const keys = await listApiKeys(project.id, io.db);
      if (keys.length === 0) io.out(`Project ${project.slug} has no keys.`);
      else for (const line of formatKeyTable(keys)) io.out(line);
      return 0;
    }
    case "revoke": {
      if (rest.length !== 1 || projectSlug !== null) return usageError(io, "revoke takes one key id (from `list`).");
      const revoked = await revokeApiKey(rest[0]!, { db: io.db });
      if (!revoked) {
        io.err(`No active key with id ${rest[0]} (see \`npm run keys -- list\`).`);
        return 1;
      }
      io.out(`Revoked key "${revoked.name}" (${revoked.keyPrefix}…).`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      io.out(KEYS_USAGE);
      return command === undefined ? 2 : 0;
    default:
      return usageError(io, `Unknown command "${command}".`);
  }
}

function parseArgs(args: readonly string[]): { positional: string[]; projectSlug: string | null; problem: string | null } {
  const positional: string[] = [];
  let projectSlug: string | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--project") {
      const value = args[++index];
      if (!value) return { positional, projectSlug, problem: "--project needs a project slug." };
      projectSlug = value;
    } else if (arg.startsWith("--project=")) {
      projectSlug = arg.slice("--project=".length);
    } else {
      positional.push(arg);
    }
  }
  return { positional, projectSlug, problem: null };
}

async function resolveProject(slug: string | null, io: KeysCommandIo): Promise<Project | null> {
  const project = slug === null ? await findDefaultProject(io.db) : await getProjectBySlug(slug, io.db);
  if (!project) {
    io.err(slug === null ? "There is no default project yet: start Sous once (`npm start`) to create it." : `No project with slug "${slug}".`);
  }
  return project;
}

function usageError(io: KeysCommandIo, message: string): number {
  io.err(message);
  io.err(KEYS_USAGE);
  return 2;
}

export function formatKeyTable(keys: readonly ApiKeySummary[]): string[] {
  const header = ["ID", "NAME", "PREFIX", "CREATED", "LAST USED", "STATUS"];
  const rows = keys.map((key) => [
    key.id,
    key.name,
    `${key.keyPrefix}…`,
    formatTime(key.createdAt),
    key.lastUsedAt ? formatTime(key.lastUsedAt) : "never",
    key.revokedAt ? `revoked ${formatTime(key.revokedAt)}` : "active",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd(),
  );
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")}Z`;
}
