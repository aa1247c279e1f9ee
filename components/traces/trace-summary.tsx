import { StatTile } from "@/components/ui/stat-tile";
import { formatTokens } from "@/lib/format/numbers";
import type { WaterfallTotals } from "@/lib/traces/build-waterfall";

/** The trace's key figures above the waterfall. */
export function TraceSummaryTiles({ totals, durationMs }: { totals: WaterfallTotals; durationMs: number }) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="trace-summary">
      <StatTile label="Duration" value={durationMs} unit="ms" testId="trace-duration" />
      <StatTile label="Spans" value={totals.spanCount} unit="count" testId="trace-span-count" />
      <StatTile label="LLM calls" value={totals.llmCallCount} unit="count" testId="trace-llm-calls" />
      <StatTile
        label="Tokens"
        value={totals.inputTokens === null && totals.outputTokens === null ? null : (totals.inputTokens ?? 0) + (totals.outputTokens ?? 0)}
        unit="tokens"
        hint={`${formatTokens(totals.inputTokens)} in · ${formatTokens(totals.outputTokens)} out`}
        testId="trace-tokens"
      />
      <StatTile
        label="Cost"
        value={totals.costUsd}
        unit="usd"
        hint={totals.hasUnknownCost && totals.llmCallCount > 0 ? "some calls have no price" : undefined}
        testId="trace-cost"
      />
      <StatTile label="Errors" value={totals.errorCount} unit="count" testId="trace-errors" />
    </div>
  );
}
