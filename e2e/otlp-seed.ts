import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { double, int, nanos, postSpans, text, type Attribute } from "./otlp-json";

/**
 * Seeds traces through the real OTLP/HTTP JSON path, from a plain description the tests also use
 * to compute what the screens must show (so expectations never come from Sous's own queries).
 */
export interface SeedSpan {
  name: string;
  service: string;
  /** Offsets from the trace's start. */
  startMs: number;
  durationMs: number;
  /** Index of the parent in the trace's span list; undefined for the root. */
  parent?: number;
  isError?: boolean;
  llm?: {
    provider: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    ttftMs?: number;
    costUsd?: number;
    systemPrompt?: string;
    userMessage?: string;
    answer?: string;
  };
}

export interface SeedTrace {
  traceId: string;
  spanIds: string[];
  /** Epoch ms of the trace's start. */
  startEpochMs: number;
  spans: SeedSpan[];
}

export function newTrace(startEpochMs: number, spans: SeedSpan[]): SeedTrace {
  return {
    traceId: randomBytes(16).toString("hex"),
    spanIds: spans.map(() => randomBytes(8).toString("hex")),
    startEpochMs,
    spans,
  };
}


function llmAttributes(llm: NonNullable<SeedSpan["llm"]>): Attribute[] {
  const attributes = [
    text("gen_ai.operation.name", "chat"),
    text("gen_ai.provider.name", llm.provider),
    text("gen_ai.request.model", llm.model),
    int("gen_ai.usage.input_tokens", llm.inputTokens),
    int("gen_ai.usage.output_tokens", llm.outputTokens),
  ];
  if (llm.ttftMs !== undefined) attributes.push(double("gen_ai.response.time_to_first_chunk", llm.ttftMs / 1000));
  if (llm.costUsd !== undefined) attributes.push(double("gen_ai.usage.cost", llm.costUsd));
  if (llm.systemPrompt) attributes.push(text("gen_ai.system_instructions", JSON.stringify([{ type: "text", content: llm.systemPrompt }])));
  if (llm.userMessage) {
    attributes.push(text("gen_ai.input.messages", JSON.stringify([{ role: "user", parts: [{ type: "text", content: llm.userMessage }] }])));
  }
  if (llm.answer) {
    attributes.push(text("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: llm.answer }] }])));
  }
  return attributes;
}

/** Sends the traces' spans in one OTLP/JSON request (one resource per service). */
export async function sendTraces(request: APIRequestContext, traces: readonly SeedTrace[]): Promise<void> {
  const spans = traces.flatMap((trace) =>
    trace.spans.map((span, index) => {
      const startNs = nanos(trace.startEpochMs + span.startMs);
      return {
        service: span.service,
        span: {
          traceId: trace.traceId,
          spanId: trace.spanIds[index],
          parentSpanId: span.parent === undefined ? undefined : trace.spanIds[span.parent],
          name: span.name,
          kind: span.llm ? 3 : span.parent === undefined ? 2 : 1,
          startTimeUnixNano: String(startNs),
          endTimeUnixNano: String(startNs + BigInt(Math.round(span.durationMs * 1000)) * 1000n),
          attributes: span.llm ? llmAttributes(span.llm) : [],
          status: span.isError ? { code: 2, message: "upstream failed" } : { code: 0 },
        },
      };
    }),
  );
  await postSpans(request, "e2e", spans);
}

/** What the trace list and the trace page must show for a seeded trace, computed from the seed. */
export function expectedTotals(trace: SeedTrace) {
  const llmSpans = trace.spans.filter((span) => span.llm);
  const end = Math.max(...trace.spans.map((span) => span.startMs + span.durationMs));
  const start = Math.min(...trace.spans.map((span) => span.startMs));
  const sum = (pick: (span: SeedSpan) => number) => llmSpans.reduce((total, span) => total + pick(span), 0);
  return {
    spanCount: trace.spans.length,
    llmCallCount: llmSpans.length,
    durationMs: end - start,
    inputTokens: sum((span) => span.llm!.inputTokens),
    outputTokens: sum((span) => span.llm!.outputTokens),
    // Nano-dollar integers, as Sous stores money: the test's sum is exact too.
    costUsd: sum((span) => Math.round((span.llm!.costUsd ?? 0) * 1e9)) / 1e9,
  };
}
