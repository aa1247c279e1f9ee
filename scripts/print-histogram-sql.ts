/**
 * Prints the SQL twin of lib/analytics/histogram.ts's bucket function, with the boundaries as
 * literal doubles (JavaScript prints each as the shortest text that reads back to the same double,
 * and PostgreSQL reads it back exactly), for a migration:
 *   npx tsx scripts/print-histogram-sql.ts
 */
import { HISTOGRAM_BOUNDARIES, HISTOGRAM_TOP_BUCKET } from "@/lib/analytics/histogram";

const literal = `{${Array.from(HISTOGRAM_BOUNDARIES, (value) => String(value)).join(",")}}`;
// Not STRICT, so PostgreSQL can inline it into queries (about 10× faster over millions of rows).
process.stdout.write(`-- The histogram bucket of a value in ms (see lib/analytics/histogram.ts, which must agree).
CREATE FUNCTION sous_hist_bucket(ms double precision) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (CASE WHEN ms IS NULL THEN NULL WHEN ms <= 0 THEN 0
               ELSE greatest(1, least(${HISTOGRAM_TOP_BUCKET}, width_bucket(ms, '${literal}'::double precision[]))) END)::smallint;
`);
