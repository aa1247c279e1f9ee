import { randomBytes } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { formatMs, formatTokens, formatUsd } from "../lib/format/numbers";
import { expectedTotals, newTrace, sendTraces, type SeedSpan, type SeedTrace } from "./otlp-seed";
import { openScreen } from "./llm-call-seed";
import { billingTrace, checkoutTrace } from "./trace-fixtures";

/**
 * The Traces screens against the real app: every test seeds its own traces through the OTLP/HTTP
 * receiver under a unique tag (in the service names), so tests do not see each other's data, and
 * checks what is on screen against numbers computed here from the seed.
 */
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
const MINUTE = 60_000;

const rowOf = (page: Page, trace: SeedTrace) => page.getByTestId("trace-row").filter({ has: page.locator(`a[href*="${trace.traceId}"]`) });

async function expectListRow(page: Page, trace: SeedTrace) {
  const expected = expectedTotals(trace);
  const row = rowOf(page, trace);
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-cell="spans"]')).toHaveText(String(expected.spanCount));
  await expect(row.locator('[data-cell="calls"]')).toHaveText(String(expected.llmCallCount));
  await expect(row.locator('[data-cell="duration"]')).toHaveText(formatMs(expected.durationMs));
  await expect(row.locator('[data-cell="tokens"]')).toHaveText(`${formatTokens(expected.inputTokens)} / ${formatTokens(expected.outputTokens)}`);
  await expect(row.locator('[data-cell="cost"]')).toHaveText(formatUsd(expected.costUsd));
}

