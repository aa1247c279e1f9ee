import { compileModelPattern, modelNameCandidates } from "@/lib/pricing/model-pattern";

/**
 * Calls without a cost have one of two causes, with different fixes: no price row matches the
 * model (add one), or the call reported no token counts (failed calls usually; nothing to price).
 * The query layer counts both as `unknownCostCalls`; a model that some price row's pattern matches
 * is taken for the second case. Patterns are matched by name only, across providers (the model
 * group carries no provider), so this is a hint, not a verdict.
 */
export interface UnpricedModel {
  model: string;
  unknownCostCalls: number;
  calls: number;
  /** Some price row's pattern matches the model name. */
  hasPrice: boolean;
}

export function markPricedModels(
  rows: readonly Omit<UnpricedModel, "hasPrice">[],
  patterns: readonly string[],
): UnpricedModel[] {
  const compiled = patterns.flatMap((pattern) => {
    try {
      return [compileModelPattern(pattern)];
    } catch {
      return [];
    }
  });
  return rows.map((row) => {
    const names = modelNameCandidates(row.model);
    return { ...row, hasPrice: compiled.some((pattern) => names.some((name) => pattern.matches(name))) };
  });
}
