import { describe, expect, it } from "vitest";
import { chooseSource, planSegments } from "./plan-query";
import type { AnalyticsQuery } from "./query";

const retention = { minute: 7, hour: 90, day: null };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("planSegments", () => {
  it("takes whole days from the day tier and falls back to hours, minutes and raw spans at the edges", () => {
    const now = at("2026-12-01T12:00:00Z");
    const segments = planSegments(at("2026-11-27T09:41:30.250Z"), at("2026-12-01T11:58:07Z"), "day", "UTC", retention, now);
    expect(segments.map((s) => [s.tier, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["raw", "2026-11-27T09:41:30.250Z", "2026-11-27T09:42:00.000Z"],
      ["minute", "2026-11-27T09:42:00.000Z", "2026-11-27T10:00:00.000Z"],
      ["hour", "2026-11-27T10:00:00.000Z", "2026-11-28T00:00:00.000Z"],
      ["day", "2026-11-28T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
      ["hour", "2026-12-01T00:00:00.000Z", "2026-12-01T11:00:00.000Z"],
      ["minute", "2026-12-01T11:00:00.000Z", "2026-12-01T11:58:00.000Z"],
      ["raw", "2026-12-01T11:58:00.000Z", "2026-12-01T11:58:07.000Z"],
    ]);
  });

  it("uses local hours and days of the project's time zone", () => {
    const now = at("2026-12-01T12:00:00Z");
    const segments = planSegments(at("2026-11-29T00:00:00Z"), at("2026-12-01T00:00:00Z"), "day", "Asia/Kolkata", retention, now);
    // Local midnight in UTC+05:30 is 18:30 UTC; local hours start at hh:30 UTC.
    expect(segments.map((s) => [s.tier, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["minute", "2026-11-29T00:00:00.000Z", "2026-11-29T00:30:00.000Z"],
      ["hour", "2026-11-29T00:30:00.000Z", "2026-11-29T18:30:00.000Z"],
      ["day", "2026-11-29T18:30:00.000Z", "2026-11-30T18:30:00.000Z"],
      ["hour", "2026-11-30T18:30:00.000Z", "2026-11-30T23:30:00.000Z"],
      ["minute", "2026-11-30T23:30:00.000Z", "2026-12-01T00:00:00.000Z"],
    ]);
  });

  it("never uses a tier coarser than the time buckets, and hands expired minutes to raw spans", () => {
    const now = at("2026-12-01T12:00:00Z");
    const hourly = planSegments(at("2026-11-20T10:30:00Z"), at("2026-11-22T00:00:00Z"), "hour", "UTC", retention, now);
    expect(hourly.map((s) => s.tier)).toEqual(["raw", "hour"]); // 2026-11-20 is older than the 7-day minute tier
    expect(iso(hourly[0]!.toMs)).toBe("2026-11-20T11:00:00.000Z");
  });

  it("reads the minutes the tier still holds past its retention: a margin day, whole UTC days, dropped a day at a time", () => {
    const now = at("2026-12-01T12:00:00Z");
    // A week ending 21.5 hours ago starts on the UTC day of now − 8 days (2026-11-23): still in the minute tier.
    const week = planSegments(at("2026-11-23T14:30:10Z"), at("2026-11-30T14:30:10Z"), "day", "UTC", retention, now);
    expect(week.map((s) => [s.tier, iso(s.fromMs)])[0]).toEqual(["raw", "2026-11-23T14:30:10.000Z"]);
    expect(iso(week[0]!.toMs)).toBe("2026-11-23T14:31:00.000Z"); // the partial minute only
    expect(week[1]).toMatchObject({ tier: "minute" });
    // A day earlier is gone: raw spans up to the first whole hour.
    const older = planSegments(at("2026-11-22T22:30:10Z"), at("2026-11-29T22:30:10Z"), "day", "UTC", retention, now);
    expect(older[0]).toMatchObject({ tier: "raw", toMs: at("2026-11-22T23:00:00Z") });
  });

  it("reads hours and days only before the watermark, and the minutes of unfolded hours after it", () => {
    const now = at("2026-12-01T12:20:00Z");
    const watermark = at("2026-12-01T09:00:00Z"); // the job has not folded 09:00–12:00 yet
    const segments = planSegments(at("2026-11-29T00:00:00Z"), at("2026-12-01T12:10:00Z"), "day", "UTC", retention, now, { watermarkMs: watermark });
    expect(segments.map((s) => [s.tier, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["day", "2026-11-29T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
      ["hour", "2026-12-01T00:00:00.000Z", "2026-12-01T09:00:00.000Z"],
      ["minute", "2026-12-01T09:00:00.000Z", "2026-12-01T12:10:00.000Z"],
    ]);
    // A watermark inside a day: that day comes from its hours.
    const early = planSegments(at("2026-11-28T00:00:00Z"), at("2026-12-01T00:00:00Z"), "day", "UTC", retention, now, { watermarkMs: at("2026-11-30T05:00:00Z") });
    expect(early.map((s) => [s.tier, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["day", "2026-11-28T00:00:00.000Z", "2026-11-30T00:00:00.000Z"],
      ["hour", "2026-11-30T00:00:00.000Z", "2026-11-30T05:00:00.000Z"],
      ["minute", "2026-11-30T05:00:00.000Z", "2026-12-01T00:00:00.000Z"],
    ]);
  });

  it("answers an edge by its bucket less the other part when that part is shorter, for sums only", () => {
    const now = at("2026-12-01T12:30:00Z");
    const watermark = { watermarkMs: at("2026-12-01T12:00:00Z"), canSubtract: true };
    const from = at("2026-11-27T03:05:10Z"); // 3 h into its day, 5 min into its hour, 10 s into its minute
    const to = at("2026-12-01T11:58:50Z"); // 70 s before its hour ends, 10 s before its minute does
    const planned = planSegments(from, to, "day", "UTC", retention, now, watermark);
    expect(planned.map((s) => [s.sign, s.tier, iso(s.fromMs), iso(s.toMs)])).toEqual([
      [-1, "hour", "2026-11-27T00:00:00.000Z", "2026-11-27T03:00:00.000Z"],
      [-1, "minute", "2026-11-27T03:00:00.000Z", "2026-11-27T03:05:00.000Z"],
      [-1, "raw", "2026-11-27T03:05:00.000Z", "2026-11-27T03:05:10.000Z"],
      [1, "day", "2026-11-27T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
      [1, "hour", "2026-12-01T00:00:00.000Z", "2026-12-01T12:00:00.000Z"],
      [-1, "raw", "2026-12-01T11:58:50.000Z", "2026-12-01T11:59:00.000Z"],
      [-1, "minute", "2026-12-01T11:59:00.000Z", "2026-12-01T12:00:00.000Z"],
    ]);
    // After the watermark no minute is read whole to subtract from (its deltas may still wait),
    // however long ago it closed; nor one that closed less than a minute ago.
    for (const end of ["2026-12-01T12:10:50Z", "2026-12-01T12:29:50Z"]) {
      const recent = planSegments(from, at(end), "day", "UTC", retention, now, watermark);
      expect(recent.at(-1)).toMatchObject({ sign: 1, tier: "raw", fromMs: Math.floor(at(end) / 60_000) * 60_000 });
    }
    // With a histogram among the metrics, every edge is read as itself.
    expect(planSegments(from, to, "day", "UTC", retention, now, { watermarkMs: watermark.watermarkMs }).every((s) => s.sign === 1)).toBe(true);
  });

  it("reads the edges before the watermark from raw spans instead of minutes when asked to", () => {
    const now = at("2026-12-01T12:20:00Z");
    const watermarkMs = at("2026-12-01T11:00:00Z");
    const options = { watermarkMs, canSubtract: true, minutesAfterWatermarkOnly: true };
    const segments = planSegments(at("2026-11-28T09:50:30Z"), at("2026-12-01T12:10:00Z"), "day", "UTC", retention, now, options);
    expect(segments.map((s) => [s.tier, s.sign, iso(s.fromMs), iso(s.toMs)])).toEqual([
      // The first day less its hours before 10:00, plus the 9.5 minutes of the 09:00 hour outside the range, as spans.
      ["hour", -1, "2026-11-28T00:00:00.000Z", "2026-11-28T10:00:00.000Z"],
      ["raw", 1, "2026-11-28T09:50:30.000Z", "2026-11-28T10:00:00.000Z"],
      ["day", 1, "2026-11-28T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
      ["hour", 1, "2026-12-01T00:00:00.000Z", "2026-12-01T11:00:00.000Z"],
      // After the watermark the hours are in the minute tier only.
      ["minute", 1, "2026-12-01T11:00:00.000Z", "2026-12-01T12:10:00.000Z"],
    ]);
  });

  it("answers a sum's edge inside one bucket as that bucket less the rest of it, when the rest is shorter", () => {
    const now = at("2026-12-01T12:00:00Z");
    // 30 days back the minutes are gone: the first 48 minutes would be raw spans; the hour less 12 minutes of them is cheaper.
    const month = planSegments(at("2026-11-01T23:12:06Z"), at("2026-12-01T10:00:00Z"), "day", "UTC", retention, now, { canSubtract: true });
    expect(month.slice(0, 3).map((s) => [s.tier, s.sign, iso(s.fromMs), iso(s.toMs)])).toEqual([
      ["hour", 1, "2026-11-01T23:00:00.000Z", "2026-11-02T00:00:00.000Z"],
      ["raw", -1, "2026-11-01T23:00:00.000Z", "2026-11-01T23:12:06.000Z"],
      ["day", 1, "2026-11-02T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
    ]);
    // Without subtraction (percentiles) the edge is itself.
    const itself = planSegments(at("2026-11-01T23:12:06Z"), at("2026-12-01T10:00:00Z"), "day", "UTC", retention, now);
    expect(itself[0]).toMatchObject({ tier: "raw", sign: 1, toMs: at("2026-11-02T00:00:00Z") });
  });

  it("adds up to each instant's calls exactly once with subtracted edges, for any edges", () => {
    const now = at("2026-12-01T12:00:00Z");
    for (let i = 0; i < 500; i++) {
      const from = now - Math.floor(Math.random() * 40 * 86_400_000);
      // Every seventh range is short (within a bucket, or across one bucket edge).
      const to = from + 1 + Math.floor(Math.random() * (i % 7 === 0 ? Math.min(3 * 3_600_000, now - from) : now - from));
      const watermark = i % 4 === 0 ? Number.POSITIVE_INFINITY : now - Math.floor(Math.random() * 3) * 3_600_000 - (now % 3_600_000);
      const timeZone = i % 2 ? "UTC" : "Asia/Kolkata";
      const minutesAfterWatermarkOnly = i % 5 === 0;
      const segments = planSegments(from, to, (["day", "hour", "minute"] as const)[i % 3], timeZone, retention, now, {
        watermarkMs: watermark,
        canSubtract: true,
        minutesAfterWatermarkOnly,
      });
      // Every instant inside the range is covered once in all (the signs add up to 1), every other instant 0 times.
      const probes = [from - 1, from, to - 1, to, ...Array.from({ length: 40 }, () => from - 86_400_000 + Math.floor(Math.random() * (to - from + 2 * 86_400_000)))];
      for (const t of probes) {
        const cover = segments.reduce((sum, s) => sum + (s.fromMs <= t && t < s.toMs ? s.sign : 0), 0);
        expect(cover, `${iso(t)} in [${iso(from)}, ${iso(to)})`).toBe(t >= from && t < to ? 1 : 0);
      }
      for (const s of segments) {
        if (s.tier === "hour" || s.tier === "day") expect(s.toMs).toBeLessThanOrEqual(watermark);
        // The minute tier holds the whole UTC day of now − 7 days − the margin day on (retainedFrom), and nothing before.
        if (s.tier === "minute") expect(s.fromMs).toBeGreaterThanOrEqual(at("2026-11-23T00:00:00Z"));
        if (s.tier === "minute" && minutesAfterWatermarkOnly) expect(s.fromMs).toBeGreaterThanOrEqual(watermark);
      }
    }
  });

  it("covers the range exactly, without gaps or overlaps, for any edges", () => {
    const now = at("2026-12-01T12:00:00Z");
    for (let i = 0; i < 500; i++) {
      const from = now - Math.floor(Math.random() * 40 * 86_400_000);
      // Every seventh range is short (within a bucket, or across one bucket edge).
      const to = from + 1 + Math.floor(Math.random() * (i % 7 === 0 ? Math.min(3 * 3_600_000, now - from) : now - from));
      const watermark = i % 4 === 0 ? Number.POSITIVE_INFINITY : now - Math.floor(Math.random() * 3) * 3_600_000 - ((now % 3_600_000));
      const segments = planSegments(from, to, (["day", "hour", "minute"] as const)[i % 3], i % 2 ? "UTC" : "America/New_York", retention, now, { watermarkMs: watermark });
      expect(segments[0]!.fromMs).toBe(from);
      expect(segments.at(-1)!.toMs).toBe(to);
      for (let j = 1; j < segments.length; j++) expect(segments[j]!.fromMs).toBe(segments[j - 1]!.toMs);
      for (const segment of segments) if (segment.tier === "hour" || segment.tier === "day") expect(segment.toMs).toBeLessThanOrEqual(watermark);
    }
  });
});

describe("chooseSource", () => {
  const base: AnalyticsQuery = {
    projectId: "00000000-0000-4000-8000-000000000000",
    metrics: ["calls"],
    groupBy: null,
    interval: null,
    filters: { attributes: {} },
    range: { from: new Date(0), to: new Date(1) },
  };
  const settings = { timeZone: "UTC", allocationTagKeys: ["team", "customer"] };
  it("picks the smallest cube holding every dimension used", () => {
    expect(chooseSource(base, settings)).toEqual({ kind: "rollup", cube: "total", tagKey: null });
    expect(chooseSource({ ...base, groupBy: "model" }, settings)).toEqual({ kind: "rollup", cube: "model", tagKey: null });
    expect(chooseSource({ ...base, groupBy: "promptVersion", filters: { promptName: "a", attributes: {} } }, settings)).toMatchObject({ cube: "prompt" });
    expect(chooseSource({ ...base, groupBy: "model", filters: { service: "x", attributes: {} } }, settings)).toMatchObject({ cube: "core" });
    expect(chooseSource({ ...base, groupBy: "attribute:team" }, settings)).toEqual({ kind: "rollup", cube: "tag", tagKey: "team" });
    expect(chooseSource({ ...base, groupBy: "attribute:team", filters: { model: "m", attributes: {} } }, settings)).toMatchObject({ cube: "model+tag" });
    expect(chooseSource({ ...base, groupBy: "promptVersion", filters: { attributes: { team: "t" } } }, settings)).toMatchObject({ cube: "prompt+tag" });
    expect(chooseSource({ ...base, groupBy: "model", filters: { service: "x", attributes: { team: "t" } } }, settings)).toEqual({
      kind: "rollup",
      cube: "core+tag",
      tagKey: "team",
    });
  });
  it("reads raw spans for other attributes or two tags at once", () => {
    expect(chooseSource({ ...base, groupBy: "attribute:region" }, settings)).toMatchObject({ kind: "raw" });
    expect(chooseSource({ ...base, groupBy: "attribute:team", filters: { attributes: { customer: "acme" } } }, settings)).toMatchObject({ kind: "raw" });
  });
});
