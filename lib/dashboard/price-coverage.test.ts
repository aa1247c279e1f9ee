import { describe, expect, it } from "vitest";
import { markPricedModels, patternsInUse } from "@/lib/dashboard/price-coverage";

describe("markPricedModels", () => {
  it("tells a model with no price row from one whose calls had no token counts", () => {
    const rows = [
      { model: "acme-llm-7", unknownCostCalls: 3, calls: 3 },
      { model: "gpt-4o-mini", unknownCostCalls: 2, calls: 40 },
      { model: "claude-sonnet-4-5-20250929", unknownCostCalls: 1, calls: 9 },
      { model: "gpt-4o-2024-08-06", unknownCostCalls: 1, calls: 5 },
    ];
    const marked = markPricedModels(rows, ["gpt-4o-mini", "claude-sonnet-4*", "gpt-4o", "not a pattern"]);
    expect(marked.map((row) => [row.model, row.hasPrice])).toEqual([
      ["acme-llm-7", false],
      ["gpt-4o-mini", true],
      ["claude-sonnet-4-5-20250929", true],
      // An exact name covers its dated snapshots.
      ["gpt-4o-2024-08-06", true],
    ]);
  });
});

describe("patternsInUse", () => {
  it("picks the most specific pattern for each model seen", () => {
    const patterns = ["gpt-4o", "gpt-4o-mini", "claude-opus-4*", "claude-opus-4-1", "gemini-2.5-pro*", "o3"];
    const used = patternsInUse(["gpt-4o-mini", "claude-opus-4-1-20250805", "claude-opus-4-5", "unknown-model"], patterns);
    expect([...used].sort()).toEqual(["claude-opus-4*", "claude-opus-4-1", "gpt-4o-mini"]);
  });
});
