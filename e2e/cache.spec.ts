import { randomBytes } from "node:crypto";
import { expect as baseExpect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { formatCount, formatPercent, formatUsd } from "../lib/format/numbers";
import { exactPercentile, parseShownMs } from "./llm-call-seed";
import { int, postSpans, PUBLISHED_PRICES, text, waitForRollups } from "./otlp-json";

/**
 * The Cache screen against the real app. The test seeds LLM calls through the OTLP/HTTP receiver
 * in an environment of its own (so other tests' calls are filtered out), then checks the screen
 * against numbers it computes here from the seed and the published prices: hit rates as ratios of
 * sums, savings from prices × tokens, TTFT rank percentiles; and that the cache-buster detector
 * flags the prompts whose system prefix changes per call and not a prompt whose user messages vary
 * nor an A/B test with two stable prefixes.
 */
/**
 * These screens run a dozen real queries per render, and the test machine is shared: give a
 * render (and a navigation, whose URL changes when the server has answered) up to 15 s.
 */
const expect = baseExpect.configure({ timeout: 15_000 });
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
const MINUTE = 60_000;


interface SeedCall {
  service: string;
  startEpochMs: number;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Undefined: the call does not report cache use at all. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  ttftMs: number;
  promptName: string;
  promptVersion: string;
  systemPrompt?: string;
  userMessage?: string;
  /** Sent instead of content: Sous only knows the hash then. */
  prefixHash?: string;
}


function spanOf(call: SeedCall) {
  const startNs = BigInt(call.startEpochMs) * 1_000_000n;
  const attributes = [
    text("gen_ai.operation.name", "chat"),
    text("gen_ai.provider.name", call.provider),
    text("gen_ai.request.model", call.model),
    int("gen_ai.usage.input_tokens", call.inputTokens),
    int("gen_ai.usage.output_tokens", call.outputTokens),
    { key: "gen_ai.response.time_to_first_chunk", value: { doubleValue: call.ttftMs / 1000 } },
    text("sous.prompt.name", call.promptName),
    text("sous.prompt.version", call.promptVersion),
  ];
  if (call.cacheReadTokens !== undefined) attributes.push(int("gen_ai.usage.cache_read.input_tokens", call.cacheReadTokens));
  if (call.cacheWriteTokens !== undefined) attributes.push(int("gen_ai.usage.cache_creation.input_tokens", call.cacheWriteTokens));
  if (call.systemPrompt) attributes.push(text("gen_ai.system_instructions", JSON.stringify([{ type: "text", content: call.systemPrompt }])));
  if (call.userMessage) {
    attributes.push(text("gen_ai.input.messages", JSON.stringify([{ role: "user", parts: [{ type: "text", content: call.userMessage }] }])));
  }
  if (call.prefixHash) attributes.push(text("sous.prompt.prefix_hash", call.prefixHash));
  return {
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: `chat ${call.model}`,
    kind: 3,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + BigInt(call.ttftMs + 900) * 1_000_000n),
    attributes,
    status: { code: 0 },
  };
}

async function sendCalls(request: APIRequestContext, environment: string, calls: readonly SeedCall[]) {
  await postSpans(request, environment, calls.map((call) => ({ service: call.service, span: spanOf(call) })));
  await waitForRollups(request);
}

