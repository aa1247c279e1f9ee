/**
 * Series colors: the Okabe–Ito palette (distinguishable with the common color-vision deficiencies),
 * as CSS variables defined per theme in app/globals.css, so a chart follows the theme toggle
 * without re-rendering. A ninth series wraps around; charts with more series should group the tail
 * into "other" first.
 */
export const SERIES_COLORS = [
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
  "var(--chart-6)",
  "var(--chart-7)",
  "var(--chart-8)",
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

export const AXIS_COLOR = "var(--chart-axis)";
export const GRID_COLOR = "var(--chart-grid)";
export const BUDGET_COLOR = "var(--chart-budget)";

/** A series drawn by the chart wrappers. */
export interface ChartSeries {
  /** The data key of the series' values. */
  key: string;
  label: string;
  /** A CSS color; default: the palette color of its position. */
  color?: string;
  /** Dashed stroke, for a comparison series (the previous range, a budget). */
  isDashed?: boolean;
}

/** A horizontal line across the chart: a budget, an SLO, a target. */
export interface ChartReferenceLine {
  value: number;
  label: string;
  color?: string;
}

/** Tooltips list series in the order the chart declares them (Recharts sorts by name otherwise). */
export function seriesOrder(series: readonly ChartSeries[], dataKey: unknown): number {
  const index = series.findIndex((item) => item.key === dataKey);
  return index === -1 ? series.length : index;
}
