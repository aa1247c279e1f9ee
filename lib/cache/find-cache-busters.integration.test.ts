import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findCacheBusters, firstDifference } from "@/lib/cache/find-cache-busters";
import { resolveDatabaseUrl } from "@/lib/launcher/runtime-file";
import { findDefaultProject } from "@/lib/projects/get-project";
import { readPriceBook } from "@/lib/pricing/price-book";
import { runSimulation } from "@/lib/simulator/run-simulation";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";

/**
 * The simulator's traffic through the real OTLP path: its cache-busting prompt (email-drafter's
 * draft-email v2, the time at the front of the system prompt) is flagged, and nothing else: not
 * faq-bot (every user message differs, one prefix) nor onboarding-tips (an A/B test, two prefixes).
 */
let app: AppServer;
let pool: pg.Pool;
let window: { from: Date; to: Date };
beforeAll(async () => {
  app = await startAppServer();
  const summary = await runSimulation({
    endpoint: `${app.baseUrl}/api/otlp`,
    apiKey: app.apiKey,
    seed: 1234,
    backfillMs: 45 * 60_000,
    backfillRatePerSecond: 4,
    durationMs: 0,
    progressIntervalMs: 60_000,
  });
  expect(summary.export.spansFailed).toBe(0);
  window = { from: new Date(summary.fromMs - 60_000), to: new Date(summary.toMs + 60_000) };
  pool = new pg.Pool({ connectionString: resolveDatabaseUrl({ SOUS_DATA_DIR: app.dataDir })!, max: 2 });
  pool.on("error", () => {});
}, 240_000);
afterAll(async () => {
  await pool?.end();
  await app?.stop();
});

it("flags the simulator's cache buster and no other prompt", async () => {
  const project = await findDefaultProject(pool);
  const report = await findCacheBusters(pool, project!.id, window, { attributes: {} }, await readPriceBook(pool));
  expect(report.promptsExamined).toBeGreaterThanOrEqual(4);
  expect(report.busters.map((buster) => [buster.service, buster.promptName, buster.promptVersion])).toEqual([
    ["email-drafter", "draft-email", "v2"],
  ]);
  const [buster] = report.busters;
  expect(buster!.distinctPrefixes).toBeGreaterThanOrEqual(buster!.calls * 0.9);
  expect(buster!.missedSavingsUsd).toBeGreaterThan(0);
  expect(buster!.example).not.toBeNull();
  // The two system prompts differ where the time is rendered.
  expect(buster!.example!.before).not.toBe(buster!.example!.after);
  expect(buster!.example!.before).toMatch(/\d{2}:\d{2}/);
});

it("describes where two prompts first differ", () => {
  expect(firstDifference("abc", "abc")).toBeNull();
  expect(firstDifference("You are X. Now: 10:01", "You are X. Now: 10:02", 5)).toEqual({ offset: 20, before: "… 10:01", after: "… 10:02" });
});
