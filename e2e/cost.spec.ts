import { randomBytes } from "node:crypto";
import { expect as baseExpect, test, type APIRequestContext, type Page } from "@playwright/test";
import { formatCount, formatPercent, formatTokens, formatUsd } from "../lib/format/numbers";
import { int, postSpans, PUBLISHED_PRICES, text, waitForRollups } from "./otlp-json";

/**
 * The Cost screen against the real app. The test seeds LLM calls through the OTLP/HTTP receiver
 * in an environment of its own (other tests' calls are filtered out), with allocation tags, user
 * ids, cache reads and writes and a model without a price, then checks the screen against spend the
 * test computes itself from the published prices × tokens (exact, in nano-USD as Sous stores it).
 */
/**
 * These screens run a dozen real queries per render, and the test machine is shared: give a
 * render (and a navigation, whose URL changes when the server has answered) up to 15 s.
 */
const expect = baseExpect.configure({ timeout: 15_000 });
// Every run writes its screenshots here (git-ignored); docs/screenshots/ keeps a chosen few.
const SCREENSHOTS = "test-results/screenshots";
const MINUTE = 60_000;

const UNPRICED_MODEL = "acme-llm-7";

interface SeedCall {
  service: string;
  startEpochMs: number;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  tags: { team?: string; feature?: string; customer?: string };
  userId?: string;
}


function spanOf(call: SeedCall) {
  const startNs = BigInt(call.startEpochMs) * 1_000_000n;
  const attributes = [
    text("gen_ai.operation.name", "chat"),
    text("gen_ai.provider.name", call.provider),
    text("gen_ai.request.model", call.model),
    int("gen_ai.usage.input_tokens", call.inputTokens),
    int("gen_ai.usage.output_tokens", call.outputTokens),
    ...Object.entries(call.tags).map(([key, value]) => text(key, value)),
  ];
  if (call.cacheReadTokens !== undefined) attributes.push(int("gen_ai.usage.cache_read.input_tokens", call.cacheReadTokens));
  if (call.cacheWriteTokens !== undefined) attributes.push(int("gen_ai.usage.cache_creation.input_tokens", call.cacheWriteTokens));
  if (call.userId) attributes.push(text("user.id", call.userId));
  return {
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: `chat ${call.model}`,
    kind: 3,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + 1_200_000_000n),
    attributes,
    status: { code: 0 },
  };
}

async function sendCalls(request: APIRequestContext, environment: string, calls: readonly SeedCall[]) {
  await postSpans(request, environment, calls.map((call) => ({ service: call.service, span: spanOf(call) })));
  await waitForRollups(request);
}

function seedCalls(now: number): SeedCall[] {
  const at = (minutesAgo: number, index: number) => now - minutesAgo * MINUTE + index * 11_000;
  const calls: SeedCall[] = [];
  const checkout = { team: "payments", feature: "checkout-assist", customer: "acme" };
  for (let index = 0; index < 4; index++) {
    calls.push({
      service: "checkout-api",
      startEpochMs: at(45, index),
      provider: "openai",
      model: "gpt-4o",
      inputTokens: 2000,
      cacheReadTokens: index < 2 ? 1000 : 0,
      cacheWriteTokens: 0,
      outputTokens: 500,
      tags: checkout,
      userId: index % 2 === 1 ? "u-ana" : "u-ben",
    });
  }
  for (let index = 0; index < 3; index++) {
    calls.push({
      service: "support-bot",
      startEpochMs: at(40, index),
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      inputTokens: 5000,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1000,
      outputTokens: 800,
      tags: { team: "support", feature: "support-reply", customer: "globex" },
      userId: "u-cleo",
    });
  }
  for (let index = 0; index < 5; index++) {
    calls.push({
      service: "search-api",
      startEpochMs: at(35, index),
      provider: "openai",
      model: "gpt-4o-mini",
      inputTokens: 800,
      outputTokens: 60,
      tags: { team: "search", feature: "search-rerank", customer: "acme" },
    });
  }
  // A model with no price row: its cost is unknown, never $0.
  for (let index = 0; index < 3; index++) {
    calls.push({
      service: "lab",
      startEpochMs: at(30, index),
      provider: "openai",
      model: UNPRICED_MODEL,
      inputTokens: 1000,
      outputTokens: 100,
      tags: { team: "research", customer: "initech" },
    });
  }
  // Three hours ago: inside the last 24 hours, not the last hour.
  for (let index = 0; index < 2; index++) {
    calls.push({
      service: "checkout-api",
      startEpochMs: at(180, index),
      provider: "openai",
      model: "gpt-4o",
      inputTokens: 2000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 500,
      tags: checkout,
      userId: "u-ana",
    });
  }
  return calls;
}

