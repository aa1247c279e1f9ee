-- The delta queue is vacuumed without giving its empty end pages back to the file system (issue 3,
-- BENCHMARKS.md "Ingest").
--
-- The queue is filled by every writer transaction and emptied by every run of the rollup job, so
-- after a run its last pages are empty and each vacuum (the job's, every 2 s, and autovacuum's)
-- tried to truncate them. Truncating takes an ACCESS EXCLUSIVE lock on the table: the vacuum retried
-- for it while writers kept inserting (938 ms a vacuum, a quarter of PostgreSQL's time under
-- bench:ingest) and, once it had it, held up the span INSERT whose deltas go to this table. The
-- pages are about to be filled again anyway.
ALTER TABLE rollup_deltas SET (vacuum_truncate = false);
