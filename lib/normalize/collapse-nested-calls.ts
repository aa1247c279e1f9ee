/**
 * One provider call instrumented by two layers arrives as two LLM spans, the inner one a child of
 * the outer: Traceloop or OpenInference around `@anthropic-ai/sdk` ≥ 0.137, whose own span
 * (scope `com.anthropic.sdk.typescript`) is on by default; an AI SDK `doStream` span around a
 * provider SDK's span; a Langfuse generation around an instrumented client. Counted as they come,
 * the call's tokens, cost and count would be doubled.
 *
 * `collapseNestedCalls(spans)` runs on one request's normalized spans, before pricing. Rule:
 *
 * - **Nested pair**: an LLM span whose parent (by `parentSpanId`, same `traceId`) is in the batch
 *   and is an LLM span, and is that parent's only LLM child in the batch. Pairs chain (three
 *   layers: A → B → C) into one call. A parent with several LLM children is not one call (a
 *   generation wrapped by hand around several calls, say): it and its children are left alone.
 * - **Which span stays the call**: the one with the most facts, counting each non-null of
 *   input/output/cache-read/cache-write/reasoning tokens, TTFT and reported cost. On a tie, the
 *   outermost: it is the instrumentation the user chose.
 * - **Facts filled**: each LLM fact the kept span lacks (null) is taken from the demoted spans,
 *   outermost first — TTFT when only the provider SDK's span records it, models, finish reason,
 *   streaming, reported cost, prompt, user, session, workload, captured content. Token counts are
 *   one fact: taken whole from a single span (the kept one's when it has any), never mixed, since
 *   one instrumentation's counts may follow another's semantics only approximately.
 * - **Demoted spans** become plain spans, as `normalizeSpan` makes non-LLM spans: `isLlm` false,
 *   every LLM fact and the content null. Attributes and events stay, for the waterfall.
 *
 * Spans are settled in place (like the rest of ingest: copying records this size costs more than
 * normalizing them); returns how many spans were demoted. Nothing else is read or written.
 *
 * Cost: O(n). A batch with fewer than two LLM spans, or none with a parent, returns after one
 * read-only pass; otherwise one Map of the LLM spans by span id (a collision across traces only
 * misses a pair), and per-pair structures only when a nested pair exists.
 *
 * Limitation: both spans must arrive in the same request. A child span usually ends, and is
 * exported, before its parent, so a pair split across two export batches is not collapsed.
 */
import type { NormalizedSpan } from "@/lib/ingest/types";

export function collapseNestedCalls(spans: readonly NormalizedSpan[]): number {
  // Common case first, without allocating: no two LLM spans, or no LLM span with a parent.
  let llmCount = 0;
  let llmWithParent = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (!span.isLlm) continue;
    llmCount++;
    if (span.parentSpanId !== null) llmWithParent++;
  }
  if (llmCount < 2 || llmWithParent === 0) return 0;

  const llmBySpanId = new Map<string, NormalizedSpan>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span.isLlm) llmBySpanId.set(span.spanId, span);
  }

  // LLM parent → its only LLM child, or null when it has several.
  let onlyChild: Map<NormalizedSpan, NormalizedSpan | null> | null = null;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (!span.isLlm) continue;
    const parent = llmParent(span, llmBySpanId);
    if (parent === undefined) continue;
    onlyChild ??= new Map();
    onlyChild.set(parent, onlyChild.has(parent) ? null : span);
  }
  if (onlyChild === null) return 0;

  let demoted = 0;
  for (const [top, child] of onlyChild) {
    if (child === null) continue;
    const above = llmParent(top, llmBySpanId);
    if (above !== undefined && onlyChild.get(above) === top) continue; // inside a chain, not its top
    const chain = [top];
    // Each span has one parent, so the walk cannot cycle from a top; the bound is for bad ids.
    for (let at: NormalizedSpan | null | undefined = child; at && chain.length <= spans.length; at = onlyChild.get(at)) {
      chain.push(at);
    }
    demoted += collapseChain(chain);
  }
  return demoted;
}

