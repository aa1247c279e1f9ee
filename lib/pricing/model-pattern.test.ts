import { describe, expect, it } from "vitest";
import {
  canonicalProvider,
  compareSpecificity,
  compileModelPattern,
  modelNameCandidates,
  priceProvidersFor,
  validateModelPattern,
} from "@/lib/pricing/model-pattern";

describe("compileModelPattern", () => {
  it("matches exact names, prefixes and inner wildcards, ignoring case", () => {
    expect(compileModelPattern("GPT-4o").matches("gpt-4o")).toBe(true);
    expect(compileModelPattern("gpt-4o").matches("gpt-4o-mini")).toBe(false);
    expect(compileModelPattern("claude-sonnet-4*").matches("claude-sonnet-4-5-20250929")).toBe(true);
    expect(compileModelPattern("claude-sonnet-4*").matches("claude-haiku-4-5")).toBe(false);
    const inner = compileModelPattern("meta-llama/*70b*");
    expect(inner.matches("meta-llama/llama-3.3-70b-instruct-turbo")).toBe(true);
    expect(inner.matches("meta-llama/llama-3.1-8b-instruct")).toBe(false);
    expect(compileModelPattern("gpt-4.1").matches("gpt-4x1")).toBe(false); // "." is literal
  });

  it("ranks the longest literal prefix first, and an exact name before a wildcard of equal length", () => {
    const patterns = ["claude-*", "claude-opus-4*", "claude-opus-4", "claude-opus-4-1"].map(compileModelPattern);
    expect(patterns.sort(compareSpecificity).map((pattern) => pattern.pattern)).toEqual([
      "claude-opus-4-1",
      "claude-opus-4",
      "claude-opus-4*",
      "claude-*",
    ]);
  });

  it("refuses patterns that would price everything or cannot be typed", () => {
    expect(validateModelPattern("*")).toMatch(/literal text/);
    expect(validateModelPattern(" ")).toMatch(/empty/);
    expect(validateModelPattern("gpt 4o")).toMatch(/spaces/);
    expect(() => compileModelPattern("**")).toThrow(/literal text/);
  });
});

describe("modelNameCandidates", () => {
  it("unwraps Bedrock, Vertex AI and Gemini spellings and drops snapshot dates", () => {
    expect(modelNameCandidates("anthropic.claude-sonnet-4-5-20250929-v1:0")).toEqual([
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "claude-sonnet-4-5-20250929",
      "claude-sonnet-4-5",
    ]);
    expect(modelNameCandidates("us.anthropic.claude-opus-4-1-20250805-v1:0")).toContain("claude-opus-4-1");
    expect(modelNameCandidates("arn:aws:bedrock:us-east-1:123:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0")).toContain(
      "claude-haiku-4-5",
    );
    expect(modelNameCandidates("claude-sonnet-4-5@20250929")).toContain("claude-sonnet-4-5");
    expect(modelNameCandidates("models/gemini-2.5-pro")).toContain("gemini-2.5-pro");
    expect(modelNameCandidates("projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash")).toContain(
      "gemini-2.5-flash",
    );
    expect(modelNameCandidates("GPT-4o-2024-08-06")).toEqual(["gpt-4o-2024-08-06", "gpt-4o"]);
    expect(modelNameCandidates("gpt-4.1")).toEqual(["gpt-4.1"]);
  });
});

describe("providers", () => {
  it("normalizes spellings to the OpenTelemetry well-known values", () => {
    expect(canonicalProvider("az.ai.openai")).toBe("azure.ai.openai");
    expect(canonicalProvider("Gemini")).toBe("gcp.gemini");
    expect(canonicalProvider("OpenAI")).toBe("openai");
  });

  it("falls back from resellers to the model maker's list", () => {
    expect(priceProvidersFor("azure.ai.openai")).toEqual(["azure.ai.openai", "openai"]);
    expect(priceProvidersFor("aws.bedrock")).toEqual(["aws.bedrock", "anthropic"]);
    expect(priceProvidersFor("gcp.vertex_ai")).toEqual(["gcp.vertex_ai", "gcp.gemini", "anthropic"]);
    expect(priceProvidersFor("openai")).toEqual(["openai"]);
  });
});
