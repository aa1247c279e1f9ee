import { getPool } from "@/lib/db/pool";
import { ProjectNotFoundError } from "@/lib/projects/get-project";
import { hasPgCode, isUuid, PG_FOREIGN_KEY_VIOLATION, type Queryable } from "@/lib/projects/queryable";
import { displayPrefix, generateApiKey, hashApiKey } from "@/lib/auth/api-key-format";
import { forgetApiKey } from "@/lib/auth/authenticate-api-key";

/** A key as listed: never the key itself, which exists only in the creator's hands. */
export interface ApiKeySummary {
  id: string;
  projectId: string;
  name: string;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Returned by createApiKey only: `key` is the plaintext, shown once and never stored. */
export interface CreatedApiKey extends ApiKeySummary {
  key: string;
}

export class ApiKeyNameError extends Error {
  readonly code = "bad_request";
}

export const MAX_KEY_NAME_LENGTH = 100;

interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = "id, project_id, name, key_prefix, created_at, revoked_at, last_used_at";

function toSummary(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    keyPrefix: row.key_prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export function normalizeKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ApiKeyNameError("A key needs a name (what sends with it, e.g. \"checkout-service\").");
  if (trimmed.length > MAX_KEY_NAME_LENGTH) {
    throw new ApiKeyNameError(`A key name is at most ${MAX_KEY_NAME_LENGTH} characters.`);
  }
  return trimmed;
}

/** Creates a random key for the project and returns it in plaintext, once. */
export async function createApiKey(projectId: string, name: string, db: Queryable = getPool()): Promise<CreatedApiKey> {
  const key = generateApiKey();
  const summary = await insertApiKey(projectId, normalizeKeyName(name), key, db);
  return { ...summary, key };
}

/** Stores a given key (generated here or supplied by an operator) by its hash. */
export async function insertApiKey(projectId: string, name: string, key: string, db: Queryable): Promise<ApiKeySummary> {
  if (!isUuid(projectId)) throw new ProjectNotFoundError(`No project ${projectId}.`);
  try {
    const { rows } = await db.query<ApiKeyRow>(
      `INSERT INTO api_keys (project_id, name, key_prefix, key_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [projectId, name, displayPrefix(key), hashApiKey(key)],
    );
    forgetApiKey(hashApiKey(key));
    return toSummary(rows[0]!);
  } catch (error) {
    if (hasPgCode(error, PG_FOREIGN_KEY_VIOLATION)) throw new ProjectNotFoundError(`No project ${projectId}.`);
    throw error;
  }
}

/** The project's keys, newest first, revoked ones included (the UI shows them struck out). */
export async function listApiKeys(projectId: string, db: Queryable = getPool()): Promise<ApiKeySummary[]> {
  if (!isUuid(projectId)) return [];
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at DESC, id`,
    [projectId],
  );
  return rows.map(toSummary);
}

export interface RevokeOptions {
  /** Only revoke when the key belongs to this project (routes scoped to a project pass it). */
  projectId?: string;
  db?: Queryable;
}

/**
 * Revokes a key. Returns the revoked key, or null when there is no such active key (unknown id,
 * another project's key, or already revoked). This process stops accepting the key at once;
 * other instances within their 1 s authentication cache (lib/auth/authenticate-api-key).
 */
export async function revokeApiKey(keyId: string, options: RevokeOptions = {}): Promise<ApiKeySummary | null> {
  if (!isUuid(keyId) || (options.projectId !== undefined && !isUuid(options.projectId))) return null;
  const db = options.db ?? getPool();
  const { rows } = await db.query<ApiKeyRow & { key_hash: string }>(
    `UPDATE api_keys SET revoked_at = now()
     WHERE id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR project_id = $2::uuid)
     RETURNING ${COLUMNS}, key_hash`,
    [keyId, options.projectId ?? null],
  );
  if (!rows[0]) return null;
  forgetApiKey(rows[0].key_hash);
  return toSummary(rows[0]);
}
