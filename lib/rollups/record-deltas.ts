import type pg from "pg";
import type { InsertedSpan } from "@/lib/ingest/writer";
import type { SpanRow } from "@/lib/ingest/types";
import { addCall, emptyMetrics, metricArrays, metricUnnestList, METRIC_COLUMNS, type RollupMetrics } from "@/lib/rollups/metrics";
import { tagValueOf } from "@/lib/rollups/tags";
import { MINUTE_MS } from "@/lib/rollups/time-buckets";
import { ttftBudgetFor, type ProjectSettings } from "@/lib/settings/project-settings";

/**
 * The writer's commit hook (SpanWriter.onCommitTransaction): inside the transaction that inserted
 * the spans, the new LLM calls are added up per (project, minute, dimension values, tag values) and
 * written to rollup_deltas. Only rows the INSERT reported as new reach the hook, so a redelivered
 * span is never counted twice, and the deltas commit or roll back with their spans. The rollup job
 * (apply-deltas.ts) folds them into the tiers within seconds.
 */
export type SettingsLoader = (projectId: string) => Promise<ProjectSettings>;

export interface Delta {
  projectId: string;
  minuteMs: number;
  service: string;
  provider: string | null;
  model: string | null;
  promptName: string | null;
  promptVersion: string | null;
  environment: string | null;
  workload: string | null;
  streaming: boolean | null;
  /** Each configured tag key → the call's value (not yet mapped to "other"), or null. */
  tags: Record<string, string | null>;
  metrics: RollupMetrics;
}

export function createRollupDeltaHook(settingsFor: SettingsLoader) {
  return async (client: pg.ClientBase, inserted: readonly InsertedSpan[]): Promise<void> => {
    const deltas = await aggregateDeltas(inserted, settingsFor);
    if (deltas.length > 0) await insertDeltas(client, deltas);
  };
}

export async function aggregateDeltas(inserted: readonly InsertedSpan[], settingsFor: SettingsLoader): Promise<Delta[]> {
  const settings = new Map<string, ProjectSettings>();
  for (const { projectId, row } of inserted) {
    if (row.isLlm && !settings.has(projectId)) settings.set(projectId, await settingsFor(projectId));
  }
  const deltas = new Map<string, Delta>();
  for (const { projectId, row } of inserted) {
    if (!row.isLlm) continue;
    const projectSettings = settings.get(projectId)!;
    const delta = deltaFor(deltas, projectId, row, projectSettings.allocationTagKeys);
    addCall(delta.metrics, row, ttftBudgetFor(projectSettings, row.serviceName));
  }
  return [...deltas.values()];
}

function deltaFor(deltas: Map<string, Delta>, projectId: string, row: SpanRow, tagKeys: readonly string[]): Delta {
  const minuteMs = Math.floor(Number(row.startTimeUnixNano / 1_000_000n) / MINUTE_MS) * MINUTE_MS;
  const model = row.responseModel ?? row.requestModel;
  // The identity as one string (a separator no label contains; null and "" kept apart): this runs
  // for every stored LLM call, inside the writer's transaction.
  let id = `${projectId}\u0001${minuteMs}\u0001${row.serviceName}\u0001${identityPart(row.provider)}\u0001${identityPart(model)}\u0001${identityPart(row.promptName)}\u0001${identityPart(row.promptVersion)}\u0001${identityPart(row.environment)}\u0001${identityPart(row.workload)}\u0001${row.streaming}`;
  const tags: Record<string, string | null> = {};
  for (const key of tagKeys) {
    const value = tagValueOf(row, key);
    tags[key] = value;
    id += `\u0001${identityPart(value)}`;
  }
  let delta = deltas.get(id);
  if (!delta) {
    delta = {
      projectId,
      minuteMs,
      service: row.serviceName,
      provider: row.provider,
      model,
      promptName: row.promptName,
      promptVersion: row.promptVersion,
      environment: row.environment,
      workload: row.workload,
      streaming: row.streaming,
      tags,
      metrics: emptyMetrics(),
    };
    deltas.set(id, delta);
  }
  return delta;
}

/** A nullable label inside a delta identity string: null and "" kept apart. */
export function identityPart(value: string | null): string {
  return value === null ? "\u0002" : value;
}

const DIMENSION_COLUMNS =
  "project_id, minute, service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming, tags";

const INSERT_DELTAS_SQL = `
INSERT INTO rollup_deltas (${DIMENSION_COLUMNS}, ${METRIC_COLUMNS.join(", ")})
SELECT unnest($1::uuid[]), unnest($2::timestamptz[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
       unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::bool[]),
       unnest($11::jsonb[]), ${metricUnnestList(12)}`;

export async function insertDeltas(client: pg.ClientBase, deltas: readonly Delta[]): Promise<void> {
  await client.query(INSERT_DELTAS_SQL, [
    deltas.map((d) => d.projectId),
    deltas.map((d) => new Date(d.minuteMs).toISOString()),
    deltas.map((d) => d.service),
    deltas.map((d) => d.provider),
    deltas.map((d) => d.model),
    deltas.map((d) => d.promptName),
    deltas.map((d) => d.promptVersion),
    deltas.map((d) => d.environment),
    deltas.map((d) => d.workload),
    deltas.map((d) => d.streaming),
    deltas.map((d) => JSON.stringify(d.tags)),
    ...metricArrays(deltas.map((d) => d.metrics)),
  ]);
}
