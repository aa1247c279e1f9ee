import { PanelEmpty } from "@/components/ui/panel-states";
import { MIN_CALLS, SAMPLE_CALLS, type CacheBuster, type CacheBusterReport } from "@/lib/cache/find-cache-busters";
import { markDifference, type MarkedSnippet } from "@/lib/dashboard/prefix-difference";
import { formatCount, formatPercent } from "@/lib/format/numbers";
import { formatUsdBound } from "@/lib/dashboard/usd-bound";

/**
 * The cache-buster detector's findings: prompts whose system-prompt prefix changes from call to
 * call, what that costs, and (when content was captured) where two calls' prompts part ways.
 */
export function CacheBusterWhy() {
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      Prompt caches reuse only a <strong className="font-medium text-zinc-800 dark:text-zinc-200">byte-identical prefix</strong>: one timestamp or
      user name near the start of the system prompt makes every call a miss. Fix it by keeping the stable instructions first and{" "}
      <strong className="font-medium text-zinc-800 dark:text-zinc-200">moving dynamic content after the stable prefix</strong> (or into the user
      message).
    </p>
  );
}

export function CacheBusterEmpty() {
  return (
    <PanelEmpty
      title="No prompt-prefix hashes in this range"
      hint={
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The detector compares each prompt&apos;s prefix hash from call to call. Send <code className="font-mono">sous.prompt.prefix_hash</code> on
          your LLM spans (the Sous exporter does), or capture the system prompt (<code className="font-mono">gen_ai.system_instructions</code>) and
          Sous computes it. Prompts need at least {MIN_CALLS} calls in the range.
        </p>
      }
    />
  );
}

export function CacheBusterFindings({ report }: { report: CacheBusterReport }) {
  return (
    <div className="space-y-3">
      <CacheBusterWhy />
      {report.busters.length === 0 ? (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900/60 dark:bg-emerald-950/30 dark:text-emerald-300" data-testid="no-cache-busters">
          ✓ No cache busters: each of the {formatCount(report.promptsExamined)} prompts examined keeps a stable prefix.
        </p>
      ) : (
        <ul className="space-y-3">
          {report.busters.map((buster) => (
            <BusterItem key={`${buster.service}\n${buster.promptName}\n${buster.promptVersion}`} buster={buster} />
          ))}
        </ul>
      )}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {formatCount(report.promptsExamined)} prompt{report.promptsExamined === 1 ? "" : "s"} with at least {MIN_CALLS} calls examined
        {report.isSampled ? `, from the newest ${formatCount(SAMPLE_CALLS)} calls of the range (sampled)` : ""}.
      </p>
    </div>
  );
}

export function busterName(buster: Pick<CacheBuster, "service" | "promptName" | "promptVersion">): string {
  if (buster.promptName === null) return `${buster.service} (no prompt name)`;
  return `${buster.promptName}${buster.promptVersion ? `@${buster.promptVersion}` : ""}`;
}

function BusterItem({ buster }: { buster: CacheBuster }) {
  const isUpperBound = buster.missedSavingsBasis === "upper-bound";
  return (
    <li className="rounded-md border border-amber-300 bg-amber-50/60 p-3 dark:border-amber-800/70 dark:bg-amber-950/20" data-testid="cache-buster">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <p className="text-sm">
          <span className="font-semibold" data-cell="prompt">
            {busterName(buster)}
          </span>
          <span className="text-zinc-500 dark:text-zinc-400"> · {buster.service}</span>
        </p>
        <p className="text-sm tabular-nums">
          <span className="text-zinc-600 dark:text-zinc-400">Missed </span>
          <span className="font-semibold" data-cell="missed">
            {buster.missedSavingsUsd === null ? "unknown (no price)" : formatUsdBound(buster.missedSavingsUsd, isUpperBound ? "at-most" : null)}
          </span>
        </p>
      </div>
      <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        <div>
          <dt className="inline">Distinct prefixes: </dt>
          <dd className="inline font-medium text-zinc-900 tabular-nums dark:text-zinc-100" data-cell="prefixes">
            {formatCount(buster.distinctPrefixes)} in {formatCount(buster.calls)} calls
          </dd>
        </div>
        <div>
          <dt className="inline">Token hit rate: </dt>
          <dd className="inline font-medium text-zinc-900 tabular-nums dark:text-zinc-100">
            {buster.cacheHitRate === null ? "not reported" : formatPercent(buster.cacheHitRate)}
          </dd>
        </div>
        <div>
          {isUpperBound
            ? "Missed savings are an upper bound: all uncached input at the cache-read price."
            : "Missed savings: the shared part of the system prompt at the cache-read price."}
        </div>
      </dl>
      {buster.example ? (
        <Example example={buster.example} />
      ) : (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="hash-only">
          Only prefix hashes are known for this prompt: no call captured its system prompt, so Sous cannot show what differs. Capture content to
          see it.
        </p>
      )}
    </li>
  );
}

function Example({ example }: { example: NonNullable<CacheBuster["example"]> }) {
  const marked = markDifference(example);
  return (
    <figure className="mt-2 space-y-1" data-testid="buster-example">
      <figcaption className="text-xs text-zinc-600 dark:text-zinc-400">
        Two calls&apos; system prompts part ways at character {formatCount(example.offset + 1)}:
      </figcaption>
      <Snippet label="Call A" snippet={marked.before} />
      <Snippet label="Call B" snippet={marked.after} />
    </figure>
  );
}

function Snippet({ label, snippet }: { label: string; snippet: MarkedSnippet }) {
  return (
    <div className="flex gap-2 text-xs">
      <span className="w-12 shrink-0 pt-1 text-zinc-500 dark:text-zinc-400">{label}</span>
      <code className="min-w-0 flex-1 rounded bg-white px-2 py-1 font-mono break-words whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
        {snippet.head}
        <mark className="rounded-sm bg-amber-200 px-0.5 font-semibold text-zinc-950 underline decoration-amber-700 decoration-2 underline-offset-2 dark:bg-amber-400/80" data-cell="changed">
          {snippet.changed}
        </mark>
        {snippet.tail}
      </code>
    </div>
  );
}
