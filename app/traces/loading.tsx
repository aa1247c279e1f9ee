import { PanelLoading } from "@/components/ui/panel-states";
import { Panel } from "@/components/ui/panel";

/** Shaped like the trace list: header with toolbar, search box, table rows. */
export default function TracesLoading() {
  return (
    <>
      <header className="space-y-3 border-b border-zinc-200 px-4 py-4 md:px-6 dark:border-zinc-800">
        <h1 className="text-xl font-semibold tracking-tight">Traces</h1>
        <div className="h-8 w-96 max-w-full animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
      </header>
      <main className="space-y-4 p-4 md:p-6">
        <div className="h-9 w-full max-w-md animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
        <Panel title="Traces">
          <PanelLoading rows={10} />
        </Panel>
      </main>
    </>
  );
}
