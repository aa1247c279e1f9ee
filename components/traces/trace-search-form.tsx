import Form from "next/form";
import { serializeViewParams, type ViewParams } from "@/lib/dashboard/view-params";
import type { TraceListParams } from "@/lib/traces/trace-list-params";

/**
 * Free-text search and the errors-only switch: a GET form (works without JavaScript; with it,
 * next/form navigates client-side). The view (project, range, filters) rides along as hidden fields.
 */
export function TraceSearchForm({ view, params }: { view: ViewParams; params: TraceListParams }) {
  return (
    <Form action="/traces" className="flex flex-wrap items-center gap-2" role="search">
      {[...serializeViewParams(view)].map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <input
        type="search"
        name="q"
        defaultValue={params.search ?? ""}
        placeholder="Trace id, span name or service"
        aria-label="Search traces"
        className="h-9 w-full rounded-md sm:w-auto sm:max-w-md sm:flex-1 border border-zinc-300 bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <label className="flex h-9 items-center gap-2 text-sm">
        <input type="checkbox" name="errors" value="1" defaultChecked={params.isErrorsOnly} className="size-4 accent-sky-700" />
        Errors only
      </label>
      <button type="submit" className="h-9 rounded-md bg-zinc-900 px-4 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900">
        Search
      </button>
    </Form>
  );
}
