import { LoadingHeader } from "@/components/shell/loading-header";
import { StatTilesLoading } from "@/components/ui/stat-tiles-loading";
import { Panel } from "@/components/ui/panel";
import { PanelLoading } from "@/components/ui/panel-states";

/** Shaped like the Cache screen: header and toolbar, four tiles, the hit-rate charts, the detector. */
export default function CacheLoading() {
  return (
    <>
      <LoadingHeader title="Cache" />
      <main className="space-y-4 p-4 md:p-6">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <StatTilesLoading count={4} />
        </div>
        <Panel title="Hit rate over time">
          <PanelLoading variant="chart" />
        </Panel>
        <Panel title="Cache-buster detector">
          <PanelLoading rows={4} />
        </Panel>
      </main>
    </>
  );
}
