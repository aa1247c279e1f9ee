-- Closed hours folded beside the rollup job instead of inside it (issue 3: rollup lag ≤ 5 s).
--
-- The job used to fold a closed hour's minute rows into the hour and day tiers inside its own
-- transaction, so for the seconds that took no delta was applied (lag peaked at 11 s with eight
-- minutes of load in the hour, BENCHMARKS.md). Now the job only seals the closed hours
-- [complete_until, sealed_until): it stops taking deltas of those minutes, which freezes their
-- minute rows, and a separate fold (lib/rollups/fold-sealed-hours.ts) adds them into the hour and
-- day tiers and moves complete_until to sealed_until in one transaction, while the job goes on
-- applying every other delta. NULL: nothing sealed.
ALTER TABLE rollup_watermarks ADD COLUMN sealed_until timestamptz;
