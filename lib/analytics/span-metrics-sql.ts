import { histogramOneCountSql } from "@/lib/analytics/histogram";
import { Prisma } from "@/lib/generated/prisma/client";
import type { METRIC_COLUMNS } from "@/lib/rollups/metrics";

/**
 * One raw span's contribution to each rollup metric column (lib/rollups/metrics.ts), over `spans`
 * aliased `s`: a count of 0 or 1, a token or money amount (0 when unknown),
 * or a one-entry histogram (NULL when there is no value, which string_agg skips). Summing these
 * over spans gives exactly what the rollups hold; the writer's deltas, the rebuild and the raw
 * edges of a query all use them.
 */
type MetricColumn = (typeof METRIC_COLUMNS)[number];

export interface BudgetSettings {
  ttftBudgetMs: number;
  serviceTtftBudgets: Record<string, number>;
}

const flag = (condition: Prisma.Sql) => Prisma.sql`(CASE WHEN ${condition} THEN 1 ELSE 0 END)::bigint`;
const amount = (column: string) => Prisma.raw(`COALESCE(s.${column}, 0)::bigint`);
const histogramEntry = (value: string, condition: Prisma.Sql) =>
  Prisma.sql`(CASE WHEN ${condition} THEN ${Prisma.raw(histogramOneCountSql(`sous_hist_bucket(${value})`))} END)`;

export function spanMetricSql(settings: BudgetSettings): Record<MetricColumn, Prisma.Sql> {
  const budget = Prisma.sql`COALESCE((${JSON.stringify(settings.serviceTtftBudgets)}::jsonb ->> s.service_name)::float8, ${settings.ttftBudgetMs}::float8)`;
  return {
    calls: Prisma.sql`1::bigint`,
    errors: flag(Prisma.sql`s.status = 'error'`),
    ttft_calls: flag(Prisma.sql`s.ttft_ms IS NOT NULL`),
    within_budget_calls: flag(Prisma.sql`s.ttft_ms <= ${budget}`),
    token_calls: flag(Prisma.sql`s.input_tokens IS NOT NULL OR s.output_tokens IS NOT NULL`),
    unknown_cost_calls: flag(Prisma.sql`s.cost_nano_usd IS NULL`),
    input_tokens: amount("input_tokens"),
    output_tokens: amount("output_tokens"),
    cache_read_tokens: amount("cache_read_tokens"),
    cache_write_tokens: amount("cache_write_tokens"),
    reasoning_tokens: amount("reasoning_tokens"),
    cache_reported_calls: flag(Prisma.sql`s.cache_read_tokens IS NOT NULL`),
    cache_reported_input_tokens: Prisma.sql`(CASE WHEN s.cache_read_tokens IS NOT NULL THEN COALESCE(s.input_tokens, 0) ELSE 0 END)::bigint`,
    cache_hit_calls: flag(Prisma.sql`s.cache_read_tokens > 0`),
    cost_nano_usd: amount("cost_nano_usd"),
    cache_savings_nano_usd: amount("cache_savings_nano_usd"),
    ttft_hist: histogramEntry("s.ttft_ms", Prisma.sql`s.ttft_ms IS NOT NULL`),
    ttft_cache_hit_hist: histogramEntry("s.ttft_ms", Prisma.sql`s.ttft_ms IS NOT NULL AND s.cache_read_tokens > 0`),
    duration_hist: histogramEntry("s.duration_ms", Prisma.sql`TRUE`),
  };
}

/** How a column adds up over rows: histograms concatenate, everything else sums. */
export function aggregateSql(column: MetricColumn, expression: Prisma.Sql): Prisma.Sql {
  return column.endsWith("_hist")
    ? Prisma.sql`COALESCE(string_agg(${expression}, ''::bytea), ''::bytea)`
    : Prisma.sql`COALESCE(sum(${expression}), 0)`;
}
