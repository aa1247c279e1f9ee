import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { KeyFigureTiles, TILE_GRID } from "@/components/overview/key-figure-tiles";
import { SpendTiles } from "@/components/overview/spend-tiles";
import { PanelError, PanelLoading, SendDataHint } from "@/components/ui/panel-states";
import { previousRangeLabel } from "@/lib/dashboard/previous-range-label";
import { loadOverviewFigures, type OverviewFigures } from "@/lib/dashboard/load-overview-figures";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { activeFilters, clearFilters, describeTimeRange, viewHref } from "@/lib/dashboard/view-params";

/**
 * The Overview's figures, streamed as server HTML: the page header paints at once, the tiles as
 * soon as their queries answer (no client-side fetching). `hasEverReceived` tells a project that
 * has never sent a span (the getting-started card) from a range that happens to be empty.
 */
export function OverviewFigureSections({ context, hasEverReceived }: { context: DashboardContext; hasEverReceived: Promise<boolean> }) {
  // Keyed by the view: a new range or filter shows the loading state at once instead of holding
  // the old figures until the new ones are ready; the same URL (auto-refresh) updates in place.
  return (
    <Suspense key={viewHref("/", context.view)} fallback={<FiguresLoading />}>
      <Figures context={context} hasEverReceived={hasEverReceived} />
    </Suspense>
  );
}

async function Figures({ context, hasEverReceived }: { context: DashboardContext; hasEverReceived: Promise<boolean> }) {
  let figures: OverviewFigures;
  let hasData: boolean;
  try {
    [figures, hasData] = await Promise.all([loadOverviewFigures(context), hasEverReceived]);
  } catch (error) {
    unstable_rethrow(error);
    console.error("[sous] overview figures failed:", error);
    return <PanelError message="The key figures could not be loaded. The database may be unavailable; the details are in the server log." />;
  }
  if (!hasData && figures.calls.value === 0) return <GettingStarted />;
  const isEmptyRange = figures.calls.value === 0;
  const filters = activeFilters(context.view.filters);
  return (
    <div className="space-y-8">
      <section aria-labelledby="range-figures-heading" className="space-y-3">
        <SectionHeading id="range-figures-heading" title={describeTimeRange(context.view.range, context.settings.timeZone)}>
          Changes compare with {previousRangeLabel(context.view.range, context.range).replace(/^vs /, "")}.
        </SectionHeading>
        {isEmptyRange ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-4 py-3 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="empty-range">
            No LLM calls in this range{filters.length > 0 ? " with these filters" : ""}. Pick a longer range
            {filters.length > 0 ? (
              <>
                {" "}
                or{" "}
                <Link className="text-sky-800 underline dark:text-sky-300" href={viewHref("/", clearFilters(context.view))}>
                  clear the filters
                </Link>
              </>
            ) : null}
            .
          </p>
        ) : null}
        <KeyFigureTiles figures={figures} selection={context.view.range} range={context.range} />
      </section>
      <section aria-labelledby="spend-heading" className="space-y-3">
        <SectionHeading id="spend-heading" title="Spend">
          By calendar day and month, whatever the range{filters.length > 0 ? "; with the filters above" : ""}.
        </SectionHeading>
        <SpendTiles spend={figures.spend} timeZone={context.settings.timeZone} />
      </section>
    </div>
  );
}

function SectionHeading({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
      <h2 id={id} className="text-base font-medium">
        {title}
      </h2>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{children}</p>
    </div>
  );
}

function FiguresLoading() {
  const tiles = (count: number) =>
    Array.from({ length: count }, (_, index) => (
      <div key={index} className="rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <PanelLoading variant="stat" />
      </div>
    ));
  return (
    <div className="space-y-8" aria-busy="true">
      <div className={TILE_GRID}>{tiles(6)}</div>
      <div className={TILE_GRID}>{tiles(3)}</div>
    </div>
  );
}

function GettingStarted() {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 p-6 dark:border-zinc-700" data-testid="getting-started">
      <h2 className="text-lg font-medium">Send your first LLM calls</h2>
      <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        Sous has not received any traces for this project yet. Once your services send OpenTelemetry traces of their LLM calls,
        this page shows calls, time to first token against your budget, cache hit rate, errors and spend.
      </p>
      <div className="mt-4 max-w-2xl">
        <SendDataHint />
      </div>
    </section>
  );
}
