import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { bool, double, int, nanos, postSpans, text, type Attribute } from "./otlp-json";

export { waitForRollups } from "./otlp-json";

/**
 * Seeds single LLM calls (one span, one trace each) through the real OTLP/HTTP JSON path, from a
 * plain description that the dashboard tests also use to compute what the screens must show, with
 * their own arithmetic (exact-rank percentiles, sums in nano-dollars), never through Sous's queries.
 */
export interface SeedCall {
  service: string;
  model: string;
  /** Epoch ms. */
  startMs: number;
  durationMs: number;
  /** Sent as `gen_ai.response.time_to_first_chunk` (seconds); absent: no TTFT. */
  ttftMs?: number;
  /** Sent as `gen_ai.request.stream`; absent: the instrumentation does not say. */
  isStreamed?: boolean;
  inputTokens: number;
  outputTokens: number;
  /** Sent as `gen_ai.usage.cache_read.input_tokens` (part of the input); absent: not reported. */
  cacheReadTokens?: number;
  /** Sent as `gen_ai.usage.cost`; absent: priced from the price table (if the model has a price). */
  costUsd?: number;
  promptName?: string;
  promptVersion?: string;
  isError?: boolean;
}

export interface SeededCall extends SeedCall {
  traceId: string;
  spanId: string;
}


function attributesOf(call: SeedCall): Attribute[] {
  const attributes = [
    text("gen_ai.operation.name", "chat"),
    text("gen_ai.provider.name", "openai"),
    text("gen_ai.request.model", call.model),
    int("gen_ai.usage.input_tokens", call.inputTokens),
    int("gen_ai.usage.output_tokens", call.outputTokens),
  ];
  if (call.ttftMs !== undefined) attributes.push(double("gen_ai.response.time_to_first_chunk", call.ttftMs / 1000));
  if (call.isStreamed !== undefined) attributes.push(bool("gen_ai.request.stream", call.isStreamed));
  if (call.cacheReadTokens !== undefined) attributes.push(int("gen_ai.usage.cache_read.input_tokens", call.cacheReadTokens));
  if (call.costUsd !== undefined) attributes.push(double("gen_ai.usage.cost", call.costUsd));
  if (call.promptName !== undefined) attributes.push(text("gen_ai.prompt.name", call.promptName));
  if (call.promptVersion !== undefined) attributes.push(text("gen_ai.prompt.version", call.promptVersion));
  if (call.isError) attributes.push(text("error.type", "rate_limited"));
  return attributes;
}

/** Sends the calls (one OTLP request per 500) and returns them with their trace and span ids. */
export async function sendCalls(request: APIRequestContext, calls: readonly SeedCall[]): Promise<SeededCall[]> {
  const seeded = calls.map((call) => ({ ...call, traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex") }));
  for (let start = 0; start < seeded.length; start += 500) {
    const spans = seeded.slice(start, start + 500).map((call) => ({
      service: call.service,
      span: {
        traceId: call.traceId,
        spanId: call.spanId,
        name: `chat ${call.model}`,
        kind: 3,
        startTimeUnixNano: String(nanos(call.startMs)),
        endTimeUnixNano: String(nanos(call.startMs + call.durationMs)),
        attributes: attributesOf(call),
        status: call.isError ? { code: 2, message: "rate limited" } : { code: 0 },
      },
    }));
    await postSpans(request, "e2e", spans);
  }
  return seeded;
}

// ── What the screens must show, computed here from the seed ─────────────────────────────────

/** The exact rank quantile (percentile_disc): the smallest value with at least p of the values at or below it. */
export function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("no values");
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Money as Sous stores it: integer nano-dollars, so sums are exact. */
export const toNano = (usd: number) => Math.round(usd * 1e9);
export const sumUsd = (calls: readonly SeedCall[]) => calls.reduce((sum, call) => sum + toNano(call.costUsd ?? 0), 0) / 1e9;

/** Σ cache reads ÷ Σ input tokens, over the calls that report cache use. */
export function cacheHitRate(calls: readonly SeedCall[]): number {
  const reporting = calls.filter((call) => call.cacheReadTokens !== undefined);
  return reporting.reduce((sum, call) => sum + call.cacheReadTokens!, 0) / reporting.reduce((sum, call) => sum + call.inputTokens, 0);
}

/** A duration as a screen shows it ("377 ms", "1.25 s", "12.3 s") back in milliseconds. */
export function parseShownMs(shown: string): number {
  const match = /^([\d,.]+) (ms|s)$/.exec(shown.trim());
  if (!match) throw new Error(`not a duration: "${shown}"`);
  const value = Number(match[1]!.replace(/,/g, ""));
  return match[2] === "s" ? value * 1000 : value;
}

/**
 * Checks a percentile on screen against the exact rank quantile: the rollups' histograms are good
 * to 1 %, and the display rounds (whole ms below a second, 10 ms up to 10 s, 100 ms up to a minute).
 */
export function expectPercentileNear(shown: string, exact: number, what: string): void {
  const value = parseShownMs(shown);
  const displayStep = exact < 1000 ? 1 : exact < 10_000 ? 10 : 100;
  expect(Math.abs(value - exact), `${what}: shows ${shown}, exact ${exact} ms`).toBeLessThanOrEqual(exact * 0.01 + displayStep / 2);
}

/** A small deterministic pseudo-random sequence, so a failing run can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Opens a screen and waits until it is interactive: a select changed before React hydrates the
 * toolbar would change nothing. The network goes quiet once the page's scripts have loaded and run.
 */
export async function openScreen(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}
