import { getPool } from "@/lib/db/pool";
import { ProjectNotFoundError } from "@/lib/projects/get-project";
import { hasPgCode, isUuid, PG_FOREIGN_KEY_VIOLATION, type Queryable } from "@/lib/projects/queryable";
import { readSettingsDefaults } from "@/lib/settings/settings-defaults";
import {
  projectSettingsPatchSchema,
  SETTING_KEYS,
  type ProjectSettings,
  type SettingKey,
  type SettingValues,
} from "@/lib/settings/settings-schema";

export type { ProjectSettings, ProjectSettingsPatch, SettingKey } from "@/lib/settings/settings-schema";
export { ttftBudgetFor } from "@/lib/settings/settings-schema";

/**
 * The one place project settings are read and written. A project stores only what it changed
 * (a NULL column follows the default, lib/settings/settings-defaults).
 *
 * Reads are cached per process for CACHE_TTL_MS: the ingest path reads the retention window on
 * every request. An update is seen at once on the instance that made it, and within 5 s elsewhere.
 */
export const CACHE_TTL_MS = 5_000;

interface SettingsRow {
  retention_days: number | null;
  allocation_tag_keys: string[] | null;
  allocation_tag_limit: number | null;
  ttft_budget_ms: number | null;
  service_ttft_budgets: Record<string, number> | null;
  time_zone: string | null;
  workload_attribute: string | null;
}

const COLUMN_OF: Record<SettingKey, keyof SettingsRow> = {
  retentionDays: "retention_days",
  allocationTagKeys: "allocation_tag_keys",
  allocationTagLimit: "allocation_tag_limit",
  ttftBudgetMs: "ttft_budget_ms",
  serviceTtftBudgets: "service_ttft_budgets",
  timeZone: "time_zone",
  workloadAttribute: "workload_attribute",
};

interface CacheEntry {
  settings: Promise<ProjectSettings>;
  expiresAt: number;
}
const globalForSettings = globalThis as unknown as { sousSettingsCache?: Map<string, CacheEntry> };
function cache(): Map<string, CacheEntry> {
  globalForSettings.sousSettingsCache ??= new Map();
  return globalForSettings.sousSettingsCache;
}

/** The project's effective settings (stored values over defaults). An unknown project gets the defaults. */
export function getProjectSettings(projectId: string, db: Queryable = getPool()): Promise<ProjectSettings> {
  const now = performance.now();
  const entry = cache().get(projectId);
  if (entry && entry.expiresAt > now) return entry.settings;
  const settings = readProjectSettings(projectId, db);
  cache().set(projectId, { settings, expiresAt: now + CACHE_TTL_MS });
  // A failed read must not be served from the cache.
  settings.catch(() => {
    if (cache().get(projectId)?.settings === settings) cache().delete(projectId);
  });
  return settings;
}

/** Reads without the cache. */
export async function readProjectSettings(projectId: string, db: Queryable = getPool()): Promise<ProjectSettings> {
  if (!isUuid(projectId)) return toSettings(null);
  const { rows } = await db.query<SettingsRow>(
    `SELECT ${Object.values(COLUMN_OF).join(", ")} FROM project_settings WHERE project_id = $1`,
    [projectId],
  );
  return toSettings(rows[0] ?? null);
}

/**
 * Applies a PUT body: validated here (a ZodError lists every invalid field with its reason; the
 * API maps it to 400), then written in one statement. Returns the new effective settings.
 */
export async function updateProjectSettings(
  projectId: string,
  patch: unknown,
  db: Queryable = getPool(),
): Promise<ProjectSettings> {
  const parsed = projectSettingsPatchSchema.parse(patch);
  if (!isUuid(projectId)) throw new ProjectNotFoundError(`No project ${projectId}.`);
  const keys = SETTING_KEYS.filter((key) => parsed[key] !== undefined);
  if (keys.length === 0) {
    invalidateProjectSettings(projectId);
    return readProjectSettings(projectId, db);
  }
  const columns = keys.map((key) => COLUMN_OF[key]);
  const values = keys.map((key) => {
    const value = parsed[key];
    return key === "serviceTtftBudgets" && value !== null ? JSON.stringify(value) : value;
  });
  const placeholders = keys.map((key, index) => `$${index + 2}${key === "serviceTtftBudgets" ? "::jsonb" : ""}`);
  try {
    const { rows } = await db.query<SettingsRow>(
      `INSERT INTO project_settings (project_id, ${columns.join(", ")}) VALUES ($1, ${placeholders.join(", ")})
       ON CONFLICT (project_id) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(", ")},
         updated_at = now()
       RETURNING ${Object.values(COLUMN_OF).join(", ")}`,
      [projectId, ...values],
    );
    invalidateProjectSettings(projectId);
    return toSettings(rows[0]!);
  } catch (error) {
    if (hasPgCode(error, PG_FOREIGN_KEY_VIOLATION)) throw new ProjectNotFoundError(`No project ${projectId}.`);
    throw error;
  }
}

/** Forgets cached settings (one project, or all). */
export function invalidateProjectSettings(projectId?: string): void {
  if (projectId === undefined) cache().clear();
  else cache().delete(projectId);
}

function toSettings(row: SettingsRow | null): ProjectSettings {
  const defaults = readSettingsDefaults();
  const values = {} as Record<SettingKey, unknown>;
  const customized: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    const stored = row?.[COLUMN_OF[key]] ?? null;
    values[key] = stored ?? defaults[key];
    if (stored !== null) customized.push(key);
  }
  return { ...(values as SettingValues), customized };
}
