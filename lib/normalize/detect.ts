/**
 * Classifies a span as an LLM call (and names its operation) by running DETECTION_RULES, then
 * the Logfire and model-presence fallbacks. Reads span attributes directly: no JSON expansion is
 * needed, so non-LLM spans (most of a trace) cost a handful of property reads.
 */
import type { DecodedSpan } from "@/lib/otlp/types";
import { toNonEmptyString } from "./coerce";
import {
  AI_SDK_OPERATION_ID,
  DEFAULT_OPERATION,
  DETECTION_RULES,
  LOGFIRE_STREAM_SPAN_PREFIX,
  MODEL_PRESENCE_KEYS,
} from "./rules/detection";
import type { AttributeLookup, InstrumentationProfile } from "./rules/profiles";

export interface Classification {
  isLlm: boolean;
  operation: string | null;
  /** The AI SDK (≤ v6) operation id, e.g. "ai.streamText.doStream", when the span has one. */
  aiSdkOperationId: string | null;
}

const NOT_LLM = (aiSdkOperationId: string | null): Classification => ({ isLlm: false, operation: null, aiSdkOperationId });

/**
 * `ai.operationId`, or the first word of `operation.name` ("ai.generateText.doGenerate myFunction")
 * when only that arrived.
 */
export function aiSdkOperationId(lookup: AttributeLookup): string | null {
  const explicit = toNonEmptyString(lookup(AI_SDK_OPERATION_ID));
  if (explicit !== null) return explicit;
  const operationName = lookup("operation.name");
  if (typeof operationName !== "string" || !operationName.startsWith("ai.")) return null;
  const space = operationName.indexOf(" ");
  return space === -1 ? operationName : operationName.slice(0, space);
}

export function classifySpan(span: DecodedSpan, profile: InstrumentationProfile): Classification {
  const attributes = span.attributes;
  const lookup: AttributeLookup = (key) => attributes[key];
  const operationId = aiSdkOperationId(lookup);

  for (const rule of DETECTION_RULES) {
    const raw = rule.key === AI_SDK_OPERATION_ID ? operationId : toNonEmptyString(lookup(rule.key));
    if (raw === null) continue;
    const value = rule.caseInsensitive ? raw.toLowerCase() : raw;
    const operation = rule.llmOperations.get(value);
    if (operation !== undefined) return { isLlm: true, operation, aiSdkOperationId: operationId };
    if (rule.otherwise === "notLlm" || rule.notLlmValues?.has(value)) return NOT_LLM(operationId);
  }

  if (profile.id === "logfire") {
    if (span.name.startsWith(LOGFIRE_STREAM_SPAN_PREFIX)) return NOT_LLM(operationId);
    if (lookup("request_data") !== undefined) {
      return { isLlm: true, operation: DEFAULT_OPERATION, aiSdkOperationId: operationId };
    }
  }

  for (const key of MODEL_PRESENCE_KEYS) {
    if (toNonEmptyString(lookup(key)) !== null) {
      return { isLlm: true, operation: DEFAULT_OPERATION, aiSdkOperationId: operationId };
    }
  }
  return NOT_LLM(operationId);
}
