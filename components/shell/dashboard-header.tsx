import { Suspense } from "react";
import { ViewToolbar } from "@/components/shell/view-toolbar";
import { emptyFilterOptions } from "@/lib/dashboard/filter-options";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { listFilterOptions } from "@/lib/dashboard/list-filter-options";

interface DashboardHeaderProps {
  context: DashboardContext;
  title: string;
  description?: React.ReactNode;
}

/**
 * A screen's title and its toolbar (project, range, filters, refresh). The filter values are
 * queried here and streamed to the toolbar, so the screen's own panels do not wait for them.
 */
export function DashboardHeader({ context, title, description }: DashboardHeaderProps) {
  // A failed option query leaves the filters empty; it must not take the screen down with it.
  const filterOptions = listFilterOptions(context.project.id, context.range, context.settings.allocationTagKeys).catch(() =>
    emptyFilterOptions(context.settings.allocationTagKeys),
  );
  return (
    <header className="space-y-3 border-b border-zinc-200 px-4 py-4 md:px-6 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="text-sm text-zinc-500 dark:text-zinc-400">{description}</p> : null}
      </div>
      <Suspense fallback={<div className="h-8" />}>
        <ViewToolbar
          projects={context.projects}
          projectSlug={context.project.slug}
          timeZone={context.settings.timeZone}
          tagKeys={context.settings.allocationTagKeys}
          filterOptions={filterOptions}
        />
      </Suspense>
    </header>
  );
}
