import { DataTable } from "@/components/ui/data-table";
import type { UnpricedModel } from "@/lib/dashboard/price-coverage";
import { formatCount } from "@/lib/format/numbers";
import type { Price } from "@/lib/pricing/price-schema";

/**
 * The prices that cost this project's calls, with their dates: from when each applies, when it was
 * last checked against its source, and the source. Read-only here. Prices are USD per 1M tokens;
 * an empty cache price means cached tokens are charged as normal input.
 */
export function PriceTable({ prices }: { prices: Price[] }) {
  const usd = (value: string | null) => (value === null ? <span className="text-zinc-400" title="Charged as normal input">—</span> : `$${value}`);
  return (
    <DataTable
      caption="Prices, USD per 1M tokens"
      rows={prices}
      rowKey={(price) => price.id}
      rowTestId="price-row"
      columns={[
        {
          key: "model",
          header: "Model",
          cell: (price) => (
            <div className="min-w-40">
              <span className="font-mono text-xs font-medium" data-cell="model">
                {price.modelPattern}
              </span>
              <span className="ml-1.5 text-xs text-zinc-500 dark:text-zinc-400" data-cell="provider">
                {price.provider}
              </span>
              {price.scope === "project" ? <span className="ml-1.5 rounded bg-sky-100 px-1 text-[10px] text-sky-800 dark:bg-sky-950 dark:text-sky-300">this project</span> : null}
              {price.notes ? (
                <details className="mt-0.5 max-w-md text-xs text-zinc-500 dark:text-zinc-400">
                  <summary className="cursor-pointer select-none">note</summary>
                  <p className="mt-0.5 whitespace-normal">{price.notes}</p>
                </details>
              ) : null}
            </div>
          ),
        },
        { key: "input", header: "Input", align: "right", cell: (price) => <span data-cell="input">{usd(price.inputUsdPerMtok)}</span> },
        { key: "cacheRead", header: "Cache read", align: "right", cell: (price) => <span data-cell="cache-read">{usd(price.cacheReadUsdPerMtok)}</span> },
        {
          key: "cacheWrite",
          header: "Cache write 5 min / 1 h",
          align: "right",
          isSecondary: true,
          cell: (price) => (
            <span data-cell="cache-write">
              {usd(price.cacheWrite5mUsdPerMtok)} / {usd(price.cacheWrite1hUsdPerMtok)}
            </span>
          ),
        },
        { key: "output", header: "Output", align: "right", cell: (price) => <span data-cell="output">{usd(price.outputUsdPerMtok)}</span> },
        { key: "from", header: "Effective from", cell: (price) => <span className="whitespace-nowrap tabular-nums" data-cell="effective-from">{price.effectiveFrom}</span> },
        { key: "checked", header: "Checked", isSecondary: true, cell: (price) => <span className="whitespace-nowrap tabular-nums" data-cell="checked-at">{price.checkedAt}</span> },
        { key: "source", header: "Source", isSecondary: true, cell: (price) => <Source source={price.source} /> },
      ]}
    />
  );
}

function Source({ source }: { source: string }) {
  if (!/^https?:\/\//.test(source)) return <span data-cell="source">{source}</span>;
  const host = new URL(source).host.replace(/^www\./, "");
  return (
    <a href={source} target="_blank" rel="noreferrer" className="text-sky-700 hover:underline dark:text-sky-400" data-cell="source">
      {host}
    </a>
  );
}

/**
 * Calls without a cost, by cause: models no price row matches (add one) and calls that reported no
 * token counts (usually failed calls; nothing to price). Either way their spend is unknown, not $0.
 */
export function UnpricedModels({ models }: { models: UnpricedModel[] }) {
  const withoutPrice = models.filter((model) => !model.hasPrice);
  const withoutTokens = models.filter((model) => model.hasPrice);
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50/60 px-3 py-2 text-sm dark:border-amber-800/70 dark:bg-amber-950/20" data-testid="unpriced-models">
      {withoutPrice.length > 0 ? (
        <div>
          <p className="font-medium">No price for these models: their spend is unknown, not $0</p>
          <ModelList models={withoutPrice} testId="model-without-price" />
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Add a price row for each (provider, model name, USD per 1M tokens, effective date). Costs are settled as calls arrive, so calls
            from then on are costed.
          </p>
        </div>
      ) : null}
      {withoutTokens.length > 0 ? (
        <div>
          <p className="font-medium">Calls without token counts: nothing to price</p>
          <ModelList models={withoutTokens} testId="model-without-tokens" />
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">These models have a price, but some calls reported no tokens (usually failed calls).</p>
        </div>
      ) : null}
    </div>
  );
}

function ModelList({ models, testId }: { models: UnpricedModel[]; testId: string }) {
  return (
    <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs">
      {models.map((model) => (
        <li key={model.model} data-testid={testId}>
          <span className="font-mono font-medium" data-cell="model">
            {model.model}
          </span>{" "}
          <span className="text-zinc-600 dark:text-zinc-400" data-cell="calls">
            {formatCount(model.unknownCostCalls)} of {formatCount(model.calls)} calls
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The rows that priced this range's calls first; the rest of the list folded underneath. */
export function PricesByUse({ inUse, others }: { inUse: Price[]; others: Price[] }) {
  if (inUse.length === 0) return <PriceTable prices={others} />;
  return (
    <div className="space-y-3">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">The prices of the models called in this range:</p>
      <PriceTable prices={inUse} />
      {others.length > 0 ? (
        <details className="group" data-testid="other-prices">
          <summary className="cursor-pointer text-sm text-sky-700 select-none hover:underline dark:text-sky-400">
            All other prices ({others.length})
          </summary>
          <div className="mt-2">
            <PriceTable prices={others} />
          </div>
        </details>
      ) : null}
    </div>
  );
}
