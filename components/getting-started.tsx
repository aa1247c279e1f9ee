export function GettingStarted() {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 p-6 dark:border-zinc-700">
      <h2 className="text-lg font-medium">No LLM calls in this range</h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Point any OpenTelemetry exporter at Sous with the ingest key printed on first start:
      </p>
      <pre className="mt-3 overflow-x-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
        {`OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:3000/api/otlp
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <your key>"`}
      </pre>
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        Or send demo traffic: <code className="font-mono">npm run simulate -- --key &lt;your key&gt;</code>
      </p>
    </section>
  );
}
