import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { runAnalyticsQuery } from "@/lib/analytics/run-query";
import { runningEmbeddedDatabaseUrl } from "@/lib/db/embedded";
import { APP_SESSION_OPTIONS } from "@/lib/db/pool";
import { readProjectSettings } from "@/lib/settings/project-settings";
import { mulberry32 } from "../prng";
import { startBenchDatabase } from "./bench-database";
import { variants } from "./catalog";
import { readOrCreateMeta } from "./load-calls";
import { queryFor } from "./time-queries";

/**
 * Shows PostgreSQL's plan, with timings and buffers, of the statement runAnalyticsQuery sends for
 * each benchmark variant matching --only (one query each, drawn as bench:query draws them), over
 * the database bench:query loaded. For finding out why a variant is slow. While bench:query runs
 * (during its rebuild, say) it attaches to that server instead of starting one.
 *
 *   npx tsx bench/query/explain.ts --only 'cost.top-customers 30d$' [--runs 2] [--data-dir .bench-data/query]
 */
const { values: args } = parseArgs({
  options: {
    "data-dir": { type: "string", default: ".bench-data/query" },
    only: { type: "string" },
    runs: { type: "string", default: "2" },
  },
});
if (!args.only) throw new Error("--only <regex> names the variants to explain");
const only = new RegExp(args.only);
const db = (await attachToRunningServer(path.join(path.resolve(args["data-dir"]!), "pg"))) ?? (await startBenchDatabase(path.join(path.resolve(args["data-dir"]!), "pg")));
try {
  const settings = await readProjectSettings(db.projectId, db.pool);
  const meta = await readOrCreateMeta(db.pool, 10_000_000);
  const random = mulberry32(Date.now() % 1_000_000);
  let plans: string[][] = [];
  // Runs every statement as runAnalyticsQuery sends it, and explains the analytics ones (a query
  // keeping its largest groups sends two: the ranking, then the kept groups with the total); the
  // query goes on with their real rows.
  const explainingPool = {
    query: async (text: string, values: unknown[]) => {
      if (/\bx\.g1\b/.test(text)) {
        const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
        plans.push(rows.map((row) => row["QUERY PLAN"]));
      }
      return db.pool.query(text, values);
    },
  } as unknown as pg.Pool;
  for (const variant of variants().timed.filter((v) => only.test(v.name))) {
    for (let run = 1; run <= Number(args.runs); run++) {
      const query = queryFor(variant, db.projectId, meta.anchorMs, random);
      plans = [];
      await runAnalyticsQuery(query, { db: explainingPool, settings, now: meta.anchorMs });
      process.stdout.write(`\n### ${variant.name}, run ${run}: ${JSON.stringify(query.filters)} ${query.range.from.toISOString()} → ${query.range.to.toISOString()}\n`);
      for (const plan of plans) process.stdout.write(`${plan.join("\n")}\n`);
    }
  }
} finally {
  await db.stop();
}

/** The bench database as a running bench:query left it up, or null when none runs. */
async function attachToRunningServer(dataDir: string): Promise<{ pool: pg.Pool; projectId: string; stop: () => Promise<void> } | null> {
  const url = runningEmbeddedDatabaseUrl(dataDir);
  if (url === null) return null;
  const pool = new pg.Pool({ connectionString: url, max: 2, options: APP_SESSION_OPTIONS });
  try {
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM projects WHERE is_default");
    return { pool, projectId: rows[0]!.id, stop: () => pool.end() };
  } catch {
    await pool.end();
    return null;
  }
}
