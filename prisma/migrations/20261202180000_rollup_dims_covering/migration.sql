-- The dimension rows' identity index carries dim_id (issue 3, BENCHMARKS.md "Analytics").
--
-- A query joins the tier rows it reads to the dimension rows its filters and tag key select: a
-- 7-day top-customers list for one model looks up ~11,600 core+tag rows for its minute edges. The
-- identity index holds every column those conditions and the groups use, but not dim_id, so each
-- lookup also read the rows from the table (1,594 pages, 18 of the query's ~75 ms in PostgreSQL).
-- With dim_id included the lookups are index-only scans. The index is still the arbiter of the
-- dimension upserts (lib/rollups/dimensions.ts): INCLUDE columns are not part of its key.

CREATE UNIQUE INDEX rollup_dims_identity_covering ON rollup_dims
  (project_id, cube, service_name, provider, model, prompt_name, prompt_version, environment, workload, streaming, tag_key, tag_value)
  INCLUDE (dim_id)
  NULLS NOT DISTINCT;
DROP INDEX rollup_dims_identity;
ALTER INDEX rollup_dims_identity_covering RENAME TO rollup_dims_identity;
