import Link from "next/link";
import { AsyncPanel } from "@/components/ui/async-panel";
import { DataTable } from "@/components/ui/data-table";
import type { RecentCallSample } from "@/lib/dashboard/load-latency";
import { slowestCalls, waitMs } from "@/lib/dashboard/recent-call-latency";
import { viewHref, type ViewParams } from "@/lib/dashboard/view-params";
import { formatCount, formatMs, formatTokens } from "@/lib/format/numbers";
import { formatDateTime, formatTimeOfDay } from "@/lib/format/times";

/**
 * The slowest calls by what the user waited for (TTFT when streamed, the whole duration when not),
 * among the newest calls of the range, each linking to its trace with the call selected.
 */
export const SLOWEST_COUNT = 10;

export function SlowestCallsPanel({
  sample,
  view,
  timeZone,
  empty,
}: {
  sample: Promise<RecentCallSample>;
  view: ViewParams;
  timeZone: string;
  empty: React.ReactNode;
}) {
  return (
    <AsyncPanel
      title="Slowest calls"
      description="Ranked by the wait before any output: the TTFT, or the whole duration when a call has no TTFT (not streamed)"
      testId="slowest-calls"
      load={async () => {
        const loaded = await sample;
        return { calls: slowestCalls(loaded.calls, SLOWEST_COUNT), sampled: loaded.calls.length, isCapped: loaded.isCapped };
      }}
      isEmpty={(data) => data.calls.length === 0}
      empty={empty}
    >
      {(data) => (
        <div className="space-y-2">
          <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="slowest-scope">
            The {formatCount(data.calls.length)} slowest of {data.isCapped ? `the newest ${formatCount(data.sampled)} calls of the range` : `all ${formatCount(data.sampled)} calls in the range`}.
          </p>
          <DataTable
            testId="slowest-calls-table"
            rowTestId="slow-call-row"
            rows={data.calls}
            rowKey={(call) => `${call.traceId}-${call.spanId}`}
            columns={[
              {
                key: "time",
                header: `Start (${timeZone})`,
                isSecondary: true,
                cell: (call) => (
                  <time dateTime={call.startTime} title={formatDateTime(new Date(call.startTime), timeZone)} className="font-mono text-xs whitespace-nowrap">
                    {formatTimeOfDay(new Date(call.startTime), timeZone)}
                  </time>
                ),
              },
              {
                key: "call",
                header: "Call",
                className: "max-w-[16rem]",
                cell: (call) => (
                  <div className="min-w-0">
                    <Link
                      href={viewHref(`/traces/${call.traceId}`, view, { span: call.spanId })}
                      prefetch={false}
                      className="block truncate font-medium text-sky-800 hover:underline dark:text-sky-300"
                      data-testid="slow-call-link"
                    >
                      {call.model ?? "(no model)"}
                    </Link>
                    <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                      {call.serviceName}
                      {call.promptName ? ` · ${call.promptName}${call.promptVersion ? `@${call.promptVersion}` : ""}` : ""}
                      {call.ttftMs === null ? (call.streaming === false ? " · not streamed" : " · no TTFT reported") : ""}
                      {call.isError ? " · error" : ""}
                    </p>
                  </div>
                ),
              },
              {
                key: "wait",
                header: "Wait",
                align: "right",
                cell: (call) => (
                  <span data-cell="wait" className="whitespace-nowrap" title={call.ttftMs === null ? "no TTFT: the whole duration" : "time to first token"}>
                    {formatMs(waitMs(call))}
                  </span>
                ),
              },
              { key: "duration", header: "Duration", align: "right", isSecondary: true, cell: (call) => <span data-cell="duration" className="whitespace-nowrap">{formatMs(call.durationMs)}</span> },
              { key: "input", header: "Input tokens", align: "right", isSecondary: true, cell: (call) => <span data-cell="input">{formatTokens(call.inputTokens)}</span> },
            ]}
          />
        </div>
      )}
    </AsyncPanel>
  );
}
