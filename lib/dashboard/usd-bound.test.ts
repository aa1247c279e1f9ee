import { describe, expect, it } from "vitest";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

describe("formatUsdBound", () => {
  it("marks lower and upper bounds and keeps the sign with the amount", () => {
    expect(formatUsdBound(0.117, "at-least")).toBe("≥\u00a0$0.117");
    expect(formatUsdBound(12.5, "at-most")).toBe("≤\u00a0$12.50");
    expect(formatUsdBound(0.117, null)).toBe("$0.117");
  });

  it("shows an unknown amount as unknown, with no bound", () => {
    expect(formatUsdBound(null, "at-least")).toBe("—");
  });
});
