import type { CallFilters } from "@/lib/calls/call-filters";
import { formatDateTime } from "@/lib/format/times";

/**
 * What a dashboard view shows, as it lives in the URL, so every view can be bookmarked and shared:
 *
 *   ?project=<slug>                         the project (default: the default project)
 *   &range=15m|1h|6h|24h|7d|30d             a preset relative to now (default 24h), or
 *   &from=<ISO>&to=<ISO>                    a fixed range, `from` inclusive, `to` exclusive
 *   &service=…&model=…&provider=…&promptName=…&promptVersion=…&environment=…
 *   &attribute.<key>=<value>                allocation tags (team, feature, customer, …)
 *   &refresh=off|30s|1m                     auto-refresh (default off)
 *
 * Filter names are the public query API's (DESIGN.md), so a dashboard URL's query string is also a
 * valid `/api/v1/...` query. Parsing never throws: a value that makes no sense is dropped and the
 * default used, because a mistyped bookmark should still open the screen.
 *
 * No server imports: the toolbar (client) and the pages (server) share this module.
 */
export const RANGE_PRESETS = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_RANGE_PRESET: RangePreset = "24h";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
export const RANGE_PRESET_MS: Record<RangePreset, number> = {
  "15m": 15 * MINUTE_MS,
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "24h": 24 * HOUR_MS,
  "7d": 7 * 24 * HOUR_MS,
  "30d": 30 * 24 * HOUR_MS,
};
export const RANGE_PRESET_LABELS: Record<RangePreset, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

export const REFRESH_INTERVALS = ["off", "30s", "1m"] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];
export const REFRESH_INTERVAL_MS: Record<RefreshInterval, number | null> = { off: null, "30s": 30_000, "1m": 60_000 };

export type TimeRangeSelection = { kind: "preset"; preset: RangePreset } | { kind: "custom"; from: Date; to: Date };

/** The dimension filters, by their URL (and public API) names. */
export const FILTER_DIMENSIONS = [
  { key: "service", label: "Service" },
  { key: "model", label: "Model" },
  { key: "provider", label: "Provider" },
  { key: "promptName", label: "Prompt" },
  { key: "promptVersion", label: "Prompt version" },
  { key: "environment", label: "Environment" },
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number]["key"];

export type DashboardFilters = Partial<Record<FilterDimension, string>> & {
  /** attribute key → value (allocation tags); matched against span attributes. */
  attributes: Record<string, string>;
};

export interface ViewParams {
  /** The project's slug; null means the default project. */
  projectSlug: string | null;
  range: TimeRangeSelection;
  filters: DashboardFilters;
  refresh: RefreshInterval;
}

/** A project as the switcher offers it. */
export interface ProjectOption {
  slug: string;
  name: string;
  isDefault: boolean;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

export type SearchParamsInput =
  | Pick<URLSearchParams, "get" | "forEach">
  | Record<string, string | string[] | undefined>;

export const ATTRIBUTE_PREFIX = "attribute.";
const MAX_VALUE_LENGTH = 500;
const MAX_ATTRIBUTE_FILTERS = 20;
const ATTRIBUTE_KEY_PATTERN = /^[^\s,]{1,128}$/;
const SLUG_PATTERN = /^[a-z0-9][a-z0-9-_]{0,99}$/i;

/** The names this module owns; everything else in a query string belongs to the page (q, cursor, span…). */
export function isViewParamKey(key: string): boolean {
  return (
    key === "project" ||
    key === "range" ||
    key === "from" ||
    key === "to" ||
    key === "refresh" ||
    FILTER_DIMENSIONS.some((dimension) => dimension.key === key) ||
    key.startsWith(ATTRIBUTE_PREFIX)
  );
}

export const DEFAULT_VIEW: ViewParams = {
  projectSlug: null,
  range: { kind: "preset", preset: DEFAULT_RANGE_PRESET },
  filters: { attributes: {} },
  refresh: "off",
};

function entriesOf(input: SearchParamsInput): [string, string][] {
  const entries: [string, string][] = [];
  if (typeof input.forEach === "function" && typeof (input as URLSearchParams).get === "function") {
    (input as URLSearchParams).forEach((value, key) => entries.push([key, value]));
    return entries;
  }
  for (const [key, value] of Object.entries(input as Record<string, string | string[] | undefined>)) {
    if (typeof value === "string") entries.push([key, value]);
    else if (Array.isArray(value) && value.length > 0) entries.push([key, value[0]!]);
  }
  return entries;
}

/** A time in the URL: ISO-8601 or epoch milliseconds (as the public API accepts). */
export function parseTimeParam(value: string | undefined): Date | null {
  if (value === undefined || value.trim() === "") return null;
  const trimmed = value.trim();
  const date = /^\d+$/.test(trimmed) ? new Date(Number(trimmed)) : new Date(trimmed);
  return Number.isNaN(date.getTime()) ? null : date;
}

function cleanValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_VALUE_LENGTH ? trimmed : undefined;
}

export function parseViewParams(input: SearchParamsInput): ViewParams {
  const first = new Map<string, string>();
  const attributes: Record<string, string> = {};
  for (const [key, value] of entriesOf(input)) {
    if (key.startsWith(ATTRIBUTE_PREFIX)) {
      const name = key.slice(ATTRIBUTE_PREFIX.length);
      const cleaned = cleanValue(value);
      if (ATTRIBUTE_KEY_PATTERN.test(name) && cleaned !== undefined && !(name in attributes)) {
        if (Object.keys(attributes).length < MAX_ATTRIBUTE_FILTERS) attributes[name] = cleaned;
      }
    } else if (!first.has(key)) {
      first.set(key, value);
    }
  }

  const filters: DashboardFilters = { attributes };
  for (const { key } of FILTER_DIMENSIONS) {
    const value = cleanValue(first.get(key));
    if (value !== undefined) filters[key] = value;
  }

  const slug = first.get("project")?.trim();
  const refresh = first.get("refresh");
  return {
    projectSlug: slug && SLUG_PATTERN.test(slug) ? slug : null,
    range: parseRange(first.get("range"), first.get("from"), first.get("to")),
    filters,
    refresh: (REFRESH_INTERVALS as readonly string[]).includes(refresh ?? "") ? (refresh as RefreshInterval) : "off",
  };
}

