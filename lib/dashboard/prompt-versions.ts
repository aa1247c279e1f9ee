import { metricNumber, type GroupValues } from "@/lib/dashboard/chart-data";
import { relativeChange } from "@/lib/format/numbers";

/**
 * The Prompts screen's comparison: every version of each prompt side by side, in version order,
 * each with its change from the version before it (of the same prompt) and whether that change is
 * better or worse. From a result grouped by `promptVersion` (name@version pairs). Pure, so tested.
 */
export const PROMPT_METRICS = [
  { key: "calls", label: "Calls", unit: "count", better: "none", change: "relative" },
  { key: "ttftP50", label: "TTFT p50", unit: "ms", better: "down", change: "relative" },
  { key: "ttftP95", label: "TTFT p95", unit: "ms", better: "down", change: "relative" },
  { key: "durationP50", label: "Duration p50", unit: "ms", better: "down", change: "relative" },
  { key: "durationP95", label: "Duration p95", unit: "ms", better: "down", change: "relative" },
  { key: "tokensPerCall", label: "Tokens / call", unit: "tokens", better: "none", change: "relative" },
  { key: "costPerCallUsd", label: "Cost / call", unit: "usd", better: "down", change: "relative" },
  { key: "cacheHitRate", label: "Cache hit rate", unit: "percent", better: "up", change: "points" },
  { key: "errorRate", label: "Error rate", unit: "percent", better: "down", change: "points" },
] as const;

export type PromptMetricKey = (typeof PROMPT_METRICS)[number]["key"];
export type PromptMetric = (typeof PROMPT_METRICS)[number];

/**
 * Changes smaller than these read "about the same": percentiles are good to 1 %, so a 2 % move in
 * one is noise; rates move in points.
 */
export const SAME_RELATIVE = 0.02;
export const SAME_POINTS = 0.001;

export interface Delta {
  /** Relative (0.12 = +12 %) or in points of a ratio (0.012 = +1.2 pp), per the metric. */
  change: number;
  kind: "relative" | "points";
  verdict: "better" | "worse" | "same" | "neutral";
}

export interface PromptVersionRow {
  promptName: string;
  /** Null: calls of the prompt that carried no version. */
  promptVersion: string | null;
  /** The compared metrics, and the split of tokens per call into input and output. */
  values: Record<PromptMetricKey | "inputTokensPerCall" | "outputTokensPerCall", number | null>;
  unknownCostCalls: number;
  /** Against the previous version of the same prompt; absent for the first version. */
  deltas: Partial<Record<PromptMetricKey, Delta>> | null;
}

export interface PromptComparison {
  promptName: string;
  calls: number;
  versions: PromptVersionRow[];
}

const versionCollator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Version order: natural ("v2" before "v10", "1.9" before "1.10"); calls without a version last. */
export function compareVersions(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return versionCollator.compare(a, b) || (a < b ? -1 : 1);
}

function perCall(total: number | null, calls: number | null): number | null {
  return total === null || !calls ? null : total / calls;
}

export function versionValues(group: GroupValues): PromptVersionRow["values"] {
  const values = group.values;
  const calls = metricNumber(values, "calls");
  const input = perCall(metricNumber(values, "inputTokens"), calls);
  const output = perCall(metricNumber(values, "outputTokens"), calls);
  return {
    calls,
    ttftP50: metricNumber(values, "ttftMs", "p50"),
    ttftP95: metricNumber(values, "ttftMs", "p95"),
    durationP50: metricNumber(values, "durationMs", "p50"),
    durationP95: metricNumber(values, "durationMs", "p95"),
    tokensPerCall: input === null && output === null ? null : (input ?? 0) + (output ?? 0),
    inputTokensPerCall: input,
    outputTokensPerCall: output,
    costPerCallUsd: metricNumber(values, "costPerCallUsd"),
    cacheHitRate: metricNumber(values, "cacheHitRate"),
    errorRate: metricNumber(values, "errorRate"),
  };
}

export function deltaOf(metric: PromptMetric, current: number | null, previous: number | null): Delta | null {
  const change = metric.change === "points" ? (current === null || previous === null ? null : current - previous) : relativeChange(current, previous);
  if (change === null) return null;
  const threshold = metric.change === "points" ? SAME_POINTS : SAME_RELATIVE;
  let verdict: Delta["verdict"];
  if (metric.better === "none") verdict = "neutral";
  else if (Math.abs(change) < threshold) verdict = "same";
  else verdict = (change < 0) === (metric.better === "down") ? "better" : "worse";
  return { change, kind: metric.change, verdict };
}

/** Groups name@version results by prompt (busiest prompt first), versions in order, with deltas. */
export function comparePromptVersions(groups: readonly GroupValues[]): { prompts: PromptComparison[]; unnamedCalls: number } {
  const byName = new Map<string, PromptVersionRow[]>();
  let unnamedCalls = 0;
  for (const group of groups) {
    const name = group.promptName ?? null;
    if (name === null || name === "") {
      unnamedCalls += metricNumber(group.values, "calls") ?? 0;
      continue;
    }
    const rows = byName.get(name) ?? [];
    rows.push({
      promptName: name,
      promptVersion: group.promptVersion ?? null,
      values: versionValues(group),
      unknownCostCalls: metricNumber(group.values, "unknownCostCalls") ?? 0,
      deltas: null,
    });
    byName.set(name, rows);
  }
  const prompts = [...byName.entries()].map(([promptName, rows]) => {
    rows.sort((a, b) => compareVersions(a.promptVersion, b.promptVersion));
    rows.forEach((row, index) => {
      const previous = rows[index - 1];
      // Calls without a version have no place in the sequence: nothing to compare with.
      if (!previous || row.promptVersion === null) return;
      row.deltas = {};
      for (const metric of PROMPT_METRICS) {
        const delta = deltaOf(metric, row.values[metric.key], previous.values[metric.key]);
        if (delta) row.deltas[metric.key] = delta;
      }
    });
    return { promptName, calls: rows.reduce((sum, row) => sum + (row.values.calls ?? 0), 0), versions: rows };
  });
  prompts.sort((a, b) => b.calls - a.calls || a.promptName.localeCompare(b.promptName));
  return { prompts, unnamedCalls };
}
