import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectPercentileNear, sendCalls, waitForRollups } from "./llm-call-seed";

/** Smoke test: one LLM call sent through the real OTLP/JSON path shows up on the home page. */
test("the home page counts a call sent through the OTLP receiver", async ({ page, request }) => {
  const service = `e2e-checkout-${randomBytes(4).toString("hex")}`;
  await sendCalls(request, [
    {
      service,
      model: "claude-sonnet-4-5",
      startMs: Date.now() - 2_000,
      durationMs: 1250,
      ttftMs: 345,
      isStreamed: true,
      inputTokens: 4321,
      outputTokens: 210,
      costUsd: 0.0123,
    },
  ]);
  await waitForRollups(request);

  await page.goto(`/?service=${service}`);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("tile-calls").locator("[data-value]")).toHaveText("1");
  expectPercentileNear(await page.getByTestId("tile-ttft-p50").locator("[data-value]").innerText(), 345, "TTFT p50");
  await expect(page.getByTestId("ingest-stats").locator("tr", { hasText: service })).toContainText("accepted");
});
