import type { DecodedSpan, RejectedSpan } from "@/lib/otlp/types";
import type { SpanRow } from "@/lib/ingest/types";
import { collapseNestedCalls } from "@/lib/normalize/collapse-nested-calls";
import { normalizeSpan } from "@/lib/normalize/normalize-span";
import { computeCacheSavings, computeCost } from "@/lib/pricing/compute-cost";
import { getPriceBook } from "@/lib/pricing/price-book";
import type { ProjectSettings } from "@/lib/settings/project-settings";

/**
 * Normalizes and prices decoded spans; a span that fails is rejected alone. Between the two, one
 * call instrumented twice in this batch (an LLM span directly under an LLM span) is collapsed to
 * one LLM call (lib/normalize/collapse-nested-calls.ts), so it is counted and priced once.
 */
export function toSpanRows(
  projectId: string,
  spans: DecodedSpan[],
  settings: Pick<ProjectSettings, "workloadAttribute">,
): { rows: SpanRow[]; rejected: RejectedSpan[] } {
  const priceBook = getPriceBook();
  const options = { workloadAttribute: settings.workloadAttribute };
  const rows: SpanRow[] = [];
  const rejected: RejectedSpan[] = [];
  for (const span of spans) {
    try {
      // Settled in place: spreading records this size costs more than the whole normalization.
      rows.push(normalizeSpan(span, options) as SpanRow);
    } catch (error) {
      const serviceName = span.resource["service.name"];
      rejected.push(rejection(typeof serviceName === "string" ? serviceName : "unknown_service", span.spanId, error));
    }
  }
  collapseNestedCalls(rows);
  let kept = 0;
  for (const row of rows) {
    try {
      const cost = computeCost(projectId, row, priceBook);
      row.costNanoUsd = cost.costNanoUsd;
      row.costSource = cost.costSource;
      row.cacheSavingsNanoUsd = computeCacheSavings(projectId, row, priceBook);
      rows[kept++] = row;
    } catch (error) {
      rejected.push(rejection(row.serviceName, row.spanId, error));
    }
  }
  rows.length = kept;
  return { rows, rejected };
}

function rejection(serviceName: string, spanId: string, error: unknown): RejectedSpan {
  return { serviceName, reason: "normalization_failed", message: `span ${spanId}: ${(error as Error).message}` };
}
