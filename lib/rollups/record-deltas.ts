import { Prisma } from "@/lib/generated/prisma/client";
import { aggregateSql, spanMetricSql, type BudgetSettings } from "@/lib/analytics/span-metrics-sql";
import { METRIC_COLUMNS, type RollupMetrics } from "@/lib/rollups/metrics";
import { readClosedTagAdmissions } from "@/lib/rollups/dimensions";
import { admittedTagValueSql, tagValueSql } from "@/lib/rollups/tags";
import type { InsertExtensionSql } from "@/lib/ingest/insert-spans";
import type { InsertExtension } from "@/lib/ingest/writer";
import type { Queryable } from "@/lib/projects/queryable";
import type { ProjectSettings } from "@/lib/settings/project-settings";

/** Rollup deltas: new LLM calls added up per (project, minute, dimension values, tag values). */
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

/**
 * The writer's insert extension (SpanWriter.extendInsert): a statement run inside the span INSERT
 * itself, over exactly the rows it inserted (`inserted`, aliased s), that adds the new LLM calls up
 * per project, minute, dimension values and tag values into rollup_deltas. A redelivered span is not
 * inserted, so it is never counted twice, and the deltas commit or roll back with their spans.
 * Done in SQL, in the same statement, it costs the writer neither a round trip nor the JavaScript
 * that added the calls up and encoded them (a fifth of the web app's CPU under bench:ingest:
 * BENCHMARKS.md). The rollup job (apply-deltas.ts) folds them into the tiers within seconds.
 *
 * The group commit waits for this statement, so it does as little per span as it can:
 * - each tag value is read once, by the INSERT's RETURNING (the spans' attributes are not copied
 *   into `inserted`), and the tags' JSON is built once per delta, not per span;
 * - a tag key whose admission is over (readClosedTagAdmissions) has its values beyond the admitted
 *   ones counted as OTHER_TAG_VALUE here, as the fold would: with a 1,000-value customer tag, the
 *   calls of a transaction then share far fewer deltas (fewer rows to write, take and fold).
 */
export function recordRollupDeltas(settingsFor: SettingsLoader): InsertExtension {
  const admissions = new ClosedAdmissionCache();
  const statementFor = async (projectIds: readonly string[], db: Queryable): Promise<InsertExtensionSql> => {
    const projects = await Promise.all(
      projectIds.map(async (projectId) => {
        const settings = await settingsFor(projectId);
        return { projectId, settings, closed: await admissions.get(db, projectId, settings.allocationTagKeys, settings.allocationTagLimit) };
      }),
    );
    // One returned column per tag key of the group's projects: delta_tag_<i>.
    const tagKeys = [...new Set(projects.flatMap(({ settings }) => settings.allocationTagKeys))];
    const tagColumn = (key: string) => `delta_tag_${tagKeys.indexOf(key)}`;
    const returning = Prisma.join([
      Prisma.raw(DELTA_SOURCE_COLUMNS.join(", ")),
      ...tagKeys.map((key) => Prisma.sql`${tagValueSql(key, "spans")} AS ${Prisma.raw(tagColumn(key))}`),
    ]);
    const selects = projects.map(({ projectId, settings, closed }) => {
      const keys = settings.allocationTagKeys;
      const mapped = keys.map((key, i) => {
        const value = Prisma.raw(`s.${tagColumn(key)}`);
        const admitted = closed.get(key);
        const tag = admitted ? admittedTagValueSql(value, admitted) : value;
        return Prisma.sql`${tag} AS ${Prisma.raw(`mapped_tag_${i}`)}`;
      });
      const tags = deltaTagsSql(keys, (_, i) => Prisma.raw(`s.mapped_tag_${i}`));
      return Prisma.sql`
        SELECT s.project_id, date_bin('1 minute', s.start_time, timestamptz '2000-01-01 00:00:00+00'), s.service_name,
               s.provider, COALESCE(s.response_model, s.request_model), s.prompt_name, s.prompt_version, s.environment,
               s.workload, s.streaming, ${tags}, ${deltaMetricsSql(settings)}
        FROM (SELECT s.*${mapped.length > 0 ? Prisma.sql`, ${Prisma.join(mapped)}` : Prisma.empty} FROM inserted s
              WHERE s.is_llm AND s.project_id = ${projectId}::uuid) s
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10${Prisma.raw(keys.map((_, i) => `, s.mapped_tag_${i}`).join(""))}`;
    });
    return {
      returning,
      statement: Prisma.sql`INSERT INTO rollup_deltas (${Prisma.raw(DIMENSION_COLUMNS)}, ${Prisma.raw(METRIC_COLUMNS.join(", "))})
        ${Prisma.join(selects, " UNION ALL ")}`,
    };
  };
  return { statementFor };
}

