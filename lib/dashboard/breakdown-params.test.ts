import { describe, expect, it } from "vitest";
import { CACHE_BREAKDOWNS, costBreakdowns, pickBreakdown } from "@/lib/dashboard/breakdown-params";

describe("breakdown choices in the URL", () => {
  it("offers model, service and each allocation tag on the Cost screen", () => {
    expect(costBreakdowns(["team", "customer"]).map((option) => [option.value, option.label, option.groupBy])).toEqual([
      ["model", "Model", "model"],
      ["service", "Service", "service"],
      ["tag.team", "Team", "attribute:team"],
      ["tag.customer", "Customer", "attribute:customer"],
    ]);
  });

  it("picks the option the URL names, from a record or URLSearchParams, else the first", () => {
    const options = costBreakdowns(["team"]);
    expect(pickBreakdown(options, { by: "tag.team" }).groupBy).toBe("attribute:team");
    expect(pickBreakdown(options, new URLSearchParams("by=service")).groupBy).toBe("service");
    expect(pickBreakdown(options, { by: ["service", "model"] }).groupBy).toBe("service");
    // A tag that is no longer configured, or nonsense: the default.
    expect(pickBreakdown(options, { by: "tag.feature" }).value).toBe("model");
    expect(pickBreakdown(CACHE_BREAKDOWNS, {}).value).toBe("model");
    expect(pickBreakdown(CACHE_BREAKDOWNS, { by: "promptVersion" }).kind).toBe("promptVersion");
  });
});
