import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { Panel, type PanelProps } from "@/components/ui/panel";
import { PanelEmpty, PanelError, PanelLoading } from "@/components/ui/panel-states";

/**
 * A server-rendered panel that owns its loading, empty and error states: it streams in when its
 * query resolves (the rest of the screen does not wait), shows the empty state when `isEmpty`
 * says so, and an error state if the query throws (logged on the server, never shown raw).
 *
 *   <AsyncPanel title="Recent calls" load={() => listCalls(projectId, query)} isEmpty={(page) => page.data.length === 0}>
 *     {(page) => <CallsTable calls={page.data} />}
 *   </AsyncPanel>
 */
export interface AsyncPanelProps<T> extends Omit<PanelProps, "children"> {
  load: () => Promise<T>;
  isEmpty?: (data: T) => boolean;
  /** The empty state; default: "No data in this range" with the send-data hint. */
  empty?: React.ReactNode;
  loading?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}

export function AsyncPanel<T>({ load, isEmpty, empty, loading, children, ...panel }: AsyncPanelProps<T>) {
  return (
    <Panel {...panel}>
      <Suspense fallback={loading ?? <PanelLoading />}>
        <PanelContent load={load} isEmpty={isEmpty} empty={empty} render={children} />
      </Suspense>
    </Panel>
  );
}

/**
 * The same loading, empty and error handling without the card: for content that brings its own
 * frames (a row of stat tiles). `loading` is required, shaped like what will appear.
 */
export function AsyncBlock<T>({
  load,
  isEmpty,
  empty,
  loading,
  children,
}: Pick<AsyncPanelProps<T>, "load" | "isEmpty" | "empty" | "children"> & { loading: React.ReactNode }) {
  return (
    <Suspense fallback={loading}>
      <PanelContent load={load} isEmpty={isEmpty} empty={empty} render={children} />
    </Suspense>
  );
}

async function PanelContent<T>({
  load,
  isEmpty,
  empty,
  render,
}: {
  load: () => Promise<T>;
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  render: (data: T) => React.ReactNode;
}) {
  let data: T;
  try {
    data = await load();
  } catch (error) {
    unstable_rethrow(error); // notFound() and redirect() are not failures
    console.error("[sous] panel query failed:", error);
    return <PanelError />;
  }
  if (isEmpty?.(data)) return empty ?? <PanelEmpty />;
  return render(data);
}
