import { describe, expect, it } from "vitest";
import { displayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey, parseBearerToken } from "@/lib/auth/api-key-format";

describe("API key format", () => {
  it("generates sous_ + 32 random bytes in base64url", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sous_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(key);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("hashes with SHA-256 hex and shows only a short prefix", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const key = generateApiKey();
    expect(displayPrefix(key)).toBe(key.slice(0, 12));
    expect(displayPrefix("0123456789abcdef")).toBe("0123");
  });

  it("parses Bearer headers and rejects junk before any look-up", () => {
    expect(parseBearerToken("Bearer sous_abc")).toBe("sous_abc");
    expect(parseBearerToken("bearer   sous_abc ")).toBe("sous_abc");
    expect(parseBearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(parseBearerToken("Bearer a b")).toBeNull();
    expect(parseBearerToken(null)).toBeNull();
    expect(isWellFormedApiKey("short")).toBe(false);
    expect(isWellFormedApiKey("x".repeat(257))).toBe(false);
    expect(isWellFormedApiKey("with'quote-0123456789")).toBe(false);
    expect(isWellFormedApiKey("openssl+base64/key0123==")).toBe(true);
  });
});
