import { LoadingHeader } from "@/components/shell/loading-header";
import { PanelLoading } from "@/components/ui/panel-states";
import { Panel } from "@/components/ui/panel";

/** Shaped like the trace list: header with toolbar, search box, table rows. */
export default function TracesLoading() {
  return (
    <>
      <LoadingHeader title="Traces" />
      <main className="space-y-4 p-4 md:p-6">
        <div className="h-9 w-full max-w-md animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
        <Panel title="Traces">
          <PanelLoading rows={10} />
        </Panel>
      </main>
    </>
  );
}
