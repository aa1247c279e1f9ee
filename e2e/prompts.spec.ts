import { randomBytes } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { formatChange, formatCount, formatPercent, formatTokens, formatUsd } from "../lib/format/numbers";
import { cacheHitRate, exactPercentile, expectPercentileNear, seededRandom, sendCalls, sumUsd, openScreen, waitForRollups, type SeedCall } from "./llm-call-seed";

/**
 * The Prompts screen against the real app: versions of two prompts seeded through the OTLP
 * receiver under a unique service; every value and every delta on screen checked against the seed.
 * Version v2 of the checkout prompt is better than v1 on every count, v10 worse than v2; "v10"
 * sorts after "v2" (natural order), which a plain string sort would get wrong.
 */
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
// Several screens and seeds per test on a shared 2-core machine: a minute each, never a retry.
test.describe.configure({ timeout: 60_000 });
const MINUTE = 60_000;

interface VersionSpec {
  promptName?: string;
  promptVersion?: string;
  calls: number;
  /** Minutes ago: [from, to]. */
  age: [number, number];
  ttft: [number, number];
  duration: [number, number];
  input: number;
  output: number;
  cacheRead: number;
  costUsd: number;
  errors: number;
}

function seedVersions(service: string, specs: readonly VersionSpec[], now: number): SeedCall[] {
  const random = seededRandom(now % 100_000);
  const between = ([low, high]: [number, number]) => low + Math.round(random() * (high - low));
  return specs.flatMap((spec) =>
    Array.from({ length: spec.calls }, (_, index) => ({
      service,
      model: "gpt-4o-mini",
      startMs: now - between(spec.age) * MINUTE - index * 1000,
      durationMs: between(spec.duration),
      ttftMs: between(spec.ttft),
      isStreamed: true,
      inputTokens: spec.input,
      outputTokens: spec.output,
      cacheReadTokens: spec.cacheRead,
      costUsd: spec.costUsd,
      promptName: spec.promptName,
      promptVersion: spec.promptVersion,
      isError: index < spec.errors,
    })),
  );
}

function specsFor(tag: string): VersionSpec[] {
  const checkout = `checkout-${tag}`;
  return [
    { promptName: checkout, promptVersion: "v1", calls: 12, age: [130, 175], ttft: [400, 600], duration: [2600, 3200], input: 3000, output: 300, cacheRead: 1000, costUsd: 0.004, errors: 2 },
    { promptName: checkout, promptVersion: "v2", calls: 20, age: [5, 50], ttft: [200, 300], duration: [1500, 2400], input: 2500, output: 250, cacheRead: 2000, costUsd: 0.003, errors: 1 },
    { promptName: checkout, promptVersion: "v10", calls: 16, age: [5, 50], ttft: [700, 900], duration: [3400, 4200], input: 4000, output: 400, cacheRead: 500, costUsd: 0.006, errors: 4 },
    { promptName: `triage-${tag}`, promptVersion: "v1", calls: 8, age: [5, 50], ttft: [150, 250], duration: [800, 1200], input: 800, output: 60, cacheRead: 0, costUsd: 0.0005, errors: 0 },
    { calls: 5, age: [5, 50], ttft: [300, 400], duration: [1000, 2000], input: 1000, output: 100, cacheRead: 0, costUsd: 0.001, errors: 0 },
  ];
}

function expectedOf(calls: readonly SeedCall[]) {
  const ttfts = calls.map((call) => call.ttftMs!);
  const durations = calls.map((call) => call.durationMs);
  return {
    calls: calls.length,
    ttftP50: exactPercentile(ttfts, 0.5),
    ttftP95: exactPercentile(ttfts, 0.95),
    durationP50: exactPercentile(durations, 0.5),
    durationP95: exactPercentile(durations, 0.95),
    inputPerCall: calls.reduce((sum, call) => sum + call.inputTokens, 0) / calls.length,
    outputPerCall: calls.reduce((sum, call) => sum + call.outputTokens, 0) / calls.length,
    costPerCall: sumUsd(calls) / calls.length,
    cacheHitRate: cacheHitRate(calls),
    errorRate: calls.filter((call) => call.isError).length / calls.length,
  };
}

