-- What prompt caching saved on each LLM call (nano-USD, exact), settled at ingest with its cost:
-- cache reads priced against full input price, net of cache-write premiums. NULL when the call has
-- no price or did not report cache use. Rollups sum it; raw-span queries read it directly.
ALTER TABLE spans ADD COLUMN cache_savings_nano_usd bigint;
