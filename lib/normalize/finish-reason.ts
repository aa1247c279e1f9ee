/**
 * The finish reason of a call: the first reason of `gen_ai.response.finish_reasons` (an array, or
 * a JSON array string), a plain string (AI SDK `ai.response.finishReason`, OpenInference
 * `llm.finish_reason`), or the `finish_reason` of the first captured output message.
 * Values are kept as the instrumentation spelled them ("stop", "end_turn", "tool-calls", …).
 */
import { isPlainObject } from "./coerce";

export function firstFinishReason(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed.startsWith("[")) {
      try {
        return firstFinishReason(JSON.parse(trimmed) as unknown);
      } catch {
        return trimmed;
      }
    }
    return trimmed === "" ? null : trimmed;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = firstFinishReason(item);
      if (reason !== null) return reason;
    }
  }
  return null;
}

/** OTel output messages (and rebuilt OpenLLMetry completions) carry `finish_reason` per message. */
export function finishReasonOfOutput(output: unknown): string | null {
  if (!Array.isArray(output)) return null;
  for (const message of output) {
    if (isPlainObject(message)) {
      const reason = firstFinishReason(message.finish_reason);
      if (reason !== null) return reason;
    }
  }
  return null;
}