const versionRow = (group: Locator, version: string) => group.locator(`[data-testid="prompt-version-row"][data-version="${version}"]`);
const value = (row: Locator, key: string) => row.locator(`[data-cell="${key}"] [data-value]`);
const delta = (row: Locator, key: string) => row.locator(`[data-cell="${key}"] [data-delta]`);
const points = (change: number) => `${change > 0 ? "+" : "−"}${Math.abs(change * 100).toFixed(1)} pp`;

async function expectVersion(row: Locator, expected: ReturnType<typeof expectedOf>, what: string) {
  await expect(value(row, "calls")).toHaveText(formatCount(expected.calls));
  expectPercentileNear(await value(row, "ttftP50").innerText(), expected.ttftP50, `${what} TTFT p50`);
  expectPercentileNear(await value(row, "ttftP95").innerText(), expected.ttftP95, `${what} TTFT p95`);
  expectPercentileNear(await value(row, "durationP50").innerText(), expected.durationP50, `${what} duration p50`);
  expectPercentileNear(await value(row, "durationP95").innerText(), expected.durationP95, `${what} duration p95`);
  await expect(value(row, "tokensPerCall")).toHaveText(formatTokens(expected.inputPerCall + expected.outputPerCall));
  await expect(row.locator('[data-cell="tokensPerCall"] [data-tokens-split]')).toHaveText(
    `${formatTokens(expected.inputPerCall)} in · ${formatTokens(expected.outputPerCall)} out`,
  );
  await expect(value(row, "costPerCallUsd")).toHaveText(formatUsd(expected.costPerCall));
  await expect(value(row, "cacheHitRate")).toHaveText(formatPercent(expected.cacheHitRate));
  await expect(value(row, "errorRate")).toHaveText(formatPercent(expected.errorRate));
}

/** Every compared metric moved the same way; the words say which, the amounts are the seed's. */
async function expectDeltas(row: Locator, now: ReturnType<typeof expectedOf>, before: ReturnType<typeof expectedOf>, verdict: "better" | "worse") {
  for (const key of ["ttftP50", "ttftP95", "durationP50", "durationP95", "costPerCallUsd", "cacheHitRate", "errorRate"]) {
    await expect(delta(row, key), key).toHaveAttribute("data-delta", verdict);
    await expect(delta(row, key), key).toContainText(verdict);
  }
  await expect(delta(row, "costPerCallUsd")).toContainText(formatChange((now.costPerCall - before.costPerCall) / before.costPerCall));
  await expect(delta(row, "cacheHitRate")).toContainText(points(now.cacheHitRate - before.cacheHitRate));
  await expect(delta(row, "errorRate")).toContainText(points(now.errorRate - before.errorRate));
  // Calls and tokens per call have no better or worse: the change is shown, uncolored.
  await expect(delta(row, "calls")).toHaveAttribute("data-delta", "neutral");
  await expect(delta(row, "calls")).toHaveText(new RegExp(formatChange((now.calls - before.calls) / before.calls).replace("+", "\\+")));
}