/** How long a key still admitting values is taken as such before its admission is read again. */
const OPEN_ADMISSION_RECHECK_MS = 10_000;

/**
 * readClosedTagAdmissions per project, kept: a closed key's admitted set never changes (for the
 * same limit), and a key still admitting is read again after OPEN_ADMISSION_RECHECK_MS. Until then
 * its values go into the deltas as they are, which is always right (the fold maps them): only a
 * little less compact.
 */
class ClosedAdmissionCache {
  private readonly entries = new Map<string, { closed: Map<string, string[]>; keys: string; readAt: number }>();

  async get(db: Queryable, projectId: string, tagKeys: readonly string[], limit: number): Promise<Map<string, string[]>> {
    const id = `${projectId}|${limit}`;
    const keys = tagKeys.join("\u0000");
    const entry = this.entries.get(id);
    const isCurrent = entry && entry.keys === keys && (entry.closed.size === tagKeys.length || Date.now() - entry.readAt < OPEN_ADMISSION_RECHECK_MS);
    if (isCurrent) return entry.closed;
    const closed = tagKeys.length === 0 ? new Map<string, string[]>() : await readClosedTagAdmissions(db, projectId, tagKeys, limit);
    this.entries.set(id, { closed, keys, readAt: Date.now() });
    return closed;
  }
}

/** The spans' columns the deltas read (the span INSERT returns them, and each tag's value). */
export const DELTA_SOURCE_COLUMNS = [
  "is_llm", "service_name", "provider", "response_model", "request_model", "prompt_name", "prompt_version", "environment",
  "workload", "streaming", "status", "ttft_ms", "duration_ms", "input_tokens", "output_tokens", "cache_read_tokens",
  "cache_write_tokens", "reasoning_tokens", "cost_nano_usd", "cache_savings_nano_usd",
] as const;

/**
 * A delta's tags: each configured key → `valueOf` it, by default the value of spans `s` (not yet
 * mapped to "other"), or null.
 */
export function deltaTagsSql(
  tagKeys: readonly string[],
  valueOf: (key: string, index: number) => Prisma.Sql = (key) => tagValueSql(key),
): Prisma.Sql {
  return tagKeys.length === 0
    ? Prisma.sql`'{}'::jsonb`
    : Prisma.sql`jsonb_build_object(${Prisma.join(tagKeys.map((key, i) => Prisma.sql`${key}::text, ${valueOf(key, i)}`))})`;
}

/** A delta's metric columns (METRIC_COLUMNS order) added up over spans `s` (addCall, in SQL). */
export function deltaMetricsSql(settings: BudgetSettings): Prisma.Sql {
  const perSpan = spanMetricSql(settings);
  return Prisma.join(METRIC_COLUMNS.map((column) => Prisma.sql`${aggregateSql(column, perSpan[column])} AS ${Prisma.raw(column)}`));
}

/** A nullable label inside a delta identity string: null and "" kept apart. */
export function identityPart(value: string | null): string {
  return value === null ? "\u0002" : value;
}

const DIMENSION_COLUMNS =
  "project_id, minute, service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming, tags";
