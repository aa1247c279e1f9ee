import type { Metadata } from "next";
import { DashboardHeader } from "@/components/shell/dashboard-header";
import { TraceList, TraceListEmpty } from "@/components/traces/trace-list";
import { TraceSearchForm } from "@/components/traces/trace-search-form";
import { AsyncPanel } from "@/components/ui/async-panel";
import { resolveDashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { activeFilters, clearFilters, toCallFilters, viewHref, type SearchParamsInput } from "@/lib/dashboard/view-params";
import { listTraces } from "@/lib/traces/list-traces";
import { parseTraceListParams } from "@/lib/traces/trace-list-params";
import { parseTraceSearch } from "@/lib/traces/trace-search";

export const metadata: Metadata = { title: "Traces" };

export default async function TracesPage({ searchParams }: { searchParams: Promise<SearchParamsInput> }) {
  const params = await searchParams;
  const context = await resolveDashboardContext(params);
  const listParams = parseTraceListParams(params);
  const pageParams = { q: listParams.search, errors: listParams.isErrorsOnly ? "1" : null };
  const hasNarrowing = listParams.search !== null || listParams.isErrorsOnly || activeFilters(context.view.filters).length > 0;
  return (
    <>
      <DashboardHeader context={context} title="Traces" description="Every request with its LLM calls: newest first" />
      <main className="space-y-4 p-4 md:p-6">
        <TraceSearchForm view={context.view} params={listParams} />
        <AsyncPanel
          title="Traces"
          testId="traces-panel"
          load={() =>
            listTraces(context.project.id, {
              filters: toCallFilters(context.view, context.now),
              search: parseTraceSearch(listParams.search),
              isErrorsOnly: listParams.isErrorsOnly,
              cursor: listParams.cursor,
            })
          }
          isEmpty={(page) => page.traces.length === 0}
          empty={<TraceListEmpty hasNarrowing={hasNarrowing} clearHref={viewHref("/traces", clearFilters(context.view))} />}
        >
          {(page) => (
            <TraceList
              page={page}
              view={context.view}
              timeZone={context.settings.timeZone}
              pageParams={pageParams}
              isFirstPage={listParams.cursor === null}
            />
          )}
        </AsyncPanel>
      </main>
    </>
  );
}
