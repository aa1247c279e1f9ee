import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";

/** The public API's auth, validation and settings round trip, against the running app. */
let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => app?.stop());

const get = (path: string, key = app.apiKey) => fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe("public API", () => {
  it("answers health 200 once migrated", async () => {
    const response = await fetch(`${app.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("refuses a wrong or missing key with 401 and the error shape", async () => {
    for (const response of [await get("/api/v1/calls", "sous_wrong"), await fetch(`${app.baseUrl}/api/v1/settings`)]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("Bearer") } });
    }
  });

  it("rejects bad query parameters with 400 naming the parameter", async () => {
    const badLimit = await get("/api/v1/calls?limit=5000");
    expect(badLimit.status).toBe(400);
    expect((await badLimit.json()).error.message).toMatch(/limit/);
    const badTime = await get("/api/v1/calls?from=yesterday-ish");
    expect(badTime.status).toBe(400);
    expect((await badTime.json()).error.message).toMatch(/from/);
    const badCursor = await get("/api/v1/calls?cursor=bm9wZQ");
    expect(badCursor.status).toBe(400);
  });

  it("reads and updates settings, and resets a field with null", async () => {
    const before = await (await get("/api/v1/settings")).json();
    expect(before.data).toMatchObject({ retentionDays: 30, ttftBudgetMs: 300, timeZone: "UTC" });
    const put = (body: unknown) =>
      fetch(`${app.baseUrl}/api/v1/settings`, {
        method: "PUT",
        headers: { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const updated = await put({ ttftBudgetMs: 450, timeZone: "Europe/Paris" });
    expect(updated.status).toBe(200);
    expect((await updated.json()).data).toMatchObject({ ttftBudgetMs: 450, timeZone: "Europe/Paris" });
    const invalid = await put({ timeZone: "Mars/Olympus" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.message).toMatch(/timeZone/);
    const reset = await put({ ttftBudgetMs: null });
    expect((await reset.json()).data).toMatchObject({ ttftBudgetMs: 300, timeZone: "Europe/Paris" });
  });
});
