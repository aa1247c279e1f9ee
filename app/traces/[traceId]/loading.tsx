import { Panel } from "@/components/ui/panel";
import { PanelLoading } from "@/components/ui/panel-states";

/** Shaped like the trace page: figures, waterfall, span panel. */
export default function TraceLoading() {
  return (
    <main className="space-y-4 p-4 md:p-6">
      <div className="h-6 w-64 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} className="rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <PanelLoading variant="stat" />
          </div>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <Panel title="Waterfall">
          <PanelLoading rows={12} />
        </Panel>
        <Panel title="Span">
          <PanelLoading rows={8} />
        </Panel>
      </div>
    </main>
  );
}
