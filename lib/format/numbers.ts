/**
 * Number formatting for every screen: one place decides units and precision, so a TTFT or a dollar
 * amount reads the same on the Overview, in a chart tooltip and in the trace waterfall.
 *
 * The locale is fixed (en-US) so server and browser render the same text (no hydration mismatch).
 * A missing value (null, undefined, NaN) is "—": Sous never shows an unknown as 0.
 */
export const MISSING = "—";

/** The units a metric can have; charts and stat tiles take one and format through it. */
export type Unit = "ms" | "tokens" | "usd" | "percent" | "count";

type Maybe = number | null | undefined;

const isMissing = (value: Maybe): value is null | undefined => value === null || value === undefined || Number.isNaN(value);

const grouped = (maximumFractionDigits: number, minimumFractionDigits = 0) =>
  new Intl.NumberFormat("en-US", { maximumFractionDigits, minimumFractionDigits });

const INTEGER = grouped(0);
const ONE_DECIMAL = grouped(1);
const ONE_DECIMAL_FIXED = grouped(1, 1);
const TWO_DECIMALS = grouped(2, 2);
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * Durations: sub-millisecond and single-digit ms keep a decimal, then whole ms up to a second,
 * seconds with two decimals up to 10 s, then one decimal, then minutes and hours.
 * 0.42 → "0.42 ms", 4.25 → "4.3 ms", 345.4 → "345 ms", 1250 → "1.25 s", 12_340 → "12.3 s",
 * 125_000 → "2 min 5 s", 4_980_000 → "1 h 23 min".
 */
export function formatMs(ms: Maybe): string {
  if (isMissing(ms)) return MISSING;
  const sign = ms < 0 ? "−" : "";
  const value = Math.abs(ms);
  if (value === 0) return "0 ms";
  if (value < 1) return `${sign}${value.toFixed(2)} ms`;
  if (value < 10) return `${sign}${ONE_DECIMAL.format(value)} ms`;
  // 999.6 ms must not read "1,000 ms": promote it to seconds.
  if (Math.round(value) < 1000) return `${sign}${INTEGER.format(value)} ms`;
  if (value < 9_995) return `${sign}${TWO_DECIMALS.format(value / 1000)} s`;
  if (value < 59_950) return `${sign}${ONE_DECIMAL_FIXED.format(value / 1000)} s`;
  const totalSeconds = Math.round(value / 1000);
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${sign}${minutes} min${seconds > 0 ? ` ${seconds} s` : ""}`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return `${sign}${INTEGER.format(hours)} h${minutes > 0 ? ` ${minutes} min` : ""}`;
}

/** Exact token counts with grouping ("4,321"); `compact` for tight spaces ("4.3K", "1.2M"). */
export function formatTokens(tokens: Maybe, options: { compact?: boolean } = {}): string {
  if (isMissing(tokens)) return MISSING;
  return options.compact && Math.abs(tokens) >= 10_000 ? COMPACT.format(tokens) : INTEGER.format(tokens);
}

/** Plain counts (calls, spans, errors): "12,345"; `compact` → "12.3K". */
export function formatCount(count: Maybe, options: { compact?: boolean } = {}): string {
  return formatTokens(count, options);
}

/**
 * US dollars. Totals of a dollar or more show cents ("$1,234.56"); smaller amounts (one call's
 * cost) keep three significant digits so they do not all read "$0.00" ("$0.0123", "$0.000456");
 * anything below a millionth of a dollar reads "<$0.000001". Zero is "$0.00".
 */
export function formatUsd(usd: Maybe): string {
  if (isMissing(usd)) return MISSING;
  const sign = usd < 0 ? "−" : "";
  const value = Math.abs(usd);
  if (value === 0) return "$0.00";
  if (value >= 0.995) return `${sign}$${TWO_DECIMALS.format(value)}`;
  if (value < 0.000001) return `${sign}<$0.000001`;
  const significant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3, minimumSignificantDigits: 1 });
  return `${sign}$${significant.format(value)}`;
}

/**
 * A ratio (0–1) as a percentage with one decimal ("12.3%"); exactly 0 and 1 read "0%" and "100%",
 * a ratio that is not 0 but rounds to it reads "<0.1%" (a few errors are not no errors), and one
 * that rounds to 100 % without being it reads ">99.9%".
 */
export function formatPercent(ratio: Maybe, options: { digits?: number } = {}): string {
  if (isMissing(ratio)) return MISSING;
  const digits = options.digits ?? 1;
  const percent = ratio * 100;
  if (percent === 0 || percent === 100) return `${percent}%`;
  const threshold = 10 ** -digits;
  if (Math.abs(percent) < threshold) return `${percent < 0 ? "−" : ""}<${threshold}%`;
  // 99.97 % of calls within budget is not all of them.
  if (percent > 100 - threshold && percent < 100) return `>${(100 - threshold).toFixed(digits)}%`;
  const formatted = new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(
    Math.abs(percent),
  );
  return `${percent < 0 ? "−" : ""}${formatted}%`;
}

/**
 * A relative change (0.123 = 12.3 % more) with its sign: "+12.3%", "−4.0%", "±0%"; ten times the
 * previous value or more as a factor ("×12", "×4,700"): "+469,900%" reads as noise.
 * Null when there is no previous value to compare with.
 */
export function formatChange(change: Maybe): string {
  if (isMissing(change)) return MISSING;
  if (!Number.isFinite(change)) return change > 0 ? "new" : MISSING;
  if (Math.abs(change) < 0.0005) return "±0%";
  if (change >= 9) return `×${formatCount(Math.round(1 + change))}`;
  return `${change > 0 ? "+" : "−"}${formatPercent(Math.abs(change))}`;
}

/** The relative change from `previous` to `current`; null when either is unknown or previous is 0. */
export function relativeChange(current: Maybe, previous: Maybe): number | null {
  if (isMissing(current) || isMissing(previous) || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** Any metric by its unit: the one entry point for stat tiles, tables and tooltips. */
export function formatValue(value: Maybe, unit: Unit): string {
  switch (unit) {
    case "ms":
      return formatMs(value);
    case "tokens":
      return formatTokens(value);
    case "usd":
      return formatUsd(value);
    case "percent":
      return formatPercent(value);
    case "count":
      return formatCount(value);
  }
}

/**
 * Axis ticks: short, and consistent within one axis ("250 ms", "1.5 s", "12K", "$1.2K", "25%").
 */
export function formatAxisValue(value: Maybe, unit: Unit): string {
  if (isMissing(value)) return "";
  switch (unit) {
    case "ms": {
      const absolute = Math.abs(value);
      if (absolute === 0) return "0";
      if (absolute < 1000) return `${grouped(absolute < 10 ? 1 : 0).format(value)} ms`;
      if (absolute < 60_000) return `${grouped(1).format(value / 1000)} s`;
      if (absolute < 3_600_000) return `${grouped(1).format(value / 60_000)} min`;
      return `${grouped(1).format(value / 3_600_000)} h`;
    }
    case "tokens":
    case "count":
      return COMPACT.format(value);
    case "usd": {
      const absolute = Math.abs(value);
      if (absolute === 0) return "$0";
      if (absolute >= 1000) return `$${COMPACT.format(value)}`;
      if (absolute >= 1) return `$${grouped(2).format(value)}`;
      return `$${new Intl.NumberFormat("en-US", { maximumSignificantDigits: 2 }).format(value)}`;
    }
    case "percent":
      return `${grouped(Math.abs(value) < 0.1 && value !== 0 ? 1 : 0).format(value * 100)}%`;
  }
}
