import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";

/**
 * GET /api/v1/summary and /api/v1/timeseries against the running app: calls sent through the
 * OTLP receiver show up in the rollups within 5 s, with numbers computed here from what was sent.
 */
let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => app?.stop());

const get = (path: string, key = app.apiKey) => fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
const service = `api-test-${randomBytes(3).toString("hex")}`;
const sent: { ttftMs: number; input: number; cacheRead: number; output: number; model: string; startMs: number }[] = [];

function span(call: (typeof sent)[number]) {
  const start = BigInt(call.startMs) * 1_000_000n;
  const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
  return {
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: `chat ${call.model}`,
    kind: 3,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 2_000_000_000n),
    attributes: [
      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
      { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
      { key: "gen_ai.request.model", value: { stringValue: call.model } },
      int("gen_ai.usage.input_tokens", call.input),
      int("gen_ai.usage.output_tokens", call.output),
      int("gen_ai.usage.cache_read.input_tokens", call.cacheRead),
      { key: "gen_ai.response.time_to_first_chunk", value: { doubleValue: call.ttftMs / 1000 } },
      { key: "team", value: { stringValue: call.model === "gpt-4o" ? "payments" : "growth" } },
    ],
  };
}

describe("analytics API", () => {
  it("summarizes sent calls within 5 s, per model, with exact sums and ratios", async () => {
    const now = Date.now();
    for (let i = 0; i < 40; i++) {
      sent.push({ ttftMs: 100 + i * 10, input: 1000 + i, cacheRead: i % 2 ? 512 : 0, output: 50, model: i % 4 ? "gpt-4o" : "gpt-4o-mini", startMs: now - 60_000 - i * 1000 });
    }
    const body = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: "t" }, spans: sent.map(span) }] }] };
    const posted = await fetch(`${app.baseUrl}/api/otlp/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(posted.status).toBe(200);
    const acknowledgedAt = Date.now();

    // Rounded to the minute, so the answer comes from the rollup tiers alone, not raw edges.
    const from = new Date(Math.floor((now - 3_600_000) / 60_000) * 60_000).toISOString();
    const to = new Date(Math.floor(now / 60_000) * 60_000).toISOString();
    const path = `/api/v1/summary?service=${service}&groupBy=model&from=${from}&to=${to}`;
    let summary: { data: Array<Record<string, unknown>>; source: string } = { data: [], source: "" };
    while (Date.now() - acknowledgedAt < 5_000) {
      summary = await (await get(path)).json();
      if (summary.data.reduce((sum, row) => sum + (row.calls as number), 0) === sent.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(summary.source).toBe("rollups");
    for (const model of ["gpt-4o", "gpt-4o-mini"]) {
      const calls = sent.filter((call) => call.model === model);
      const row = summary.data.find((candidate) => candidate.group === model)!;
      expect(row, `${model} within 5 s of the acknowledgement`).toBeDefined();
      expect(row.calls).toBe(calls.length);
      expect(row.inputTokens).toBe(calls.reduce((sum, call) => sum + call.input, 0));
      expect(row.cacheReadTokens).toBe(calls.reduce((sum, call) => sum + call.cacheRead, 0));
      expect(row.cacheHitRate).toBe(calls.reduce((sum, call) => sum + call.cacheRead, 0) / calls.reduce((sum, call) => sum + call.input, 0));
      expect(row.cachedCallRate).toBe(calls.filter((call) => call.cacheRead > 0).length / calls.length);
      expect(row.withinBudgetRate).toBe(calls.filter((call) => call.ttftMs <= 300).length / calls.length);
      const sorted = calls.map((call) => call.ttftMs).sort((a, b) => a - b);
      const p50 = sorted[Math.ceil(0.5 * sorted.length) - 1]!;
      expect(Math.abs((row.ttftMs as { p50: number }).p50 - p50) / p50).toBeLessThanOrEqual(0.01);
      expect(typeof row.costUsd).toBe("number");
    }
  });

  it("lists every time bucket and states what a gap holds", async () => {
    const to = new Date();
    const from = new Date(Math.floor(to.getTime() / 3_600_000) * 3_600_000 - 3 * 3_600_000); // 3 whole hours and this one
    const response = await get(`/api/v1/timeseries?metric=calls,ttftMs&interval=1h&service=${service}&from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(response.status).toBe(200);
    const series = await response.json();
    expect(series.buckets).toEqual([0, 1, 2, 3].map((hour) => new Date(from.getTime() + hour * 3_600_000).toISOString()));
    expect(series.gaps).toEqual({ calls: 0, ttftMs: null });
    const points = series.data[0].points as Array<{ time: string; calls: number }>;
    expect(points.map((point) => point.time)).toEqual(series.buckets);
    expect(points.reduce((sum, point) => sum + point.calls, 0)).toBe(sent.length);
  });

  it("groups by an allocation tag from the rollups", async () => {
    const response = await get(`/api/v1/summary?service=${service}&groupBy=attribute:team&metrics=calls,costUsd`);
    const summary = await response.json();
    expect(summary.source).toBe("rollups");
    expect(Object.fromEntries(summary.data.map((row: { group: string; calls: number }) => [row.group, row.calls]))).toEqual({
      payments: sent.filter((call) => call.model === "gpt-4o").length,
      growth: sent.filter((call) => call.model !== "gpt-4o").length,
    });
  });

  it("answers 400 naming the bad parameter, and 401 without a key", async () => {
    for (const [path, word] of [
      ["/api/v1/summary?groupBy=colour", "groupBy"],
      ["/api/v1/summary?metrics=speed", "metric"],
      ["/api/v1/timeseries?metric=calls&interval=7m", "interval"],
      ["/api/v1/timeseries?metric=calls&interval=1m&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "buckets"],
      ["/api/v1/summary?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect((await response.json()).error.message, path).toMatch(new RegExp(word));
    }
    expect((await get("/api/v1/summary", "sous_nope")).status).toBe(401);
  });
});
