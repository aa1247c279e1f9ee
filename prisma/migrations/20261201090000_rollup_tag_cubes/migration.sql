-- Analytics queries at 10M calls (issue 3, npm run bench:query; BENCHMARKS.md).
--
-- 1. Single-dimension tag cubes (lib/rollups/cubes.ts): service+tag, provider+tag, model+tag,
--    prompt+tag, environment+tag, workload+tag, streaming+tag, in the hour and day tiers (minutes
--    are read from core+tag). The rollup writer fills them from now on; this backfills the rows
--    already in those tiers from the core+tag cube, which holds every core dimension with the tag:
--    a new cube's row is the sum of the core+tag rows with its dimension and tag values in the same
--    bucket. Histograms are concatenated (a concatenation of encodings is a valid histogram,
--    lib/analytics/histogram.ts).
-- 2. Indexes for the query layer (lib/analytics/compile-query.ts): a query reads one cube's rows for
--    a range of buckets. The primary keys lead with the bucket, so a cube's rows had to be picked
--    out of every cube's rows in the range; (project_id, dim_id, bucket) reads each dimension row's
--    buckets directly. rollup_dims is looked up by cube and tag without scanning the whole table.
--    Plain CREATE INDEX (partitioned tables take no CONCURRENTLY): the rollup job waits while they
--    build; ingest does not (its deltas queue in rollup_deltas).

DO $$
DECLARE
  spec record;
  tier text;
  slot record;
  match_columns text;
  counts text := 'calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, '
    'output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, '
    'cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd';
  sums text;
BEGIN
  SELECT string_agg(format('sum(r.%1$I)', column_name), ', ') INTO sums
  FROM unnest(string_to_array(replace(counts, ' ', ''), ',')) AS column_name;
  -- Each core+tag dimension row → its row in each new cube.
  CREATE TEMP TABLE cube_map (project_id uuid, cube text, source_id integer, target_id integer) ON COMMIT DROP;
  FOR spec IN
    SELECT * FROM (VALUES
      ('service+tag', ARRAY['service_name']),
      ('provider+tag', ARRAY['provider']),
      ('model+tag', ARRAY['model']),
      ('prompt+tag', ARRAY['prompt_name', 'prompt_version']),
      ('environment+tag', ARRAY['environment']),
      ('workload+tag', ARRAY['workload']),
      ('streaming+tag', ARRAY['streaming'])
    ) AS s(cube, columns)
  LOOP
    EXECUTE format(
      'INSERT INTO rollup_dims (project_id, cube, %1$s, tag_key, tag_value)
       SELECT DISTINCT project_id, %2$L, %1$s, tag_key, tag_value FROM rollup_dims WHERE cube = ''core+tag''
       ON CONFLICT DO NOTHING',
      array_to_string(spec.columns, ', '), spec.cube);
    -- NULL matches NULL; written as equalities so that the join can hash.
    SELECT string_agg(format('(n.%1$I IS NULL) = (s.%1$I IS NULL) AND coalesce(n.%1$I::text, '''') = coalesce(s.%1$I::text, '''')', c), ' AND ')
    INTO match_columns
    FROM unnest(spec.columns || ARRAY['tag_value']) AS c;
    EXECUTE format(
      'INSERT INTO cube_map
       SELECT s.project_id, %1$L, s.dim_id, n.dim_id
       FROM rollup_dims s
       JOIN rollup_dims n ON n.project_id = s.project_id AND n.cube = %1$L AND n.tag_key = s.tag_key AND %2$s
       WHERE s.cube = ''core+tag''',
      spec.cube, match_columns);
  END LOOP;
  CREATE INDEX ON cube_map (project_id, source_id, cube);
  ANALYZE cube_map;
  -- One bucket and one cube at a time: each aggregation is small and stays in memory.
  FOREACH tier IN ARRAY ARRAY['rollup_hour', 'rollup_day'] LOOP
    FOR slot IN EXECUTE format(
      'SELECT b.project_id, b.bucket, c.cube FROM (SELECT DISTINCT project_id, bucket FROM %I) b
       CROSS JOIN (SELECT DISTINCT cube FROM cube_map) c', tier)
    LOOP
      EXECUTE format(
        'INSERT INTO %1$I (project_id, bucket, dim_id, %2$s, ttft_hist, ttft_cache_hit_hist, duration_hist)
         SELECT r.project_id, r.bucket, m.target_id, %3$s,
                string_agg(r.ttft_hist, ''''::bytea), string_agg(r.ttft_cache_hit_hist, ''''::bytea),
                string_agg(r.duration_hist, ''''::bytea)
         FROM %1$I r JOIN cube_map m ON m.project_id = r.project_id AND m.source_id = r.dim_id AND m.cube = $3
         WHERE r.project_id = $1 AND r.bucket = $2
         GROUP BY r.project_id, r.bucket, m.target_id',
        tier, counts, sums)
      USING slot.project_id, slot.bucket, slot.cube;
    END LOOP;
  END LOOP;
END $$;

CREATE INDEX rollup_minute_by_dim ON rollup_minute (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_by_dim ON rollup_hour (project_id, dim_id, bucket);
CREATE INDEX rollup_day_by_dim ON rollup_day (project_id, dim_id, bucket);
CREATE INDEX rollup_dims_by_tag ON rollup_dims (project_id, cube, tag_key, tag_value);
