import { getPool } from "@/lib/db/pool";
import type { Queryable } from "@/lib/projects/queryable";
import { hashApiKey, isWellFormedApiKey, parseBearerToken } from "@/lib/auth/api-key-format";

/**
 * Ingest and API authentication: `Authorization: Bearer <key>` → the key's project.
 *
 * The key is looked up by its full SHA-256, never by a prefix, so response time says nothing
 * about how much of a guessed key was right (no compare loop over a secret; the hash table lookup
 * is on a digest the caller cannot steer).
 *
 * Results are cached in-process for CACHE_TTL_MS (1 s), positive and negative alike, so the hot
 * path does not query per request, and concurrent misses for one key share one query. A key
 * revoked (or created) on another instance is therefore seen here within 1 s; on this instance at
 * once (revokeApiKey/insertApiKey call forgetApiKey). `last_used_at` is written at most once a
 * minute per key, off the request path.
 */
export interface ApiKeyCaller {
  projectId: string;
  keyId: string;
}

export const CACHE_TTL_MS = 1_000;
const LAST_USED_INTERVAL_MS = 60_000;
const MAX_CACHE_ENTRIES = 10_000;

interface CacheEntry {
  caller: ApiKeyCaller | null;
  expiresAt: number;
}

interface AuthState {
  cache: Map<string, CacheEntry>;
  inFlight: Map<string, Promise<ApiKeyCaller | null>>;
  lastUsedWrittenAt: Map<string, number>;
  /** Bumped by forgetApiKey: a lookup that started before a revocation must not be cached. */
  generation: number;
}

// On globalThis: Next may load this module once per route bundle, and a revocation in one must
// reach the cache the OTLP route reads.
const globalForAuth = globalThis as unknown as { sousApiKeyAuth?: AuthState };
function state(): AuthState {
  globalForAuth.sousApiKeyAuth ??= { cache: new Map(), inFlight: new Map(), lastUsedWrittenAt: new Map(), generation: 0 };
  return globalForAuth.sousApiKeyAuth;
}

export async function authenticateApiKey(
  authorization: string | null | undefined,
  db: Queryable = getPool(),
): Promise<ApiKeyCaller | null> {
  const key = parseBearerToken(authorization);
  if (key === null || !isWellFormedApiKey(key)) return null;
  const hash = hashApiKey(key);
  const auth = state();
  const now = performance.now();
  const cached = auth.cache.get(hash);
  if (cached && cached.expiresAt > now) {
    if (cached.caller) touchLastUsed(cached.caller.keyId, db);
    return cached.caller;
  }
  let lookup = auth.inFlight.get(hash);
  if (!lookup) {
    lookup = lookUpAndCache(hash, db).finally(() => auth.inFlight.delete(hash));
    auth.inFlight.set(hash, lookup);
  }
  const caller = await lookup;
  if (caller) touchLastUsed(caller.keyId, db);
  return caller;
}

async function lookUpAndCache(hash: string, db: Queryable): Promise<ApiKeyCaller | null> {
  const auth = state();
  const generation = auth.generation;
  const { rows } = await db.query<{ id: string; project_id: string }>(
    "SELECT id, project_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    [hash],
  );
  const caller = rows[0] ? { projectId: rows[0].project_id, keyId: rows[0].id } : null;
  if (auth.generation === generation) {
    auth.cache.delete(hash);
    auth.cache.set(hash, { caller, expiresAt: performance.now() + CACHE_TTL_MS });
    // Oldest first: Map keeps insertion order, and entries are re-inserted when refreshed.
    for (const oldest of auth.cache.keys()) {
      if (auth.cache.size <= MAX_CACHE_ENTRIES) break;
      auth.cache.delete(oldest);
    }
  }
  return caller;
}

function touchLastUsed(keyId: string, db: Queryable): void {
  const auth = state();
  const now = performance.now();
  const last = auth.lastUsedWrittenAt.get(keyId);
  if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
  if (auth.lastUsedWrittenAt.size >= MAX_CACHE_ENTRIES) auth.lastUsedWrittenAt.clear();
  auth.lastUsedWrittenAt.set(keyId, now);
  // The WHERE clause also limits writes across instances to about one a minute per key.
  void db
    .query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [keyId],
    )
    .catch(() => {
      // Bookkeeping only: a failed write must not fail the request; the next minute retries.
      auth.lastUsedWrittenAt.delete(keyId);
    });
}

/** Drops a key from this process's cache (after revoking or creating it). */
export function forgetApiKey(keyHash: string): void {
  const auth = state();
  auth.generation += 1;
  auth.cache.delete(keyHash);
}

/** Empties the cache (tests). */
export function resetApiKeyCache(): void {
  const auth = state();
  auth.generation += 1;
  auth.cache.clear();
  auth.lastUsedWrittenAt.clear();
}
