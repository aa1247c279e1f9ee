/**
 * The prompt-prefix hash: a fingerprint of the start of what a provider's prompt cache keys on,
 * so calls of one prompt version whose prefix changes from call to call (a cache buster) show up.
 *
 * Algorithm (the Sous Node exporter package implements the same; keep them identical):
 *   1. text = systemPrompt                                   when toolDefinitionsJson is null
 *      text = systemPrompt + "\n" + toolDefinitionsJson      otherwise
 *      systemPrompt is the rendered system prompt; several system messages are joined with "\n".
 *      toolDefinitionsJson is the tool definitions as sent, serialized with JSON.stringify
 *      (no spaces) when they are not already a string.
 *   2. bytes = UTF-8 encoding of text (as TextEncoder / Buffer.from(text, "utf8") do: a lone
 *      surrogate becomes U+FFFD).
 *   3. prefix = the first min(4096, bytes.length) bytes; a multi-byte character may be cut.
 *   4. hash = SHA-256 of prefix, as 64 lowercase hex digits.
 *
 * Only the first 4097 UTF-16 code units can reach the first 4096 bytes, so longer text is sliced
 * before encoding (4097 keeps a surrogate pair that straddles unit 4096 whole).
 */
import { createHash } from "node:crypto";

export const PROMPT_PREFIX_BYTES = 4096;

export function computePromptPrefixHash(systemPrompt: string, toolDefinitionsJson: string | null): string {
  const text = toolDefinitionsJson === null ? systemPrompt : `${systemPrompt}\n${toolDefinitionsJson}`;
  const head = text.length > PROMPT_PREFIX_BYTES + 1 ? text.slice(0, PROMPT_PREFIX_BYTES + 1) : text;
  const bytes = Buffer.from(head, "utf8");
  const prefix = bytes.length > PROMPT_PREFIX_BYTES ? bytes.subarray(0, PROMPT_PREFIX_BYTES) : bytes;
  return createHash("sha256").update(prefix).digest("hex");
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** A prefix hash sent by the instrumentation (`sous.prompt.prefix_hash`), if it is SHA-256 hex. */
export function parseReportedPrefixHash(value: string): string | null {
  return SHA256_HEX.test(value) ? value.toLowerCase() : null;
}
