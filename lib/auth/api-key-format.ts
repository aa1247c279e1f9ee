import { createHash, randomBytes } from "node:crypto";

/**
 * API key format and hashing. A generated key is `sous_` + 32 random bytes in base64url
 * (48 characters, 256 bits of entropy). Only its SHA-256 (hex) and a short display prefix are
 * stored: with 256 random bits a slow hash adds nothing, and a fast one keeps the ingest path cheap.
 *
 * Keys supplied by an operator (SOUS_INIT_PROJECT_KEY) may have another shape; any token of
 * MIN_KEY_LENGTH–MAX_KEY_LENGTH characters from the RFC 7235 token68 alphabet is accepted.
 */
export const API_KEY_PREFIX = "sous_";
export const MIN_KEY_LENGTH = 16;
export const MAX_KEY_LENGTH = 256;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Whether `key` could be a key at all; checked before hashing so junk never reaches the database. */
export function isWellFormedApiKey(key: string): boolean {
  return key.length >= MIN_KEY_LENGTH && key.length <= MAX_KEY_LENGTH && TOKEN68.test(key);
}

/**
 * What the UI shows to tell keys apart: `sous_` + 7 characters for generated keys (42 of 256
 * bits). For an operator-supplied key, at most a quarter of it, so a short key is not given away.
 */
export function displayPrefix(key: string): string {
  return key.slice(0, Math.min(12, Math.floor(key.length / 4)));
}

/** The key from an `Authorization: Bearer <key>` header value; null when absent or not Bearer. */
export function parseBearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1]! : null;
}
