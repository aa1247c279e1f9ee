import { StatTilesLoading } from "@/components/ui/stat-tiles-loading";
import { Panel } from "@/components/ui/panel";
import { PanelLoading } from "@/components/ui/panel-states";

/** Shaped like the Cost screen: header and toolbar, four tiles, the spend chart, two charts side by side. */
export default function CostLoading() {
  return (
    <>
      <header className="space-y-3 border-b border-zinc-200 px-4 py-4 md:px-6 dark:border-zinc-800">
        <h1 className="text-xl font-semibold tracking-tight">Cost</h1>
        <div className="h-8 w-96 max-w-full animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
      </header>
      <main className="space-y-4 p-4 md:p-6">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <StatTilesLoading count={4} />
        </div>
        <Panel title="Spend over time">
          <PanelLoading variant="chart" />
        </Panel>
        <div className="grid gap-4 lg:grid-cols-2">
          <Panel title="Tokens by kind">
            <PanelLoading variant="chart" />
          </Panel>
          <Panel title="Cost per call">
            <PanelLoading variant="chart" />
          </Panel>
        </div>
      </main>
    </>
  );
}