/** The seeded calls: two cache busters, a prompt whose user messages vary, an A/B test, and a model that reports no cache use. */
function seedCalls(now: number) {
  const at = (minutesAgo: number, index: number) => now - minutesAgo * MINUTE + index * 7_000;
  const calls: SeedCall[] = [];
  // The time at the front of the system prompt: a new prefix on every call.
  for (let index = 0; index < 6; index++) {
    calls.push({
      service: "mail-assistant",
      startEpochMs: at(40, index),
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      inputTokens: 2400,
      cacheReadTokens: 0,
      cacheWriteTokens: 1600,
      outputTokens: 200,
      ttftMs: 800 + index * 20,
      promptName: "draft-reply",
      promptVersion: "v2",
      systemPrompt: `Current time: 2026-12-01T09:1${index}:00Z. You are MailPal. Draft short, friendly replies to customer emails in the customer's language.`,
      userMessage: `Email #${index}: where is my parcel?`,
    });
  }
  // A prefix hash sent by the instrumentation, different per call, no content captured.
  for (let index = 0; index < 5; index++) {
    calls.push({
      service: "digest-writer",
      startEpochMs: at(35, index),
      provider: "openai",
      model: "gpt-4.1",
      inputTokens: 4000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 400,
      ttftMs: 700,
      promptName: "weekly-digest",
      promptVersion: "v1",
      prefixHash: randomBytes(32).toString("hex"),
    });
  }
  // One stable system prompt, a different question each time: cache hits after the first calls.
  const helpTtfts = [520, 560, 180, 190, 200, 210, 220, 230];
  helpTtfts.forEach((ttftMs, index) => {
    const isHit = index >= 2;
    calls.push({
      service: "help-bot",
      startEpochMs: at(30, index),
      provider: "openai",
      model: "gpt-4o",
      inputTokens: 3000,
      cacheReadTokens: isHit ? 2048 : 0,
      cacheWriteTokens: 0,
      outputTokens: 150,
      ttftMs,
      promptName: "help-answer",
      promptVersion: "v3",
      systemPrompt: "You are the help center assistant of Sous. Answer from the documentation only, and link the page you used.",
      userMessage: `Question ${index}: how do I ${["rotate a key", "add a price", "set a budget", "share a report"][index % 4]}?`,
    });
  });
  // An A/B test: two stable system prompts, alternating.
  for (let index = 0; index < 6; index++) {
    const isHit = index >= 2;
    calls.push({
      service: "onboarding",
      startEpochMs: at(25, index),
      provider: "openai",
      model: "gpt-4o-mini",
      inputTokens: 1500,
      cacheReadTokens: isHit ? 1024 : 0,
      cacheWriteTokens: 0,
      outputTokens: 100,
      ttftMs: isHit ? 150 + index * 5 : 300,
      promptName: "welcome-tips",
      promptVersion: "v1",
      systemPrompt: index % 2 === 0 ? "Variant A: suggest one next step for a new user, in one sentence." : "Variant B: suggest two next steps for a new user, as a list.",
      userMessage: `User ${index} just signed up.`,
    });
  }
  // A model whose instrumentation reports no cache use: neither hits nor misses.
  for (let index = 0; index < 3; index++) {
    calls.push({
      service: "summarizer",
      startEpochMs: at(20, index),
      provider: "gcp.gemini",
      model: "gemini-2.5-flash",
      inputTokens: 6000,
      outputTokens: 300,
      ttftMs: 400,
      promptName: "summarize",
      promptVersion: "v1",
      systemPrompt: "Summarize the document in three bullet points.",
      userMessage: `Document ${index}`,
    });
  }
  // Three hours ago: misses on the help prompt, inside the last 24 hours but not the last hour.
  for (let index = 0; index < 4; index++) {
    calls.push({
      service: "help-bot",
      startEpochMs: at(180, index),
      provider: "openai",
      model: "gpt-4o",
      inputTokens: 3000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 150,
      ttftMs: 600,
      promptName: "help-answer",
      promptVersion: "v3",
      systemPrompt: "You are the help center assistant of Sous. Answer from the documentation only, and link the page you used.",
      userMessage: `Old question ${index}`,
    });
  }
  return calls;
}

/** What the screen must show for some calls, computed here: ratios of sums, exact money. */
function expectedCache(calls: readonly SeedCall[]) {
  const reporting = calls.filter((call) => call.cacheReadTokens !== undefined);
  const sum = (items: readonly SeedCall[], pick: (call: SeedCall) => number) => items.reduce((total, call) => total + pick(call), 0);
  // Pico-USD per token is an integer for every price here; a call's saving is a whole number of nano-USD.
  const pico = (usdPerMillion: number) => BigInt(Math.round(usdPerMillion * 1_000_000));
  const savingsNano = reporting.reduce((total, call) => {
    const price = PUBLISHED_PRICES[call.model]!;
    const saved =
      BigInt(call.cacheReadTokens ?? 0) * (pico(price.input) - pico(price.cacheRead)) +
      BigInt(call.cacheWriteTokens ?? 0) * (pico(price.input) - pico(price.cacheWrite));
    return total + saved / 1000n;
  }, 0n);
  return {
    calls: calls.length,
    tokenHitRate: reporting.length === 0 ? null : sum(reporting, (call) => call.cacheReadTokens!) / sum(reporting, (call) => call.inputTokens),
    cachedCallRate: reporting.length === 0 ? null : reporting.filter((call) => call.cacheReadTokens! > 0).length / reporting.length,
    savingsUsd: reporting.length === 0 ? null : Number(savingsNano) / 1e9,
  };
}

