import { ErrorBadge } from "@/components/traces/trace-list";
import { SpanContent } from "@/components/traces/span-content";
import { formatMs, formatTokens, formatUsd } from "@/lib/format/numbers";
import { formatDateTime } from "@/lib/format/times";
import type { SpanDetails, TraceSpan } from "@/lib/traces/trace-types";

/** OTLP span kinds. */
const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];

const COST_SOURCES: Record<string, string> = {
  reported: "reported by the instrumentation",
  computed: "computed from the price table",
  unknown: "no price for this model",
};

interface SpanDetailsViewProps {
  span: TraceSpan;
  details: SpanDetails | null;
  /** Offset of the span's start from the trace's start. */
  offsetMs: number;
  timeZone: string;
}

/** The selected span: its facts, its captured content, its attributes and events. */
export function SpanDetailsView({ span, details, offsetMs, timeZone }: SpanDetailsViewProps) {
  const start = new Date(span.startMs);
  const facts: [string, React.ReactNode][] = [
    ["Service", span.serviceName],
    ["Environment", span.environment],
    ["Kind", SPAN_KINDS[span.kind] ?? String(span.kind)],
    ["Start", `${formatDateTime(start, timeZone)}.${String(start.getUTCMilliseconds()).padStart(3, "0")} (+${formatMs(offsetMs)})`],
    ["Duration", formatMs(span.durationMs)],
  ];
  if (span.isLlm) {
    facts.push(
      ["TTFT", span.ttftMs === null ? "not reported" : formatMs(span.ttftMs)],
      ["Streaming", span.streaming === null ? "not reported" : span.streaming ? "yes" : "no"],
      ["Model", span.model],
      ["Provider", span.provider],
      ["Operation", span.operation],
      ["Finish reason", span.finishReason],
      ["Input tokens", tokenFact(span.inputTokens, "includes cache reads and writes")],
      [
        "Cache read / write",
        span.cacheReadTokens === null && span.cacheWriteTokens === null
          ? "not reported"
          : `${formatTokens(span.cacheReadTokens)} / ${formatTokens(span.cacheWriteTokens)}`,
      ],
      ["Output tokens", tokenFact(span.outputTokens, span.reasoningTokens ? `${formatTokens(span.reasoningTokens)} reasoning` : null)],
      ["Cost", span.costUsd === null ? "unknown" : `${formatUsd(span.costUsd)}${span.costSource ? ` (${COST_SOURCES[span.costSource] ?? span.costSource})` : ""}`],
      ["Prompt", span.promptName ? `${span.promptName}${span.promptVersion ? ` · ${span.promptVersion}` : ""}` : null],
    );
  }
  if (details) {
    facts.push(
      ["Requested model", details.requestModel !== details.responseModel ? details.requestModel : null],
      ["Prompt prefix hash", details.promptPrefixHash ? <code className="break-all font-mono text-xs">{details.promptPrefixHash.slice(0, 16)}…</code> : null],
      ["User", details.userId],
      ["Session", details.sessionId],
      ["Workload", details.workload],
      ["Instrumentation", details.scopeName],
    );
  }

  return (
    <div className="space-y-5 text-sm" data-testid="span-details">
      <div>
        <p className="font-mono text-xs text-zinc-500">{span.spanId}</p>
        <h3 className="mt-0.5 text-base font-semibold break-words">{span.name}</h3>
        {span.status === "error" ? (
          <p className="mt-1 flex items-center gap-2">
            <ErrorBadge /> <span className="text-xs text-red-800 dark:text-red-300">{span.errorType ?? "status error"}</span>
          </p>
        ) : null}
      </div>
      <dl className="grid grid-cols-[8.5rem_minmax(0,1fr)] gap-x-3 gap-y-1.5">
        {facts
          .filter(([, value]) => value !== null && value !== undefined && value !== "")
          .map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
              <dd className="min-w-0 break-words tabular-nums" data-fact={label}>
                {value}
              </dd>
            </div>
          ))}
      </dl>
      {details?.content ? <SpanContent content={details.content} /> : null}
      {details ? <Attributes attributes={details.attributes} /> : null}
      {details && details.events.length > 0 ? <Events events={details.events} spanStartMs={span.startMs} /> : null}
    </div>
  );
}

function tokenFact(tokens: number | null, note: string | null) {
  if (tokens === null) return "not reported";
  return note ? `${formatTokens(tokens)} (${note})` : formatTokens(tokens);
}

/** Attribute keys wrap at their dots ("gen_ai.usage.⏎input_tokens"), not mid-word. */
function breakableKey(key: string): React.ReactNode {
  const parts = key.split(".");
  return parts.map((part, index) => (
    <span key={index}>
      {part}
      {index < parts.length - 1 ? (
        <>
          .<wbr />
        </>
      ) : null}
    </span>
  ));
}

function displayValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function Attributes({ attributes }: { attributes: Record<string, unknown> }) {
  const keys = Object.keys(attributes).sort();
  return (
    <section>
      <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Attributes ({keys.length})</h4>
      {keys.length === 0 ? (
        <p className="text-xs text-zinc-500">None.</p>
      ) : (
        <dl className="divide-y divide-zinc-100 rounded-md border border-zinc-200 font-mono text-xs dark:divide-zinc-800 dark:border-zinc-800" data-testid="span-attributes">
          {keys.map((key) => (
            <div key={key} className="grid grid-cols-1 gap-x-3 px-2 py-1 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
              <dt className="break-words text-zinc-500 dark:text-zinc-400">{breakableKey(key)}</dt>
              <dd className="break-all whitespace-pre-wrap">{displayValue(attributes[key])}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Events({ events, spanStartMs }: { events: SpanDetails["events"]; spanStartMs: number }) {
  return (
    <section>
      <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Events ({events.length})</h4>
      <ul className="space-y-1 text-xs">
        {events.map((event, index) => {
          const atMs = Number(event.timeUnixNano) / 1e6 - spanStartMs;
          return (
            <li key={index} className="rounded-md border border-zinc-200 px-2 py-1 dark:border-zinc-800">
              <span className="font-medium">{event.name}</span> {Number.isFinite(atMs) ? <span className="text-zinc-500">+{formatMs(atMs)}</span> : null}
              {Object.keys(event.attributes).length > 0 ? (
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all text-zinc-600 dark:text-zinc-400">
                  {JSON.stringify(event.attributes, null, 2)}
                </pre>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
