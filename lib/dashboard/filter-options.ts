import { FILTER_DIMENSIONS, type FilterDimension } from "@/lib/dashboard/view-params";

/** The values the toolbar's filters offer (lib/dashboard/list-filter-options reads them). */
export interface FilterOptions {
  dimensions: Record<FilterDimension, string[]>;
  tags: { key: string; values: string[] }[];
  /** True when the range held more spans than were scanned (rare values may be missing). */
  isCapped: boolean;
}

export function emptyFilterOptions(tagKeys: readonly string[]): FilterOptions {
  return {
    dimensions: Object.fromEntries(FILTER_DIMENSIONS.map(({ key }) => [key, []])) as unknown as Record<FilterDimension, string[]>,
    tags: tagKeys.map((key) => ({ key, values: [] })),
    isCapped: false,
  };
}