/**
 * Sous's percentiles come from histograms good to 1 % (DESIGN.md), shown rounded to the ms. Polled:
 * after a navigation a panel keeps its old figures until its new ones stream in.
 */
async function expectPercentile(cell: Locator, expectedMs: number) {
  const tolerance = expectedMs * 0.01 + 0.5;
  await expect
    .poll(
      async () => {
        const shown = (await cell.textContent()) ?? "";
        try {
          return Math.abs(parseShownMs(shown) - expectedMs) <= tolerance ? "within 1%" : shown;
        } catch {
          return shown;
        }
      },
      { message: `a TTFT within 1% of ${expectedMs} ms` },
    )
    .toBe("within 1%");
}

const tileValue = (page: Page, testId: string) => page.getByTestId(testId).locator("[data-value]");
const groupRow = (page: Page, label: string) => page.getByTestId("cache-group-row").filter({ has: page.locator('[data-cell="group"]', { hasText: new RegExp(`^${label.replace(/[.@]/g, "\\$&")}$`) }) });

async function expectTiles(page: Page, expected: ReturnType<typeof expectedCache>) {
  await expect(tileValue(page, "tile-token-hit-rate")).toHaveText(formatPercent(expected.tokenHitRate));
  await expect(tileValue(page, "tile-cached-call-rate")).toHaveText(formatPercent(expected.cachedCallRate));
  await expect(tileValue(page, "tile-cache-savings")).toHaveText(formatUsd(expected.savingsUsd));
}

