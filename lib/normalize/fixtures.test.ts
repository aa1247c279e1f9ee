/**
 * The fixtures in lib/normalize/fixtures/ are real OTLP/JSON exports made by the instrumentation
 * packages (or, for Python-only ones, from their attribute constants) against a fake provider
 * whose answers are known: see scripts/fixtures/README.md. Each fixture's `expected` list holds
 * what the provider really returned, so every mismatch here is a fact Sous would store wrongly.
 * Expectations are never adjusted to the normalizer: fix the normalizer or the fixture's story.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedSpan } from "@/lib/ingest/types";
import { decodeJsonTraceRequest } from "@/lib/otlp/decode-json";
import { normalizeSpan } from "./normalize-span";

interface Expectation {
  spanName: string;
  spanId: string;
  isLlm: boolean;
  provider?: string | null;
  requestModel?: string | null;
  responseModel?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
  ttftMs?: number | null;
  ttftToleranceMs?: number;
  streaming?: boolean | null;
  promptName?: string | null;
  promptVersion?: string | null;
  reportedCostUsd?: number | null;
  note?: string;
}

interface Fixture {
  convention: string;
  package: string;
  request: unknown;
  expected: Expectation[];
}

const FIXTURES_DIR = path.join(import.meta.dirname, "fixtures");
const EXACT_FIELDS = [
  "provider",
  "requestModel",
  "responseModel",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "streaming",
  "promptName",
  "promptVersion",
] as const;

/** Exact decimal USD → integer nano-USD, without floating-point multiplication. */
function usdToNano(usd: number): bigint {
  const [whole, fraction = ""] = usd.toFixed(12).split(".");
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.slice(0, 9).padEnd(9, "0"));
}

/** Every way `actual` differs from the expectation, as readable lines. */
function mismatches(expected: Expectation, actual: NormalizedSpan): string[] {
  const problems: string[] = [];
  const differ = (field: string, want: unknown, got: unknown) => {
    if (!Object.is(want, got)) problems.push(`${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  differ("name", expected.spanName, actual.name);
  differ("isLlm", expected.isLlm, actual.isLlm);
  if (!expected.isLlm) {
    // A wrapper span must not carry usage or cost, or its child's call is counted twice.
    differ("inputTokens", null, actual.inputTokens);
    differ("outputTokens", null, actual.outputTokens);
    differ("reportedCostNanoUsd", null, actual.reportedCostNanoUsd);
    return problems;
  }
  for (const field of EXACT_FIELDS) {
    if (field in expected) differ(field, expected[field], actual[field]);
  }
  if (expected.ttftMs === null) {
    differ("ttftMs", null, actual.ttftMs);
  } else if (expected.ttftMs !== undefined) {
    const tolerance = expected.ttftToleranceMs ?? 0;
    if (actual.ttftMs === null || Math.abs(actual.ttftMs - expected.ttftMs) > tolerance) {
      problems.push(`ttftMs: expected ${expected.ttftMs} ± ${tolerance}, got ${JSON.stringify(actual.ttftMs)}`);
    }
  }
  if (expected.reportedCostUsd !== undefined) {
    const want = expected.reportedCostUsd === null ? null : usdToNano(expected.reportedCostUsd);
    if (want !== actual.reportedCostNanoUsd) {
      problems.push(`reportedCostNanoUsd: expected ${String(want)}, got ${String(actual.reportedCostNanoUsd)}`);
    }
  }
  return problems;
}

const fixtureFiles = readdirSync(FIXTURES_DIR)
  .filter((file) => file.endsWith(".json"))
  .sort();

describe("usdToNano", () => {
  it("converts decimal dollars exactly", () => {
    expect(usdToNano(0.002775)).toBe(2_775_000n);
    expect(usdToNano(0.004)).toBe(4_000_000n);
    expect(usdToNano(12.5)).toBe(12_500_000_000n);
  });
});

describe.each(fixtureFiles)("fixture %s", (file) => {
  const fixture = JSON.parse(readFileSync(path.join(FIXTURES_DIR, file), "utf8")) as Fixture;
  const decoded = decodeJsonTraceRequest(JSON.stringify(fixture.request));

  it("decodes every span, none rejected", () => {
    expect(decoded.rejected).toEqual([]);
    expect(decoded.spans.map((span) => span.spanId).sort()).toEqual(fixture.expected.map((e) => e.spanId).sort());
  });

  it.each(fixture.expected.map((expected) => [`${expected.spanName} (${expected.spanId})`, expected] as const))(
    "%s",
    (_label, expected) => {
      const span = decoded.spans.find((candidate) => candidate.spanId === expected.spanId);
      expect(span, `span ${expected.spanId} in the request`).toBeDefined();
      const context = `${fixture.package}${expected.note ? ` — ${expected.note}` : ""}`;
      expect(mismatches(expected, normalizeSpan(span!)).join("\n"), context).toBe("");
    },
  );
});