test("the trace list shows each trace's numbers, newest first, and searches, filters and pages", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const now = Date.now();
  const checkout = checkoutTrace(tag, now - 5 * MINUTE);
  const billing = billingTrace(tag, now - 3 * MINUTE);
  const failed = billingTrace(tag, now - 2 * MINUTE, true);
  await sendTraces(request, [checkout, billing, failed]);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/traces?q=${tag}`);
  await expect(page.getByRole("heading", { name: "Traces", level: 1 })).toBeVisible();
  const rows = page.getByTestId("trace-row");
  await expect(rows).toHaveCount(3);
  // Newest first.
  await expect(rows.nth(0).locator(`a[href*="${failed.traceId}"]`)).toHaveCount(1);
  await expect(rows.nth(2).locator(`a[href*="${checkout.traceId}"]`)).toHaveCount(1);
  // Spot-check the formatter against hand-computed values, then every row against the seed.
  await expect(rowOf(page, checkout).locator('[data-cell="duration"]')).toHaveText("2.40 s");
  await expect(rowOf(page, checkout).locator('[data-cell="cost"]')).toHaveText("$0.00543");
  for (const trace of [checkout, billing, failed]) await expectListRow(page, trace);
  await expect(rowOf(page, failed)).toContainText("error");
  await expect(rowOf(page, billing)).not.toContainText("error");
  await page.screenshot({ path: `${SCREENSHOTS}/traces-list.png`, fullPage: true });

  // Free text: a span name inside one trace only.
  await page.getByLabel("Search traces").fill(`db.query orders`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=db\.query\+orders/);
  await expect(rowOf(page, checkout)).toHaveCount(1);
  await expect(rowOf(page, billing)).toHaveCount(0);

  // Errors only.
  await openScreen(page, `/traces?q=${tag}&errors=1`);
  await expect(rows).toHaveCount(1);
  await expect(rowOf(page, failed)).toHaveCount(1);

  // A toolbar filter (service) narrows the list and lives in the URL.
  await openScreen(page, `/traces?q=${tag}`);
  await page.getByRole("combobox", { name: "Service" }).selectOption(`billing-${tag}`);
  await expect(page).toHaveURL(new RegExp(`service=billing-${tag}`));
  await expect(rows).toHaveCount(2);
  await expect(rowOf(page, checkout)).toHaveCount(0);
  // The filtered view is shareable: a fresh load of the URL shows the same.
  await page.reload();
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole("combobox", { name: "Service" })).toHaveValue(`billing-${tag}`);
});

test("the trace list pages through more traces than one page holds, without gaps or repeats", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const now = Date.now();
  const traces = Array.from({ length: 57 }, (_, index) =>
    newTrace(now - 10 * MINUTE + index * 1000, [{ name: `GET /item/${index}`, service: `pager-${tag}`, startMs: 0, durationMs: 20 }]),
  );
  await sendTraces(request, traces);

  await openScreen(page, `/traces?q=pager-${tag}`);
  const links = page.getByTestId("trace-link");
  await expect(links).toHaveCount(50);
  const firstPage = await links.allTextContents();
  await page.getByRole("link", { name: "Older traces →" }).click();
  await expect(links).toHaveCount(7);
  const secondPage = await links.allTextContents();
  const expectedOrder = traces.map((_, index) => `GET /item/${index}`).reverse();
  expect([...firstPage, ...secondPage]).toEqual(expectedOrder);
  await expect(page.getByRole("link", { name: "Older traces →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newest" }).click();
  await expect(links).toHaveCount(50);
});

test("the range picker switches presets and takes a custom range", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const now = Date.now();
  const recent = checkoutTrace(tag, now - 10 * MINUTE);
  const older = billingTrace(tag, now - 3 * 60 * MINUTE);
  await sendTraces(request, [recent, older]);

  await openScreen(page, `/traces?q=${tag}`);
  const rows = page.getByTestId("trace-row");
  await expect(page.getByTestId("range-picker")).toHaveText(/Last 24 hours/);
  await expect(rows).toHaveCount(2);

  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByTestId("range-picker")).toHaveText(/Last hour/);
  await expect(rows).toHaveCount(1);
  await expect(rowOf(page, recent)).toHaveCount(1);

  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last 6 hours" }).click();
  await expect(rows).toHaveCount(2);

  // A custom range around the older trace only, typed in the project's time zone (UTC here).
  const wallTime = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 16);
  await page.getByTestId("range-picker").click();
  await page.getByLabel("From", { exact: true }).fill(wallTime(older.startEpochMs - 5 * MINUTE));
  await page.getByLabel("To", { exact: true }).fill(wallTime(older.startEpochMs + 5 * MINUTE));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=.*&to=/);
  await expect(rows).toHaveCount(1);
  await expect(rowOf(page, older)).toHaveCount(1);
  await expect(page.getByTestId("range-picker")).toHaveText(new RegExp(wallTime(older.startEpochMs - 5 * MINUTE).replace("T", " ")));
});

async function expectTokenTile(page: Page, expected: ReturnType<typeof expectedTotals>) {
  const tile = page.getByTestId("trace-tokens");
  await expect(tile.locator("[data-value]")).toHaveText(formatTokens(expected.inputTokens + expected.outputTokens));
  await expect(tile).toContainText(`${formatTokens(expected.inputTokens)} in · ${formatTokens(expected.outputTokens)} out`);
}

/** Where a mark sits on its track, in percent of the track's width. */
async function percentAlong(mark: Locator, track: Locator): Promise<number> {
  const markBox = (await mark.boundingBox())!;
  const trackBox = (await track.boundingBox())!;
  return ((markBox.x + markBox.width / 2 - trackBox.x) / trackBox.width) * 100;
}

test("the waterfall shows every span with its TTFT mark, tokens, cost, attributes and content", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const trace = checkoutTrace(tag, Date.now() - 4 * MINUTE);
  await sendTraces(request, [trace]);
  const expected = expectedTotals(trace);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/traces?q=${tag}`);
  await page.getByTestId("trace-link").first().click();
  await expect(page).toHaveURL(new RegExp(`/traces/${trace.traceId}`));
  await expect(page.getByRole("heading", { name: "POST /api/checkout", level: 1 })).toBeVisible();

  await expect(page.getByTestId("trace-span-count")).toContainText(String(expected.spanCount));
  await expect(page.getByTestId("trace-llm-calls")).toContainText(String(expected.llmCallCount));
  await expect(page.getByTestId("trace-duration")).toContainText(formatMs(expected.durationMs));
  await expectTokenTile(page, expected);
  await expect(page.getByTestId("trace-cost")).toContainText(formatUsd(expected.costUsd));

  // Every span, in tree order (children by start time).
  const rows = page.getByTestId("waterfall-row");
  await expect(rows).toHaveCount(trace.spans.length);
  await expect(rows.getByTestId("span-name")).toHaveText(["POST /api/checkout", "db.query orders", "chat gpt-4o-mini", "chat gpt-4.1"]);

  for (const [index, span] of trace.spans.entries()) {
    const row = page.locator(`[data-testid="waterfall-row"][data-span-id="${trace.spanIds[index]}"]`);
    const track = row.getByTestId("span-track");
    // Bars sit where the span ran, as a share of the trace.
    const bar = row.getByTestId("span-bar");
    const barBox = (await bar.boundingBox())!;
    const trackBox = (await track.boundingBox())!;
    expect(((barBox.x - trackBox.x) / trackBox.width) * 100).toBeCloseTo((span.startMs / expected.durationMs) * 100, 0);
    expect((barBox.width / trackBox.width) * 100).toBeCloseTo((span.durationMs / expected.durationMs) * 100, 0);
    await expect(row.locator('[data-cell="duration"]')).toHaveText(formatMs(span.durationMs));
    if (span.llm?.ttftMs !== undefined) {
      const mark = row.getByTestId("ttft-mark");
      await expect(mark).toHaveCount(1);
      const expectedPercent = ((span.startMs + span.llm.ttftMs) / expected.durationMs) * 100;
      expect(Math.abs((await percentAlong(mark, track)) - expectedPercent)).toBeLessThan(0.5);
      await expect(row.locator('[data-cell="tokens"]')).toHaveText(`${formatTokens(span.llm.inputTokens)} → ${formatTokens(span.llm.outputTokens)} tok`);
      await expect(row.locator('[data-cell="cost"]')).toHaveText(formatUsd(span.llm.costUsd!));
    } else {
      await expect(row.getByTestId("ttft-mark")).toHaveCount(0);
    }
  }

  // The first LLM call is selected: its facts, captured content and attributes.
  const details = page.getByTestId("span-details");
  await expect(details.getByRole("heading", { name: "chat gpt-4o-mini" })).toBeVisible();
  await expect(details.locator('[data-fact="TTFT"]')).toHaveText("350 ms");
  await expect(details.getByTestId("span-content")).toContainText(`You are the checkout assistant for ${tag}.`);
  await expect(details.getByTestId("span-content")).toContainText("Is my order eligible for free shipping?");
  await expect(details.getByTestId("span-content")).toContainText("Yes: orders over $50 ship free.");
  await expect(details.getByTestId("span-attributes")).toContainText("gen_ai.request.model");
  await page.screenshot({ path: `${SCREENSHOTS}/trace-waterfall.png`, fullPage: true });

  // Selecting another span: the URL says which, the panel follows, the view stays.
  await rows.filter({ hasText: "chat gpt-4.1" }).click();
  await expect(page).toHaveURL(new RegExp(`span=${trace.spanIds[3]}`));
  await expect(details.getByRole("heading", { name: "chat gpt-4.1" })).toBeVisible();
  await expect(details.locator('[data-fact="TTFT"]')).toHaveText("120 ms");
  await expect(details.locator('[data-fact="Cost"]')).toContainText(formatUsd(0.0042));
  await expect(details.getByTestId("span-content")).toHaveCount(0);
  await expect(rows.filter({ hasText: "chat gpt-4.1" })).toHaveAttribute("aria-current", "true");

  await page.getByRole("link", { name: "← Traces" }).click();
  await expect(page).toHaveURL(/\/traces(\?|$)/);
});

