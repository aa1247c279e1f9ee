import type pg from "pg";
import { cubeCode } from "@/lib/rollups/cubes";
import { quantiles, round } from "./format";

/**
 * Rollup lag during the load (issue 3: rollups lag ingest by ≤ 5 s): once a second, the age of the
 * oldest delta the rollup job has not folded yet (the same figure /api/health reports), and
 * whether the rollups counted exactly the run's calls: the total cube's calls over the run's
 * minutes, before the load and after the job drained, differ by the spans the run stored.
 */
export interface RollupLagResult {
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** From the end of the load until no delta waited. */
  drainSeconds: number;
  callsCounted: number;
}

export class RollupLagSampler {
  private readonly lags: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private isSampling = false;
  private callsBefore = 0n;

  constructor(
    private readonly pool: pg.Pool,
    private readonly projectId: string,
    private readonly from: Date,
  ) {}

  async start(): Promise<void> {
    this.callsBefore = await this.totalCalls();
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  /** Stops sampling, waits for the rollup job to fold what is left, and counts the run's calls. */
  async finish(timeoutMs = 120_000): Promise<RollupLagResult> {
    if (this.timer) clearInterval(this.timer);
    const startedAt = performance.now();
    while ((await this.lagMs()) !== null) {
      if (performance.now() - startedAt > timeoutMs) throw new Error(`rollup deltas still waiting ${timeoutMs / 1000} s after the load`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainSeconds = (performance.now() - startedAt) / 1000;
    const [p50, p99, max] = quantiles(this.lags, [0.5, 0.99, 1]);
    return {
      samples: this.lags.length,
      p50Ms: round(p50),
      p99Ms: round(p99),
      maxMs: round(max),
      drainSeconds: Math.round(drainSeconds * 10) / 10,
      callsCounted: Number((await this.totalCalls()) - this.callsBefore),
    };
  }

  private async sample(): Promise<void> {
    if (this.isSampling) return; // a slow query must not pile up samplers
    this.isSampling = true;
    try {
      this.lags.push((await this.lagMs()) ?? 0);
    } catch (error) {
      process.stderr.write(`[bench] rollup lag sample failed: ${(error as Error).message}\n`);
    } finally {
      this.isSampling = false;
    }
  }

  private async lagMs(): Promise<number | null> {
    const { rows } = await this.pool.query<{ lag_ms: string | null }>(
      "SELECT extract(epoch FROM clock_timestamp() - min(created_at)) * 1000 AS lag_ms FROM rollup_deltas",
    );
    return rows[0]?.lag_ms === null || rows[0]?.lag_ms === undefined ? null : Number(rows[0].lag_ms);
  }

  private async totalCalls(): Promise<bigint> {
    const { rows } = await this.pool.query<{ calls: string | null }>(
      `SELECT sum(r.calls) AS calls FROM rollup_minute r
       WHERE r.project_id = $1 AND r.cube = $3 AND r.bucket >= $2`,
      [this.projectId, this.from, cubeCode("total")],
    );
    return BigInt(rows[0]?.calls ?? 0);
  }
}
