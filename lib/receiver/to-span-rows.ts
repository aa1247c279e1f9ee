import type { DecodedSpan, RejectedSpan } from "@/lib/otlp/types";
import type { SpanRow } from "@/lib/ingest/types";
import { normalizeSpan } from "@/lib/normalize/normalize-span";
import { computeCost } from "@/lib/pricing/compute-cost";
import { getPriceBook } from "@/lib/pricing/price-book";
import type { ProjectSettings } from "@/lib/settings/project-settings";

/** Normalizes and prices decoded spans; a span that fails is rejected alone. */
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
      const row = normalizeSpan(span, options) as SpanRow;
      const cost = computeCost(projectId, row, priceBook);
      row.costNanoUsd = cost.costNanoUsd;
      row.costSource = cost.costSource;
      rows.push(row);
    } catch (error) {
      rejected.push({
        serviceName: typeof span.resource["service.name"] === "string" ? span.resource["service.name"] : "unknown_service",
        reason: "normalization_failed",
        message: `span ${span.spanId}: ${(error as Error).message}`,
      });
    }
  }
  return { rows, rejected };
}
