import type { SearchParamsInput } from "@/lib/dashboard/view-params";
import { MAX_SEARCH_LENGTH } from "@/lib/traces/trace-search";

/**
 * The Traces screen's own URL parameters, next to the shared view (lib/dashboard/view-params):
 * `q` (free text: trace id, span name or service), `errors=1` (only traces with an error), `cursor`
 * (the page), and on the trace page `span` (the selected span).
 */
export interface TraceListParams {
  search: string | null;
  isErrorsOnly: boolean;
  cursor: string | null;
}

function firstValue(input: SearchParamsInput, key: string): string | null {
  if (typeof (input as URLSearchParams).get === "function") return (input as URLSearchParams).get(key);
  const value = (input as Record<string, string | string[] | undefined>)[key];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function parseTraceListParams(input: SearchParamsInput): TraceListParams {
  const search = firstValue(input, "q")?.trim().slice(0, MAX_SEARCH_LENGTH) ?? "";
  return {
    search: search === "" ? null : search,
    isErrorsOnly: firstValue(input, "errors") === "1",
    cursor: firstValue(input, "cursor") || null,
  };
}

/** The selected span on the trace page (16 hex characters), else null. */
export function parseSelectedSpanId(input: SearchParamsInput): string | null {
  const value = firstValue(input, "span");
  return value && /^[0-9a-f]{16}$/i.test(value) ? value.toLowerCase() : null;
}
