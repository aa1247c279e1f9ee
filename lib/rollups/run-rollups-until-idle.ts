import type pg from "pg";
import { applyRollupDeltas } from "@/lib/rollups/apply-deltas";
import { foldSealedHours } from "@/lib/rollups/fold-sealed-hours";
import type { SettingsLoader } from "@/lib/rollups/record-deltas";

/**
 * What the rollup job does over time, at once: applies every waiting delta and folds every hour
 * that `now` has sealed, until nothing is left (tests, benchmarks). Throws when another process
 * holds the rollup or fold lock, rather than return with work left.
 */
export async function runRollupsUntilIdle(
  pool: pg.Pool,
  settingsFor: SettingsLoader,
  { now = Date.now(), batchSize = 20_000 }: { now?: number; batchSize?: number } = {},
): Promise<{ deltas: number; hours: number }> {
  const done = { deltas: 0, hours: 0 };
  for (;;) {
    const applied = await applyRollupDeltas(pool, settingsFor, { batchSize, now });
    if (applied === null) throw new Error("the rollup lock is held by another process");
    done.deltas += applied.deltas;
    let hours = 0;
    if (applied.sealed.length > 0) {
      const folded = await foldSealedHours(pool, settingsFor, { now });
      if (folded === null) throw new Error("the rollup fold lock is held by another process");
      hours = folded.hours;
      done.hours += hours;
    }
    if (applied.deltas === 0 && hours === 0) return done;
  }
}
