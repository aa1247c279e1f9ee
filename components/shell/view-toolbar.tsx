"use client";

import { Suspense, useState } from "react";
import { RefreshPicker, useAutoRefresh } from "@/components/shell/auto-refresh";
import { FilterBar, FilterBarFallback } from "@/components/shell/filter-bar";
import { ProjectSwitcher } from "@/components/shell/project-switcher";
import { RangePicker } from "@/components/shell/range-picker";
import { useViewNavigation } from "@/components/shell/use-view-navigation";
import type { FilterOptions } from "@/lib/dashboard/filter-options";
import { activeFilters, clearFilters, updateView, type ProjectOption } from "@/lib/dashboard/view-params";

export interface ViewToolbarProps {
  projects: ProjectOption[];
  /** The slug of the project on screen (resolved on the server: the default when the URL has none). */
  projectSlug: string;
  timeZone: string;
  tagKeys: readonly string[];
  filterOptions: Promise<FilterOptions>;
}

/**
 * Project, time range, filters and auto-refresh: every control writes the URL, so the view is
 * bookmarkable and the server renders it. On a phone the filters fold behind a button.
 */
export function ViewToolbar({ projects, projectSlug, timeZone, tagKeys, filterOptions }: ViewToolbarProps) {
  const { view, navigate, refresh, isPending } = useViewNavigation();
  const [areFiltersOpen, setAreFiltersOpen] = useState(false);
  useAutoRefresh(view.refresh, refresh);
  const active = activeFilters(view.filters);

  return (
    <div className="space-y-2" data-pending={isPending ? "" : undefined}>
      <div className="flex flex-wrap items-center gap-2">
        <ProjectSwitcher projects={projects} currentSlug={projectSlug} onChange={(slug) => navigate(updateView(view, { projectSlug: slug }))} />
        <RangePicker range={view.range} timeZone={timeZone} onChange={(range) => navigate(updateView(view, { range }))} />
        <RefreshPicker value={view.refresh} onChange={(refreshInterval) => navigate(updateView(view, { refresh: refreshInterval }))} />
        <button
          type="button"
          className="h-8 rounded-md border border-zinc-300 px-3 text-sm md:hidden dark:border-zinc-700"
          aria-expanded={areFiltersOpen}
          onClick={() => setAreFiltersOpen((open) => !open)}
        >
          Filters{active.length > 0 ? ` (${active.length})` : ""}
        </button>
        <span
          aria-live="polite"
          className={`text-xs text-zinc-500 transition-opacity ${isPending ? "opacity-100" : "opacity-0"}`}
        >
          Loading…
        </span>
      </div>
      <div className={`${areFiltersOpen ? "flex" : "hidden"} flex-wrap items-center gap-2 md:flex`} data-testid="filter-bar">
        <Suspense fallback={<FilterBarFallback tagKeys={tagKeys} />}>
          <FilterBar options={filterOptions} tagKeys={tagKeys} filters={view.filters} onChange={(patch) => navigate(updateView(view, patch))} />
        </Suspense>
        {active.length > 0 ? (
          <button
            type="button"
            onClick={() => navigate(clearFilters(view))}
            className="h-8 rounded-md px-2 text-sm text-sky-700 hover:underline dark:text-sky-400"
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
