import { describe, expect, it } from "vitest";
import { normalizeProvider, providerFromModel, usageVendor } from "./provider";

describe("normalizeProvider", () => {
  it.each([
    ["openai", "openai"],
    ["OpenAI", "openai"],
    ["openai.chat", "openai"],
    ["openai.responses", "openai"],
    ["Anthropic", "anthropic"],
    ["anthropic.messages", "anthropic"],
    ["google.generative-ai", "gcp.gemini"],
    ["gemini", "gcp.gemini"],
    ["google", "gcp.gemini"],
    ["google.vertex.chat", "gcp.vertex_ai"],
    ["vertex.anthropic.messages", "gcp.vertex_ai"],
    ["vertexai", "gcp.vertex_ai"],
    ["vertex_ai", "gcp.vertex_ai"],
    ["az.ai.openai", "azure.ai.openai"],
    ["azure", "azure.ai.openai"],
    ["azure.chat", "azure.ai.openai"],
    ["az.ai.inference", "azure.ai.inference"],
    ["aws", "aws.bedrock"],
    ["bedrock", "aws.bedrock"],
    ["amazon-bedrock", "aws.bedrock"],
    ["aws.bedrock", "aws.bedrock"],
    ["mistral", "mistral_ai"],
    ["mistral.chat", "mistral_ai"],
    ["xai", "x_ai"],
    ["xai.chat", "x_ai"],
    ["cohere", "cohere"],
    ["groq.chat", "groq"],
    ["deepseek.chat", "deepseek"],
    ["ibm.watson.ai", "ibm.watsonx.ai"],
    ["google.ai.studio", "gcp.gemini"],
  ])("%s → %s", (spelling, expected) => {
    expect(normalizeProvider(spelling)).toBe(expected);
  });

  it("keeps unknown providers, lower-cased, without an AI SDK suffix", () => {
    expect(normalizeProvider("Ollama")).toBe("ollama");
    expect(normalizeProvider("togetherai.chat")).toBe("togetherai");
  });

  it("gives null for an empty spelling", () => {
    expect(normalizeProvider("  ")).toBeNull();
  });
});

describe("providerFromModel", () => {
  it("recognises vendor model names, Bedrock ids first", () => {
    expect(providerFromModel("claude-sonnet-4-5-20250929")).toBe("anthropic");
    expect(providerFromModel("gpt-4o-2024-08-06")).toBe("openai");
    expect(providerFromModel("us.anthropic.claude-3-5-sonnet-20240620-v1:0")).toBe("aws.bedrock");
    expect(providerFromModel("gemini-2.5-flash")).toBe("gcp.gemini");
    expect(providerFromModel("my-finetune")).toBeNull();
  });
});

describe("usageVendor", () => {
  it("is the provider, else the model's vendor; Claude on Vertex reads as Anthropic", () => {
    expect(usageVendor("openai", "claude-x")).toBe("openai");
    expect(usageVendor(null, "claude-sonnet-4-5")).toBe("anthropic");
    expect(usageVendor(null, null)).toBeNull();
    expect(usageVendor("gcp.vertex_ai", "claude-sonnet-4-5@20250929")).toBe("anthropic");
    expect(usageVendor("gcp.vertex_ai", "gemini-2.5-pro")).toBe("gcp.vertex_ai");
  });
});
