import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { formatChange, formatCount, formatPercent, formatUsd } from "../lib/format/numbers";
import { cacheHitRate, exactPercentile, expectPercentileNear, seededRandom, sendCalls, sumUsd, toNano, openScreen, waitForRollups, type SeedCall } from "./llm-call-seed";

/**
 * The Overview against the real app: calls seeded through the OTLP receiver under a unique service
 * (tests share one database), then every key figure on screen checked against numbers computed
 * here from the seed. The project's time zone is UTC and its TTFT budget 300 ms (the defaults).
 */
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
// Several screens and seeds per test on a shared 2-core machine: a minute each, never a retry.
test.describe.configure({ timeout: 60_000 });
const MINUTE = 60_000;
const BUDGET_MS = 300;

/** 40 calls in the last hour and 25 in the hour before, with TTFTs around the budget, cache use, costs and a few errors. */
function seedCalls(service: string, now: number): { current: SeedCall[]; previous: SeedCall[] } {
  const random = seededRandom(now % 100_000);
  const call = (minutesAgo: number, index: number, isError: boolean): SeedCall => {
    const hasTtft = index % 8 !== 7; // every 8th call is not streamed: no TTFT
    const inputTokens = 500 + Math.round(random() * 5500);
    return {
      service,
      model: index % 3 === 0 ? "gpt-4.1" : "gpt-4o-mini",
      startMs: now - minutesAgo * MINUTE,
      durationMs: 800 + Math.round(random() * 3200),
      ttftMs: hasTtft ? 120 + Math.round(random() * 780) : undefined,
      isStreamed: hasTtft,
      inputTokens,
      outputTokens: 50 + Math.round(random() * 400),
      // Every 5th call does not report cache use (left out of the hit rate, not counted as 0 %).
      cacheReadTokens: index % 5 === 4 ? undefined : Math.round(random() * 0.8 * inputTokens),
      costUsd: Math.round((0.0001 + random() * 0.01) * 1e6) / 1e6,
      isError,
    };
  };
  return {
    // 3–53 minutes ago: inside "Last hour" with a margin at both ends.
    current: Array.from({ length: 40 }, (_, index) => call(3 + random() * 50, index, index % 13 === 5)),
    // 63–113 minutes ago: the hour before.
    previous: Array.from({ length: 25 }, (_, index) => call(63 + random() * 50, index, index === 3)),
  };
}

function figures(calls: readonly SeedCall[]) {
  const ttfts = calls.flatMap((call) => (call.ttftMs === undefined ? [] : [call.ttftMs]));
  return {
    calls: calls.length,
    ttftP50: exactPercentile(ttfts, 0.5),
    ttftP95: exactPercentile(ttfts, 0.95),
    withinBudget: ttfts.filter((ttft) => ttft <= BUDGET_MS).length / ttfts.length,
    ttftCalls: ttfts.length,
    cacheHitRate: cacheHitRate(calls),
    errors: calls.filter((call) => call.isError).length,
    errorRate: calls.filter((call) => call.isError).length / calls.length,
  };
}

const tileValue = (page: Page, testId: string) => page.getByTestId(testId).locator("[data-value]");
const tileChange = (page: Page, testId: string) => page.getByTestId(testId).locator('[title^="vs "]');
/** A change of a rate as the tiles show it, in percentage points. */
const points = (change: number) => (Math.abs(change) < 0.0005 ? "±0 pp" : `${change > 0 ? "+" : "−"}${Math.abs(change * 100).toFixed(1)} pp`);

/** Local (UTC) calendar boundaries, as the test sees them. */
function calendar(nowMs: number) {
  const now = new Date(nowMs);
  return {
    todayStart: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
    monthStart: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
    nextMonthStart: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1),
  };
}

