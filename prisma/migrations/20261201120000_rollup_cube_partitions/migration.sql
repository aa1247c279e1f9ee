-- Rollup tiers partitioned by cube (lib/rollups/cubes.ts; issue 3, BENCHMARKS.md "Analytics").
--
-- A query reads one cube's rows, but every call writes a row in every cube of its bucket, so the
-- rows of a small cube (the total, one dimension, one tag) were spread over the pages of the large
-- ones (core+tag: close to one row per call and tag key): a 30-day breakdown by customer touched
-- ~16,000 pages for ~30,000 rows, read from disk once the tiers outgrew the page cache. Each tier
-- is now LIST-partitioned by a `cube` code, and the minute and hour cube partitions by time below
-- that (rollup_minute_<cube>_pYYYYMMDD, rollup_hour_<cube>_pYYYYMM; lib/rollups/rollup-partitions.ts
-- creates them as buckets arrive and retention drops them), so a cube's rows sit together, its
-- indexes hold only its rows, and the planner's statistics are per cube.
--
-- The rows already written move into the new tables, ordered by bucket, cube, tag key and
-- dimension row, so each cube's rows of a bucket share pages from the start.

ALTER TABLE rollup_minute RENAME TO rollup_minute_unsplit;
ALTER TABLE rollup_hour RENAME TO rollup_hour_unsplit;
ALTER TABLE rollup_day RENAME TO rollup_day_unsplit;
ALTER INDEX rollup_minute_pkey RENAME TO rollup_minute_unsplit_pkey;
ALTER INDEX rollup_hour_pkey RENAME TO rollup_hour_unsplit_pkey;
ALTER INDEX rollup_day_pkey RENAME TO rollup_day_unsplit_pkey;
ALTER INDEX rollup_minute_by_dim RENAME TO rollup_minute_unsplit_by_dim;
ALTER INDEX rollup_hour_by_dim RENAME TO rollup_hour_unsplit_by_dim;
ALTER INDEX rollup_day_by_dim RENAME TO rollup_day_unsplit_by_dim;

-- code, name, in the minute tier: must match CUBES in lib/rollups/cubes.ts (a test checks).
CREATE TEMP TABLE cube_codes (code smallint, name text, slug text, in_minute boolean) ON COMMIT DROP;
INSERT INTO cube_codes VALUES
  (0, 'total', 'total', true), (1, 'service', 'service', true), (2, 'provider', 'provider', true),
  (3, 'model', 'model', true), (4, 'prompt', 'prompt', true), (5, 'environment', 'environment', true),
  (6, 'workload', 'workload', true), (7, 'streaming', 'streaming', true), (8, 'core', 'core', true),
  (9, 'tag', 'tag', true), (10, 'service+tag', 'service_tag', false), (11, 'provider+tag', 'provider_tag', false),
  (12, 'model+tag', 'model_tag', false), (13, 'prompt+tag', 'prompt_tag', false),
  (14, 'environment+tag', 'environment_tag', false), (15, 'workload+tag', 'workload_tag', false),
  (16, 'streaming+tag', 'streaming_tag', false), (17, 'core+tag', 'core_tag', true);

CREATE TABLE rollup_minute (LIKE rollup_minute_unsplit INCLUDING DEFAULTS, cube smallint NOT NULL) PARTITION BY LIST (cube);
CREATE TABLE rollup_hour (LIKE rollup_minute_unsplit INCLUDING DEFAULTS, cube smallint NOT NULL) PARTITION BY LIST (cube);
CREATE TABLE rollup_day (LIKE rollup_minute_unsplit INCLUDING DEFAULTS, cube smallint NOT NULL) PARTITION BY LIST (cube);
ALTER TABLE rollup_minute ADD PRIMARY KEY (project_id, bucket, dim_id, cube);
ALTER TABLE rollup_hour ADD PRIMARY KEY (project_id, bucket, dim_id, cube);
ALTER TABLE rollup_day ADD PRIMARY KEY (project_id, bucket, dim_id, cube);
CREATE INDEX rollup_minute_by_dim ON rollup_minute (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_by_dim ON rollup_hour (project_id, dim_id, bucket);
CREATE INDEX rollup_day_by_dim ON rollup_day (project_id, dim_id, bucket);

DO $$
DECLARE
  c record;
  period record;
BEGIN
  FOR c IN SELECT * FROM cube_codes ORDER BY code LOOP
    IF c.in_minute THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF rollup_minute FOR VALUES IN (%s) PARTITION BY RANGE (bucket)',
                     'rollup_minute_' || c.slug, c.code);
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF rollup_hour FOR VALUES IN (%s) PARTITION BY RANGE (bucket)',
                   'rollup_hour_' || c.slug, c.code);
    EXECUTE format('CREATE TABLE %I PARTITION OF rollup_day FOR VALUES IN (%s)', 'rollup_day_' || c.slug, c.code);
  END LOOP;
  -- The time partitions the old tiers had, for every cube of the tier (same periods, same bounds).
  FOR period IN
    SELECT p.relname AS name, replace(parent.relname, '_unsplit', '') AS tier, pg_get_expr(p.relpartbound, p.oid) AS bound
    FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
    WHERE parent.relname IN ('rollup_minute_unsplit', 'rollup_hour_unsplit')
  LOOP
    FOR c IN SELECT * FROM cube_codes WHERE in_minute OR period.tier = 'rollup_hour' LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I %s',
                     period.tier || '_' || c.slug || substring(period.name FROM '_p[0-9]+$'), period.tier || '_' || c.slug, period.bound);
    END LOOP;
  END LOOP;
END $$;

INSERT INTO rollup_minute
SELECT r.*, c.code FROM rollup_minute_unsplit r
JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id JOIN cube_codes c ON c.name = d.cube
ORDER BY r.bucket, c.code, d.tag_key, r.dim_id;
INSERT INTO rollup_hour
SELECT r.*, c.code FROM rollup_hour_unsplit r
JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id JOIN cube_codes c ON c.name = d.cube
ORDER BY r.bucket, c.code, d.tag_key, r.dim_id;
INSERT INTO rollup_day
SELECT r.*, c.code FROM rollup_day_unsplit r
JOIN rollup_dims d ON d.project_id = r.project_id AND d.dim_id = r.dim_id JOIN cube_codes c ON c.name = d.cube
ORDER BY r.bucket, c.code, d.tag_key, r.dim_id;

DROP TABLE rollup_minute_unsplit, rollup_hour_unsplit, rollup_day_unsplit;
