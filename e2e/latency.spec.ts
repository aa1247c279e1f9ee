import { randomBytes } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { formatCount, formatMs, formatPercent } from "../lib/format/numbers";
import { exactPercentile, expectPercentileNear, seededRandom, sendCalls, openScreen, waitForRollups, type SeedCall, type SeededCall } from "./llm-call-seed";

/**
 * The Latency screen against the real app: calls seeded through the OTLP receiver under a unique
 * service, every number on screen checked against the seed (exact-rank percentiles computed here;
 * the rollups' within 1 %). TTFT budget: the default 300 ms.
 */
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
// Several screens and seeds per test on a shared 2-core machine: a minute each, never a retry.
test.describe.configure({ timeout: 60_000 });
const MINUTE = 60_000;
const BUDGET_MS = 300;

/**
 * Streamed calls of two models (the long prompts on the slower one), non-streamed calls of a third,
 * under two prompts and none. Ten calls are 3–12 minutes old, the rest 18–55 (the 15-minute
 * preset's edge falls in the gap between); more than 44 spread evenly.
 */
function seedCalls(service: string, tag: string, now: number, count = 44): SeedCall[] {
  const random = seededRandom(now % 100_000);
  // Dense traffic (the screenshots) spreads evenly over 3–55 minutes.
  const minutesAgo = (index: number) => (count > 44 ? 3 + random() * 52 : index < 10 ? 3 + random() * 9 : 18 + random() * 37);
  const calls: SeedCall[] = [];
  for (let index = 0; index < count; index++) {
    const startMs = now - minutesAgo(index) * MINUTE;
    if (index % 11 < 6) {
      const inputTokens = 400 + Math.round(random() * 2600);
      calls.push({
        service, model: "gpt-4o-mini", startMs, inputTokens, outputTokens: 200,
        ttftMs: 150 + Math.round(random() * 300), durationMs: 1000 + Math.round(random() * 2000), isStreamed: true,
        promptName: `answer-${tag}`, promptVersion: index % 2 === 0 ? "v1" : "v2", costUsd: 0.001,
      });
    } else if (index % 11 < 9) {
      const inputTokens = 5_000 + Math.round(random() * 85_000);
      calls.push({
        service, model: "claude-sonnet-4-5", startMs, inputTokens, outputTokens: 400,
        ttftMs: 200 + Math.round(inputTokens / 100), durationMs: 3000 + Math.round(random() * 4000), isStreamed: true,
        promptName: `summarize-${tag}`, promptVersion: "v1", costUsd: 0.01,
      });
    } else {
      calls.push({
        service, model: "gpt-4.1", startMs, inputTokens: 1_500, outputTokens: 600,
        durationMs: 2000 + Math.round(random() * 4000), isStreamed: false, costUsd: 0.02,
      });
    }
  }
  return calls;
}