/** A call's cost in nano-USD (every price here is a whole number of nano-USD per token), or null without a price. */
function costNano(call: SeedCall): bigint | null {
  const price = PUBLISHED_PRICES[call.model];
  if (!price) return null;
  const nano = (usdPerMillion: number) => BigInt(Math.round(usdPerMillion * 1000));
  const read = BigInt(call.cacheReadTokens ?? 0);
  const write = BigInt(call.cacheWriteTokens ?? 0);
  const uncached = BigInt(call.inputTokens) - read - write;
  return uncached * nano(price.input) + read * nano(price.cacheRead) + write * nano(price.cacheWrite) + BigInt(call.outputTokens) * nano(price.output);
}

function expectedSpend(calls: readonly SeedCall[]) {
  const priced = calls.filter((call) => costNano(call) !== null);
  const nano = priced.reduce((sum, call) => sum + costNano(call)!, 0n);
  const costUsd = priced.length === 0 ? null : Number(nano) / 1e9;
  const unknown = calls.length - priced.length;
  return {
    calls: calls.length,
    unknown,
    costUsd,
    /** As the screen shows spend that misses unpriced calls: a lower bound. */
    shown: costUsd === null ? "unknown" : `${unknown > 0 ? "≥ " : ""}${formatUsd(costUsd)}`,
    perCallUsd: costUsd === null ? null : costUsd / priced.length,
  };
}

const row = (page: Page, testId: string, label: string) =>
  page.getByTestId(testId).filter({ has: page.locator('[data-cell="group"], [data-cell="name"]', { hasText: new RegExp(`^${label.replace(/[.()]/g, "\\$&")}$`) }) });

async function expectSpendRows(page: Page, calls: readonly SeedCall[], groups: Record<string, (call: SeedCall) => boolean>) {
  await expect(page.getByTestId("spend-row")).toHaveCount(Object.keys(groups).length);
  const total = expectedSpend(calls).costUsd!;
  for (const [label, isMember] of Object.entries(groups)) {
    const expected = expectedSpend(calls.filter(isMember));
    const spendRow = row(page, "spend-row", label);
    await expect(spendRow.locator('[data-cell="spend"]')).toHaveText(expected.shown);
    await expect(spendRow.locator('[data-cell="calls"]')).toHaveText(formatCount(expected.calls));
    await expect(spendRow.locator('[data-cell="per-call"]')).toHaveText(formatUsd(expected.perCallUsd));
    await expect(spendRow.locator('[data-cell="share"]')).toHaveText(expected.costUsd === null ? "—" : formatPercent(expected.costUsd / total));
  }
  // Biggest spender first.
  const order = Object.keys(groups).sort((a, b) => (expectedSpend(calls.filter(groups[b]!)).costUsd ?? -1) - (expectedSpend(calls.filter(groups[a]!)).costUsd ?? -1));
  await expect(page.getByTestId("spend-row").locator('[data-cell="group"]')).toHaveText(order);
}

async function expectTiles(page: Page, calls: readonly SeedCall[]) {
  const expected = expectedSpend(calls);
  await expect(page.getByTestId("tile-spend").locator("[data-value]")).toHaveText(expected.shown);
  await expect(page.getByTestId("tile-cost-per-call").locator("[data-value]")).toHaveText(formatUsd(expected.perCallUsd));
  await expect(page.getByTestId("tile-unpriced-calls").locator("[data-value]")).toHaveText(formatCount(expected.unknown));
  if (expected.unknown > 0) await expect(page.getByTestId("tile-spend")).toContainText(`${expected.unknown} calls without a cost not included`);
}

