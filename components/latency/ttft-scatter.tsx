"use client";

import { CartesianGrid, Legend, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis, type TooltipContentProps } from "recharts";
import { AXIS_COLOR, BUDGET_COLOR, GRID_COLOR, seriesColor } from "@/components/charts/palette";
import { logAxisTicks, OTHER_MODELS, type ScatterSeries } from "@/lib/dashboard/recent-call-latency";
import { formatAxisValue, formatMs, formatTokens } from "@/lib/format/numbers";

/**
 * TTFT against input tokens, one dot per call, colored by model, on a logarithmic token axis
 * (prompts span 100 to 100,000+ tokens). Long prompts take longer to prefill: a cloud rising to
 * the right is expected; dots far above the others at the same size are worth a look.
 */
export function TtftScatter({ series, budgetMs, height = 280 }: { series: readonly ScatterSeries[]; budgetMs: number; height?: number }) {
  const tokens = series.flatMap((item) => item.points.map((point) => point.inputTokens));
  const ticks = logAxisTicks(Math.min(...tokens), Math.max(...tokens));
  return (
    <div role="figure" aria-label="TTFT against input tokens">
      <ScatterChart responsive style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID_COLOR} />
        <XAxis
          type="number"
          dataKey="inputTokens"
          name="Input tokens"
          scale="log"
          domain={[ticks[0]!, ticks[ticks.length - 1]!]}
          ticks={ticks}
          allowDataOverflow
          tickFormatter={(value: number) => formatAxisValue(value, "tokens")}
          stroke={AXIS_COLOR}
          tick={{ fontSize: 11, fill: AXIS_COLOR }}
          tickLine={false}
          label={{ value: "input tokens (log scale)", position: "insideBottomRight", offset: -2, fontSize: 11, fill: AXIS_COLOR }}
          height={36}
        />
        <YAxis
          type="number"
          dataKey="ttftMs"
          name="TTFT"
          width="auto"
          tickFormatter={(value: number) => formatAxisValue(value, "ms")}
          stroke={AXIS_COLOR}
          tick={{ fontSize: 11, fill: AXIS_COLOR }}
          tickLine={false}
          axisLine={false}
        />
        <ZAxis range={[18, 18]} />
        <Tooltip cursor={{ strokeDasharray: "3 3" }} content={(props) => <ScatterTooltip {...props} />} />
        {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
        <ReferenceLine
          y={budgetMs}
          stroke={BUDGET_COLOR}
          strokeDasharray="6 4"
          label={{ value: `budget ${formatMs(budgetMs)}`, position: "insideTopRight", fontSize: 11, fill: BUDGET_COLOR }}
        />
        {series.map((item, index) => (
          <Scatter
            key={item.label}
            name={item.label}
            data={item.points.map((point) => ({ ...point, model: item.label }))}
            fill={item.label === OTHER_MODELS ? "var(--chart-8)" : seriesColor(index)}
            fillOpacity={0.75}
            isAnimationActive={false}
          />
        ))}
      </ScatterChart>
    </div>
  );
}

function ScatterTooltip({ active, payload }: Pick<TooltipContentProps, "active" | "payload">) {
  if (!active || !payload || payload.length === 0) return null;
  const point = payload[0]!.payload as { inputTokens: number; ttftMs: number; model: string };
  const model = point.model;
  return (
    <div className="rounded-md border border-zinc-200 bg-white/95 px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900/95">
      {model ? <p className="mb-1 font-medium text-zinc-700 dark:text-zinc-200">{String(model)}</p> : null}
      <p className="tabular-nums text-zinc-600 dark:text-zinc-300">TTFT {formatMs(point.ttftMs)}</p>
      <p className="tabular-nums text-zinc-600 dark:text-zinc-300">{formatTokens(point.inputTokens)} input tokens</p>
    </div>
  );
}
