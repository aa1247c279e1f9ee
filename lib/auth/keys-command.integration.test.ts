import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/lib/auth/authenticate-api-key";
import { runKeysCommand } from "@/lib/auth/keys-command";
import { bootstrapDefaultProject } from "@/lib/projects/bootstrap";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
  await bootstrapDefaultProject(db.pool);
  await db.pool.query("INSERT INTO projects (name, slug) VALUES ('Staging', 'staging')");
});
afterAll(async () => db?.stop());

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCommand(args, { db: db.pool, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run keys", () => {
  it("creates, lists and revokes keys", async () => {
    const created = await run("create", "ci pipeline");
    expect(created.code).toBe(0);
    const key = /(sous_[A-Za-z0-9_-]{43})/.exec(created.out)![1]!;
    const caller = await authenticateApiKey(`Bearer ${key}`, db.pool);
    expect(caller).not.toBeNull();

    const listed = await run("list");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ID\s+NAME\s+PREFIX\s+CREATED\s+LAST USED\s+STATUS/);
    expect(listed.out).toContain("ci pipeline");
    expect(listed.out).toContain(`${key.slice(0, 12)}…`);
    expect(listed.out).not.toContain(key);

    const revoked = await run("revoke", caller!.keyId);
    expect(revoked).toMatchObject({ code: 0, out: expect.stringContaining('Revoked key "ci pipeline"') });
    expect((await run("list")).out).toMatch(/ci pipeline.*revoked/);
    expect(await run("revoke", caller!.keyId)).toMatchObject({ code: 1, err: expect.stringContaining("No active key") });
  });

  it("targets another project with --project", async () => {
    expect((await run("create", "stage", "--project", "staging")).code).toBe(0);
    expect((await run("list", "--project=staging")).out).toContain("stage");
    expect(await run("list", "--project", "nope")).toMatchObject({ code: 1, err: 'No project with slug "nope".' });
  });

  it("explains its usage", async () => {
    expect(await run()).toMatchObject({ code: 2, out: expect.stringContaining("Usage: npm run keys") });
    expect(await run("rotate")).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "rotate"') });
    expect(await run("create")).toMatchObject({ code: 2, err: expect.stringContaining("create takes one name") });
  });
});
