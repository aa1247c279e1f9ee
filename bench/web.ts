/**
 * `npm run bench:web -- [--runs 5] [--port 3950] [--screens /,/latency,…] [--ranges 24h,7d,30d]`
 *
 * The dashboards in a real Chromium against a production build of the app over the analytics
 * benchmark's dataset (10M LLM calls over 30 days: run `npm run bench:query` first; its database in
 * .bench-data/query is reused here). For each screen and range, in a fresh browser context each run:
 * - LCP: the largest-contentful-paint entry (what the user sees first), from navigation start;
 * - data ready: navigation start until no panel is loading any more (no [aria-busy="true"]) and the
 *   page has loaded, i.e. every number and chart of the screen is on screen;
 * - first byte: navigation start until the HTML's first byte (the server's share);
 * and INP on the range picker: the slowest of several open-and-choose interactions, from the
 * Event Timing API (input delay + processing + next paint). Targets (issue 4): Overview LCP
 * ≤ 1.0 s, every screen's data ready ≤ 1.5 s, INP ≤ 200 ms.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import { findFreePort } from "@/lib/db/embedded";
import { buildWebApp, isBuildCurrent } from "@/lib/launcher/next-build";
import { startBenchDatabase } from "./query/bench-database";
import { quantile, summarize, type Summary } from "./web/stats";

const root = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    port: { type: "string" },
    screens: { type: "string", default: "/,/latency,/cache,/cost,/prompts,/traces" },
    ranges: { type: "string", default: "24h,7d,30d" },
    "inp-interactions": { type: "string", default: "10" },
  },
});
const runs = Number(args.runs);
const screens = args.screens!.split(",");
const ranges = args.ranges!.split(",");

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic",
];

/** Installed in every page before it loads: collects LCP and Event Timing entries. */
const OBSERVERS = `
  window.__lcp = null; window.__interactions = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
    .observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.interactionId) window.__interactions.push({ id: e.interactionId, duration: e.duration, name: e.name });
  }).observe({ type: "event", durationThreshold: 16, buffered: true });
`;

async function main(): Promise<void> {
  const db = await startBenchDatabase(path.join(root, ".bench-data/query/pg"));
  const { rows } = await db.pool.query<{ calls: string; oldest: Date | null }>(
    "SELECT count(*) AS calls, min(start_time) AS oldest FROM spans WHERE project_id = $1 AND is_llm",
    [db.projectId],
  );
  const calls = Number(rows[0]!.calls);
  log(`dataset: ${calls.toLocaleString("en-US")} LLM calls since ${rows[0]!.oldest?.toISOString() ?? "—"}`);
  if (calls < 1_000_000) log("warning: fewer than 1M calls: run `npm run bench:query` first for the 10M-call dataset");

  if (!isBuildCurrent(root)) {
    log("building the web app (production build)");
    buildWebApp(root);
  }
  const port = args.port ? Number(args.port) : await findFreePort();
  const app = await startApp(port, db.url);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    // One unmeasured visit per screen: Next compiles nothing at run time, but PostgreSQL's cache warms.
    for (const screen of screens) await visit(browser, `${baseUrl}${screen}`);
    const results: { screen: string; range: string; lcp: Summary; ready: Summary; ttfb: Summary }[] = [];
    for (const screen of screens) {
      for (const range of ranges) {
        const lcp: number[] = [];
        const ready: number[] = [];
        const ttfb: number[] = [];
        for (let run = 0; run < runs; run++) {
          const measured = await visit(browser, `${baseUrl}${screen}?range=${range}`);
          lcp.push(measured.lcpMs);
          ready.push(measured.readyMs);
          ttfb.push(measured.ttfbMs);
        }
        const row = { screen, range, lcp: summarize(lcp), ready: summarize(ready), ttfb: summarize(ttfb) };
        results.push(row);
        log(
          `${screen.padEnd(9)} ${range.padEnd(4)} LCP median ${row.lcp.median} ms (max ${row.lcp.max}); ` +
            `data ready median ${row.ready.median} ms (max ${row.ready.max}); first byte median ${row.ttfb.median} ms`,
        );
      }
    }
    const inp = await measureRangePickerInp(browser, baseUrl, Number(args["inp-interactions"]));
    log(`range picker INP ${inp.inp} ms (interactions: ${inp.durations.join(", ")} ms)`);

    const overviewLcp = Math.max(...results.filter((r) => r.screen === "/").map((r) => r.lcp.median));
    const slowestReady = results.reduce((worst, r) => (r.ready.median > worst.ready.median ? r : worst));
    log("");
    log(`Overview LCP (worst range, median of ${runs}): ${overviewLcp} ms — target ≤ 1000 ms: ${overviewLcp <= 1000 ? "met" : "MISSED"}`);
    log(`slowest data ready (median of ${runs}): ${slowestReady.screen} ${slowestReady.range} ${slowestReady.ready.median} ms — target ≤ 1500 ms: ${slowestReady.ready.median <= 1500 ? "met" : "MISSED"}`);
    log(`range picker INP: ${inp.inp} ms — target ≤ 200 ms: ${inp.inp <= 200 ? "met" : "MISSED"}`);
    log(`command: npm run bench:web -- --runs ${runs} --screens ${screens.join(",")} --ranges ${ranges.join(",")}`);
  } finally {
    await browser.close();
    await stopApp(app);
    await db.stop();
  }
}

