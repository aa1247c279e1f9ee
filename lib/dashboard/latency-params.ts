import type { SearchParamsInput } from "@/lib/dashboard/view-params";

/**
 * The Latency screen's own URL parameters, next to the shared view: `by` (the dimension the
 * per-group charts split by) and `p` (the percentile they draw). A value that makes no sense falls
 * back to the default, so a mistyped link still opens the screen.
 */
export const LATENCY_DIMENSIONS = [
  { key: "model", label: "Model" },
  { key: "service", label: "Service" },
  { key: "promptVersion", label: "Prompt version" },
] as const;
export type LatencyDimension = (typeof LATENCY_DIMENSIONS)[number]["key"];

export const LATENCY_PERCENTILES = ["p50", "p95", "p99"] as const;
export type LatencyPercentile = (typeof LATENCY_PERCENTILES)[number];

export interface LatencyParams {
  by: LatencyDimension;
  percentile: LatencyPercentile;
}

export const DEFAULT_LATENCY_PARAMS: LatencyParams = { by: "model", percentile: "p95" };

function firstValue(input: SearchParamsInput, key: string): string | null {
  if (typeof (input as URLSearchParams).get === "function") return (input as URLSearchParams).get(key);
  const value = (input as Record<string, string | string[] | undefined>)[key];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function parseLatencyParams(input: SearchParamsInput): LatencyParams {
  const by = firstValue(input, "by");
  const percentile = firstValue(input, "p");
  return {
    by: LATENCY_DIMENSIONS.some((dimension) => dimension.key === by) ? (by as LatencyDimension) : DEFAULT_LATENCY_PARAMS.by,
    percentile: (LATENCY_PERCENTILES as readonly string[]).includes(percentile ?? "")
      ? (percentile as LatencyPercentile)
      : DEFAULT_LATENCY_PARAMS.percentile,
  };
}

/** The page parameters of a link to another choice; defaults are left out of the URL. */
export function latencyPageParams(params: LatencyParams): Record<string, string | null> {
  return {
    by: params.by === DEFAULT_LATENCY_PARAMS.by ? null : params.by,
    p: params.percentile === DEFAULT_LATENCY_PARAMS.percentile ? null : params.percentile,
  };
}

export function dimensionLabel(by: LatencyDimension): string {
  return LATENCY_DIMENSIONS.find((dimension) => dimension.key === by)!.label;
}
