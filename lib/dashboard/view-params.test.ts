import { describe, expect, it } from "vitest";
import {
  activeFilters,
  clearFilters,
  DEFAULT_VIEW,
  describeTimeRange,
  isViewParamKey,
  parseViewParams,
  previousTimeRange,
  resolveTimeRange,
  serializeViewParams,
  toCallFilters,
  updateView,
  viewHref,
  type ViewParams,
} from "@/lib/dashboard/view-params";

const parse = (query: string) => parseViewParams(new URLSearchParams(query));
const now = new Date("2026-11-25T12:00:00.000Z");

describe("parseViewParams", () => {
  it("gives the default view for an empty query", () => {
    expect(parse("")).toEqual(DEFAULT_VIEW);
    expect(DEFAULT_VIEW.range).toEqual({ kind: "preset", preset: "24h" });
  });

  it("reads project, preset, filters, tags and refresh", () => {
    const view = parse(
      "project=checkout&range=1h&service=api&model=gpt-4o&provider=openai&promptName=faq&promptVersion=v3" +
        "&environment=prod&attribute.team=growth&attribute.feature=search&refresh=30s",
    );
    expect(view).toEqual({
      projectSlug: "checkout",
      range: { kind: "preset", preset: "1h" },
      filters: {
        service: "api",
        model: "gpt-4o",
        provider: "openai",
        promptName: "faq",
        promptVersion: "v3",
        environment: "prod",
        attributes: { team: "growth", feature: "search" },
      },
      refresh: "30s",
    });
  });

  it("reads a custom range in ISO or epoch milliseconds", () => {
    const view = parse("from=2026-11-25T10:00:00Z&to=1795604400000");
    expect(view.range).toEqual({ kind: "custom", from: new Date("2026-11-25T10:00:00Z"), to: new Date(1795604400000) });
  });

  it("takes a preset over from/to, and falls back to the default on nonsense", () => {
    expect(parse("range=7d&from=2026-11-25T10:00:00Z&to=2026-11-25T11:00:00Z").range).toEqual({ kind: "preset", preset: "7d" });
    expect(parse("range=2y").range).toEqual(DEFAULT_VIEW.range);
    expect(parse("from=yesterday&to=2026-11-25T11:00:00Z").range).toEqual(DEFAULT_VIEW.range);
    expect(parse("from=2026-11-25T11:00:00Z&to=2026-11-25T10:00:00Z").range).toEqual(DEFAULT_VIEW.range);
    expect(parse("refresh=5s").refresh).toBe("off");
    expect(parse("project=../etc").projectSlug).toBeNull();
  });

  it("drops empty or oversized values and malformed tag keys, keeps the first of repeated keys", () => {
    const view = parse(`service=&model=${"x".repeat(501)}&attribute.=a&attribute.bad key=b&attribute.team=&provider=a&provider=b`);
    expect(view.filters).toEqual({ provider: "a", attributes: {} });
  });

  it("accepts Next's searchParams object, taking the first of repeated values", () => {
    const view = parseViewParams({ range: "6h", service: ["a", "b"], "attribute.team": "ml", q: "ignored", empty: undefined });
    expect(view.range).toEqual({ kind: "preset", preset: "6h" });
    expect(view.filters).toEqual({ service: "a", attributes: { team: "ml" } });
  });
});

describe("serializeViewParams", () => {
  it("round-trips every view through the URL", () => {
    const views: ViewParams[] = [
      DEFAULT_VIEW,
      parse("project=p1&range=15m&model=m&attribute.b=2&attribute.a=1&refresh=1m"),
      parse("from=2026-11-25T10:00:00.000Z&to=2026-11-25T11:30:00.000Z&environment=prod"),
    ];
    for (const view of views) expect(parseViewParams(serializeViewParams(view))).toEqual(view);
  });

  it("is canonical: fixed order, defaults left out", () => {
    const view = parse("refresh=off&attribute.b=2&range=24h&model=m&attribute.a=1&service=s");
    expect(serializeViewParams(view).toString()).toBe("service=s&model=m&attribute.a=1&attribute.b=2");
    expect(serializeViewParams(DEFAULT_VIEW).toString()).toBe("");
  });

  it("builds links with page parameters", () => {
    const view = parse("range=1h&service=api");
    expect(viewHref("/traces", view, { q: "checkout", cursor: null, span: "" })).toBe("/traces?range=1h&service=api&q=checkout");
    expect(viewHref("/", DEFAULT_VIEW)).toBe("/");
  });
});

describe("updating a view", () => {
  it("sets and removes filters and tags without touching the input", () => {
    const view = parse("service=api&attribute.team=ml");
    const next = updateView(view, { filters: { service: null, model: "m" }, attributes: { team: null, feature: "f" }, refresh: "1m" });
    expect(next.filters).toEqual({ model: "m", attributes: { feature: "f" } });
    expect(next.refresh).toBe("1m");
    expect(view.filters).toEqual({ service: "api", attributes: { team: "ml" } });
    expect(updateView(view, { projectSlug: null }).projectSlug).toBeNull();
    expect(clearFilters(view).filters).toEqual({ attributes: {} });
  });

  it("lists active filters in display order", () => {
    expect(activeFilters(parse("attribute.team=ml&environment=prod&service=api").filters)).toEqual([
      { param: "service", label: "Service", value: "api" },
      { param: "environment", label: "Environment", value: "prod" },
      { param: "attribute.team", label: "team", value: "ml" },
    ]);
  });

  it("knows which query keys are the view's", () => {
    expect(["project", "range", "from", "to", "refresh", "service", "promptVersion", "attribute.team"].every(isViewParamKey)).toBe(true);
    expect(["q", "cursor", "span", "attribute"].some(isViewParamKey)).toBe(false);
  });
});

describe("time ranges", () => {
  it("resolves presets against now and keeps custom ranges", () => {
    expect(resolveTimeRange({ kind: "preset", preset: "15m" }, now)).toEqual({ from: new Date("2026-11-25T11:45:00Z"), to: now });
    expect(resolveTimeRange({ kind: "preset", preset: "30d" }, now).from).toEqual(new Date("2026-10-26T12:00:00Z"));
    const custom = { kind: "custom" as const, from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-02T00:00:00Z") };
    expect(resolveTimeRange(custom, now)).toEqual({ from: custom.from, to: custom.to });
  });

  it("gives the previous range of the same length", () => {
    const range = { from: new Date("2026-11-25T10:00:00Z"), to: new Date("2026-11-25T12:00:00Z") };
    expect(previousTimeRange(range)).toEqual({ from: new Date("2026-11-25T08:00:00Z"), to: range.from });
  });

  it("describes ranges in the project's time zone", () => {
    expect(describeTimeRange({ kind: "preset", preset: "7d" }, "UTC")).toBe("Last 7 days");
    const custom = { kind: "custom" as const, from: new Date("2026-11-25T10:00:00Z"), to: new Date("2026-11-25T11:30:00Z") };
    expect(describeTimeRange(custom, "Europe/Paris")).toBe("2026-11-25 11:00 – 2026-11-25 12:30");
  });

  it("converts to the query modules' filter shape", () => {
    expect(toCallFilters(parse("range=1h&model=m&attribute.team=ml"), now)).toEqual({
      from: new Date("2026-11-25T11:00:00Z"),
      to: now,
      model: "m",
      attributes: { team: "ml" },
    });
  });
});