test("a trace with hundreds of spans shows every one", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const spans: SeedSpan[] = [{ name: "nightly batch", service: `batch-${tag}`, startMs: 0, durationMs: 60_000 }];
  for (let index = 1; index < 400; index++) {
    const isLlm = index % 2 === 0;
    spans.push({
      name: isLlm ? `summarize chunk ${index}` : `fetch chunk ${index}`,
      service: `batch-${tag}`,
      startMs: index * 140,
      durationMs: isLlm ? 900 : 100,
      parent: isLlm ? index - 1 : 0,
      llm: isLlm ? { provider: "openai", model: "gpt-4o-mini", inputTokens: 10, outputTokens: 2, ttftMs: 300, costUsd: 0.000001 } : undefined,
    });
  }
  const trace = newTrace(Date.now() - 20 * MINUTE, spans);
  await sendTraces(request, [trace]);
  const expected = expectedTotals(trace);

  const started = Date.now();
  await openScreen(page, `/traces/${trace.traceId}`);
  await expect(page.getByTestId("waterfall-row")).toHaveCount(400);
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(page.getByTestId("ttft-mark")).toHaveCount(expected.llmCallCount);
  await expect(page.getByTestId("trace-span-count")).toContainText("400");
  await expect(page.getByTestId("trace-llm-calls")).toContainText(String(expected.llmCallCount));
  await expectTokenTile(page, expected);
  await expect(page.getByTestId("trace-cost")).toContainText(formatUsd(expected.costUsd));
  // The last span is reachable and selectable.
  const last = page.locator(`[data-testid="waterfall-row"][data-span-id="${trace.spanIds[399]}"]`);
  await last.scrollIntoViewIfNeeded();
  await last.click();
  await expect(page.getByTestId("span-details").getByRole("heading", { name: "fetch chunk 399" })).toBeVisible();
});

