"use client";

import { use } from "react";
import { SELECT_CLASS } from "@/components/shell/project-switcher";
import type { FilterOptions } from "@/lib/dashboard/filter-options";
import { FILTER_DIMENSIONS, type DashboardFilters, type ViewPatch } from "@/lib/dashboard/view-params";

interface FilterBarProps {
  /** Streamed from the server, so the rest of the page does not wait for the option lists. */
  options: Promise<FilterOptions>;
  tagKeys: readonly string[];
  filters: DashboardFilters;
  onChange: (patch: ViewPatch) => void;
}

/**
 * One select per dimension and per allocation tag. A dimension with no values in the range is
 * hidden unless it is filtered on; a value in the URL but not in the list (an old bookmark) stays
 * selectable.
 */
export function FilterBar({ options, tagKeys, filters, onChange }: FilterBarProps) {
  const resolved = use(options);
  return (
    <>
      {FILTER_DIMENSIONS.map(({ key, label }) => (
        <FilterSelect
          key={key}
          label={label}
          values={resolved.dimensions[key]}
          selected={filters[key]}
          onSelect={(value) => onChange({ filters: { [key]: value } })}
        />
      ))}
      {tagKeys.map((key) => (
        <FilterSelect
          key={`tag:${key}`}
          label={key}
          values={resolved.tags.find((tag) => tag.key === key)?.values ?? []}
          selected={filters.attributes[key]}
          onSelect={(value) => onChange({ attributes: { [key]: value } })}
        />
      ))}
      {resolved.isCapped ? (
        <span className="text-xs text-zinc-500" title="Filter values come from the newest spans of the range">
          values from the newest spans
        </span>
      ) : null}
    </>
  );
}

/** Disabled selects of the same size while the options load. */
export function FilterBarFallback({ tagKeys }: { tagKeys: readonly string[] }) {
  return (
    <>
      {[...FILTER_DIMENSIONS.map(({ label }) => label), ...tagKeys].map((label) => (
        <select key={label} disabled aria-label={label} className={SELECT_CLASS}>
          <option>{label}</option>
        </select>
      ))}
    </>
  );
}

function FilterSelect({
  label,
  values,
  selected,
  onSelect,
}: {
  label: string;
  values: string[];
  selected: string | undefined;
  onSelect: (value: string | null) => void;
}) {
  if (values.length === 0 && !selected) return null;
  const choices = selected && !values.includes(selected) ? [selected, ...values] : values;
  return (
    <select
      aria-label={label}
      value={selected ?? ""}
      onChange={(event) => onSelect(event.target.value || null)}
      className={`${SELECT_CLASS} ${selected ? "border-sky-600 ring-1 ring-sky-600 dark:border-sky-400 dark:ring-sky-400" : ""}`}
    >
      <option value="">{`${label}: all`}</option>
      {choices.map((value) => (
        <option key={value} value={value}>
          {`${label}: ${value}`}
        </option>
      ))}
    </select>
  );
}
