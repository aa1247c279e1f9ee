import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import type { PlannedSpan, PlannedTrace } from "./types";

/**
 * Replays a planned trace through the real tracer API with explicit start and end times, parents
 * passed as contexts (no context manager needed). Returns the number of spans created.
 */
export function emitTrace(tracer: Tracer, planned: PlannedTrace): number {
  return emitSpan(tracer, planned.root, ROOT_CONTEXT);
}

function emitSpan(tracer: Tracer, planned: PlannedSpan, parent: Context): number {
  const span = tracer.startSpan(
    planned.name,
    { kind: planned.kind, startTime: planned.startMs, attributes: planned.attributes },
    parent,
  );
  if (planned.error) {
    span.setAttribute("error.type", planned.error.type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: planned.error.message });
    span.addEvent(
      "exception",
      { "exception.type": planned.error.type, "exception.message": planned.error.message },
      planned.endMs,
    );
  }
  let count = 1;
  const context = trace.setSpan(parent, span);
  for (const child of planned.children ?? []) count += emitSpan(tracer, child, context);
  span.end(planned.endMs);
  return count;
}

/** Whether a planned span is an LLM call (what Sous counts as a call). */
export function countLlmCalls(planned: PlannedSpan): number {
  const operation = planned.attributes["gen_ai.operation.name"];
  const isCall = operation === "chat" || operation === "generate_content" || operation === "embeddings";
  return (isCall ? 1 : 0) + (planned.children ?? []).reduce((sum, child) => sum + countLlmCalls(child), 0);
}
