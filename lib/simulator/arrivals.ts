import type { Random } from "./random";

/**
 * Poisson arrivals with a time-varying rate (thinning): candidates come at `maxRate`, and each is
 * kept with probability rate(t) / maxRate. Successive windows continue the same process, so the
 * arrivals do not depend on how the caller slices time.
 */
export class PoissonArrivals {
  private nextCandidateMs: number | null = null;

  constructor(
    private readonly rng: Random,
    private readonly rateAt: (t: number) => number,
    private readonly maxRate: number,
  ) {}

  /** Arrival times in [fromMs, toMs). */
  take(fromMs: number, toMs: number): number[] {
    if (this.maxRate <= 0) return [];
    const meanGapMs = 1000 / this.maxRate;
    let t = this.nextCandidateMs ?? fromMs + this.rng.exponential(meanGapMs);
    const arrivals: number[] = [];
    for (; t < toMs; t += this.rng.exponential(meanGapMs)) {
      if (this.rng.next() * this.maxRate < this.rateAt(t)) arrivals.push(t);
    }
    this.nextCandidateMs = t;
    return arrivals;
  }
}

/**
 * Backfilled traffic follows the day: quiet at night (UTC), busiest mid-afternoon. The mean over
 * a day is 1, so `--rate` stays the average.
 */
export function diurnalMultiplier(t: number): number {
  const hour = (t / 3_600_000) % 24;
  return 1 + 0.5 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

export const maxDiurnalMultiplier = 1.5;
