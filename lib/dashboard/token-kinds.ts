import { metricNumber, type GroupValues, type ResultLike, type SeriesTable } from "@/lib/dashboard/chart-data";

/**
 * Tokens by kind, the four things a provider bills differently: fresh input (neither read from nor
 * written to the prompt cache), cache reads, cache writes, and output (reasoning included). Sous's
 * `inputTokens` includes cache reads and writes (DESIGN.md), so the fresh part is
 * input − cache reads − cache writes; calls that do not report cache use count as fresh input.
 */
export const TOKEN_KINDS = [
  { key: "uncachedInput", label: "Fresh input", color: "var(--chart-1)" },
  { key: "cacheRead", label: "Cache reads", color: "var(--chart-3)" },
  { key: "cacheWrite", label: "Cache writes", color: "var(--chart-2)" },
  { key: "output", label: "Output", color: "var(--chart-5)" },
] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number]["key"];

export type TokensByKind = Record<TokenKind, number | null>;

/** Null when no call reported tokens (unknown is not 0). */
export function tokensByKind(values: GroupValues["values"] | undefined): TokensByKind {
  const input = metricNumber(values, "inputTokens");
  const output = metricNumber(values, "outputTokens");
  const read = metricNumber(values, "cacheReadTokens");
  const write = metricNumber(values, "cacheWriteTokens");
  return {
    uncachedInput: input === null ? null : Math.max(0, input - (read ?? 0) - (write ?? 0)),
    cacheRead: read,
    cacheWrite: write,
    output,
  };
}

export interface TokenBreakdown {
  totals: TokensByKind;
  overTime: SeriesTable;
}

/** The total group (a query without groupBy) by kind, over the range and per bucket. */
export function breakDownTokens(result: ResultLike): TokenBreakdown {
  const group = result.groups[0];
  const series = TOKEN_KINDS.map((kind) => ({ key: kind.key, label: kind.label, color: kind.color }));
  const rows = (result.buckets ?? []).map((time, bucket) => ({ time, ...tokensByKind(group?.points?.[bucket]) }));
  return {
    totals: tokensByKind(group?.values),
    overTime: { rows, series },
  };
}
