-- The tag cube's hour and day rows also get a (project, bucket) index carrying the dimension row
-- and the count and money columns (issue 3, BENCHMARKS.md "Analytics").
--
-- A list over all of a tag's values (a month's top customers: 1,000 of them) reads the tag cube's
-- rows of a few edge hours, every dimension row's. The (project, dimension, bucket) index holds
-- them a dimension row apart, so PostgreSQL read them with one index search per dimension row
-- (1,133 searches for 4,520 rows, 19-26 ms an edge); in bucket order they lie side by side
-- (7-8 ms). The day tier is kept for ever, and there the same index sends a month's list through
-- every retained day of every dimension row; in bucket order it reads the month's days only.
-- Only the tag cube: the other cubes with many dimension rows (core, the tag pairs) are read a few
-- dimension rows at a time, by their filters, and the dimension-first index suits those reads.
-- About 190 MB more for bench:query's 830,000 hour rows of the tag cube.

CREATE INDEX rollup_hour_tag_by_bucket ON rollup_hour_tag (project_id, bucket)
  INCLUDE (dim_id, calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens,
           output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls,
           cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_day_tag_by_bucket ON rollup_day_tag (project_id, bucket)
  INCLUDE (dim_id, calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens,
           output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls,
           cache_reported_input_tokens, cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
