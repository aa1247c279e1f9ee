import type pg from "pg";
import { dimKeyId, OTHER_TAG_VALUE, type CoreValues, type CubeName, type DimKey } from "@/lib/rollups/cubes";

/**
 * rollup_dims: one id per (project, cube, dimension values). Ids are never reused or deleted, so
 * a process may cache them for ever; new combinations are inserted on first use.
 */
const idCache = new Map<string, Map<string, number>>();

/** Forgets the cached ids (tests: a process that starts with the table already filled). */
export function forgetDimIds(): void {
  idCache.clear();
}

function cacheOf(projectId: string): Map<string, number> {
  let cache = idCache.get(projectId);
  if (!cache) idCache.set(projectId, (cache = new Map()));
  return cache;
}

/** The rollup_dims columns that identify a dimension key. */
export const KEY_COLUMN_LIST = [
  "cube", "service_name", "provider", "model", "prompt_name", "prompt_version", "environment", "workload", "streaming",
  "tag_key", "tag_value",
] as const;
const KEY_COLUMNS = KEY_COLUMN_LIST.join(", ");
const KEY_TYPES = ["text", "text", "text", "text", "text", "text", "text", "text", "bool", "text", "text"];
const UNNEST_KEYS = `unnest(${KEY_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(", ")}) AS k(${KEY_COLUMNS})`;

// New keys: inserted and returned. Keys that exist already are not returned (DO NOTHING).
const INSERT_SQL = `
INSERT INTO rollup_dims (project_id, ${KEY_COLUMNS})
SELECT $1::uuid, ${KEY_COLUMNS} FROM ${UNNEST_KEYS}
ON CONFLICT (project_id, ${KEY_COLUMNS}) DO NOTHING
RETURNING dim_id, ${KEY_COLUMNS}`;

/**
 * Existing keys, looked up by the identity index. NULL matches NULL in that index (NULLS NOT
 * DISTINCT), but neither an index nor a hash join can evaluate IS NOT DISTINCT FROM (a join on it
 * compares every key with every stored row). So keys are looked up in groups sharing the same NULL
 * columns: each column is then either `= k.column` or `IS NULL`, and each key is one index probe.
 */
function lookupSql(nullColumns: ReadonlySet<string>): string {
  const conditions = KEY_COLUMN_LIST.map((column) => (nullColumns.has(column) ? `d.${column} IS NULL` : `d.${column} = k.${column}`));
  return `
SELECT d.dim_id, ${KEY_COLUMN_LIST.map((column) => `d.${column}`).join(", ")}
FROM ${UNNEST_KEYS}
JOIN rollup_dims d ON d.project_id = $1::uuid AND ${conditions.join(" AND ")}`;
}

export interface DimRow {
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

/** The dim_id of every key (inserting the new ones), by dimKeyId (`keyIds`: those ids, when the caller has them). */
export async function resolveDimIds(
  client: pg.ClientBase,
  projectId: string,
  keys: readonly DimKey[],
  keyIds?: readonly string[],
): Promise<Map<string, number>> {
  const cache = cacheOf(projectId);
  const missing = new Map<string, DimKey>();
  for (const [i, key] of keys.entries()) {
    const id = keyIds?.[i] ?? dimKeyId(key);
    if (!cache.has(id)) missing.set(id, key);
  }
  if (missing.size > 0) {
    const { rows } = await client.query<DimRow>(INSERT_SQL, [projectId, ...keyArrays([...missing.values()])]);
    for (const row of rows) cache.set(dimKeyId(dimKeyOfRow(row)), row.dim_id);
    const existing = new Map<string, DimKey[]>();
    for (const [id, key] of missing) {
      if (cache.has(id)) continue;
      const nullColumns = KEY_COLUMN_LIST.filter((_, i) => keyValues(key)[i] === null).join(",");
      const group = existing.get(nullColumns);
      if (group) group.push(key);
      else existing.set(nullColumns, [key]);
    }
    for (const [nullColumns, keys] of existing) {
      const { rows: found } = await client.query<DimRow>(lookupSql(new Set(nullColumns.split(","))), [projectId, ...keyArrays(keys)]);
      for (const row of found) cache.set(dimKeyId(dimKeyOfRow(row)), row.dim_id);
    }
    for (const id of missing.keys()) {
      if (!cache.has(id)) throw new Error(`rollup dimension ${id} was neither inserted nor found`);
    }
  }
  return cache;
}

function stringOrNull(value: string | boolean | null): string | null {
  return typeof value === "string" ? value : null;
}

/** A key's values in KEY_COLUMN_LIST order. */
function keyValues(key: DimKey): (string | boolean | null)[] {
  const v = key.values;
  return [
    key.cube,
    stringOrNull(v.service),
    stringOrNull(v.provider),
    stringOrNull(v.model),
    stringOrNull(v.promptName),
    stringOrNull(v.promptVersion),
    stringOrNull(v.environment),
    stringOrNull(v.workload),
    typeof v.streaming === "boolean" ? v.streaming : null,
    key.tagKey,
    key.tagValue,
  ];
}

/** Column-wise arrays of the keys, for UNNEST_KEYS ($2…$12). */
function keyArrays(keys: readonly DimKey[]): unknown[][] {
  const rows = keys.map(keyValues);
  return KEY_COLUMN_LIST.map((_, i) => rows.map((row) => row[i]));
}

export function dimKeyOfRow(row: DimRow): DimKey {
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
 * The rollup_dims rows that are a tag key's admitted values, `other` being the parameter holding
 * OTHER_TAG_VALUE: admitTagValues counts them against the limit, and readClosedTagAdmissions reads
 * them for the writer, which must agree with it on every value.
 */
const isAdmittedTagValue = (other: string) => `cube = 'tag' AND tag_value IS NOT NULL AND tag_value <> ${other}`;

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
      `SELECT (SELECT count(*) FROM rollup_dims WHERE project_id = $1 AND tag_key = $2 AND ${isAdmittedTagValue("$4")}) AS admitted,
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

/**
 * The values each of `tagKeys` has admitted (admitTagValues), for the keys whose admission is over:
 * as many admitted values as `limit` or more. Their admitted set can no longer change (dims are never
 * deleted, and a full key admits nothing new), so any value outside it counts as OTHER_TAG_VALUE.
 * Keys still admitting are absent.
 */
export async function readClosedTagAdmissions(
  db: Pick<pg.ClientBase, "query">,
  projectId: string,
  tagKeys: readonly string[],
  limit: number,
): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ tag_key: string; tag_values: string[] }>(
    `SELECT tag_key, array_agg(tag_value ORDER BY tag_value) AS tag_values
     FROM rollup_dims
     WHERE project_id = $1 AND tag_key = ANY($2::text[]) AND ${isAdmittedTagValue("$3")}
     GROUP BY tag_key`,
    [projectId, [...tagKeys], OTHER_TAG_VALUE],
  );
  return new Map(rows.filter((row) => row.tag_values.length >= limit).map((row) => [row.tag_key, row.tag_values]));
}
