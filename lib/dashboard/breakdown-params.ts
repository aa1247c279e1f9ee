import type { GroupBy } from "@/lib/analytics/query";
import type { GroupKind } from "@/lib/dashboard/chart-data";
import type { SearchParamsInput } from "@/lib/dashboard/view-params";

/**
 * The "broken down by" choice of the Cache and Cost screens, as it lives in the URL (`?by=…`), so a
 * breakdown can be bookmarked like the rest of the view. A page parameter, not a view parameter:
 * it means nothing on other screens. An unknown value falls back to the default (a mistyped
 * bookmark still opens the screen).
 *
 *   /cache?by=model | promptVersion
 *   /cost?by=model | service | tag.<allocation tag key>   (e.g. tag.team)
 *
 * No server imports: the links (server) and tests share it.
 */
export const BREAKDOWN_PARAM = "by";

export interface BreakdownOption {
  /** The URL value. */
  value: string;
  label: string;
  groupBy: GroupBy;
  kind: GroupKind;
}

export const CACHE_BREAKDOWNS: readonly BreakdownOption[] = [
  { value: "model", label: "Model", groupBy: "model", kind: "model" },
  { value: "promptVersion", label: "Prompt version", groupBy: "promptVersion", kind: "promptVersion" },
];

const TAG_PREFIX = "tag.";

export function costBreakdowns(allocationTagKeys: readonly string[]): BreakdownOption[] {
  return [
    { value: "model", label: "Model", groupBy: "model", kind: "model" },
    { value: "service", label: "Service", groupBy: "service", kind: "service" },
    ...allocationTagKeys.map((key) => ({ value: `${TAG_PREFIX}${key}`, label: capitalize(key), groupBy: `attribute:${key}` as const, kind: "tag" as const })),
  ];
}

/** The option the URL names, else the first. */
export function pickBreakdown(options: readonly BreakdownOption[], searchParams: SearchParamsInput): BreakdownOption {
  const value = firstParam(searchParams, BREAKDOWN_PARAM);
  return options.find((option) => option.value === value) ?? options[0]!;
}

export function firstParam(searchParams: SearchParamsInput, key: string): string | undefined {
  if (typeof (searchParams as URLSearchParams).get === "function") return (searchParams as URLSearchParams).get(key) ?? undefined;
  const value = (searchParams as Record<string, string | string[] | undefined>)[key];
  return Array.isArray(value) ? value[0] : value;
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}
