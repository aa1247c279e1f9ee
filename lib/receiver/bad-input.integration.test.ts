import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";

/**
 * Bad input over real HTTP: each case gets its documented status, and no good span in the same
 * request is lost.
 */
let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => app?.stop());

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

function llmSpan(service: string, overrides: Record<string, unknown> = {}) {
  const start = nowNs() - 5_000_000_000n;
  return {
    traceId: hex(16),
    spanId: hex(8),
    name: "chat gpt-4o",
    kind: 3,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 900_000_000n),
    attributes: [
      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
      { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
      { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
      { key: "gen_ai.usage.input_tokens", value: { intValue: "120" } },
      { key: "gen_ai.usage.output_tokens", value: { intValue: 30 } },
      { key: "service.test.marker", value: { stringValue: service } },
    ],
    ...overrides,
  };
}

function request(service: string, spans: unknown[]) {
  return {
    resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: "t" }, spans }] }],
  };
}

async function post(body: BodyInit, headers: Record<string, string> = {}, key = app.apiKey) {
  return fetch(`${app.baseUrl}/api/otlp/v1/traces`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body,
  });
}

async function storedSpanIds(service: string): Promise<string[]> {
  const response = await fetch(`${app.baseUrl}/api/v1/calls?service=${service}&limit=1000`, {
    headers: { authorization: `Bearer ${app.apiKey}` },
  });
  const { data } = (await response.json()) as { data: Array<{ spanId: string }> };
  return data.map((call) => call.spanId).sort();
}

describe("bad input", () => {
  it("rejects bad spans alone and keeps their good neighbours (partial success)", async () => {
    const service = `mixed-${hex(3)}`;
    const good = [llmSpan(service), llmSpan(service), llmSpan(service, { endTimeUnixNano: llmSpan(service).startTimeUnixNano })];
    const zeroDuration = good[2] as { startTimeUnixNano: string };
    zeroDuration.startTimeUnixNano = (good[2] as { endTimeUnixNano: string }).endTimeUnixNano;
    const huge = llmSpan(service);
    huge.attributes.push({ key: "blob", value: { stringValue: "x".repeat(2_000_000) } });
    const manyAttributes = llmSpan(service);
    for (let i = 0; i < 10_000; i++) manyAttributes.attributes.push({ key: `k${i}`, value: { stringValue: "v" } });
    const bad = [
      llmSpan(service, { traceId: hex(8) }), // id of the wrong length
      llmSpan(service, { spanId: "zz".repeat(8) }), // not hex
      llmSpan(service, { startTimeUnixNano: String(nowNs() + 7_200_000_000_000n), endTimeUnixNano: String(nowNs() + 7_201_000_000_000n) }), // 2 h ahead
      llmSpan(service, { startTimeUnixNano: "0", endTimeUnixNano: "10" }), // 1970
      llmSpan(service, { startTimeUnixNano: "-5", endTimeUnixNano: "10" }), // before 1970
      llmSpan(service, { endTimeUnixNano: "1000" }), // negative duration
      llmSpan(service, { startTimeUnixNano: { nanos: 5 } }), // wrong type
    ];
    const response = await post(JSON.stringify(request(service, [...good, bad[0], huge, ...bad.slice(1), manyAttributes])));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.partialSuccess.rejectedSpans).toBe(String(bad.length));
    expect(body.partialSuccess.errorMessage).toMatch(/trace/i);
    const expected = [...good, huge, manyAttributes].map((span) => span.spanId).sort();
    expect(await storedSpanIds(service)).toEqual(expected);

    const stats = await (await fetch(`${app.baseUrl}/api/v1/ingest-stats`, { headers: { authorization: `Bearer ${app.apiKey}` } })).json();
    const rejectedRows = (stats.data as Array<{ serviceName: string; reason: string; spanCount: number; lastMessage: string | null }>)
      .filter((row) => row.serviceName === service && row.reason !== "");
    expect(rejectedRows.reduce((sum, row) => sum + row.spanCount, 0)).toBe(bad.length);
    expect(rejectedRows.every((row) => (row.lastMessage ?? "").length > 0)).toBe(true);
  });

  it("answers 400 to invalid JSON and truncated protobuf, with a message that says what to fix", async () => {
    const json = await post("{ not json");
    expect(json.status).toBe(400);
    expect((await json.json()).message).toMatch(/JSON/);
    const protobuf = await post(new Uint8Array([0x0a, 0xff, 0x01, 0x0a]), { "content-type": "application/x-protobuf" });
    expect(protobuf.status).toBe(400);
    expect(protobuf.headers.get("content-type")).toBe("application/x-protobuf");
  });

  it("answers 415 to another content type and 413 to a gzip bomb", async () => {
    expect((await post("hello", { "content-type": "text/plain" })).status).toBe(415);
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const response = await post(bomb, { "content-encoding": "gzip" });
    expect(response.status).toBe(413);
    expect((await response.json()).message).toMatch(/batch size/);
  });

  it("answers 401 to a revoked key within a second, and keeps accepting other keys", async () => {
    const keysCli = (...args: string[]) =>
      execFileSync(process.execPath, [path.join("node_modules/tsx/dist/cli.mjs"), "scripts/keys.ts", ...args], {
        env: { ...process.env, DATABASE_URL: "", SOUS_DATA_DIR: app.dataDir },
        encoding: "utf8",
      });
    const created = keysCli("create", "short-lived");
    const key = /^\s+(\S+)\s*$/m.exec(created)![1]!;
    const id = /\(id ([0-9a-f-]+)\)/.exec(created)![1]!;
    const service = `revoked-${hex(3)}`;
    expect((await post(JSON.stringify(request(service, [llmSpan(service)])), {}, key)).status).toBe(200);
    keysCli("revoke", id);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await post(JSON.stringify(request(service, [llmSpan(service)])), {}, key)).status).toBe(401);
    expect((await post(JSON.stringify(request(service, [llmSpan(service)])))).status).toBe(200);
    expect(await storedSpanIds(service)).toHaveLength(2);
  });
});
