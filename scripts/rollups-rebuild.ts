/**
 * `npm run rollups:rebuild -- [--from <ISO day or time>] [--to <…>] [--project <slug>]`: recomputes
 * a project's rollups from its raw spans over whole days (lib/rollups/rebuild-rollups.ts), after a
 * price, allocation-tag, TTFT-budget or time-zone change, or a bulk load. Defaults: the default
 * project, from its oldest stored span to now. Safe while Sous runs and ingests.
 * Talks to DATABASE_URL, or to the embedded PostgreSQL of a running `npm start` (same SOUS_DATA_DIR).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { resolveDatabaseUrl } from "@/lib/launcher/runtime-file";
import { findDefaultProject, getProjectBySlug } from "@/lib/projects/get-project";
import { rebuildRollups } from "@/lib/rollups/rebuild-rollups";
import { readProjectSettings } from "@/lib/settings/project-settings";

function parseTime(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new Error(`--${name} "${value}" is not an ISO-8601 day or time`);
  return ms;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, project: { type: "string" } } });
  const url = resolveDatabaseUrl();
  if (!url) {
    process.stderr.write("rollups:rebuild needs the database: run it while `npm start` runs (same SOUS_DATA_DIR), or set DATABASE_URL.\n");
    return 2;
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  try {
    const project = values.project ? await getProjectBySlug(values.project, pool) : await findDefaultProject(pool);
    if (!project) {
      process.stderr.write(values.project ? `No project with slug "${values.project}".\n` : "No default project yet: start Sous once.\n");
      return 1;
    }
    const settings = await readProjectSettings(project.id, pool);
    const { rows } = await pool.query<{ oldest: Date | null }>(
      "SELECT min(start_time) AS oldest FROM spans WHERE project_id = $1 AND is_llm",
      [project.id],
    );
    const toMs = parseTime("to", values.to) ?? Date.now();
    const fromMs = parseTime("from", values.from) ?? rows[0]?.oldest?.getTime() ?? toMs;
    if (fromMs >= toMs) {
      process.stdout.write("Nothing to rebuild (no spans in the range).\n");
      return 0;
    }
    const started = performance.now();
    process.stdout.write(`Rebuilding rollups of ${project.slug} (${settings.timeZone} days) from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}\n`);
    const result = await rebuildRollups(pool, project.id, settings, { fromMs, toMs }, (progress) => {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        `  day ${progress.daysDone}/${progress.days} (${new Date(progress.dayStartMs).toISOString().slice(0, 10)}): ` +
          `${progress.calls.toLocaleString("en-US")} calls, ${progress.tierRows.toLocaleString("en-US")} rollup rows, ${seconds.toFixed(0)} s\n`,
      );
    });
    process.stdout.write(`Done: ${result.calls.toLocaleString("en-US")} calls over ${result.days} days in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`rollups:rebuild failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
