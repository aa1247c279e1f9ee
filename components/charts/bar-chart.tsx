"use client";

import { Bar, BarChart as RechartsBarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltip } from "@/components/charts/chart-tooltip";
import { AXIS_COLOR, BUDGET_COLOR, GRID_COLOR, seriesColor, seriesOrder, type ChartReferenceLine, type ChartSeries } from "@/components/charts/palette";
import { formatAxisValue, type Unit } from "@/lib/format/numbers";

/**
 * Values per category (spend by model, TTFT by prompt version): grouped or stacked bars, vertical
 * (categories along x) or horizontal (long category names, ranked lists).
 *
 *   <BarChart data={[{ category: "gpt-4o", costUsd: 12.5 }]} categoryKey="category"
 *     series={[{ key: "costUsd", label: "Spend" }]} unit="usd" layout="horizontal" />
 */
export interface BarChartProps {
  data: readonly Record<string, string | number | null>[];
  categoryKey: string;
  series: readonly ChartSeries[];
  unit: Unit;
  isStacked?: boolean;
  /** "horizontal": bars grow rightwards, categories down the left (good for names). */
  layout?: "vertical" | "horizontal";
  height?: number;
  referenceLine?: ChartReferenceLine;
  label: string;
}

export function BarChart({ data, categoryKey, series, unit, isStacked = false, layout = "vertical", height = 240, referenceLine, label }: BarChartProps) {
  const isHorizontal = layout === "horizontal";
  const valueAxis = {
    type: "number" as const,
    tickFormatter: (value: number) => formatAxisValue(value, unit),
    stroke: AXIS_COLOR,
    tick: { fontSize: 11, fill: AXIS_COLOR },
    tickLine: false,
  };
  const categoryAxis = {
    type: "category" as const,
    dataKey: categoryKey,
    stroke: AXIS_COLOR,
    tick: { fontSize: 11, fill: AXIS_COLOR },
    tickLine: false,
  };
  return (
    <div role="figure" aria-label={label}>
      <RechartsBarChart
        responsive
        data={data as Record<string, string | number | null>[]}
        layout={isHorizontal ? "vertical" : "horizontal"}
        style={{ width: "100%", height }}
        margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={GRID_COLOR} vertical={isHorizontal} horizontal={!isHorizontal} />
        {isHorizontal ? <XAxis {...valueAxis} /> : <XAxis {...categoryAxis} interval="preserveStartEnd" />}
        {isHorizontal ? <YAxis {...categoryAxis} width="auto" /> : <YAxis {...valueAxis} width="auto" axisLine={false} />}
        <Tooltip
          itemSorter={(item) => seriesOrder(series, item.dataKey)}
          cursor={{ fill: "var(--chart-grid)", opacity: 0.5 }}
          content={(props) => <ChartTooltip {...props} unit={unit} formatLabel={(value) => String(value ?? "")} />}
        />
        {series.length > 1 ? <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} /> : null}
        {referenceLine ? (
          <ReferenceLine
            {...(isHorizontal ? { x: referenceLine.value } : { y: referenceLine.value })}
            stroke={referenceLine.color ?? BUDGET_COLOR}
            strokeDasharray="6 4"
            label={{ value: referenceLine.label, position: "insideTopRight", fontSize: 11, fill: referenceLine.color ?? BUDGET_COLOR }}
          />
        ) : null}
        {series.map((item, index) => (
          <Bar
            key={item.key}
            dataKey={item.key}
            name={item.label}
            fill={item.color ?? seriesColor(index)}
            stackId={isStacked ? "stack" : undefined}
            isAnimationActive={false}
            maxBarSize={36}
            radius={isStacked ? 0 : 2}
          />
        ))}
      </RechartsBarChart>
    </div>
  );
}