test("the Cost screen shows spend by model, service and tag, tokens by kind, top spenders and the prices", async ({ page, request }) => {
  test.setTimeout(150_000);
  const environment = `e2e-cost-${randomBytes(4).toString("hex")}`;
  const now = Date.now();
  const calls = seedCalls(now);
  await sendCalls(request, environment, calls);

  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`/cost?environment=${environment}`);
  await expect(page.getByRole("heading", { name: "Cost", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Cost", exact: true })).toHaveAttribute("aria-current", "page");

  // Key figures: spend is a lower bound while some calls have no price.
  await expectTiles(page, calls);
  // The test's arithmetic by hand: gpt-4o 2×$0.00875 + 4×$0.01, Claude 3×$0.01965, mini 5×$0.000156.
  expect(expectedSpend(calls).costUsd).toBeCloseTo(2 * 0.00875 + 4 * 0.01 + 3 * 0.01965 + 5 * 0.000156, 12);

  // Spend by model.
  await expectSpendRows(page, calls, {
    "claude-sonnet-4-5": (call) => call.model === "claude-sonnet-4-5",
    "gpt-4o": (call) => call.model === "gpt-4o",
    "gpt-4o-mini": (call) => call.model === "gpt-4o-mini",
    [UNPRICED_MODEL]: (call) => call.model === UNPRICED_MODEL,
  });
  await expect(row(page, "spend-row", UNPRICED_MODEL).locator('[data-cell="unpriced"]')).toHaveText("3 calls");
  await expect(page.getByRole("figure", { name: "Spend over time by model" })).toBeVisible();

  // Tokens by kind: input splits into fresh, cache reads and cache writes.
  const sum = (pick: (call: SeedCall) => number) => calls.reduce((total, call) => total + pick(call), 0);
  const tokenTotal = (kind: string) => page.getByTestId("token-totals").locator(`[data-kind="${kind}"] [data-value]`);
  await expect(tokenTotal("uncachedInput")).toHaveText(formatTokens(sum((call) => call.inputTokens - (call.cacheReadTokens ?? 0) - (call.cacheWriteTokens ?? 0))));
  await expect(tokenTotal("cacheRead")).toHaveText(formatTokens(sum((call) => call.cacheReadTokens ?? 0)));
  await expect(tokenTotal("cacheWrite")).toHaveText(formatTokens(sum((call) => call.cacheWriteTokens ?? 0)));
  await expect(tokenTotal("output")).toHaveText(formatTokens(sum((call) => call.outputTokens)));

  // Top spenders: customers and features from the allocation tags, users from raw calls.
  const expectSpenders = async (testId: string, groups: Record<string, (call: SeedCall) => boolean>) => {
    const list = page.getByTestId(testId);
    const expected = Object.entries(groups)
      .map(([label, isMember]) => ({ label, ...expectedSpend(calls.filter(isMember)) }))
      .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1));
    await expect(list.getByTestId("spender").locator('[data-cell="name"]')).toHaveText(expected.map((item) => item.label));
    await expect(list.getByTestId("spender").locator('[data-cell="spend"]')).toHaveText(expected.map((item) => item.shown));
    await expect(list.getByTestId("spender").locator('[data-cell="calls"]')).toHaveText(expected.map((item) => `${formatCount(item.calls)} calls`));
  };
  await expectSpenders("spenders-customer", {
    acme: (call) => call.tags.customer === "acme",
    globex: (call) => call.tags.customer === "globex",
    initech: (call) => call.tags.customer === "initech",
  });
  await expectSpenders("spenders-feature", {
    "checkout-assist": (call) => call.tags.feature === "checkout-assist",
    "support-reply": (call) => call.tags.feature === "support-reply",
    "search-rerank": (call) => call.tags.feature === "search-rerank",
    "(untagged)": (call) => call.tags.feature === undefined,
  });
  await expectSpenders("spenders-user", {
    "u-ana": (call) => call.userId === "u-ana",
    "u-ben": (call) => call.userId === "u-ben",
    "u-cleo": (call) => call.userId === "u-cleo",
    "(no user id)": (call) => call.userId === undefined,
  });

  // Prices: the unpriced model is named with a hint, and the table shows the rows with their dates.
  await expect(page.getByTestId("model-without-price")).toHaveText([`${UNPRICED_MODEL} 3 of 3 calls`]);
  await expect(page.getByTestId("unpriced-models")).toContainText("Add a price row");
  // First the rows that priced this range's calls, the rest folded away.
  const shownPrices = page.getByTestId("price-row").filter({ visible: true });
  await expect(shownPrices.locator('[data-cell="model"]')).toHaveText(["claude-sonnet-4*", "gpt-4o", "gpt-4o-mini"]);
  const gpt4o = shownPrices.filter({ has: page.locator('[data-cell="model"]', { hasText: /^gpt-4o$/ }) });
  await expect(gpt4o).toHaveCount(1);
  await expect(gpt4o.locator('[data-cell="provider"]')).toHaveText("openai");
  await expect(gpt4o.locator('[data-cell="input"]')).toHaveText("$2.50");
  await expect(gpt4o.locator('[data-cell="cache-read"]')).toHaveText("$1.25");
  await expect(gpt4o.locator('[data-cell="output"]')).toHaveText("$10.00");
  await expect(gpt4o.locator('[data-cell="effective-from"]')).toHaveText("2023-01-01");
  await expect(gpt4o.locator('[data-cell="checked-at"]')).toHaveText("2026-11-01");
  await expect(gpt4o.locator('[data-cell="source"]')).toHaveAttribute("href", "https://openai.com/api/pricing/");
  const sonnet = shownPrices.filter({ has: page.locator('[data-cell="model"]', { hasText: /^claude-sonnet-4\*$/ }) });
  await expect(sonnet.locator('[data-cell="cache-read"]')).toHaveText("$0.30");
  await expect(sonnet.locator('[data-cell="cache-write"]')).toHaveText("$3.75 / $6.00");
  await page.screenshot({ path: `${SCREENSHOTS}/cost.png`, fullPage: true });
  // A price change is a dated row of its own: o3 before and after its 2025-06-10 cut.
  await page.getByTestId("other-prices").getByText(/All other prices/).click();
  const o3 = page.getByTestId("other-prices").getByTestId("price-row").filter({ has: page.locator('[data-cell="model"]', { hasText: /^o3$/ }) });
  await expect(o3.locator('[data-cell="effective-from"]')).toHaveText(["2025-06-10", "2023-01-01"]);
  await expect(o3.locator('[data-cell="input"]')).toHaveText(["$2.00", "$10.00"]);

  // By service, then by a tag: the choice lives in the URL.
  await page.getByTestId("cost-breakdown").getByRole("link", { name: "Service" }).click();
  await expect(page).toHaveURL(/by=service/);
  await expect(page.getByRole("heading", { name: "Spend over time by service" })).toBeVisible();
  await expectSpendRows(page, calls, Object.fromEntries(["checkout-api", "support-bot", "search-api", "lab"].map((service) => [service, (call: SeedCall) => call.service === service])));
  await page.getByTestId("cost-breakdown").getByRole("link", { name: "Team" }).click();
  await expect(page).toHaveURL(/by=tag\.team/);
  await expectSpendRows(page, calls, Object.fromEntries(["payments", "support", "search", "research"].map((team) => [team, (call: SeedCall) => call.tags.team === team])));

  // The range picker: the last hour leaves the older calls out (and keeps the breakdown).
  await page.getByTestId("range-picker").click();
  await page.getByRole("button", { name: "Last hour" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page).toHaveURL(/by=tag\.team/);
  const recent = calls.filter((call) => call.startEpochMs > now - 60 * MINUTE);
  await expectTiles(page, recent);
  await expect(row(page, "spend-row", "payments").locator('[data-cell="spend"]')).toHaveText(expectedSpend(recent.filter((call) => call.tags.team === "payments")).shown);

  // A toolbar filter: one service, all priced, so the spend is exact (no "≥").
  await page.getByRole("combobox", { name: "Service" }).selectOption("support-bot");
  await expect(page).toHaveURL(/service=support-bot/);
  const support = recent.filter((call) => call.service === "support-bot");
  await expectTiles(page, support);
  await expect(page.getByTestId("tile-spend").locator("[data-value]")).toHaveText(formatUsd(expectedSpend(support).costUsd));
  await expect(page.getByTestId("model-without-price")).toHaveCount(0);
});

test("the Cost screen reads well in the dark and on a phone, and says when there is nothing to show", async ({ page, request }) => {
  test.setTimeout(90_000);
  const environment = `e2e-cost-${randomBytes(4).toString("hex")}`;
  await sendCalls(request, environment, seedCalls(Date.now()));

  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/cost?environment=${environment}&range=1h`);
  await expect(page.getByTestId("spend-row")).toHaveCount(4);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: `${SCREENSHOTS}/cost-dark.png`, fullPage: true });

  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/cost?environment=${environment}&range=1h`);
  await expect(page.getByTestId("spend-row")).toHaveCount(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENSHOTS}/cost-phone.png`, fullPage: true });

  await page.goto(`/cost?environment=${environment}-none`);
  await expect(page.getByTestId("spend-panel").locator('[data-state="empty"]')).toContainText("No calls match these filters");
  await expect(page.getByTestId("spenders-user-panel").locator('[data-state="empty"]')).toBeVisible();
  // The price table does not depend on traffic.
  await expect(page.getByTestId("price-row").first()).toBeVisible();
});
