-- Sous initial schema. Invariants are documented in lib/README.md.
-- Every large table is keyed by project first so it can later be distributed by project (Citus).

CREATE TABLE projects (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  slug        text NOT NULL UNIQUE,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX projects_one_default ON projects (is_default) WHERE is_default;

-- Per-project settings; a NULL column means "use the environment/built-in default" (lib/settings).
CREATE TABLE project_settings (
  project_id            uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  retention_days        integer,
  allocation_tag_keys   text[],
  allocation_tag_limit  integer,
  ttft_budget_ms        integer,
  service_ttft_budgets  jsonb,
  time_zone             text,
  workload_attribute    text,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored only as SHA-256 hashes (keys are 256-bit random, so a slow hash adds nothing).
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id    uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name          text NOT NULL,
  key_prefix    text NOT NULL,
  key_hash      text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_keys_project ON api_keys (project_id);

-- Passwords are stored as scrypt hashes ("scrypt$N$r$p$salt$hash").
CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_members (
  project_id  uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, user_id)
);

-- Dated price list, USD per 1M tokens. project_id NULL = the seeded global list; a project row
-- overrides a global row for the same provider and pattern. The newest effective_from <= call day wins.
CREATE TABLE prices (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id             uuid REFERENCES projects(id) ON DELETE CASCADE,
  provider               text NOT NULL,
  model_pattern          text NOT NULL,
  input_usd_per_mtok     numeric(14, 6) NOT NULL,
  cache_read_usd_per_mtok      numeric(14, 6),
  cache_write_5m_usd_per_mtok  numeric(14, 6),
  cache_write_1h_usd_per_mtok  numeric(14, 6),
  output_usd_per_mtok    numeric(14, 6) NOT NULL,
  effective_from         date NOT NULL,
  source                 text NOT NULL,
  checked_at             date NOT NULL,
  notes                  text,
  created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX prices_identity ON prices (COALESCE(project_id, '00000000-0000-0000-0000-000000000000'::uuid), provider, model_pattern, effective_from);

-- All spans, LLM calls and others, partitioned by day of start_time (UTC).
-- Idempotency key: (project_id, start_time, trace_id, span_id); start_time is the partition column.
-- LLM columns are NULL for non-LLM spans; a NULL fact means "not reported", never 0.
CREATE TABLE spans (
  project_id          uuid NOT NULL,
  start_time          timestamptz NOT NULL,
  trace_id            bytea NOT NULL,
  span_id             bytea NOT NULL,
  parent_span_id      bytea,
  end_time            timestamptz NOT NULL,
  duration_ms         double precision NOT NULL,
  service_name        text NOT NULL,
  environment         text,
  name                text NOT NULL,
  kind                smallint NOT NULL,
  scope_name          text,
  status              text NOT NULL,
  error_type          text,
  is_llm              boolean NOT NULL,
  operation           text,
  provider            text,
  request_model       text,
  response_model      text,
  finish_reason       text,
  streaming           boolean,
  ttft_ms             double precision,
  input_tokens        bigint,
  output_tokens       bigint,
  cache_read_tokens   bigint,
  cache_write_tokens  bigint,
  reasoning_tokens    bigint,
  cost_nano_usd       bigint,
  cost_source         text,
  prompt_name         text,
  prompt_version      text,
  prompt_prefix_hash  text,
  user_id             text,
  session_id          text,
  workload            text,
  attributes          jsonb NOT NULL,
  events              jsonb,
  received_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, start_time, trace_id, span_id)
) PARTITION BY RANGE (start_time);
CREATE INDEX spans_llm_recent ON spans (project_id, start_time DESC) WHERE is_llm;
CREATE INDEX spans_trace ON spans (project_id, trace_id);

-- Captured prompt/response content, stored apart from the span and capped in size.
CREATE TABLE span_contents (
  project_id      uuid NOT NULL,
  start_time      timestamptz NOT NULL,
  trace_id        bytea NOT NULL,
  span_id         bytea NOT NULL,
  system_prompt   text,
  input_messages  jsonb,
  output_messages jsonb,
  is_truncated    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (project_id, start_time, trace_id, span_id)
) PARTITION BY RANGE (start_time);

-- Ingest self-observability: accepted/rejected span counts per project, service and reason.
-- reason '' is the accepted row; the last rejection message is kept so users can see it here.
CREATE TABLE ingest_stats (
  project_id      uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  service_name    text NOT NULL,
  reason          text NOT NULL,
  span_count      bigint NOT NULL DEFAULT 0,
  last_message    text,
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, service_name, reason)
);
