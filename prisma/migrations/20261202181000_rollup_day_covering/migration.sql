-- The day tier's (project, dimension, day) index carries the count and money columns (issue 3,
-- BENCHMARKS.md "Analytics").
--
-- A 30-day list of customers' spend for one model reads ~30,000 day rows of one cube partition
-- (1,001 dimension rows × 30 days) out of every tag key's and model's rows there. The rows are
-- wide (three histograms), so PostgreSQL scanned the whole partition rather than fetch them one
-- by one (~80 ms). With the sums in the index, a query of sums only (counts, tokens, money) reads
-- them with an index-only scan, a dimension's days side by side. Histograms still come from the
-- table. Kept to the day tier: it is small (a row per dimension and day) and rewritten only once an
-- hour; the hour tier is 8 times larger.

CREATE INDEX rollup_day_by_dim_covering ON rollup_day (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
DROP INDEX rollup_day_by_dim;
ALTER INDEX rollup_day_by_dim_covering RENAME TO rollup_day_by_dim;
