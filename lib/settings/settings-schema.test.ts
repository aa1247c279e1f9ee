import { describe, expect, it } from "vitest";
import { projectSettingsPatchSchema, ttftBudgetFor } from "@/lib/settings/settings-schema";

function messages(input: unknown): string[] {
  const result = projectSettingsPatchSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("projectSettingsPatchSchema", () => {
  it("accepts a partial update, with null meaning back to the default", () => {
    expect(projectSettingsPatchSchema.parse({ retentionDays: 90, timeZone: null })).toEqual({ retentionDays: 90, timeZone: null });
    expect(projectSettingsPatchSchema.parse({})).toEqual({});
  });

  it("canonicalizes time zones and trims attribute keys", () => {
    expect(projectSettingsPatchSchema.parse({ timeZone: "europe/paris" }).timeZone).toBe("Europe/Paris");
    expect(projectSettingsPatchSchema.parse({ timeZone: "UTC" }).timeZone).toBe("UTC");
    expect(projectSettingsPatchSchema.parse({ allocationTagKeys: [" team ", "app.feature"] }).allocationTagKeys).toEqual([
      "team",
      "app.feature",
    ]);
  });

  it("explains what is wrong, field by field", () => {
    expect(messages({ retentionDays: 0 })).toEqual(["retentionDays: must be a whole number of days from 1 to 3650"]);
    expect(messages({ retentionDays: 1.5 })[0]).toMatch(/whole number/);
    expect(messages({ retentionDays: "30" })[0]).toMatch(/must be a whole number/);
    expect(messages({ timeZone: "Mars/Olympus_Mons" })[0]).toMatch(/^timeZone: .*IANA time zone/);
    expect(messages({ allocationTagKeys: ["team", "team"] })[0]).toMatch(/lists a key twice/);
    expect(messages({ allocationTagKeys: ["my team"] })[0]).toMatch(/allocationTagKeys\.0: .*spaces or commas/);
    expect(messages({ serviceTtftBudgets: { checkout: -1 } })[0]).toMatch(/serviceTtftBudgets\.checkout: .*milliseconds from 1/);
    expect(messages({ workloadAttribute: "" })[0]).toMatch(/cannot be empty/);
    expect(messages({ retentionDay: 30 })[0]).toMatch(/unknown setting "retentionDay"; known: retentionDays/);
    expect(messages([1, 2]).length).toBeGreaterThan(0);
  });
});

describe("ttftBudgetFor", () => {
  it("uses a service's own budget, else the project's", () => {
    const settings = { ttftBudgetMs: 300, serviceTtftBudgets: { search: 800 } };
    expect(ttftBudgetFor(settings, "search")).toBe(800);
    expect(ttftBudgetFor(settings, "checkout")).toBe(300);
    expect(ttftBudgetFor(settings, "constructor")).toBe(300);
  });
});
