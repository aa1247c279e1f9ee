import type { LlmCall } from "@/lib/calls/llm-call";

const milliseconds = (value: number | null) => (value === null ? "—" : `${Math.round(value).toLocaleString("en-US")} ms`);
const tokens = (value: number | null) => (value === null ? "—" : value.toLocaleString("en-US"));
const dollars = (value: number | null) => (value === null ? "—" : `$${value.toFixed(value < 0.01 ? 6 : 4)}`);

export function RecentCalls({ calls }: { calls: LlmCall[] }) {
  return (
    <section>
      <h2 className="mb-3 text-lg font-medium">Recent LLM calls</h2>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" data-testid="recent-calls">
          <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
            <tr>
              <th className="px-3 py-2">Time</th>
              <th className="px-3 py-2">Service</th>
              <th className="px-3 py-2">Model</th>
              <th className="px-3 py-2 text-right">TTFT</th>
              <th className="px-3 py-2 text-right">Duration</th>
              <th className="px-3 py-2 text-right">Input tokens</th>
              <th className="px-3 py-2 text-right">Cache read</th>
              <th className="px-3 py-2 text-right">Output tokens</th>
              <th className="px-3 py-2 text-right">Cost</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr key={`${call.traceId}-${call.spanId}`} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="px-3 py-2 font-mono text-xs">{call.startTime.slice(11, 19)}</td>
                <td className="px-3 py-2">{call.serviceName}</td>
                <td className="px-3 py-2">{call.responseModel ?? call.requestModel ?? "—"}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{milliseconds(call.ttftMs)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{milliseconds(call.durationMs)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{tokens(call.inputTokens)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{tokens(call.cacheReadTokens)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{tokens(call.outputTokens)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{call.costSource === "unknown" ? "unknown" : dollars(call.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
