import { describe, expect, it } from "vitest";
import { computePromptPrefixHash, parseReportedPrefixHash } from "./prompt-prefix-hash";

// Expected values computed independently (Python hashlib over the UTF-8 bytes).
describe("computePromptPrefixHash", () => {
  it("hashes the system prompt alone when there are no tool definitions", () => {
    expect(computePromptPrefixHash("You are a helpful assistant.", null)).toBe(
      "75357d685f238b6afd7738be9786fdafde641eb6ca9a3be7471939715a68a4de",
    );
  });

  it("appends the tool definitions after a newline", () => {
    expect(computePromptPrefixHash("You are a helpful assistant.", '[{"name":"get_menu"}]')).toBe(
      "af2f7c90641f35ff2ff59ac28bb18aaa0a102c828ed9d3d090aceda86e845a12",
    );
  });

  it("keeps only the first 4096 UTF-8 bytes, even inside a multi-byte character", () => {
    // 4095 ASCII bytes, then "é" (2 bytes): the prefix ends after the first byte of "é".
    expect(computePromptPrefixHash(`${"a".repeat(4095)}é${"b".repeat(10)}`, null)).toBe(
      "c39ffff7631661b5272de1b79f636af5f03a8d604fa92bb7b936ae83c1e82f80",
    );
  });

  it("ignores everything after the prefix, so dynamic content late in a prompt keeps the hash", () => {
    const stable = "x".repeat(5000);
    expect(computePromptPrefixHash(`${stable} user Ada`, null)).toBe(computePromptPrefixHash(`${stable} user Bob`, null));
    expect(computePromptPrefixHash(`Today is Monday. ${stable}`, null)).not.toBe(
      computePromptPrefixHash(`Today is Friday. ${stable}`, null),
    );
  });

  it("keeps a surrogate pair that straddles the slice point whole", () => {
    // 4095 × "a", then the 4-byte 😀 (F0 9F 98 80): the prefix ends with 0xF0, not U+FFFD's 0xEF.
    expect(computePromptPrefixHash(`${"a".repeat(4095)}😀tail`, null)).toBe(
      "f162de0d9407e020f50e95c2812f1f3956d90d907e461d41a2e7d0b979d9a0f7",
    );
  });
});

describe("parseReportedPrefixHash", () => {
  it("accepts SHA-256 hex in any case and lower-cases it", () => {
    expect(parseReportedPrefixHash("75357D685F238B6AFD7738BE9786FDAFDE641EB6CA9A3BE7471939715A68A4DE")).toBe(
      "75357d685f238b6afd7738be9786fdafde641eb6ca9a3be7471939715a68a4de",
    );
  });

  it("rejects anything else", () => {
    expect(parseReportedPrefixHash("abc")).toBeNull();
    expect(parseReportedPrefixHash("z".repeat(64))).toBeNull();
  });
});
