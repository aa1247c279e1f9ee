import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { ProjectNotFoundError } from "@/lib/projects/get-project";
import {
  getProjectSettings,
  invalidateProjectSettings,
  readProjectSettings,
  updateProjectSettings,
} from "@/lib/settings/project-settings";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

let db: TestDatabase;
let projectId: string;
beforeAll(async () => {
  db = await startTestDatabase();
  const { rows } = await db.pool.query("INSERT INTO projects (name, slug) VALUES ('Settings', 'settings') RETURNING id");
  projectId = rows[0].id;
});
afterAll(async () => db?.stop());
afterEach(async () => {
  invalidateProjectSettings();
  delete process.env.SOUS_RETENTION_DAYS;
  await db.pool.query("DELETE FROM project_settings");
});

describe("project settings", () => {
  it("follows the defaults until the project stores its own", async () => {
    expect(await getProjectSettings(projectId, db.pool)).toEqual({ ...BUILT_IN_SETTINGS, customized: [] });
    process.env.SOUS_RETENTION_DAYS = "14";
    expect((await readProjectSettings(projectId, db.pool)).retentionDays).toBe(14);
  });

  it("updates only the given fields, and null resets one to its default", async () => {
    const updated = await updateProjectSettings(
      projectId,
      { retentionDays: 90, timeZone: "europe/berlin", serviceTtftBudgets: { search: 800 }, allocationTagKeys: [] },
      db.pool,
    );
    expect(updated).toMatchObject({
      retentionDays: 90,
      timeZone: "Europe/Berlin",
      serviceTtftBudgets: { search: 800 },
      allocationTagKeys: [], // an explicit empty list is kept, not taken for "default"
      ttftBudgetMs: 300,
      customized: ["retentionDays", "allocationTagKeys", "serviceTtftBudgets", "timeZone"],
    });
    const next = await updateProjectSettings(projectId, { ttftBudgetMs: 250, timeZone: null }, db.pool);
    expect(next).toMatchObject({ retentionDays: 90, ttftBudgetMs: 250, timeZone: "UTC", serviceTtftBudgets: { search: 800 } });
    expect(next.customized).not.toContain("timeZone");
    expect(await readProjectSettings(projectId, db.pool)).toEqual(next);
  });

  it("rejects invalid updates with every problem named, and stores nothing", async () => {
    const error = await updateProjectSettings(projectId, { retentionDays: 0, timeZone: "Nowhere/City" }, db.pool).catch((e) => e);
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((issue) => issue.path.join("."))).toEqual(["retentionDays", "timeZone"]);
    expect((await readProjectSettings(projectId, db.pool)).customized).toEqual([]);
  });

  it("refuses an unknown project", async () => {
    await expect(updateProjectSettings("00000000-0000-4000-8000-000000000000", { retentionDays: 7 }, db.pool)).rejects.toBeInstanceOf(
      ProjectNotFoundError,
    );
  });

  it("caches reads briefly, and an update through this module is seen at once", async () => {
    expect((await getProjectSettings(projectId, db.pool)).retentionDays).toBe(30);
    await db.pool.query("INSERT INTO project_settings (project_id, retention_days) VALUES ($1, 7)", [projectId]); // elsewhere
    expect((await getProjectSettings(projectId, db.pool)).retentionDays).toBe(30); // cached
    await updateProjectSettings(projectId, { ttftBudgetMs: 200 }, db.pool);
    expect(await getProjectSettings(projectId, db.pool)).toMatchObject({ retentionDays: 7, ttftBudgetMs: 200 });
  });
});
