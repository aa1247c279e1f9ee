import type pg from "pg";
import { dimKeyId, OTHER_TAG_VALUE, type CoreValues, type CubeName, type DimKey } from "@/lib/rollups/cubes";

/**
 * rollup_dims: one id per (project, cube, dimension values). Ids are never reused or deleted, so
 * a process may cache them for ever; new combinations are inserted on first use.
 */
const idCache = new Map<string, Map<string, number>>();

function cacheOf(projectId: string): Map<string, number> {
  let cache = idCache.get(projectId);
  if (!cache) idCache.set(projectId, (cache = new Map()));
  return cache;
}

const KEY_COLUMNS =
  "cube, service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming, tag_key, tag_value";

const RESOLVE_SQL = `
WITH k AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::bool[], $11::text[], $12::text[])
    AS k(${KEY_COLUMNS})
), inserted AS (
  INSERT INTO rollup_dims (project_id, ${KEY_COLUMNS})
  SELECT $1::uuid, ${KEY_COLUMNS} FROM k
  ON CONFLICT (project_id, ${KEY_COLUMNS}) DO NOTHING
  RETURNING dim_id, ${KEY_COLUMNS}
)
SELECT * FROM inserted
UNION ALL
SELECT d.dim_id, ${KEY_COLUMNS.split(", ").map((column) => `d.${column}`).join(", ")}
FROM rollup_dims d JOIN k ON (${KEY_COLUMNS.split(", ").map((column) => `d.${column}`).join(", ")})
                   IS NOT DISTINCT FROM (${KEY_COLUMNS.split(", ").map((column) => `k.${column}`).join(", ")})
WHERE d.project_id = $1::uuid`;

interface DimRow {
  dim_id: number;
  cube: CubeName;
  service_name: string | null;
  provider: string | null;
  model: string | null;
  prompt_name: string | null;
  prompt_version: string | null;
  environment: string | null;
  workload: string | null;
  streaming: boolean | null;
  tag_key: string | null;
  tag_value: string | null;
}

/** The dim_id of every key (inserting the new ones), by dimKeyId. */
export async function resolveDimIds(client: pg.ClientBase, projectId: string, keys: readonly DimKey[]): Promise<Map<string, number>> {
  const cache = cacheOf(projectId);
  const missing = new Map<string, DimKey>();
  for (const key of keys) {
    const id = dimKeyId(key);
    if (!cache.has(id)) missing.set(id, key);
  }
  if (missing.size > 0) {
    const list = [...missing.values()];
    const column = (read: (key: DimKey) => unknown) => list.map(read);
    const { rows } = await client.query<DimRow>(RESOLVE_SQL, [
      projectId,
      column((k) => k.cube),
      column((k) => stringOrNull(k.values.service)),
      column((k) => stringOrNull(k.values.provider)),
      column((k) => stringOrNull(k.values.model)),
      column((k) => stringOrNull(k.values.promptName)),
      column((k) => stringOrNull(k.values.promptVersion)),
      column((k) => stringOrNull(k.values.environment)),
      column((k) => stringOrNull(k.values.workload)),
      column((k) => (typeof k.values.streaming === "boolean" ? k.values.streaming : null)),
      column((k) => k.tagKey),
      column((k) => k.tagValue),
    ]);
    for (const row of rows) cache.set(dimKeyId(dimKeyOfRow(row)), row.dim_id);
    for (const id of missing.keys()) {
      if (!cache.has(id)) throw new Error(`rollup dimension ${id} was neither inserted nor found`);
    }
  }
  return cache;
}

function stringOrNull(value: string | boolean | null): string | null {
  return typeof value === "string" ? value : null;
}

function dimKeyOfRow(row: DimRow): DimKey {
  const values: CoreValues = {
    service: row.service_name,
    provider: row.provider,
    model: row.model,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    environment: row.environment,
    workload: row.workload,
    streaming: row.streaming,
  };
  return { cube: row.cube, values, tagKey: row.tag_key, tagValue: row.tag_value };
}

/**
 * Maps each tag value to itself when the key has admitted it (or still has room under the limit,
 * in which case it is admitted now by the caller inserting its dims), else to OTHER_TAG_VALUE.
 * Must run under the rollup lock: admission is decided from the database, cluster-wide.
 */
export async function admitTagValues(
  client: pg.ClientBase,
  projectId: string,
  candidates: ReadonlyMap<string, ReadonlySet<string>>,
  limit: number,
): Promise<Map<string, Map<string, string>>> {
  const mapping = new Map<string, Map<string, string>>();
  for (const [tagKey, values] of candidates) {
    const { rows } = await client.query<{ tag_value: string | null; admitted: string }>(
      `SELECT (SELECT count(*) FROM rollup_dims
                WHERE project_id = $1 AND cube = 'tag' AND tag_key = $2 AND tag_value IS NOT NULL AND tag_value <> $4) AS admitted,
              d.tag_value
       FROM (SELECT 1) one
       LEFT JOIN rollup_dims d ON d.project_id = $1 AND d.cube = 'tag' AND d.tag_key = $2 AND d.tag_value = ANY($3::text[])`,
      [projectId, tagKey, [...values], OTHER_TAG_VALUE],
    );
    let admitted = Number(rows[0]?.admitted ?? 0);
    const known = new Set(rows.map((row) => row.tag_value).filter((value): value is string => value !== null));
    const forKey = new Map<string, string>();
    for (const value of [...values].sort()) {
      if (known.has(value)) forKey.set(value, value);
      else if (value !== OTHER_TAG_VALUE && admitted < limit) {
        forKey.set(value, value);
        admitted++;
      } else forKey.set(value, OTHER_TAG_VALUE);
    }
    mapping.set(tagKey, forKey);
  }
  return mapping;
}
