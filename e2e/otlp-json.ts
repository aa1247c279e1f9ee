import { expect, type APIRequestContext } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

/**
 * The OTLP/JSON pieces every dashboard test seeds with: attribute values, one request of spans
 * grouped by service (one resource each), and the wait until the dashboards' rollups hold them.
 */
export type Attribute = { key: string; value: Record<string, unknown> };
export const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });
export const int = (key: string, value: number): Attribute => ({ key, value: { intValue: value } });
export const double = (key: string, value: number): Attribute => ({ key, value: { doubleValue: value } });
export const bool = (key: string, value: boolean): Attribute => ({ key, value: { boolValue: value } });

/** Epoch milliseconds (fractions kept to the µs) as OTLP's nanoseconds. */
export const nanos = (epochMs: number) => BigInt(Math.round(epochMs * 1000)) * 1000n;

/** Posts spans of several services in one OTLP/JSON request and checks every span was accepted. */
export async function postSpans(
  request: APIRequestContext,
  environment: string,
  spans: readonly { service: string; span: unknown }[],
): Promise<void> {
  const byService = new Map<string, unknown[]>();
  for (const { service, span } of spans) byService.set(service, [...(byService.get(service) ?? []), span]);
  const response = await request.post("/api/otlp/v1/traces", {
    headers: { Authorization: `Bearer ${E2E_API_KEY}`, "Content-Type": "application/json" },
    data: {
      resourceSpans: [...byService].map(([service, serviceSpans]) => ({
        resource: { attributes: [text("service.name", service), text("deployment.environment.name", environment)] },
        scopeSpans: [{ scope: { name: "sous-e2e" }, spans: serviceSpans }],
      })),
    },
  });
  expect(response.status()).toBe(200);
  expect(Number((await response.json()).partialSuccess?.rejectedSpans ?? 0)).toBe(0);
}

/** Waits until the writer has flushed and the rollup job has folded every delta (rollups lag ingest by 2–3 s). */
export async function waitForRollups(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const health = await (await request.get("/api/health")).json();
        return (health.writeQueue?.queuedSpans ?? 0) + (health.writeQueue?.inFlightSpans ?? 0) + (health.rollups?.waitingDeltas ?? 0);
      },
      { timeout: 15_000, intervals: [100, 200, 300, 500] },
    )
    .toBe(0);
}

/**
 * USD per 1M tokens as the providers publish them (shared/ECONOMICS.md): the tests compute
 * expected money from these, not from Sous's price table. OpenAI cache writes cost normal input;
 * Anthropic's 5-minute writes cost 1.25× input and reads 0.1×.
 */
export const PUBLISHED_PRICES: Record<string, { input: number; cacheRead: number; cacheWrite: number; output: number }> = {
  "gpt-4o": { input: 2.5, cacheRead: 1.25, cacheWrite: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, cacheRead: 0.075, cacheWrite: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, cacheRead: 0.5, cacheWrite: 2, output: 8 },
  "claude-sonnet-4-5": { input: 3, cacheRead: 0.3, cacheWrite: 3.75, output: 15 },
  "gemini-2.5-flash": { input: 0.3, cacheRead: 0.3, cacheWrite: 0.3, output: 2.5 },
};
