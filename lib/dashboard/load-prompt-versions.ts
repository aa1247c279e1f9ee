import "server-only";
import { comparePromptVersions, type PromptComparison } from "@/lib/dashboard/prompt-versions";
import { queryAnalytics } from "@/lib/dashboard/query-analytics";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";

/** Every prompt version of the view's range, side by side (one rollup query, grouped by name@version). */
export async function loadPromptVersions(context: DashboardContext): Promise<{ prompts: PromptComparison[]; unnamedCalls: number }> {
  const result = await queryAnalytics(context, {
    metrics: ["calls", "ttftMs", "durationMs", "inputTokens", "outputTokens", "costPerCallUsd", "unknownCostCalls", "cacheHitRate", "errorRate"],
    groupBy: "promptVersion",
  });
  return comparePromptVersions(result.groups);
}
