import type { Metric, Percentiles } from "@/lib/analytics/query";

/**
 * Pure shaping of query results (lib/analytics run-query) into what the chart wrappers draw
 * (components/charts): one row per time bucket with `time` and one key per series. No server
 * imports, so it is unit-tested and usable on both sides.
 *
 * Series keys are "s0", "s1", …: group values such as "gpt-4.1" cannot be data keys (Recharts reads
 * a dot as a nested path).
 */

/** The part of a result group this module reads (structurally a lib/analytics ResultGroup). */
export interface GroupValues {
  group: string | null;
  promptName?: string | null;
  promptVersion?: string | null;
  values: Partial<Record<Metric, number | null | Percentiles>>;
  points?: Partial<Record<Metric, number | null | Percentiles>>[];
}

export interface ResultLike {
  groups: readonly GroupValues[];
  buckets: readonly number[] | null;
}

/** A series as the chart wrappers take it (components/charts/palette ChartSeries). */
export interface SeriesSpec {
  key: string;
  label: string;
  color?: string;
}

export interface SeriesTable {
  rows: Record<string, number | null>[];
  series: SeriesSpec[];
}

/** The query layer's "the rest, added up" group (limitGroups) and a tag's "past the limit" value. */
export const REST_GROUP = "__rest__";
export const OTHER_TAG_VALUE = "__other__";
/** The last palette color is a neutral grey: the "Other" series wears it. */
export const OTHER_COLOR = "var(--chart-8)";

export type GroupKind = "model" | "service" | "promptVersion" | "tag" | "user";

const NONE_LABELS: Record<GroupKind, string> = {
  model: "(no model reported)",
  service: "(no service)",
  promptVersion: "(no prompt name)",
  tag: "(untagged)",
  user: "(no user id)",
};

/** What a group is called on screen: "Other" for the rest, a readable name for "not reported". */
export function groupLabel(group: GroupValues, kind: GroupKind): string {
  if (group.group === REST_GROUP) return "Other";
  if (group.group === OTHER_TAG_VALUE) return "Other values (past the tag limit)";
  if (kind === "promptVersion" && (group.promptName !== undefined || group.promptVersion !== undefined)) {
    if (group.promptName === null || group.promptName === undefined) return NONE_LABELS.promptVersion;
    return group.promptVersion ? `${group.promptName}@${group.promptVersion}` : `${group.promptName} (no version)`;
  }
  if (group.group === null || group.group === "") return NONE_LABELS[kind];
  return group.group;
}

export function isRestGroup(group: GroupValues): boolean {
  return group.group === REST_GROUP || group.group === OTHER_TAG_VALUE;
}

/** A metric's number (a percentile metric's `pick`), null when unknown or not a number. */
export function metricNumber(
  values: Partial<Record<Metric, number | null | Percentiles>> | undefined,
  metric: Metric,
  pick: keyof Percentiles = "p50",
): number | null {
  const value = values?.[metric];
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value[pick] ?? null;
}

/**
 * One metric of every group over time: a row per bucket, a series per group, in the result's
 * order (largest first, "Other" last and grey). Groups with no known value at all are left out
 * (a model without a price has no spend line; it is reported as unknown elsewhere).
 */
export function pivotGroupsOverTime(
  result: ResultLike,
  metric: Metric,
  label: (group: GroupValues) => string,
  options: { pick?: keyof Percentiles; keepEmpty?: boolean } = {},
): SeriesTable {
  const buckets = result.buckets ?? [];
  const kept = result.groups.filter(
    (group) => options.keepEmpty || (group.points ?? []).some((point) => metricNumber(point, metric, options.pick) !== null),
  );
  const series = kept.map((group, index) => ({
    key: `s${index}`,
    label: label(group),
    ...(isRestGroup(group) ? { color: OTHER_COLOR } : {}),
  }));
  const rows = buckets.map((time, bucket) => {
    const row: Record<string, number | null> = { time };
    kept.forEach((group, index) => {
      row[`s${index}`] = metricNumber(group.points?.[bucket], metric, options.pick);
    });
    return row;
  });
  return { rows, series };
}

/** Several metrics of one group (or the total) over time: a series per metric. */
export function pivotMetricsOverTime(
  result: ResultLike,
  metrics: readonly { metric: Metric; label: string; pick?: keyof Percentiles; color?: string }[],
  groupIndex = 0,
): SeriesTable {
  const buckets = result.buckets ?? [];
  const group = result.groups[groupIndex];
  const series = metrics.map((item, index) => ({ key: `s${index}`, label: item.label, ...(item.color ? { color: item.color } : {}) }));
  const rows = buckets.map((time, bucket) => {
    const row: Record<string, number | null> = { time };
    metrics.forEach((item, index) => {
      row[`s${index}`] = group ? metricNumber(group.points?.[bucket], item.metric, item.pick) : null;
    });
    return row;
  });
  return { rows, series };
}

/** True when no bucket of any series holds a known value (the chart would be blank). */
export function isBlank(table: SeriesTable): boolean {
  return table.series.length === 0 || table.rows.every((row) => table.series.every((series) => row[series.key] === null || row[series.key] === undefined));
}
