import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

/** Seeds one LLM call through the real OTLP/JSON path and checks the home page shows it. */
test("the home page shows a call sent through the OTLP receiver", async ({ page, request }) => {
  const traceId = randomBytes(16).toString("hex");
  const startNs = BigInt(Date.now() - 2_000) * 1_000_000n;
  const response = await request.post("/api/otlp/v1/traces", {
    headers: { Authorization: `Bearer ${E2E_API_KEY}`, "Content-Type": "application/json" },
    data: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-checkout" } }] },
          scopeSpans: [
            {
              scope: { name: "e2e" },
              spans: [
                {
                  traceId,
                  spanId: randomBytes(8).toString("hex"),
                  name: "chat claude-sonnet-4-5",
                  kind: 3,
                  startTimeUnixNano: String(startNs),
                  endTimeUnixNano: String(startNs + 1_250_000_000n),
                  attributes: [
                    { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
                    { key: "gen_ai.provider.name", value: { stringValue: "anthropic" } },
                    { key: "gen_ai.request.model", value: { stringValue: "claude-sonnet-4-5" } },
                    { key: "gen_ai.usage.input_tokens", value: { intValue: 4321 } },
                    { key: "gen_ai.usage.output_tokens", value: { intValue: 210 } },
                    { key: "gen_ai.response.time_to_first_chunk", value: { doubleValue: 0.345 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(response.status()).toBe(200);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const row = page.getByTestId("recent-calls").locator("tr", { hasText: "e2e-checkout" });
  await expect(row).toContainText("claude-sonnet-4-5");
  await expect(row).toContainText("345 ms");
  await expect(row).toContainText("4,321");
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });
});
