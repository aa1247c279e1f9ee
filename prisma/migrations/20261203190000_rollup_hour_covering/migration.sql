-- The hour tier's (project, dimension, hour) index carries the count and money columns too, as
-- the day tier's does (issue 3, BENCHMARKS.md "Analytics").
--
-- A 7-day hourly breakdown for one team (cache use by model, spend by service) reads ~1,300 hour
-- rows of a tag cube: 168 per dimension row. The table holds an hour's rows together (the fold
-- writes them hour by hour), so each of those rows was on a page of its own: ~1,000 pages read,
-- mostly from disk, for a query of sums. In the index a dimension's hours lie side by side, and
-- a query of sums only reads them with an index-only scan, a few pages per dimension row; the
-- edges of lists (top customers) read their hours so too. Histograms still come from the table.
-- The index is larger (about 4 GB more for bench:query's 31.7 million hour rows) and a late delta
-- to a sealed hour's row now updates it too; the hour tier is written once an hour.

CREATE INDEX rollup_hour_by_dim_covering ON rollup_hour (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
DROP INDEX rollup_hour_by_dim;
ALTER INDEX rollup_hour_by_dim_covering RENAME TO rollup_hour_by_dim;