test("the overview's key figures equal the seeded calls', with changes, spend and forecast", async ({ page, request }) => {
  const service = `overview-${randomBytes(4).toString("hex")}`;
  const now = Date.now();
  const { current, previous } = seedCalls(service, now);
  await sendCalls(request, [...current, ...previous]);
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, "/");
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  // A filter from the toolbar, then a preset from the range picker; both live in the URL.
  await page.getByRole("combobox", { name: "Service" }).selectOption(service);
  await expect(page).toHaveURL(new RegExp(`service=${service}`));
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByRole("heading", { name: "Last hour", level: 2 })).toBeVisible();

  const expected = figures(current);
  const before = figures(previous);
  await expect(tileValue(page, "tile-calls")).toHaveText(formatCount(expected.calls));
  await expect(tileChange(page, "tile-calls")).toHaveText(`▲ ${formatChange((expected.calls - before.calls) / before.calls)}`);
  expectPercentileNear(await tileValue(page, "tile-ttft-p50").innerText(), expected.ttftP50, "TTFT p50");
  expectPercentileNear(await tileValue(page, "tile-ttft-p95").innerText(), expected.ttftP95, "TTFT p95");
  // p95 of TTFTs spread over 120–900 ms is over the 300 ms budget: said in words.
  await expect(page.getByTestId("tile-ttft-p95")).toContainText("over the 300 ms budget");
  await expect(tileValue(page, "tile-within-budget")).toHaveText(formatPercent(expected.withinBudget));
  await expect(page.getByTestId("tile-within-budget")).toContainText(`of ${expected.ttftCalls} calls with a TTFT`);
  await expect(tileChange(page, "tile-within-budget")).toContainText(points(expected.withinBudget - before.withinBudget));
  await expect(tileValue(page, "tile-cache-hit-rate")).toHaveText(formatPercent(expected.cacheHitRate));
  await expect(tileChange(page, "tile-cache-hit-rate")).toContainText(points(expected.cacheHitRate - before.cacheHitRate));
  await expect(tileValue(page, "tile-error-rate")).toHaveText(formatPercent(expected.errorRate));
  await expect(page.getByTestId("tile-error-rate")).toContainText(`${expected.errors} failed calls`);
  await expect(tileChange(page, "tile-error-rate")).toContainText(points(expected.errorRate - before.errorRate));
  // Every range figure has its trend.
  for (const tile of ["tile-calls", "tile-ttft-p50", "tile-ttft-p95", "tile-within-budget", "tile-cache-hit-rate", "tile-error-rate"]) {
    await expect(page.getByTestId(tile).getByRole("img", { name: /trend/ })).toHaveCount(1);
  }

  // Spend by calendar period (UTC), whatever the range: today, this month, the forecast.
  const { todayStart, monthStart, nextMonthStart } = calendar(now);
  const all = [...current, ...previous];
  const today = all.filter((call) => call.startMs >= todayStart);
  const month = all.filter((call) => call.startMs >= monthStart);
  await expect(tileValue(page, "tile-spend-today")).toHaveText(formatUsd(sumUsd(today)));
  await expect(tileValue(page, "tile-spend-month")).toHaveText(formatUsd(sumUsd(month)));
  // A new service spent nothing last month: no change is claimed, and the tile says why.
  await expect(tileChange(page, "tile-spend-month")).toHaveCount(0);
  await expect(page.getByTestId("tile-spend-month")).toContainText("nothing spent last month by this day");
  // Month-to-date spend extrapolated linearly by elapsed time; the server's "now" lies between ours.
  const forecastAt = (at: number) => (month.reduce((sum, call) => sum + toNano(call.costUsd!), 0) / 1e9) * ((nextMonthStart - monthStart) / (at - monthStart));
  if (now - monthStart < 3_600_000) {
    await expect(tileValue(page, "tile-spend-forecast")).toHaveText("—");
  } else {
    const shown = Number((await tileValue(page, "tile-spend-forecast").innerText()).replace(/[$,]/g, ""));
    expect(shown).toBeGreaterThanOrEqual(Math.floor(forecastAt(Date.now()) * 100) / 100);
    expect(shown).toBeLessThanOrEqual(Math.ceil(forecastAt(now) * 100) / 100);
  }
  await expect(page.getByTestId("forecast-method")).toContainText("spend so far ÷ the share of the month elapsed");
  await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });

  // A longer range takes in both hours; nothing before them, so no change is claimed.
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last 6 hours" }).click();
  await expect(page).toHaveURL(/range=6h/);
  await expect(tileValue(page, "tile-calls")).toHaveText(formatCount(all.length));
  await expect(tileChange(page, "tile-calls")).toHaveCount(0);
  await expect(tileValue(page, "tile-error-rate")).toHaveText(formatPercent(figures(all).errorRate));
  expectPercentileNear(await tileValue(page, "tile-ttft-p95").innerText(), figures(all).ttftP95, "TTFT p95 over 6 h");
});

test("a range without calls says so and keeps the figures honest", async ({ page, request }) => {
  const service = `overview-empty-${randomBytes(4).toString("hex")}`;
  await sendCalls(request, [
    { service, model: "gpt-4o-mini", startMs: Date.now() - 5 * MINUTE, durationMs: 900, ttftMs: 250, isStreamed: true, inputTokens: 100, outputTokens: 20, costUsd: 0.001 },
  ]);
  await waitForRollups(request);
  // Two hours from a day long ago: the project has data, this range has none.
  await page.goto(`/?service=${service}&from=2026-01-05T10:00:00.000Z&to=2026-01-05T12:00:00.000Z`);
  await expect(page.getByTestId("empty-range")).toContainText("No LLM calls in this range with these filters");
  await expect(page.getByTestId("empty-range").getByRole("link", { name: "clear the filters" })).toHaveAttribute("href", /from=/);
  await expect(tileValue(page, "tile-calls")).toHaveText("0");
  // Unknown is "—", never 0.
  await expect(tileValue(page, "tile-ttft-p50")).toHaveText("—");
  await expect(tileValue(page, "tile-error-rate")).toHaveText("—");
  // The spend tiles follow the calendar, not the range: today's call is there.
  await expect(tileValue(page, "tile-spend-today")).toHaveText(formatUsd(0.001));
});

test("the overview reads well in dark mode and on a phone", async ({ page, request }) => {
  const service = `overview-look-${randomBytes(4).toString("hex")}`;
  const now = Date.now();
  const { current, previous } = seedCalls(service, now);
  await sendCalls(request, [...current, ...previous]);
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/?service=${service}&range=1h`);
  await page.getByRole("radio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(tileValue(page, "tile-calls")).toHaveText(formatCount(current.length));
  await page.screenshot({ path: `${SCREENSHOTS}/overview-dark.png`, fullPage: true });

  await page.getByRole("radio", { name: "Light" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(tileValue(page, "tile-calls")).toHaveText(formatCount(current.length));
  // Tiles stack in one column: none is cut off at the right edge.
  // Measured in one pass in the page: a tile's box read on its own can come back empty while
  // React is still settling the streamed HTML.
  const rightEdges = await page
    .getByTestId("range-figures")
    .locator("> div")
    .evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().right));
  expect(rightEdges).toHaveLength(6);
  for (const right of rightEdges) expect(right).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/overview-phone.png`, fullPage: true });
});