async function openPrompts(page: Page, service: string) {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, "/prompts");
  await expect(page.getByRole("heading", { name: "Prompts", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Service" }).selectOption(service);
  await expect(page).toHaveURL(new RegExp(`service=${service}`));
}

test("prompt versions side by side, in version order, with their deltas from the version before", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const service = `prompts-${tag}`;
  const calls = await sendCalls(request, seedVersions(service, specsFor(tag), Date.now()));
  await waitForRollups(request);
  const of = (promptName: string | undefined, promptVersion?: string) =>
    calls.filter((call) => call.promptName === promptName && (promptVersion === undefined || call.promptVersion === promptVersion));

  await openPrompts(page, service);
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last 6 hours" }).click();
  await expect(page).toHaveURL(/range=6h/);

  // Busiest prompt first; versions in natural order.
  const groups = page.getByTestId("prompt-group");
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).getByTestId("prompt-name")).toHaveText(`checkout-${tag}`);
  await expect(groups.nth(1).getByTestId("prompt-name")).toHaveText(`triage-${tag}`);
  const checkout = groups.nth(0);
  await expect(checkout.getByTestId("prompt-version-row")).toHaveCount(3);
  expect(await checkout.getByTestId("prompt-version-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-version")))).toEqual(["v1", "v2", "v10"]);

  const v1 = expectedOf(of(`checkout-${tag}`, "v1"));
  const v2 = expectedOf(of(`checkout-${tag}`, "v2"));
  const v10 = expectedOf(of(`checkout-${tag}`, "v10"));
  await expectVersion(versionRow(checkout, "v1"), v1, "v1");
  await expectVersion(versionRow(checkout, "v2"), v2, "v2");
  await expectVersion(versionRow(checkout, "v10"), v10, "v10");
  await expectVersion(versionRow(groups.nth(1), "v1"), expectedOf(of(`triage-${tag}`)), "triage v1");
  // The first version has nothing to compare with.
  await expect(versionRow(checkout, "v1").locator("[data-delta]")).toHaveCount(0);
  await expectDeltas(versionRow(checkout, "v2"), v2, v1, "better");
  await expectDeltas(versionRow(checkout, "v10"), v10, v2, "worse");
  await expect(page.getByTestId("unnamed-calls")).toContainText(`${of(undefined).length} other calls name no prompt`);
  await page.screenshot({ path: `${SCREENSHOTS}/prompts.png`, fullPage: true });

  // The last hour holds no v1: v2 becomes the first version, v10 is still compared with v2.
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(checkout.getByTestId("prompt-version-row")).toHaveCount(2);
  await expect(versionRow(checkout, "v2").locator("[data-delta]")).toHaveCount(0);
  await expectDeltas(versionRow(checkout, "v10"), v10, v2, "worse");

  // The prompt filter narrows the screen to one prompt.
  await page.getByRole("combobox", { name: "Prompt", exact: true }).selectOption(`checkout-${tag}`);
  await expect(page).toHaveURL(new RegExp(`promptName=checkout-${tag}`));
  await expect(groups).toHaveCount(1);
  await expect(page.getByTestId("unnamed-calls")).toHaveCount(0);

  // A version opens its latency, filtered to it.
  await versionRow(checkout, "v10").getByRole("link", { name: "v10" }).click();
  await expect(page).toHaveURL(new RegExp(`/latency\\?.*promptName=checkout-${tag}.*promptVersion=v10`));
  await expect(page.getByTestId("latency-group-row")).toHaveCount(1);
  await expect(page.getByTestId("latency-group-row").locator('[data-cell="calls"]')).toHaveText(String(v10.calls));
});

test("the prompts screen reads well in dark mode and on a phone, and says when no call names a prompt", async ({ page, request }) => {
  const tag = randomBytes(4).toString("hex");
  const service = `prompts-look-${tag}`;
  await sendCalls(request, seedVersions(service, specsFor(tag), Date.now()));
  await waitForRollups(request);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await openScreen(page, `/prompts?service=${service}&range=6h`);
  await page.getByRole("radio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("prompt-version-row")).toHaveCount(4);
  await page.screenshot({ path: `${SCREENSHOTS}/prompts-dark.png`, fullPage: true });

  await page.getByRole("radio", { name: "Light" }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("prompt-version-row")).toHaveCount(4);
  // Measured once it is on screen: right after the reload the rows can match before the panel settles.
  await expect(page.getByTestId("prompts-panel")).toBeVisible();
  const panel = (await page.getByTestId("prompts-panel").boundingBox())!;
  expect(panel.x + panel.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/prompts-phone.png`, fullPage: true });

  // A service whose calls name no prompt: the empty state says how to name them.
  const unnamed = `prompts-unnamed-${tag}`;
  await sendCalls(request, [{ service: unnamed, model: "gpt-4o-mini", startMs: Date.now() - 5 * MINUTE, durationMs: 900, inputTokens: 100, outputTokens: 10, costUsd: 0.001 }]);
  await waitForRollups(request);
  await page.goto(`/prompts?service=${unnamed}&range=1h`);
  await expect(page.getByTestId("prompts-empty")).toContainText("The 1 call in this range names no prompt");
  await expect(page.getByTestId("prompts-empty")).toContainText("gen_ai.prompt.name");
});
