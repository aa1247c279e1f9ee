import { compareSpecificity, compileModelPattern, modelNameCandidates, type ModelPattern } from "@/lib/pricing/model-pattern";

/**
 * Which price rows the traffic uses, and which models it has no price for: the Cost screen's price
 * table starts with the rows that priced calls in the range, and explains calls without a cost.
 *
 * Calls without a cost have one of two causes, with different fixes: no price row matches the
 * model (add one), or the call reported no token counts (failed calls usually; nothing to price).
 * The query layer counts both as `unknownCostCalls`; a model that some price row's pattern matches
 * is taken for the second case. Patterns are matched by model name only (most specific first, as
 * lib/pricing does), across providers, because a model group carries no provider: a hint, not
 * the price book's verdict.
 */
export interface UnpricedModel {
  model: string;
  unknownCostCalls: number;
  calls: number;
  /** Some price row's pattern matches the model name. */
  hasPrice: boolean;
}

function compile(patterns: readonly string[]): ModelPattern[] {
  return [...new Set(patterns)].flatMap((pattern) => {
    try {
      return [compileModelPattern(pattern)];
    } catch {
      return [];
    }
  });
}

/** The most specific pattern matching the model (any of its spellings), or null. */
function bestPattern(model: string, compiled: readonly ModelPattern[]): ModelPattern | null {
  const names = modelNameCandidates(model);
  const matching = compiled.filter((pattern) => names.some((name) => pattern.matches(name)));
  return matching.sort(compareSpecificity)[0] ?? null;
}

export function markPricedModels(rows: readonly Omit<UnpricedModel, "hasPrice">[], patterns: readonly string[]): UnpricedModel[] {
  const compiled = compile(patterns);
  return rows.map((row) => ({ ...row, hasPrice: bestPattern(row.model, compiled) !== null }));
}

/** The patterns (lower-cased, as stored) that price at least one of these models. */
export function patternsInUse(models: readonly string[], patterns: readonly string[]): Set<string> {
  const compiled = compile(patterns);
  const used = new Set<string>();
  for (const model of models) {
    const pattern = bestPattern(model, compiled);
    if (pattern) used.add(pattern.pattern);
  }
  return used;
}