test("the Cache screen shows hit rates, savings, TTFT with vs without a hit, and flags only the cache busters", async ({ page, request }) => {
  test.setTimeout(150_000);
  const environment = `e2e-cache-${randomBytes(4).toString("hex")}`;
  const now = Date.now();
  const calls = seedCalls(now);
  await sendCalls(request, environment, calls);
  const recent = calls.filter((call) => call.startEpochMs > now - 60 * MINUTE);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`/cache?environment=${environment}`);
  await expect(page.getByRole("heading", { name: "Cache", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Cache", exact: true })).toHaveAttribute("aria-current", "page");

  // Key figures over the last 24 hours.
  const all = expectedCache(calls);
  expect(all.savingsUsd).toBeGreaterThan(0); // the reads' discount outweighs the write premiums
  await expectTiles(page, all);
  // Spot-check the test's own arithmetic by hand: reads 6×2048 + 4×1024 over 29 calls' input.
  expect(all.tokenHitRate).toBeCloseTo((6 * 2048 + 4 * 1024) / (6 * 2400 + 5 * 4000 + 12 * 3000 + 6 * 1500), 12);

  // Per model: each row against the model's own calls; the model that reports no cache use says so.
  const byModel = page.getByTestId("hit-rate-panel");
  await expect(page.getByTestId("cache-group-row")).toHaveCount(5);
  for (const model of ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "claude-sonnet-4-5"]) {
    const expected = expectedCache(calls.filter((call) => call.model === model));
    const row = groupRow(page, model);
    await expect(row.locator('[data-cell="calls"]')).toHaveText(formatCount(expected.calls));
    await expect(row.locator('[data-cell="token-hit-rate"]')).toHaveText(formatPercent(expected.tokenHitRate));
    await expect(row.locator('[data-cell="cached-call-rate"]')).toHaveText(formatPercent(expected.cachedCallRate));
    await expect(row.locator('[data-cell="saved"]')).toHaveText(formatUsd(expected.savingsUsd));
  }
  await expect(groupRow(page, "gemini-2.5-flash").locator('[data-cell="token-hit-rate"]')).toHaveText("not reported");
  await expect(groupRow(page, "gemini-2.5-flash").locator('[data-cell="saved"]')).toHaveText("—");
  // Claude's cache writes cost more than its (absent) reads saved: negative, and explained.
  expect(expectedCache(calls.filter((call) => call.model === "claude-sonnet-4-5")).savingsUsd).toBeLessThan(0);
  await expect(byModel).toContainText("Saved is net of cache-write premiums");
  await expect(byModel.getByRole("figure", { name: "Token hit rate by model" })).toBeVisible();
  await expect(byModel.getByRole("figure", { name: "Cached-call rate by model" })).toBeVisible();

  // The detector: the two prompts whose prefix changes per call, and neither the varying user
  // messages (help-answer) nor the A/B test (welcome-tips).
  const busters = page.getByTestId("cache-buster");
  await expect(busters).toHaveCount(2);
  await expect(busters.locator('[data-cell="prompt"]')).toHaveText(["weekly-digest@v1", "draft-reply@v2"]);
  await expect(page.getByTestId("cache-buster-panel")).not.toContainText("help-answer");
  await expect(page.getByTestId("cache-buster-panel")).not.toContainText("welcome-tips");
  await expect(page.getByTestId("cache-buster-panel")).toContainText("4 prompts with at least 5 calls examined");
  const digest = busters.nth(0);
  await expect(digest.locator('[data-cell="prefixes"]')).toHaveText("5 in 5 calls");
  // Only hashes: the upper bound, all uncached input at the cache-read discount.
  const digestUpperBound = (5 * 4000 * (PUBLISHED_PRICES["gpt-4.1"]!.input - PUBLISHED_PRICES["gpt-4.1"]!.cacheRead)) / 1e6;
  await expect(digest.locator('[data-cell="missed"]')).toHaveText(`≤ ${formatUsd(digestUpperBound)}`);
  await expect(digest.getByTestId("hash-only")).toContainText("Only prefix hashes are known");
  await expect(digest.getByTestId("buster-example")).toHaveCount(0);
  const draft = busters.nth(1);
  await expect(draft.locator('[data-cell="prefixes"]')).toHaveText("6 in 6 calls");
  // Captured content: the estimate covers the shared system prompt only, under the upper bound.
  const draftUpperBound = (6 * (2400 - 1600) * (PUBLISHED_PRICES["claude-sonnet-4-5"]!.input - PUBLISHED_PRICES["claude-sonnet-4-5"]!.cacheRead)) / 1e6;
  const draftMissed = Number((await draft.locator('[data-cell="missed"]').textContent())!.replace(/[$,]/g, ""));
  expect(draftMissed).toBeGreaterThan(0);
  expect(draftMissed).toBeLessThan(draftUpperBound);
  // What differs: the two calls' times, marked, after the same "Current time: 2026-12-01T09:1".
  const changed = draft.getByTestId("buster-example").locator('[data-cell="changed"]');
  await expect(changed).toHaveCount(2);
  const [before, after] = await changed.allTextContents();
  expect(before).not.toBe(after);
  for (const part of [before, after]) expect(part).toMatch(/^2026-12-01T09:1\d:00Z$/);
  await expect(draft.getByTestId("buster-example")).toContainText("Current time:");
  await expect(page.getByTestId("tile-missed-savings")).toContainText("2 cache-busting prompts · upper bound");

  // TTFT with vs without a hit, per prompt version: rank percentiles of the seeded TTFTs.
  const help = page.getByTestId("prompt-ttft-row").filter({ hasText: "help-answer@v3" });
  const helpCalls = calls.filter((call) => call.promptName === "help-answer");
  const hitTtfts = helpCalls.filter((call) => call.cacheReadTokens! > 0).map((call) => call.ttftMs);
  const missTtfts = helpCalls.filter((call) => call.cacheReadTokens === 0).map((call) => call.ttftMs);
  await expectPercentile(help.locator('[data-cell="hit-p50"]'), exactPercentile(hitTtfts, 0.5));
  await expectPercentile(help.locator('[data-cell="hit-p95"]'), exactPercentile(hitTtfts, 0.95));
  await expectPercentile(help.locator('[data-cell="no-hit-p50"]'), exactPercentile(missTtfts, 0.5));
  await expectPercentile(help.locator('[data-cell="no-hit-p95"]'), exactPercentile(missTtfts, 0.95));
  // Nothing was a hit for the busting prompt: no "with a hit" side, not 0 ms.
  await expect(page.getByTestId("prompt-ttft-row").filter({ hasText: "draft-reply@v2" }).locator('[data-cell="hit-p50"]')).toHaveText("—");
  // The model that reports no cache use has no hits or misses to compare: left out, and said so.
  await expect(page.getByTestId("prompt-ttft-row").filter({ hasText: "summarize@v1" })).toHaveCount(0);
  await expect(page.getByTestId("prompt-ttft-panel")).toContainText("1 prompt version is left out");
  await page.screenshot({ path: `${SCREENSHOTS}/cache.png`, fullPage: true });

  // By prompt version: the choice lives in the URL.
  await byModel.getByRole("link", { name: "Prompt version" }).click();
  await expect(page).toHaveURL(/by=promptVersion/);
  await expect(page.getByRole("heading", { name: "Hit rate over time by prompt version" })).toBeVisible();
  for (const [prompt, promptName] of [["help-answer@v3", "help-answer"], ["welcome-tips@v1", "welcome-tips"], ["draft-reply@v2", "draft-reply"]] as const) {
    const expected = expectedCache(calls.filter((call) => call.promptName === promptName));
    await expect(groupRow(page, prompt).locator('[data-cell="token-hit-rate"]')).toHaveText(formatPercent(expected.tokenHitRate));
    await expect(groupRow(page, prompt).locator('[data-cell="cached-call-rate"]')).toHaveText(formatPercent(expected.cachedCallRate));
  }
  await expect(page.getByRole("link", { name: "Prompt version" })).toHaveAttribute("aria-current", "true");

  // The range picker: the last hour leaves out the older misses.
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page).toHaveURL(/by=promptVersion/);
  await expectTiles(page, expectedCache(recent));
  const recentMisses = recent.filter((call) => call.promptName === "help-answer" && call.cacheReadTokens === 0).map((call) => call.ttftMs);
  await expectPercentile(help.locator('[data-cell="no-hit-p50"]'), exactPercentile(recentMisses, 0.5));

  // A toolbar filter: one model.
  await page.getByRole("combobox", { name: "Model" }).selectOption("gpt-4o");
  await expect(page).toHaveURL(/model=gpt-4o/);
  await expectTiles(page, expectedCache(recent.filter((call) => call.model === "gpt-4o")));
  await expect(page.getByTestId("cache-group-row")).toHaveCount(1);
  // No cache buster among this model's calls (the detector takes the same filters).
  await expect(page.getByTestId("no-cache-busters")).toContainText("No cache busters");
});

test("the Cache screen reads well in the dark and on a phone, and says when there is nothing to show", async ({ page, request }) => {
  test.setTimeout(90_000);
  const environment = `e2e-cache-${randomBytes(4).toString("hex")}`;
  const now = Date.now();
  await sendCalls(request, environment, seedCalls(now));

  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/cache?environment=${environment}`);
  await expect(page.getByTestId("cache-buster")).toHaveCount(2);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: `${SCREENSHOTS}/cache-dark.png`, fullPage: true });

  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/cache?environment=${environment}&range=1h`);
  await expect(page.getByTestId("cache-buster")).toHaveCount(2);
  // Nothing sideways but the tables (which scroll inside their panel).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/cache-phone.png`, fullPage: true });

  // An environment without calls: every panel says so instead of drawing zeros.
  await page.goto(`/cache?environment=${environment}-none`);
  await expect(page.getByTestId("hit-rate-panel").locator('[data-state="empty"]')).toContainText("No calls match these filters");
  await expect(page.getByTestId("cache-buster-panel").locator('[data-state="empty"]')).toContainText("No prompt-prefix hashes");
  await expect(page.getByTestId("tile-missed-savings").locator("[data-value]")).toHaveText("—");
});
