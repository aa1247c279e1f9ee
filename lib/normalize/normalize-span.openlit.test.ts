import { describe, expect, it } from "vitest";
import type { Attributes } from "@/lib/otlp/types";
import { makeSpan, type TestSpanInput } from "./make-test-span";
import { normalizeSpan } from "./normalize-span";

const normalize = (input: TestSpanInput) => normalizeSpan(makeSpan({ scope: "openlit.otel.tracing", ...input }), {});

const anthropicCall: Attributes = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "anthropic",
  "gen_ai.request.model": "claude-sonnet-4-5",
  "gen_ai.response.model": "claude-sonnet-4-5-20250929",
  "gen_ai.usage.input_tokens": 100, // raw Anthropic count: cache left out
  "gen_ai.usage.output_tokens": 50,
  "gen_ai.usage.cache_read.input_tokens": 2000,
  "gen_ai.usage.cache_creation.input_tokens": 300,
  "gen_ai.usage.cost": 0.002775,
  "service.name": "fixture-kitchen",
  "deployment.environment": "fixtures",
};

describe("OpenLIT (scope openlit.otel.tracing / openlit)", () => {
  it("streamed Anthropic call: exclusive input corrected, TTFT in seconds kept, reported cost", () => {
    const call = normalize({
      durationMs: 700,
      attributes: { ...anthropicCall, "gen_ai.request.is_stream": true, "gen_ai.server.time_to_first_token": 0.3017 },
    });
    expect(call).toMatchObject({
      provider: "anthropic",
      inputTokens: 2400,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
      streaming: true,
      reportedCostNanoUsd: 2_775_000n,
    });
    expect(call.ttftMs).toBeCloseTo(301.7, 6);
  });

  it("non-streamed call: its TTFT is the whole duration and is ignored", () => {
    const call = normalize({
      scope: "openlit",
      durationMs: 608.5,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "openai",
        "gen_ai.request.is_stream": false,
        "gen_ai.server.time_to_first_token": 0.6085,
        "gen_ai.usage.input_tokens": 2400,
        "gen_ai.usage.prompt_tokens_details.cached_tokens": 2000,
      },
    });
    expect(call).toMatchObject({ streaming: false, ttftMs: null, inputTokens: 2400, cacheReadTokens: 2000 });
  });

  it("ignores its TTFT when nothing says the call was streamed", () => {
    const call = normalize({ attributes: { "gen_ai.operation.name": "chat", "gen_ai.server.time_to_first_token": 0.5 } });
    expect(call).toMatchObject({ streaming: null, ttftMs: null });
  });

  it("reads the environment it writes as a span attribute, and old gen_ai.system values", () => {
    const call = normalize({ resource: {}, attributes: { ...anthropicCall, "gen_ai.provider.name": "vertex_ai" } });
    expect(call.environment).toBe("fixtures");
    expect(call.provider).toBe("gcp.vertex_ai");
    // not Anthropic or Bedrock: an OpenLIT count is left as sent unless the heuristic says otherwise
    expect(call.inputTokens).toBe(2400);
  });

  it("framework / vector-db operations are not LLM calls", () => {
    for (const operation of ["vectordb", "framework", "agent", "execute_tool"]) {
      expect(normalize({ attributes: { "gen_ai.operation.name": operation, "gen_ai.request.model": "x" } }).isLlm).toBe(false);
    }
  });
});
