import { describe, expect, it } from "vitest";
import { BUILT_IN_SETTINGS, readSettingsDefaults } from "@/lib/settings/settings-defaults";

describe("readSettingsDefaults", () => {
  it("uses the built-in defaults when nothing is set", () => {
    expect(readSettingsDefaults({})).toEqual(BUILT_IN_SETTINGS);
    expect(BUILT_IN_SETTINGS).toMatchObject({ retentionDays: 30, allocationTagLimit: 100, ttftBudgetMs: 300, timeZone: "UTC" });
  });

  it("reads installation-wide defaults from the environment", () => {
    expect(
      readSettingsDefaults({
        SOUS_RETENTION_DAYS: "90",
        SOUS_ALLOCATION_TAGS: "team, cost_center,,feature",
        SOUS_ALLOCATION_TAG_LIMIT: "250",
        SOUS_TTFT_BUDGET_MS: " 500 ",
        SOUS_TIME_ZONE: "america/new_york",
        SOUS_WORKLOAD_ATTRIBUTE: "app.workload",
      }),
    ).toEqual({
      retentionDays: 90,
      allocationTagKeys: ["team", "cost_center", "feature"],
      allocationTagLimit: 250,
      ttftBudgetMs: 500,
      serviceTtftBudgets: {},
      timeZone: "America/New_York",
      workloadAttribute: "app.workload",
    });
  });

  it("names the variable when its value is invalid", () => {
    expect(() => readSettingsDefaults({ SOUS_RETENTION_DAYS: "thirty" })).toThrow('SOUS_RETENTION_DAYS="thirty" is invalid: must be a whole number of days from 1 to 3650.');
    expect(() => readSettingsDefaults({ SOUS_TIME_ZONE: "CEST+2" })).toThrow(/SOUS_TIME_ZONE/);
    expect(() => readSettingsDefaults({ SOUS_TTFT_BUDGET_MS: "0" })).toThrow(/from 1 to/);
    expect(() => readSettingsDefaults({ SOUS_ALLOCATION_TAGS: "team,team" })).toThrow(/twice/);
  });
});
