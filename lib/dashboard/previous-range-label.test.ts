import { describe, expect, it } from "vitest";
import { previousRangeLabel } from "@/lib/dashboard/previous-range-label";

describe("previousRangeLabel", () => {
  it("names the previous period of a preset", () => {
    const range = { from: new Date(0), to: new Date(86_400_000) };
    expect(previousRangeLabel({ kind: "preset", preset: "24h" }, range)).toBe("vs the previous 24 hours");
    expect(previousRangeLabel({ kind: "preset", preset: "1h" }, range)).toBe("vs the previous hour");
  });

  it("gives a custom range's length", () => {
    const custom = (ms: number) => ({ kind: "custom" as const, from: new Date(0), to: new Date(ms) });
    expect(previousRangeLabel(custom(3 * 3_600_000), { from: new Date(0), to: new Date(3 * 3_600_000) })).toBe("vs the 3 hours before");
    expect(previousRangeLabel(custom(86_400_000), { from: new Date(0), to: new Date(86_400_000) })).toBe("vs the day before");
    expect(previousRangeLabel(custom(90 * 60_000), { from: new Date(0), to: new Date(90 * 60_000) })).toBe("vs the 90 minutes before");
  });
});
