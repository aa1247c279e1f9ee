-- The hour tier's (project, dimension, hour) index carries the count and money columns in the cubes
-- of a core dimension and a tag (issue 3, BENCHMARKS.md "Analytics"), as the day tier's does
-- (20261202181000).
--
-- A range rarely starts and ends at midnight: its partial days are read from hour rows, up to 12
-- hours a side. For one service's or model's customers that is up to 12 × 1,001 rows a side, each
-- fetched from a different page of a month's hour partition (rows are wide: three histograms):
-- 12–52 ms of a 105–139 ms list of customers' spend. With the sums in the index, a query of sums
-- reads them with an index-only scan, a dimension's hours side by side.
--
-- Kept to these seven cubes: the others have few rows an hour (and core+tag is read for its
-- histograms and minute edges), and every hour row is written once, when its hour is sealed, so
-- the wider index costs ingest little. The plain index is replaced per cube: a partitioned index
-- cannot be dropped from one partition alone.
DROP INDEX rollup_hour_by_dim;
CREATE INDEX rollup_hour_total_by_dim ON rollup_hour_total (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_service_by_dim ON rollup_hour_service (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_provider_by_dim ON rollup_hour_provider (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_model_by_dim ON rollup_hour_model (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_prompt_by_dim ON rollup_hour_prompt (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_environment_by_dim ON rollup_hour_environment (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_workload_by_dim ON rollup_hour_workload (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_streaming_by_dim ON rollup_hour_streaming (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_core_by_dim ON rollup_hour_core (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_tag_by_dim ON rollup_hour_tag (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_core_tag_by_dim ON rollup_hour_core_tag (project_id, dim_id, bucket);
CREATE INDEX rollup_hour_service_tag_by_dim ON rollup_hour_service_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_provider_tag_by_dim ON rollup_hour_provider_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_model_tag_by_dim ON rollup_hour_model_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_prompt_tag_by_dim ON rollup_hour_prompt_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_environment_tag_by_dim ON rollup_hour_environment_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_workload_tag_by_dim ON rollup_hour_workload_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
CREATE INDEX rollup_hour_streaming_tag_by_dim ON rollup_hour_streaming_tag (project_id, dim_id, bucket)
  INCLUDE (calls, errors, ttft_calls, within_budget_calls, token_calls, unknown_cost_calls, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, reasoning_tokens, cache_reported_calls, cache_reported_input_tokens,
           cache_hit_calls, cost_nano_usd, cache_savings_nano_usd);