function parseRange(range: string | undefined, fromText: string | undefined, toText: string | undefined): TimeRangeSelection {
  if ((RANGE_PRESETS as readonly string[]).includes(range ?? "")) return { kind: "preset", preset: range as RangePreset };
  const from = parseTimeParam(fromText);
  const to = parseTimeParam(toText);
  if (from && to && from.getTime() < to.getTime()) return { kind: "custom", from, to };
  return DEFAULT_VIEW.range;
}

/**
 * The canonical query string of a view: a fixed order, defaults left out (the default project,
 * the 24 h range, refresh off), so equal views have equal URLs.
 */
export function serializeViewParams(view: ViewParams): URLSearchParams {
  const params = new URLSearchParams();
  if (view.projectSlug) params.set("project", view.projectSlug);
  if (view.range.kind === "custom") {
    params.set("from", view.range.from.toISOString());
    params.set("to", view.range.to.toISOString());
  } else if (view.range.preset !== DEFAULT_RANGE_PRESET) {
    params.set("range", view.range.preset);
  }
  for (const { key } of FILTER_DIMENSIONS) {
    const value = view.filters[key];
    if (value) params.set(key, value);
  }
  for (const key of Object.keys(view.filters.attributes).sort()) {
    params.set(`${ATTRIBUTE_PREFIX}${key}`, view.filters.attributes[key]!);
  }
  if (view.refresh !== "off") params.set("refresh", view.refresh);
  return params;
}

/**
 * A link to `pathname` showing `view`, plus page parameters (undefined/null/"" ones left out):
 * `viewHref("/traces", view, { q: "checkout" })` → "/traces?range=1h&q=checkout".
 */
export function viewHref(pathname: string, view: ViewParams, pageParams: Record<string, string | null | undefined> = {}): string {
  const params = serializeViewParams(view);
  for (const [key, value] of Object.entries(pageParams)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, value);
  }
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

export interface ViewPatch {
  projectSlug?: string | null;
  range?: TimeRangeSelection;
  refresh?: RefreshInterval;
  /** A dimension set to null (or "") is removed. */
  filters?: Partial<Record<FilterDimension, string | null>>;
  /** An attribute set to null (or "") is removed. */
  attributes?: Record<string, string | null>;
}

/** A new view with the patch applied (the input is not changed). */
export function updateView(view: ViewParams, patch: ViewPatch): ViewParams {
  const filters: DashboardFilters = { ...view.filters, attributes: { ...view.filters.attributes } };
  for (const [key, value] of Object.entries(patch.filters ?? {}) as [FilterDimension, string | null][]) {
    if (value) filters[key] = value;
    else delete filters[key];
  }
  for (const [key, value] of Object.entries(patch.attributes ?? {})) {
    if (value) filters.attributes[key] = value;
    else delete filters.attributes[key];
  }
  return {
    projectSlug: patch.projectSlug !== undefined ? patch.projectSlug : view.projectSlug,
    range: patch.range ?? view.range,
    refresh: patch.refresh ?? view.refresh,
    filters,
  };
}

/** The same view without any dimension or attribute filter. */
export function clearFilters(view: ViewParams): ViewParams {
  return { ...view, filters: { attributes: {} } };
}

/** The absolute range a selection covers at `now`; presets end at now. */
export function resolveTimeRange(range: TimeRangeSelection, now: Date): TimeRange {
  if (range.kind === "custom") return { from: range.from, to: range.to };
  return { from: new Date(now.getTime() - RANGE_PRESET_MS[range.preset]), to: now };
}

/** "Last 24 hours", or "2026-11-25 14:00 – 2026-11-25 15:30" (in the project's time zone). */
export function describeTimeRange(range: TimeRangeSelection, timeZone: string): string {
  if (range.kind === "preset") return RANGE_PRESET_LABELS[range.preset];
  const short = (date: Date) => formatDateTime(date, timeZone).slice(0, 16);
  return `${short(range.from)} – ${short(range.to)}`;
}

/** The range of the same length just before (for "change against the previous range"). */
export function previousTimeRange(range: TimeRange): TimeRange {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}

export interface ActiveFilter {
  /** The URL name: a dimension key or `attribute.<key>`. */
  param: string;
  label: string;
  value: string;
}

/** The filters in effect, in display order, for chips and summaries. */
export function activeFilters(filters: DashboardFilters): ActiveFilter[] {
  const active: ActiveFilter[] = [];
  for (const { key, label } of FILTER_DIMENSIONS) {
    const value = filters[key];
    if (value) active.push({ param: key, label, value });
  }
  for (const key of Object.keys(filters.attributes).sort()) {
    active.push({ param: `${ATTRIBUTE_PREFIX}${key}`, label: key, value: filters.attributes[key]! });
  }
  return active;
}

/** The view's filters and range in the shape the query modules take (lib/calls/call-filters). */
export function toCallFilters(view: ViewParams, now: Date): CallFilters {
  const { from, to } = resolveTimeRange(view.range, now);
  const { attributes, ...dimensions } = view.filters;
  return { ...dimensions, attributes: { ...attributes }, from, to };
}
