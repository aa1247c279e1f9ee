import { describe, expect, it } from "vitest";
import { bucketLabel } from "@/lib/dashboard/bucket-label";

describe("bucketLabel", () => {
  it("names the bucket the query layer picks for the range", () => {
    const hours = (count: number) => ({ from: new Date(0), to: new Date(count * 3_600_000) });
    expect(bucketLabel(hours(1))).toBe("per minute");
    expect(bucketLabel(hours(6))).toBe("per 5 minutes");
    expect(bucketLabel(hours(24))).toBe("per 15 minutes");
    expect(bucketLabel(hours(7 * 24))).toBe("per hour");
    expect(bucketLabel(hours(30 * 24))).toBe("per day");
  });
});
