import { LoadingHeader } from "@/components/shell/loading-header";
import { StatTilesLoading } from "@/components/ui/stat-tiles-loading";
import { Panel } from "@/components/ui/panel";
import { PanelLoading } from "@/components/ui/panel-states";

/** Shaped like the Cost screen: header and toolbar, four tiles, the spend chart, two charts side by side. */
export default function CostLoading() {
  return (
    <>
      <LoadingHeader title="Cost" />
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
