"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import { ChartTooltip } from "@/components/charts/chart-tooltip";
import { AXIS_COLOR, BUDGET_COLOR, GRID_COLOR, seriesColor, seriesOrder, type ChartReferenceLine, type ChartSeries } from "@/components/charts/palette";
import { formatAxisValue, type Unit } from "@/lib/format/numbers";
import { formatAxisTime, formatDateTime } from "@/lib/format/times";

/**
 * Metrics over time: lines, areas, or stacked areas (spend by model). The data comes prepared
 * (explicit buckets from the query layer): one row per bucket with `time` (epoch ms) and one key per
 * series; a null value is a gap, drawn as a break, never as 0.
 *
 *   <TimeSeriesChart data={rows} series={[{ key: "p50", label: "p50" }, { key: "p95", label: "p95" }]}
 *     unit="ms" timeZone={settings.timeZone} referenceLine={{ value: 300, label: "budget 300 ms" }} />
 */
export interface TimeSeriesChartProps {
  data: readonly Record<string, number | null>[];
  series: readonly ChartSeries[];
  unit: Unit;
  /** Axis and tooltip times are shown in the project's time zone. */
  timeZone: string;
  kind?: "line" | "area" | "stacked-area";
  height?: number;
  referenceLine?: ChartReferenceLine;
  /** The key of the epoch-ms x value; default "time". */
  timeKey?: string;
  /** Accessible name of the chart. */
  label: string;
  /** The value axis' extent, e.g. [0, 1] for a rate; default: fitted to the data. */
  yDomain?: [number, number];
}

export function TimeSeriesChart({
  data,
  series,
  unit,
  timeZone,
  kind = "line",
  height = 240,
  referenceLine,
  timeKey = "time",
  label,
  yDomain,
}: TimeSeriesChartProps) {
  const times = data.map((row) => row[timeKey]).filter((time): time is number => typeof time === "number");
  const rangeMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  const Chart = kind === "line" ? LineChart : AreaChart;
  return (
    <div role="figure" aria-label={label}>
      <Chart responsive data={data as Record<string, number | null>[]} style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID_COLOR} vertical={false} />
        <XAxis
          dataKey={timeKey}
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(value: number) => formatAxisTime(value, timeZone, rangeMs)}
          stroke={AXIS_COLOR}
          tick={{ fontSize: 11, fill: AXIS_COLOR }}
          tickLine={false}
          minTickGap={24}
        />
        <YAxis
          width="auto"
          domain={yDomain}
          tickFormatter={(value: number) => formatAxisValue(value, unit)}
          stroke={AXIS_COLOR}
          tick={{ fontSize: 11, fill: AXIS_COLOR }}
          tickLine={false}
          axisLine={false}
        />
        <Tooltip
          itemSorter={(item) => seriesOrder(series, item.dataKey)}
          content={(props) => (
            <ChartTooltip {...props} unit={unit} formatLabel={(value) => (typeof value === "number" ? formatDateTime(new Date(value), timeZone) : "")} />
          )}
        />
        {series.length > 1 ? <Legend itemSorter={null} iconType="plainline" wrapperStyle={{ fontSize: 12 }} /> : null}
        {referenceLine ? (
          <ReferenceLine
            y={referenceLine.value}
            stroke={referenceLine.color ?? BUDGET_COLOR}
            strokeDasharray="6 4"
            label={{ value: referenceLine.label, position: "insideTopRight", fontSize: 11, fill: referenceLine.color ?? BUDGET_COLOR }}
          />
        ) : null}
        {series.map((item, index) => {
          const color = item.color ?? seriesColor(index);
          const common = {
            dataKey: item.key,
            name: item.label,
            stroke: color,
            strokeWidth: 2,
            strokeDasharray: item.isDashed ? "5 4" : undefined,
            isAnimationActive: false,
            connectNulls: false,
            dot: isolatedPointDot(data, item.key, color),
          };
          return kind === "line" ? (
            <Line key={item.key} {...common} type="monotone" />
          ) : (
            <Area key={item.key} {...common} type="monotone" fill={color} fillOpacity={kind === "stacked-area" ? 0.55 : 0.15} stackId={kind === "stacked-area" ? "stack" : undefined} />
          );
        })}
      </Chart>
    </div>
  );
}

/**
 * No dots on a line, except a value whose neighbours are both gaps: without one it would not be
 * drawn at all (a line needs two points), and a lone bucket of traffic would look like no data.
 */
function isolatedPointDot(data: readonly Record<string, number | null>[], key: string, color: string) {
  const isKnown = (index: number) => typeof data[index]?.[key] === "number";
  function IsolatedPointDot({ index, cx, cy }: DotItemDotProps) {
    if (!isKnown(index) || isKnown(index - 1) || isKnown(index + 1) || cx === undefined || cy === undefined) return null;
    return <circle key={`${key}-${index}`} cx={cx} cy={cy} r={3} fill={color} stroke="none" />;
  }
  return IsolatedPointDot;
}
