import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { PromptComparisonTable } from "@/components/prompts/prompt-comparison";
import { Panel } from "@/components/ui/panel";
import { PanelEmpty, PanelError, PanelLoading } from "@/components/ui/panel-states";
import { loadPromptVersions } from "@/lib/dashboard/load-prompt-versions";
import type { DashboardContext } from "@/lib/dashboard/resolve-dashboard-context";
import { activeFilters, viewHref } from "@/lib/dashboard/view-params";
import { formatCount } from "@/lib/format/numbers";

/**
 * The Prompts screen: a panel per prompt (busiest first), its versions side by side. Streams in
 * when the one query answers; loading, empty and error states like every panel.
 */
export function PromptsScreen({ context }: { context: DashboardContext }) {
  // Keyed by the view: a new range or filter shows the loading state at once (see LatencyScreen).
  return (
    <Suspense key={viewHref("/prompts", context.view)} fallback={<PromptsLoading />}>
      <Prompts context={context} />
    </Suspense>
  );
}

async function Prompts({ context }: { context: DashboardContext }) {
  let data: Awaited<ReturnType<typeof loadPromptVersions>>;
  try {
    data = await loadPromptVersions(context);
  } catch (error) {
    unstable_rethrow(error);
    console.error("[sous] prompt versions failed:", error);
    return <PanelError message="The prompt versions could not be loaded. The database may be unavailable; the details are in the server log." />;
  }
  const hasFilters = activeFilters(context.view.filters).length > 0;
  if (data.prompts.length === 0) {
    return (
      <Panel title="Prompt versions" testId="prompts-empty">
        {data.unnamedCalls > 0 ? (
          <PanelEmpty
            title={
              data.unnamedCalls === 1 ? "The 1 call in this range names no prompt" : `None of the ${formatCount(data.unnamedCalls)} calls in this range names its prompt`
            }
            hint={<PromptHint />}
          />
        ) : hasFilters ? (
          <PanelEmpty title="No calls match these filters in this range" hint={null} />
        ) : (
          <PanelEmpty />
        )}
      </Panel>
    );
  }
  return (
    <Panel
      title="Prompt versions"
      description="Each version compared with the one above it (versions in natural order: v2 before v10). A version opens its latency."
      testId="prompts-panel"
      footer={
        data.unnamedCalls > 0 ? (
          <span data-testid="unnamed-calls">
            {formatCount(data.unnamedCalls)} other {data.unnamedCalls === 1 ? "call names" : "calls name"} no prompt. <PromptHint />
          </span>
        ) : undefined
      }
    >
      <PromptComparisonTable prompts={data.prompts} view={context.view} />
    </Panel>
  );
}

function PromptHint() {
  return (
    <span className="text-xs text-zinc-600 dark:text-zinc-400">
      Set <code className="font-mono">gen_ai.prompt.name</code> and <code className="font-mono">gen_ai.prompt.version</code> (or{" "}
      <code className="font-mono">sous.prompt.name</code> / <code className="font-mono">sous.prompt.version</code>) on your LLM spans to compare versions
      here.
    </span>
  );
}

function PromptsLoading() {
  return (
    <div className="space-y-4">
      <Panel title="Prompt versions">
        <PanelLoading rows={8} />
      </Panel>
    </div>
  );
}