/** The span's parent when it is an LLM span of the batch, in the same trace. */
function llmParent(span: NormalizedSpan, llmBySpanId: Map<string, NormalizedSpan>): NormalizedSpan | undefined {
  if (span.parentSpanId === null) return undefined;
  const parent = llmBySpanId.get(span.parentSpanId);
  return parent !== undefined && parent !== span && parent.traceId === span.traceId ? parent : undefined;
}

/** Keeps one span of an outer-to-inner chain as the call, fills its gaps, demotes the rest. */
function collapseChain(chain: NormalizedSpan[]): number {
  let kept = chain[0];
  let keptFacts = factCount(kept);
  for (let i = 1; i < chain.length; i++) {
    const facts = factCount(chain[i]);
    if (facts > keptFacts) {
      kept = chain[i];
      keptFacts = facts;
    }
  }
  for (const span of chain) {
    if (span === kept) continue;
    fillMissingFacts(kept, span);
    demote(span);
  }
  return chain.length - 1;
}

function factCount(span: NormalizedSpan): number {
  return (
    (span.inputTokens !== null ? 1 : 0) +
    (span.outputTokens !== null ? 1 : 0) +
    (span.cacheReadTokens !== null ? 1 : 0) +
    (span.cacheWriteTokens !== null ? 1 : 0) +
    (span.reasoningTokens !== null ? 1 : 0) +
    (span.ttftMs !== null ? 1 : 0) +
    (span.reportedCostNanoUsd !== null ? 1 : 0)
  );
}

function hasTokenCounts(span: NormalizedSpan): boolean {
  return (
    span.inputTokens !== null ||
    span.outputTokens !== null ||
    span.cacheReadTokens !== null ||
    span.cacheWriteTokens !== null ||
    span.reasoningTokens !== null
  );
}

function fillMissingFacts(kept: NormalizedSpan, from: NormalizedSpan): void {
  if (!hasTokenCounts(kept) && hasTokenCounts(from)) {
    kept.inputTokens = from.inputTokens;
    kept.outputTokens = from.outputTokens;
    kept.cacheReadTokens = from.cacheReadTokens;
    kept.cacheWriteTokens = from.cacheWriteTokens;
    kept.reasoningTokens = from.reasoningTokens;
  }
  kept.cacheWriteTtl ??= from.cacheWriteTtl;
  kept.operation ??= from.operation;
  kept.provider ??= from.provider;
  kept.requestModel ??= from.requestModel;
  kept.responseModel ??= from.responseModel;
  kept.finishReason ??= from.finishReason;
  kept.streaming ??= from.streaming;
  kept.ttftMs ??= from.ttftMs;
  kept.reportedCostNanoUsd ??= from.reportedCostNanoUsd;
  kept.promptName ??= from.promptName;
  kept.promptVersion ??= from.promptVersion;
  kept.promptPrefixHash ??= from.promptPrefixHash;
  kept.userId ??= from.userId;
  kept.sessionId ??= from.sessionId;
  kept.workload ??= from.workload;
  kept.content ??= from.content;
}

/** What normalizeSpan leaves on a non-LLM span: no LLM fact, no content. */
function demote(span: NormalizedSpan): void {
  span.isLlm = false;
  span.operation = null;
  span.provider = null;
  span.requestModel = null;
  span.responseModel = null;
  span.finishReason = null;
  span.streaming = null;
  span.ttftMs = null;
  span.inputTokens = null;
  span.outputTokens = null;
  span.cacheReadTokens = null;
  span.cacheWriteTokens = null;
  span.reasoningTokens = null;
  span.reportedCostNanoUsd = null;
  span.cacheWriteTtl = null;
  span.promptName = null;
  span.promptVersion = null;
  span.promptPrefixHash = null;
  span.userId = null;
  span.sessionId = null;
  span.workload = null;
  span.content = null;
}
