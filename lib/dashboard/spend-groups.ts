import { metricNumber, isRestGroup, OTHER_COLOR, REST_GROUP, type GroupValues, type ResultLike, type SeriesTable } from "@/lib/dashboard/chart-data";

/**
 * Spend by a dimension, for the Cost screen: the `limit` groups that spend most, and the rest
 * added up as "Other". (The query layer's limitGroups ranks by calls; a spend chart must rank by
 * spend, or one expensive low-volume model hides inside "Other".) Money is added in integer
 * nano-USD, as Sous stores it, so the groups add up to the total to the cent.
 *
 * A group whose calls all lack a price has unknown spend (null), never $0; a group with some
 * unpriced calls shows what is known and how many calls are missing from it.
 */
export interface SpendGroup {
  label: string;
  isOther: boolean;
  /** Known spend; null when no call of the group has a price. */
  costUsd: number | null;
  calls: number;
  unknownCostCalls: number;
  /** Known spend ÷ priced calls. */
  costPerCallUsd: number | null;
  /** Share of the known spend of all groups. */
  share: number | null;
}

export interface SpendBreakdown {
  groups: SpendGroup[];
  totalCostUsd: number | null;
  totalCalls: number;
  totalUnknownCostCalls: number;
  /** Stacked spend per bucket (a series per group). */
  spendOverTime: SeriesTable;
  /** Known spend ÷ priced calls per bucket (a series per group; null where no call was priced). */
  costPerCallOverTime: SeriesTable;
}

interface Sums {
  nano: number;
  hasCost: boolean;
  calls: number;
  unknown: number;
}

const toNano = (usd: number | null) => (usd === null ? 0 : Math.round(usd * 1e9));
const fromNano = (nano: number) => nano / 1e9;

function sumsOf(values: GroupValues["values"] | undefined): Sums {
  const cost = metricNumber(values, "costUsd");
  return { nano: toNano(cost), hasCost: cost !== null, calls: metricNumber(values, "calls") ?? 0, unknown: metricNumber(values, "unknownCostCalls") ?? 0 };
}

function add(a: Sums, b: Sums): Sums {
  return { nano: a.nano + b.nano, hasCost: a.hasCost || b.hasCost, calls: a.calls + b.calls, unknown: a.unknown + b.unknown };
}

const EMPTY: Sums = { nano: 0, hasCost: false, calls: 0, unknown: 0 };

function perCall(sums: Sums): number | null {
  const priced = sums.calls - sums.unknown;
  return sums.hasCost && priced > 0 ? fromNano(sums.nano) / priced : null;
}

export function breakDownSpend(result: ResultLike, limit: number, label: (group: GroupValues) => string): SpendBreakdown {
  const ranked = [...result.groups]
    .map((group) => ({ group, total: sumsOf(group.values) }))
    // The query's rest (limitGroups) goes last, whatever it spent; a tag's "other" value last among
    // equals; spend decides, then calls.
    .sort(
      (a, b) =>
        Number(a.group.group === REST_GROUP) - Number(b.group.group === REST_GROUP) ||
        b.total.nano - a.total.nano ||
        b.total.calls - a.total.calls ||
        Number(isRestGroup(a.group)) - Number(isRestGroup(b.group)),
    );
  const kept = ranked.length > limit + 1 ? ranked.slice(0, limit) : ranked;
  const rest = ranked.length > limit + 1 ? ranked.slice(limit) : [];
  const buckets = result.buckets ?? [];

  const bucketSums = (group: GroupValues) => buckets.map((_, index) => sumsOf(group.points?.[index]));
  const columns: { label: string; isOther: boolean; total: Sums; points: Sums[] }[] = kept.map(({ group, total }) => ({
    label: label(group),
    isOther: group.group !== null && isRestGroup(group),
    total,
    points: bucketSums(group),
  }));
  if (rest.length > 0) {
    columns.push({
      label: "Other",
      isOther: true,
      total: rest.reduce((sum, item) => add(sum, item.total), EMPTY),
      points: buckets.map((_, index) => rest.reduce((sum, item) => add(sum, sumsOf(item.group.points?.[index])), EMPTY)),
    });
  }

  const total = columns.reduce((sum, column) => add(sum, column.total), EMPTY);
  const groups = columns.map((column) => ({
    label: column.label,
    isOther: column.isOther,
    costUsd: column.total.hasCost ? fromNano(column.total.nano) : null,
    calls: column.total.calls,
    unknownCostCalls: column.total.unknown,
    costPerCallUsd: perCall(column.total),
    share: total.nano > 0 && column.total.hasCost ? column.total.nano / total.nano : null,
  }));

  // Charts: only groups with some known spend get a series.
  const charted = columns.filter((column) => column.total.hasCost);
  const series = charted.map((column, index) => ({ key: `s${index}`, label: column.label, ...(column.isOther ? { color: OTHER_COLOR } : {}) }));
  const spendRows = buckets.map((time, bucket) => {
    const row: Record<string, number | null> = { time };
    charted.forEach((column, index) => {
      const sums = column.points[bucket]!;
      // A bucket where the group had calls but none priced is unknown; without calls it spent 0.
      row[`s${index}`] = sums.hasCost ? fromNano(sums.nano) : sums.calls > 0 ? null : 0;
    });
    return row;
  });
  const perCallRows = buckets.map((time, bucket) => {
    const row: Record<string, number | null> = { time };
    charted.forEach((column, index) => {
      row[`s${index}`] = perCall(column.points[bucket]!);
    });
    return row;
  });

  return {
    groups,
    totalCostUsd: total.hasCost ? fromNano(total.nano) : null,
    totalCalls: total.calls,
    totalUnknownCostCalls: total.unknown,
    spendOverTime: { rows: spendRows, series },
    costPerCallOverTime: { rows: perCallRows, series },
  };
}
