import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey, resetApiKeyCache } from "@/lib/auth/authenticate-api-key";
import { generateApiKey } from "@/lib/auth/api-key-format";
import { authenticateUser } from "@/lib/auth/users";
import { bootstrapDefaultProject, DEFAULT_ADMIN_EMAIL } from "@/lib/projects/bootstrap";
import { getDefaultProject, getProject, getProjectBySlug } from "@/lib/projects/get-project";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());
afterEach(async () => {
  resetApiKeyCache();
  await db.pool.query("TRUNCATE projects, users CASCADE");
});

async function count(table: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

describe("bootstrapDefaultProject", () => {
  it("creates the default project, a key and an admin on first start, and nothing after", async () => {
    const first = await bootstrapDefaultProject(db.pool);
    expect(first.project).toMatchObject({ name: "Default", slug: "default", isDefault: true });
    expect(first.isProjectCreated).toBe(true);
    expect(first.createdProjectKey).toMatch(/^sous_/);
    expect(await authenticateApiKey(`Bearer ${first.createdProjectKey}`, db.pool)).toMatchObject({ projectId: first.project.id });
    expect(first.createdAdmin?.email).toBe(DEFAULT_ADMIN_EMAIL);
    expect(await authenticateUser(DEFAULT_ADMIN_EMAIL, first.createdAdmin!.password, db.pool)).not.toBeNull();
    const { rows } = await db.pool.query("SELECT role FROM project_members");
    expect(rows).toEqual([{ role: "admin" }]);

    const second = await bootstrapDefaultProject(db.pool);
    expect(second).toMatchObject({ isProjectCreated: false, createdProjectKey: null, createdAdmin: null, project: first.project });
    expect([await count("projects"), await count("api_keys"), await count("users")]).toEqual([1, 1, 1]);
    expect(await getDefaultProject(db.pool)).toEqual(first.project);
    expect(await getProject(first.project.id, db.pool)).toEqual(first.project);
    expect(await getProjectBySlug("default", db.pool)).toEqual(first.project);
    expect(await getProject("not-a-uuid", db.pool)).toBeNull();
  });

  it("is safe when instances start together", async () => {
    const results = await Promise.all([1, 2, 3].map(() => bootstrapDefaultProject(db.pool)));
    expect(results.filter((result) => result.isProjectCreated)).toHaveLength(1);
    expect(results.filter((result) => result.createdProjectKey !== null)).toHaveLength(1);
    expect([await count("projects"), await count("api_keys"), await count("users")]).toEqual([1, 1, 1]);
  });

  it("adds SOUS_INIT_PROJECT_KEY and SOUS_INIT_ADMIN_* at every start when missing", async () => {
    const initKey = generateApiKey();
    const options = { initProjectKey: initKey, initAdminEmail: "Ops@Example.com", initAdminPassword: "s3cret-from-env" };
    const first = await bootstrapDefaultProject(db.pool, options);
    expect(first).toMatchObject({ isProjectCreated: true, initKey: "added", initAdmin: "created", createdAdmin: null });
    expect(first.createdProjectKey).toMatch(/^sous_/); // the generated key exists too
    expect(await authenticateApiKey(`Bearer ${initKey}`, db.pool)).toMatchObject({ projectId: first.project.id });
    expect(await authenticateUser("ops@example.com", "s3cret-from-env", db.pool)).not.toBeNull();
    expect(await count("users")).toBe(1); // no admin@localhost when an admin is configured

    const again = await bootstrapDefaultProject(db.pool, options);
    expect(again).toMatchObject({ initKey: "present", initAdmin: "present", createdAdmin: null, createdProjectKey: null });
    expect(await count("api_keys")).toBe(2);
    const { rows } = await db.pool.query("SELECT name FROM api_keys ORDER BY name");
    expect(rows.map((row) => row.name)).toEqual(["default key", "init key"]);

    // A later start with a new key and password: the key is added, the password is not reset.
    const newKey = generateApiKey();
    const later = await bootstrapDefaultProject(db.pool, { ...options, initProjectKey: newKey, initAdminPassword: "changed" });
    expect(later).toMatchObject({ initKey: "added", initAdmin: "present" });
    expect(await authenticateUser("ops@example.com", "s3cret-from-env", db.pool)).not.toBeNull();
    expect(await authenticateUser("ops@example.com", "changed", db.pool)).toBeNull();
  });

  it("adds an init admin to an existing installation, and makes an existing user admin", async () => {
    await bootstrapDefaultProject(db.pool);
    const added = await bootstrapDefaultProject(db.pool, { initAdminEmail: "new@example.com", initAdminPassword: "pw-123456" });
    expect(added.initAdmin).toBe("created");
    const project = await getDefaultProject(db.pool);
    await db.pool.query("UPDATE project_members SET role = 'viewer' WHERE user_id = (SELECT id FROM users WHERE email = 'new@example.com')");
    const promoted = await bootstrapDefaultProject(db.pool, { initAdminEmail: "new@example.com", initAdminPassword: "other" });
    expect(promoted.initAdmin).toBe("made_admin");
    const { rows } = await db.pool.query(
      "SELECT u.email, m.role FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 ORDER BY u.email",
      [project.id],
    );
    expect(rows).toEqual([
      { email: DEFAULT_ADMIN_EMAIL, role: "admin" },
      { email: "new@example.com", role: "admin" },
    ]);
  });

  it("keeps a revoked init key revoked and says so", async () => {
    const initKey = generateApiKey();
    await bootstrapDefaultProject(db.pool, { initProjectKey: initKey });
    await db.pool.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'init key'");
    const result = await bootstrapDefaultProject(db.pool, { initProjectKey: initKey });
    expect(result.initKey).toBe("present");
    expect(result.warnings.join(" ")).toMatch(/revoked/);
    expect(await authenticateApiKey(`Bearer ${initKey}`, db.pool)).toBeNull();
  });

  it("refuses an unusable init key or admin email with a clear message", async () => {
    await expect(bootstrapDefaultProject(db.pool, { initProjectKey: "short" })).rejects.toThrow(/SOUS_INIT_PROJECT_KEY must be/);
    await expect(bootstrapDefaultProject(db.pool, { initAdminEmail: "not an email" })).rejects.toThrow(/SOUS_INIT_ADMIN_EMAIL/);
    expect(await count("projects")).toBe(0);
  });

  it("hands out a demo key: the new project's, the init key, or a rotated one", async () => {
    const first = await bootstrapDefaultProject(db.pool, { needsDemoKey: true });
    expect(first.demoKey).toBe(first.createdProjectKey);
    const initKey = generateApiKey();
    expect((await bootstrapDefaultProject(db.pool, { needsDemoKey: true, initProjectKey: initKey })).demoKey).toBe(initKey);
    const rotated = await bootstrapDefaultProject(db.pool, { needsDemoKey: true });
    const rotatedAgain = await bootstrapDefaultProject(db.pool, { needsDemoKey: true });
    expect(await authenticateApiKey(`Bearer ${rotatedAgain.demoKey}`, db.pool)).not.toBeNull();
    expect(await authenticateApiKey(`Bearer ${rotated.demoKey}`, db.pool)).toBeNull();
    expect((await bootstrapDefaultProject(db.pool)).demoKey).toBeNull();
  });
});
