import Link from "next/link";
import { formatPointChange } from "@/lib/dashboard/point-change";
import { PROMPT_METRICS, type Delta, type PromptComparison, type PromptVersionRow } from "@/lib/dashboard/prompt-versions";
import { updateView, viewHref, type ViewParams } from "@/lib/dashboard/view-params";
import { formatChange, formatCount, formatTokens, formatValue } from "@/lib/format/numbers";

/**
 * Every prompt's versions side by side: a block of rows per prompt (busiest first), a row per
 * version in version order, each value with its change from the version above it, said in words
 * (better / worse / about the same) as well as in color.
 */
const VERDICT_STYLE: Record<Delta["verdict"], string> = {
  better: "font-medium text-emerald-700 dark:text-emerald-400",
  worse: "font-medium text-red-700 dark:text-red-400",
  same: "text-zinc-500 dark:text-zinc-400",
  neutral: "text-zinc-500 dark:text-zinc-400",
};

const VERDICT_WORD: Record<Delta["verdict"], string> = { better: "better", worse: "worse", same: "same", neutral: "" };

function DeltaText({ delta }: { delta: Delta }) {
  const amount = delta.kind === "points" ? formatPointChange(delta.change) : formatChange(delta.change);
  const arrow = delta.verdict === "same" ? "≈" : delta.change > 0 ? "▲" : delta.change < 0 ? "▼" : "";
  const word = VERDICT_WORD[delta.verdict];
  return (
    <span className={`block text-xs whitespace-nowrap ${VERDICT_STYLE[delta.verdict]}`} data-delta={delta.verdict}>
      {arrow ? <span aria-hidden>{arrow} </span> : null}
      {amount}
      {word ? ` ${word}` : ""}
    </span>
  );
}

const versionLabel = (row: PromptVersionRow) => row.promptVersion ?? "(no version)";

export function PromptComparisonTable({ prompts, view }: { prompts: readonly PromptComparison[]; view: ViewParams }) {
  const latencyHref = (row: PromptVersionRow) =>
    viewHref("/latency", updateView(view, { filters: { promptName: row.promptName, promptVersion: row.promptVersion } }), { by: "promptVersion" });
  const columns = PROMPT_METRICS.length + 1;
  return (
    <div className="relative -mx-4 overflow-x-auto px-4">
      <table className="w-full border-collapse text-sm" data-testid="prompt-versions">
        <caption className="sr-only">Prompt versions side by side, each compared with the version before it</caption>
        <thead>
          <tr className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <th scope="col" className="px-2.5 py-2 text-left font-medium">
              Version
            </th>
            {PROMPT_METRICS.map((metric) => (
              <th key={metric.key} scope="col" className="px-2.5 py-2 text-right font-medium whitespace-nowrap">
                {metric.label}
              </th>
            ))}
          </tr>
        </thead>
        {prompts.map((prompt) => (
          <tbody key={prompt.promptName} data-testid="prompt-group" data-prompt={prompt.promptName}>
            <tr className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-800/40">
              <th scope="rowgroup" colSpan={columns} className="px-2.5 py-1.5 text-left">
                <span className="font-medium" data-testid="prompt-name">
                  {prompt.promptName}
                </span>
                <span className="ml-2 text-xs font-normal text-zinc-500 dark:text-zinc-400">
                  {formatCount(prompt.versions.length)} {prompt.versions.length === 1 ? "version" : "versions"} · {formatCount(prompt.calls)} calls
                </span>
              </th>
            </tr>
            {prompt.versions.map((row) => (
              <tr
                key={versionLabel(row)}
                className="border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-800/70 dark:hover:bg-zinc-800/30"
                data-testid="prompt-version-row"
                data-version={row.promptVersion ?? ""}
              >
                <th scope="row" className="px-2.5 py-2 text-left align-top font-normal whitespace-nowrap">
                  <Link href={latencyHref(row)} className="font-mono text-sky-800 hover:underline dark:text-sky-300" title="Latency of this version">
                    {versionLabel(row)}
                  </Link>
                </th>
                {PROMPT_METRICS.map((metric) => {
                  const delta = row.deltas?.[metric.key];
                  const unpriced = metric.key === "costPerCallUsd" && row.unknownCostCalls > 0;
                  return (
                    <td key={metric.key} className="px-2.5 py-2 text-right align-top tabular-nums" data-cell={metric.key}>
                      <span data-value className="whitespace-nowrap">
                        {formatValue(row.values[metric.key], metric.unit)}
                      </span>
                      {metric.key === "tokensPerCall" && row.values.tokensPerCall !== null ? (
                        <span className="block text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400" data-tokens-split>
                          {formatTokens(row.values.inputTokensPerCall)} in · {formatTokens(row.values.outputTokensPerCall)} out
                        </span>
                      ) : null}
                      {delta ? <DeltaText delta={delta} /> : null}
                      {unpriced ? (
                        <span className="block text-xs whitespace-nowrap text-zinc-500">{formatCount(row.unknownCostCalls)} unpriced</span>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