const ttftsOf = (calls: readonly SeedCall[]) => calls.flatMap((call) => (call.ttftMs === undefined ? [] : [call.ttftMs]));
const cell = (row: Locator, name: string) => row.locator(`[data-cell="${name}"]`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const groupRow = (page: Page, label: string) =>
  page.getByTestId("latency-group-row").filter({ has: page.locator('[data-cell="group"]', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });

async function expectGroupRow(page: Page, label: string, calls: readonly SeedCall[]) {
  const row = groupRow(page, label);
  await expect(row).toHaveCount(1);
  await expect(cell(row, "calls")).toHaveText(formatCount(calls.length));
  const ttfts = ttftsOf(calls);
  const durations = calls.map((call) => call.durationMs);
  for (const [name, p] of [["p50", 0.5], ["p95", 0.95], ["p99", 0.99]] as const) {
    if (ttfts.length > 0) expectPercentileNear(await cell(row, `ttft-${name}`).innerText(), exactPercentile(ttfts, p), `${label} TTFT ${name}`);
    else await expect(cell(row, `ttft-${name}`)).toHaveText("—");
    expectPercentileNear(await cell(row, `duration-${name}`).innerText(), exactPercentile(durations, p), `${label} duration ${name}`);
  }
  await expect(cell(row, "within-budget")).toHaveText(
    ttfts.length > 0 ? formatPercent(ttfts.filter((ttft) => ttft <= BUDGET_MS).length / ttfts.length) : "—",
  );
}

test("the latency screen's percentiles, budget share, streaming split, input sizes and slowest calls equal the seed's", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const service = `latency-${tag}`;
  const now = Date.now();
  const calls = await sendCalls(request, seedCalls(service, tag, now));
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, "/latency");
  await expect(page.getByRole("heading", { name: "Latency", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Service" }).selectOption(service);
  await expect(page).toHaveURL(new RegExp(`service=${service}`));
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);

  // Split by model (the default): every percentile of every model.
  const byModel = (model: string) => calls.filter((call) => call.model === model);
  await expect(page.getByTestId("latency-group-row")).toHaveCount(3);
  await expectGroupRow(page, "gpt-4o-mini", byModel("gpt-4o-mini"));
  await expectGroupRow(page, "claude-sonnet-4-5", byModel("claude-sonnet-4-5"));
  await expectGroupRow(page, "gpt-4.1", byModel("gpt-4.1"));
  // Largest group first.
  await expect(page.getByTestId("latency-group-row").first().locator('[data-cell="group"]')).toHaveText("gpt-4o-mini");

  // The share within budget, over the calls that have a TTFT.
  const ttfts = ttftsOf(calls);
  const within = ttfts.filter((ttft) => ttft <= BUDGET_MS).length;
  await expect(page.getByTestId("within-budget-total").locator("[data-value]")).toHaveText(formatPercent(within / ttfts.length));
  await expect(page.getByTestId("within-budget-total")).toContainText(`of ${ttfts.length} calls with a TTFT over the whole range (${ttfts.length - within} over budget)`);
  // The percentile charts draw p50, p95 and p99, with the budget line.
  await expect(page.getByTestId("ttft-over-time").locator(".recharts-line")).toHaveCount(3);
  await expect(page.getByTestId("ttft-over-time")).toContainText("budget 300 ms");

  // Streamed: users wait for the first token; not streamed: for the whole answer.
  const streamed = calls.filter((call) => call.isStreamed);
  const notStreamed = calls.filter((call) => call.isStreamed === false);
  const streamedSide = page.getByTestId("streamed-side");
  const notStreamedSide = page.getByTestId("not-streamed-side");
  await expect(cell(streamedSide, "calls")).toHaveText(String(streamed.length));
  await expect(cell(notStreamedSide, "calls")).toHaveText(String(notStreamed.length));
  expectPercentileNear(await cell(streamedSide, "wait-p50").innerText(), exactPercentile(ttftsOf(streamed), 0.5), "streamed wait p50");
  expectPercentileNear(await cell(streamedSide, "wait-p95").innerText(), exactPercentile(ttftsOf(streamed), 0.95), "streamed wait p95");
  const waits = notStreamed.map((call) => call.durationMs);
  expectPercentileNear(await cell(notStreamedSide, "wait-p50").innerText(), exactPercentile(waits, 0.5), "not streamed wait p50");
  expectPercentileNear(await cell(notStreamedSide, "wait-p95").innerText(), exactPercentile(waits, 0.95), "not streamed wait p95");

  // TTFT by input size, from the raw calls: exact.
  const bands = [
    { label: "under 1K", below: 1_000 },
    { label: "1K–4K", below: 4_000 },
    { label: "4K–16K", below: 16_000 },
    { label: "16K–64K", below: 64_000 },
    { label: "64K and more", below: Infinity },
  ];
  const expectedBands = bands
    .map((band, index) => ({
      ...band,
      ttfts: streamed.filter((call) => call.inputTokens < band.below && call.inputTokens >= (bands[index - 1]?.below ?? 0)).map((call) => call.ttftMs!),
    }))
    .filter((band) => band.ttfts.length > 0);
  const bandRows = page.getByTestId("input-size-row");
  await expect(bandRows).toHaveCount(expectedBands.length);
  for (const [index, band] of expectedBands.entries()) {
    const row = bandRows.nth(index);
    await expect(cell(row, "band")).toHaveText(band.label);
    await expect(cell(row, "calls")).toHaveText(String(band.ttfts.length));
    await expect(cell(row, "ttft-p50")).toHaveText(formatMs(exactPercentile(band.ttfts, 0.5)));
    await expect(cell(row, "ttft-p95")).toHaveText(formatMs(exactPercentile(band.ttfts, 0.95)));
  }
  await expect(page.getByTestId("input-size-panel")).toContainText(`${streamed.length} of the ${calls.length} calls in the range have both a TTFT and an input size`);
  await expect(page.getByTestId("input-size-panel").locator(".recharts-scatter")).toHaveCount(2);

  // The slowest calls by wait (TTFT, or the whole duration when not streamed), linking to their traces.
  const wait = (call: SeededCall) => call.ttftMs ?? call.durationMs;
  const slowest = [...calls].sort((a, b) => wait(b) - wait(a) || b.startMs - a.startMs).slice(0, 10);
  const slowRows = page.getByTestId("slow-call-row");
  await expect(slowRows).toHaveCount(10);
  await expect(page.getByTestId("slowest-scope")).toHaveText(`The 10 slowest of all ${calls.length} calls in the range.`);
  for (const [index, call] of slowest.entries()) {
    await expect(cell(slowRows.nth(index), "wait")).toHaveText(formatMs(wait(call)));
    await expect(slowRows.nth(index).getByTestId("slow-call-link")).toHaveAttribute("href", new RegExp(`/traces/${call.traceId}\\?.*span=${call.spanId}`));
  }
});

test("the latency split follows the dimension, percentile and range in the URL, and slow calls open their traces", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const service = `latency-split-${tag}`;
  const now = Date.now();
  const calls = await sendCalls(request, seedCalls(service, tag, now));
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/latency?service=${service}&range=1h`);
  // The dimension lives in the URL: by service, then by prompt version at p99.
  await page.getByTestId("dimension-picker").getByRole("link", { name: "Service" }).click();
  await expect(page).toHaveURL(/by=service/);
  await expect(page.getByTestId("latency-group-row")).toHaveCount(1);
  await expectGroupRow(page, service, calls);
  await page.getByTestId("dimension-picker").getByRole("link", { name: "Prompt version" }).click();
  await expect(page).toHaveURL(/by=promptVersion/);
  await page.getByTestId("percentile-picker").getByRole("link", { name: "p99" }).click();
  await expect(page).toHaveURL(/p=p99/);
  await expect(page.getByTestId("ttft-by-dimension")).toContainText("TTFT p99 by prompt version");
  await expect(page.getByTestId("latency-group-row")).toHaveCount(4);
  const answer = calls.filter((call) => call.promptName === `answer-${tag}`);
  await expectGroupRow(page, `answer-${tag}@v1`, answer.filter((call) => call.promptVersion === "v1"));
  await expectGroupRow(page, `answer-${tag}@v2`, answer.filter((call) => call.promptVersion === "v2"));
  await expectGroupRow(page, `summarize-${tag}@v1`, calls.filter((call) => call.promptName === `summarize-${tag}`));
  await expectGroupRow(page, "(no prompt name)", calls.filter((call) => call.promptName === undefined));

  // A shorter range: only the newest calls, and the choices survive the range change.
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last 15 minutes" }).click();
  await expect(page).toHaveURL(/range=15m/);
  await expect(page).toHaveURL(/by=promptVersion/);
  await page.getByTestId("dimension-picker").getByRole("link", { name: "Service" }).click();
  await expectGroupRow(page, service, calls.filter((call) => call.startMs > now - 15 * MINUTE));

  // A slow call opens its trace with the call selected.
  await page.getByTestId("slow-call-link").first().click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}\?.*span=[0-9a-f]{16}/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("the latency screen reads well in light and dark, on a laptop and a phone", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const service = `latency-look-${tag}`;
  test.setTimeout(90_000); // two themes, two sizes, denser data
  // Denser traffic than the other tests (about five calls a minute), as a screen usually sees.
  const calls = await sendCalls(request, seedCalls(service, tag, Date.now(), 264));
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/latency?service=${service}&range=1h`);
  await expect(page.getByTestId("latency-group-row")).toHaveCount(3);
  await expect(page.getByTestId("slow-call-row")).toHaveCount(10);
  await page.screenshot({ path: `${SCREENSHOTS}/latency.png`, fullPage: true });

  await page.getByRole("radio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("latency-group-row")).toHaveCount(3);
  await expect(page.getByTestId("slow-call-row")).toHaveCount(10);
  await page.screenshot({ path: `${SCREENSHOTS}/latency-dark.png`, fullPage: true });

  await page.getByRole("radio", { name: "Light" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("slow-call-row")).toHaveCount(10);
  await expect(groupRow(page, "gpt-4o-mini").locator('[data-cell="calls"]')).toHaveText(String(calls.filter((call) => call.model === "gpt-4o-mini").length));
  // Panels stack: none runs past the screen's edge.
  for (const panel of ["ttft-over-time", "streaming-panel", "input-size-panel", "slowest-calls"]) {
    const box = (await page.getByTestId(panel).boundingBox())!;
    expect(box.x + box.width, panel).toBeLessThanOrEqual(390);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/latency-phone.png`, fullPage: true });
});
