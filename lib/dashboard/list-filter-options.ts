import "server-only";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import { emptyFilterOptions, type FilterOptions } from "@/lib/dashboard/filter-options";
import { FILTER_DIMENSIONS, type FilterDimension, type TimeRange } from "@/lib/dashboard/view-params";

export type { FilterOptions } from "@/lib/dashboard/filter-options";

/**
 * The values the toolbar's filters offer: distinct services, models, providers, prompts,
 * environments and allocation-tag values seen in the range. Read from the newest raw spans of the
 * range, capped (SCAN_CAP), so the cost does not grow with traffic; the most frequent values come
 * first, at most VALUES_PER_FILTER of each.
 */
export const SCAN_CAP = 20_000;
export const VALUES_PER_FILTER = 100;

const COLUMN_OF: Record<FilterDimension, Prisma.Sql> = {
  service: Prisma.sql`service_name`,
  model: Prisma.sql`COALESCE(response_model, request_model)`,
  provider: Prisma.sql`provider`,
  promptName: Prisma.sql`prompt_name`,
  promptVersion: Prisma.sql`prompt_version`,
  environment: Prisma.sql`environment`,
};

const rowSchema = z.object({
  dimension: z.string(),
  value: z.string(),
  scanned: z.coerce.number(),
});

const TAG_PREFIX = "tag:";

export async function listFilterOptions(projectId: string, range: TimeRange, tagKeys: readonly string[]): Promise<FilterOptions> {
  const pairs = [
    ...FILTER_DIMENSIONS.map(({ key }) => Prisma.sql`(${key}::text, ${COLUMN_OF[key]})`),
    ...tagKeys.map((key) => Prisma.sql`(${TAG_PREFIX + key}::text, attributes ->> ${key}::text)`),
  ];
  const statement = Prisma.sql`
    WITH recent AS (
      SELECT service_name, response_model, request_model, provider, prompt_name, prompt_version, environment, attributes
      FROM spans
      WHERE project_id = ${projectId}::uuid AND start_time >= ${range.from} AND start_time < ${range.to}
      ORDER BY start_time DESC
      LIMIT ${SCAN_CAP}
    ), counted AS (
      SELECT pair.dimension, pair.value, count(*) AS uses
      FROM recent CROSS JOIN LATERAL (VALUES ${Prisma.join(pairs)}) AS pair(dimension, value)
      WHERE pair.value IS NOT NULL AND pair.value <> ''
      GROUP BY pair.dimension, pair.value
    ), ranked AS (
      SELECT dimension, value, row_number() OVER (PARTITION BY dimension ORDER BY uses DESC, value) AS rank
      FROM counted
    )
    SELECT dimension, value, (SELECT count(*) FROM recent) AS scanned
    FROM ranked WHERE rank <= ${VALUES_PER_FILTER}
    ORDER BY dimension, value`;
  const { rows } = await getPool().query(statement.text, statement.values);
  const parsed = rows.map((row) => rowSchema.parse(row));

  const options = emptyFilterOptions(tagKeys);
  for (const row of parsed) {
    if (row.dimension.startsWith(TAG_PREFIX)) options.tags.find((tag) => tag.key === row.dimension.slice(TAG_PREFIX.length))?.values.push(row.value);
    else options.dimensions[row.dimension as FilterDimension]?.push(row.value);
  }
  options.isCapped = (parsed[0]?.scanned ?? 0) >= SCAN_CAP;
  return options;
}
