import { describe, expect, it } from "vitest";
import { formatAxisTime, formatDateTime, formatTimeOfDay, fromZonedInputValue, toZonedInputValue } from "@/lib/format/times";

const instant = new Date("2026-11-25T13:03:05.123Z");

describe("formatting in the project's time zone", () => {
  it("formats date-times and times of day", () => {
    expect(formatDateTime(instant, "UTC")).toBe("2026-11-25 13:03:05");
    expect(formatDateTime(instant, "Europe/Paris")).toBe("2026-11-25 14:03:05");
    expect(formatDateTime(instant, "America/Los_Angeles")).toBe("2026-11-25 05:03:05");
    expect(formatTimeOfDay(instant, "Asia/Kolkata")).toBe("18:33:05");
    expect(formatTimeOfDay(instant, "UTC", { milliseconds: true })).toBe("13:03:05.123");
    expect(formatDateTime(new Date("2026-11-25T00:30:00Z"), "UTC")).toBe("2026-11-25 00:30:00");
  });

  it("picks axis labels by the chart's span", () => {
    expect(formatAxisTime(instant.getTime(), "UTC", 3600_000)).toBe("13:03");
    expect(formatAxisTime(instant.getTime(), "UTC", 3 * 24 * 3600_000)).toBe("Nov 25 13:03");
    expect(formatAxisTime(instant.getTime(), "UTC", 30 * 24 * 3600_000)).toBe("Nov 25");
  });
});

describe("datetime-local values", () => {
  it("round-trips a wall-clock time through the zone", () => {
    expect(toZonedInputValue(instant, "Europe/Paris")).toBe("2026-11-25T14:03");
    expect(fromZonedInputValue("2026-11-25T14:03", "Europe/Paris")?.toISOString()).toBe("2026-11-25T13:03:00.000Z");
    expect(fromZonedInputValue("2026-07-01T09:00", "America/New_York")?.toISOString()).toBe("2026-07-01T13:00:00.000Z");
    expect(fromZonedInputValue("2026-07-01T09:00:30", "UTC")?.toISOString()).toBe("2026-07-01T09:00:30.000Z");
  });

  it("resolves daylight-saving gaps and repeats deterministically", () => {
    // Paris springs forward at 02:00 on 2026-03-29: 02:30 does not exist, it reads as 03:30 CEST.
    expect(fromZonedInputValue("2026-03-29T02:30", "Europe/Paris")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // Paris falls back at 03:00 on 2026-10-25: 02:30 happens twice; the first (CEST) is taken.
    expect(fromZonedInputValue("2026-10-25T02:30", "Europe/Paris")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("rejects what is not a wall-clock time", () => {
    expect(fromZonedInputValue("", "UTC")).toBeNull();
    expect(fromZonedInputValue("2026-02-30T10:00", "UTC")).toBeNull();
    expect(fromZonedInputValue("2026-01-01 10:00", "UTC")).toBeNull();
    expect(fromZonedInputValue("2026-01-01T25:00", "UTC")).toBeNull();
  });
});
