import { Prisma } from "@/lib/generated/prisma/client";
import { aggregateSql, spanMetricSql, type BudgetSettings } from "@/lib/analytics/span-metrics-sql";
import { METRIC_COLUMNS, type RollupMetrics } from "@/lib/rollups/metrics";
import { tagValueSql } from "@/lib/rollups/tags";
import type { InsertExtension } from "@/lib/ingest/writer";
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
 */
export function recordRollupDeltas(settingsFor: SettingsLoader): InsertExtension {
  const statementFor = async (projectIds: readonly string[]): Promise<Prisma.Sql> => {
    const selects = await Promise.all(
      projectIds.map(async (projectId) => {
        const settings = await settingsFor(projectId);
        return Prisma.sql`
          SELECT s.project_id, date_bin('1 minute', s.start_time, timestamptz '2000-01-01 00:00:00+00'), s.service_name,
                 s.provider, COALESCE(s.response_model, s.request_model), s.prompt_name, s.prompt_version, s.environment,
                 s.workload, s.streaming, ${deltaTagsSql(settings.allocationTagKeys)}, ${deltaMetricsSql(settings)}
          FROM inserted s
          WHERE s.is_llm AND s.project_id = ${projectId}::uuid
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`;
      }),
    );
    return Prisma.sql`INSERT INTO rollup_deltas (${Prisma.raw(DIMENSION_COLUMNS)}, ${Prisma.raw(METRIC_COLUMNS.join(", "))})
      ${Prisma.join(selects, " UNION ALL ")}`;
  };
  return { returned: DELTA_SOURCE_COLUMNS, statementFor };
}

/** The spans' columns the deltas read (the span INSERT returns them for recordRollupDeltas). */
export const DELTA_SOURCE_COLUMNS = [
  "is_llm", "service_name", "provider", "response_model", "request_model", "prompt_name", "prompt_version", "environment",
  "workload", "streaming", "status", "ttft_ms", "duration_ms", "input_tokens", "output_tokens", "cache_read_tokens",
  "cache_write_tokens", "reasoning_tokens", "cost_nano_usd", "cache_savings_nano_usd", "attributes", "user_id", "session_id",
] as const;

/** A delta's tags over spans `s`: each configured key → the span's value (not yet mapped to "other"), or null. */
export function deltaTagsSql(tagKeys: readonly string[]): Prisma.Sql {
  return tagKeys.length === 0
    ? Prisma.sql`'{}'::jsonb`
    : Prisma.sql`jsonb_build_object(${Prisma.join(tagKeys.map((key) => Prisma.sql`${key}::text, ${tagValueSql(key)}`))})`;
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