async function visit(browser: Browser, url: string): Promise<{ lcpMs: number; readyMs: number; ttfbMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVERS);
    await page.goto(url, { waitUntil: "commit" });
    await waitForDataReady(page);
    const readyMs = await page.evaluate(() => performance.now());
    // LCP is final once the page is ready; give the observer a frame to deliver it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number | null }).__lcp ?? Number.NaN);
    // The server's share: the first byte of the HTML (the Overview's figures are in it).
    const ttfbMs = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseStart);
    return { lcpMs: Math.round(lcpMs), readyMs: Math.round(readyMs), ttfbMs: Math.round(ttfbMs) };
  } finally {
    await context.close();
  }
}

async function waitForDataReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.readyState === "complete" && document.querySelector("main") !== null && document.querySelector('[aria-busy="true"]') === null,
    undefined,
    { polling: "raf", timeout: 60_000 },
  );
}

async function measureRangePickerInp(browser: Browser, baseUrl: string, interactions: number) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVERS);
    await page.goto(`${baseUrl}/?range=24h`);
    await waitForDataReady(page);
    const presets = ["Last 7 days", "Last 24 hours", "Last 30 days", "Last 6 hours"];
    for (let i = 0; i < interactions; i++) {
      await page.getByTestId("range-picker").click();
      // Inside the picker: the button that opens it is labelled with the current range too.
      await page.getByRole("dialog", { name: "Time range" }).getByRole("button", { name: presets[i % presets.length]!, exact: true }).click();
      await waitForDataReady(page);
    }
    const entries = await page.evaluate(() => (window as unknown as { __interactions: { id: number; duration: number }[] }).__interactions);
    // An interaction's latency is its longest event; INP is the worst interaction (fewer than 50).
    const byInteraction = new Map<number, number>();
    for (const entry of entries) byInteraction.set(entry.id, Math.max(byInteraction.get(entry.id) ?? 0, entry.duration));
    const durations = [...byInteraction.values()].map(Math.round).sort((a, b) => a - b);
    return { inp: durations.length ? quantile(durations, 1) : 0, durations };
  } finally {
    await context.close();
  }
}

async function startApp(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      SOUS_ROOT: root,
      // The dataset reaches 30.5 days back: the app's hourly retention must not trim it for later runs.
      SOUS_RETENTION_DAYS: "3650",
      SOUS_ROLLUP_MINUTE_DAYS: "3650",
      SOUS_ROLLUP_HOUR_DAYS: "3650",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGTERM");
  throw new Error("the app did not become healthy");
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function log(line: string): void {
  process.stdout.write(`[bench:web] ${line}\n`);
}

await main();
