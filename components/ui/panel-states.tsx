/**
 * The three states every panel can be in besides "has data": loading (a skeleton of the panel's
 * shape), empty (what to do about it: how to send data) and error (what failed, without internals).
 */

/** Grey bars the height of the content; `variant` picks the shape of what will appear. */
export function PanelLoading({ variant = "rows", rows = 5 }: { variant?: "rows" | "chart" | "stat"; rows?: number }) {
  if (variant === "chart") {
    return <div aria-busy="true" aria-label="Loading" className="h-56 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />;
  }
  if (variant === "stat") {
    return (
      <div aria-busy="true" aria-label="Loading" className="space-y-2">
        <div className="h-7 w-24 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />
        <div className="h-3 w-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />
      </div>
    );
  }
  return (
    <div aria-busy="true" aria-label="Loading" className="space-y-2">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="h-5 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" style={{ opacity: 1 - index * 0.12 }} />
      ))}
    </div>
  );
}

/** How to get data into Sous: the OTLP endpoint and key, or the simulator. */
export function SendDataHint() {
  return (
    <div className="space-y-2 text-left text-xs text-zinc-600 dark:text-zinc-400">
      <p>Point any OpenTelemetry exporter at Sous with the ingest key printed on first start:</p>
      <pre className="overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-[11px] leading-relaxed text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
        {`OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:3000/api/otlp
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <your key>"`}
      </pre>
      <p>
        Or send demo traffic: <code className="font-mono">npm run simulate -- --key &lt;your key&gt;</code>
      </p>
    </div>
  );
}

export interface PanelEmptyProps {
  title?: string;
  /** Replaces the default hint; pass `null` for no hint (e.g. "no calls match these filters"). */
  hint?: React.ReactNode;
}

/** Nothing to show. By default it says how to send data; with filters active, say so in `title`/`hint`. */
export function PanelEmpty({ title = "No data in this range", hint }: PanelEmptyProps) {
  return (
    <div className="rounded-md border border-dashed border-zinc-300 px-4 py-6 text-center dark:border-zinc-700" data-state="empty">
      <p className="text-sm font-medium text-zinc-700 dark:text-zinc-300">{title}</p>
      {hint === null ? null : <div className="mx-auto mt-3 max-w-xl">{hint ?? <SendDataHint />}</div>}
    </div>
  );
}

/** The query failed. The message is for the user; details go to the server log. */
export function PanelError({ message = "This panel could not be loaded.", retry }: { message?: string; retry?: React.ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300" data-state="error">
      <p>{message}</p>
      {retry ? <div className="mt-2">{retry}</div> : null}
    </div>
  );
}
