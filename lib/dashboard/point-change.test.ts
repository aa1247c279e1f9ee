import { describe, expect, it } from "vitest";
import { formatPointChange } from "@/lib/dashboard/point-change";

describe("percentage-point changes", () => {
  it("signs and rounds to a tenth of a point", () => {
    expect(formatPointChange(0.012)).toBe("+1.2 pp");
    expect(formatPointChange(-0.05)).toBe("−5.0 pp");
    expect(formatPointChange(0.0004)).toBe("±0 pp");
    expect(formatPointChange(null)).toBe("—");
  });
});
