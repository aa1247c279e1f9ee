import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type pg from "pg";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { authenticateApiKey, CACHE_TTL_MS, resetApiKeyCache } from "@/lib/auth/authenticate-api-key";
import { ProjectNotFoundError } from "@/lib/projects/get-project";
import type { Queryable } from "@/lib/projects/queryable";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
let projectId: string;
let otherProjectId: string;
beforeAll(async () => {
  db = await startTestDatabase();
  const { rows } = await db.pool.query(
    "INSERT INTO projects (name, slug) VALUES ('Keys', 'keys'), ('Other', 'other') RETURNING id",
  );
  [projectId, otherProjectId] = [rows[0].id, rows[1].id];
});
afterAll(async () => db?.stop());
beforeEach(() => resetApiKeyCache());

/** Counts the queries that reach the database. */
function countingDb(pool: pg.Pool): Queryable & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    query: ((text: string, values?: unknown[]) => {
      queries.push(text);
      return pool.query(text, values);
    }) as Queryable["query"],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("API keys", () => {
  it("creates a key shown once and stores only its hash and prefix", async () => {
    const created = await createApiKey(projectId, "  checkout-service ", db.pool);
    expect(created.key).toMatch(/^sous_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ projectId, name: "checkout-service", keyPrefix: created.key.slice(0, 12), revokedAt: null });
    const { rows } = await db.pool.query("SELECT * FROM api_keys WHERE id = $1", [created.id]);
    expect(JSON.stringify(rows[0])).not.toContain(created.key);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await listApiKeys(projectId, db.pool);
    expect(listed.map((key) => key.id)).toContain(created.id);
    expect(Object.keys(listed[0]!)).not.toContain("key");
  });

  it("refuses a missing project and an empty name", async () => {
    await expect(createApiKey("00000000-0000-4000-8000-000000000000", "x", db.pool)).rejects.toBeInstanceOf(ProjectNotFoundError);
    await expect(createApiKey("not-a-uuid", "x", db.pool)).rejects.toBeInstanceOf(ProjectNotFoundError);
    await expect(createApiKey(projectId, "  ", db.pool)).rejects.toThrow(/needs a name/);
  });

  it("authenticates Bearer keys and rejects everything else", async () => {
    const { key, id } = await createApiKey(projectId, "auth", db.pool);
    expect(await authenticateApiKey(`Bearer ${key}`, db.pool)).toEqual({ projectId, keyId: id });
    expect(await authenticateApiKey(`bearer ${key}`, db.pool)).toEqual({ projectId, keyId: id });
    const lastChar = key.at(-1) === "A" ? "B" : "A"; // a key that differs in its last character
    expect(await authenticateApiKey(`Bearer ${key.slice(0, -1)}${lastChar}`, db.pool)).toBeNull();
    expect(await authenticateApiKey(key, db.pool)).toBeNull();
    expect(await authenticateApiKey(null, db.pool)).toBeNull();
  });

  it("does not query for malformed headers, and shares one query among concurrent requests", async () => {
    const { key } = await createApiKey(projectId, "hot path", db.pool);
    const counting = countingDb(db.pool);
    await authenticateApiKey("Bearer short", counting);
    await authenticateApiKey("Basic abc", counting);
    expect(counting.queries).toHaveLength(0);
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticateApiKey(`Bearer ${key}`, counting)));
    expect(new Set(results.map((result) => result?.projectId))).toEqual(new Set([projectId]));
    const lookups = counting.queries.filter((query) => query.startsWith("SELECT"));
    expect(lookups).toHaveLength(1);
    await authenticateApiKey(`Bearer ${key}`, counting);
    expect(counting.queries.filter((query) => query.startsWith("SELECT"))).toHaveLength(1); // cached
  });

  it("stops accepting a revoked key at once here, and within the cache TTL when revoked elsewhere", async () => {
    const local = await createApiKey(projectId, "revoked here", db.pool);
    expect(await authenticateApiKey(`Bearer ${local.key}`, db.pool)).not.toBeNull();
    expect(await revokeApiKey(local.id, { db: db.pool })).toMatchObject({ id: local.id, revokedAt: expect.any(Date) });
    expect(await authenticateApiKey(`Bearer ${local.key}`, db.pool)).toBeNull();
    expect(await revokeApiKey(local.id, { db: db.pool })).toBeNull(); // already revoked

    const remote = await createApiKey(projectId, "revoked elsewhere", db.pool);
    expect(await authenticateApiKey(`Bearer ${remote.key}`, db.pool)).not.toBeNull();
    await db.pool.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [remote.id]); // another instance
    expect(await authenticateApiKey(`Bearer ${remote.key}`, db.pool)).not.toBeNull(); // still cached
    await sleep(CACHE_TTL_MS + 50);
    expect(await authenticateApiKey(`Bearer ${remote.key}`, db.pool)).toBeNull();
  });

  it("revokes only within the given project", async () => {
    const { id, key } = await createApiKey(projectId, "scoped", db.pool);
    expect(await revokeApiKey(id, { projectId: otherProjectId, db: db.pool })).toBeNull();
    expect(await authenticateApiKey(`Bearer ${key}`, db.pool)).not.toBeNull();
    expect(await revokeApiKey(id, { projectId, db: db.pool })).not.toBeNull();
    expect(await revokeApiKey("nope", { db: db.pool })).toBeNull();
  });

  it("records last use at most once a minute, across cache refreshes", async () => {
    const { id, key } = await createApiKey(projectId, "last used", db.pool);
    const counting = countingDb(db.pool);
    await authenticateApiKey(`Bearer ${key}`, counting);
    await authenticateApiKey(`Bearer ${key}`, counting);
    await sleep(CACHE_TTL_MS + 50);
    await authenticateApiKey(`Bearer ${key}`, counting);
    expect(counting.queries.filter((query) => query.startsWith("SELECT"))).toHaveLength(2);
    expect(counting.queries.filter((query) => query.includes("last_used_at = now()"))).toHaveLength(1);
    const { rows } = await db.pool.query("SELECT last_used_at FROM api_keys WHERE id = $1", [id]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
  });
});
