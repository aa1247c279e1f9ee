import { createHash } from "node:crypto";

/**
 * Models a provider's prompt cache: a prefix is warm when the same bytes were sent to the same
 * model within the cache TTL. A prefix that changes on every call (a timestamp at the front) is
 * never warm, which is exactly the cache buster Sous detects.
 */
export class PromptCacheModel {
  private readonly lastUseMs = new Map<string, number>();
  private lastPruneMs = 0;

  constructor(private readonly ttlMs: number) {}

  /** Records a use of `prefix` at `atMs` and says whether it was cached before. */
  touch(model: string, prefix: string, atMs: number): boolean {
    const key = `${model}:${createHash("sha1").update(prefix).digest("hex")}`;
    const previous = this.lastUseMs.get(key);
    this.lastUseMs.set(key, atMs);
    this.prune(atMs);
    return previous !== undefined && atMs - previous <= this.ttlMs && atMs >= previous;
  }

  private prune(atMs: number): void {
    if (atMs - this.lastPruneMs < this.ttlMs) return;
    this.lastPruneMs = atMs;
    for (const [key, usedMs] of this.lastUseMs) {
      if (atMs - usedMs > this.ttlMs) this.lastUseMs.delete(key);
    }
  }
}

/** Anthropic keeps cache entries 5 minutes (refreshed on use); OpenAI and Gemini a few minutes. */
export const anthropicCacheTtlMs = 5 * 60_000;
export const automaticCacheTtlMs = 7 * 60_000;

/**
 * Anthropic with `cache_control` on the system prompt and on the last assistant turn: a warm
 * prefix is read, anything new up to the breakpoint is written (billed at 1.25x).
 */
export function anthropicCacheUsage(options: {
  systemTokens: number;
  isSystemWarm: boolean;
  historyTokens: number;
  cachedHistoryTokens: number; // history already cached by the previous turn (0 if it expired)
}): { cacheReadTokens: number; cacheWriteTokens: number } {
  const { systemTokens, isSystemWarm, historyTokens, cachedHistoryTokens } = options;
  return {
    cacheReadTokens: (isSystemWarm ? systemTokens : 0) + cachedHistoryTokens,
    cacheWriteTokens: (isSystemWarm ? 0 : systemTokens) + (historyTokens - cachedHistoryTokens),
  };
}

/**
 * OpenAI and Gemini implicit caching: prompts of 1,024+ tokens whose prefix is warm get it back
 * in 128-token increments. Writes are not reported.
 */
export function automaticCacheReadTokens(inputTokens: number, warmPrefixTokens: number): number {
  if (inputTokens < 1024 || warmPrefixTokens < 1024) return 0;
  return Math.floor(Math.min(warmPrefixTokens, inputTokens) / 128) * 128;
}