test("auto-refresh re-renders the list on its interval, and lives in the URL", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const first = checkoutTrace(tag, Date.now() - 3 * MINUTE);
  await sendTraces(request, [first]);

  await page.clock.install();
  await openScreen(page, `/traces?q=${tag}`);
  const rows = page.getByTestId("trace-row");
  await expect(rows).toHaveCount(1);
  await page.getByRole("combobox", { name: "Auto-refresh" }).selectOption("30s");
  await expect(page).toHaveURL(/refresh=30s/);

  const second = billingTrace(tag, Date.now() - MINUTE);
  await sendTraces(request, [second]);
  await page.clock.fastForward(10_000);
  await expect(rows).toHaveCount(1); // not yet: the interval is 30 s
  await page.clock.fastForward(21_000);
  await expect(rows).toHaveCount(2);
  await expect(rowOf(page, second)).toHaveCount(1);
});

test("the theme switch applies at once and persists across loads without a flash", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const trace = checkoutTrace(tag, Date.now() - 2 * MINUTE);
  await sendTraces(request, [trace]);

  await page.emulateMedia({ colorScheme: "light" });
  await openScreen(page, `/traces/${trace.traceId}`);
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/dark/);
  await page.getByRole("radio", { name: "Dark" }).click();
  await expect(html).toHaveClass(/dark/);
  await expect(page.getByRole("radio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");

  // The inline script sets the theme before the page's own code runs: check at DOMContentLoaded.
  await page.reload({ waitUntil: "domcontentloaded" });
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
  await expect(page.getByRole("radio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: `${SCREENSHOTS}/trace-waterfall-dark.png`, fullPage: true });

  // "System" follows the operating system's preference (clicked once the page is interactive).
  await page.waitForLoadState("networkidle");
  await page.getByRole("radio", { name: "System" }).click();
  await expect(html).not.toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload({ waitUntil: "networkidle" });
  await expect(html).toHaveClass(/dark/);

  await page.getByRole("radio", { name: "Light" }).click();
  await expect(html).not.toHaveClass(/dark/);
});

test("the screens are readable on a phone", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const trace = checkoutTrace(tag, Date.now() - MINUTE);
  await sendTraces(request, [trace]);

  await page.setViewportSize({ width: 390, height: 844 });
  await openScreen(page, `/traces?q=${tag}`);
  await expect(rowOf(page, trace)).toHaveCount(1);
  // No sideways scrolling of the page itself.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/traces-phone.png`, fullPage: true });
  await openScreen(page, `/traces/${trace.traceId}`);
  await expect(page.getByTestId("waterfall-row")).toHaveCount(trace.spans.length);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/trace-phone.png`, fullPage: true });
});
