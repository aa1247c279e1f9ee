-- Hour and day rollups written once per closed hour (issue 3, BENCHMARKS.md "Ingest").
--
-- The rollup job used to merge every batch of deltas into the minute, hour and day tiers, reading
-- and rewriting the current hour and day rows on every run: most of the rollups' cost to ingest.
-- Now a delta of a minute at or after the project's watermark goes to the minute tier only; once
-- an hour has closed, the job adds its minute rows into the hour and day tiers in one pass and
-- moves the watermark past it (lib/rollups/watermark.ts). Queries read the hour and day tiers only
-- before the watermark and the minute tier after it (lib/analytics/plan-query.ts).
--
-- No row for a project: every hour and day row it has is complete (written before this table
-- existed); the job adds the row the first time it applies the project's deltas.
CREATE TABLE rollup_watermarks (
  project_id      uuid PRIMARY KEY,
  complete_until  timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
