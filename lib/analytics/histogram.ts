/**
 * Mergeable log-bucket histograms of milliseconds (DDSketch-style), kept in the rollups for TTFT
 * and duration percentiles.
 *
 * Buckets: 0 holds values ≤ 0 (the zero bucket). Bucket k ≥ 1 holds [B(k−1), B(k)) with
 * B(i) = 0.1 ms × γ^i and γ = (1 + α) / (1 − α), α = 0.009, up to B(K) ≥ 24 h; smaller positive
 * values fall in bucket 1 and larger ones in bucket K. A bucket's value is the point whose relative
 * distance to both of its edges is α, so any value inside is reported within 0.9 % (< 1 %).
 *
 * The same bucket function exists once here and once in SQL (`sous_hist_bucket`, migration
 * 20261201040000_rollups): both compare against the same literal boundaries (the migration embeds
 * HISTOGRAM_BOUNDARIES printed by scripts/print-histogram-sql.ts), so they agree on every value,
 * edges included (lib/analytics/histogram.integration.test.ts checks a million values).
 *
 * Storage: a bytea of entries, each a big-endian uint16 head (bucket in the low 14 bits: K < 2^14)
 * whose top two bits say how the count follows, the narrowest that holds it:
 *   11: none, the count is 1 (2 bytes: a raw span's entry, `histogramOneCountSql`)
 *   01: uint8 (3 bytes)   10: uint16 (4 bytes)   00: uint32 (6 bytes, the only form before 2026-12-03,
 *   so rows stored then read as they are)
 * A rollup row's histogram (SparseHistogram.encode) is sorted by bucket, mostly 3-byte entries.
 * The concatenation of several encodings is a valid multiset, so SQL builds one by `string_agg` of
 * raw spans' entries, and a query can `string_agg` the histograms of many rollup rows and merge them
 * here in one pass. Fewer bytes matter most on the wire: a 7-day latency chart by model reads 2,700
 * histograms, and node-pg receives bytea as hex text.
 */
export const HISTOGRAM_RELATIVE_ACCURACY = 0.009;
export const HISTOGRAM_MIN_MS = 0.1;
export const HISTOGRAM_MAX_MS = 86_400_000;
const GAMMA = (1 + HISTOGRAM_RELATIVE_ACCURACY) / (1 - HISTOGRAM_RELATIVE_ACCURACY);

/** K: the highest bucket index. */
export const HISTOGRAM_TOP_BUCKET = Math.ceil(Math.log(HISTOGRAM_MAX_MS / HISTOGRAM_MIN_MS) / Math.log(GAMMA));

/** B(0) … B(K): bucket k ≥ 1 is [B(k−1), B(k)). */
export const HISTOGRAM_BOUNDARIES: Float64Array = Float64Array.from(
  { length: HISTOGRAM_TOP_BUCKET + 1 },
  (_, i) => HISTOGRAM_MIN_MS * Math.pow(GAMMA, i),
);

/** An entry's head: the bucket, and in the top two bits the width of the count that follows. */
const BUCKET_MASK = 0x3fff;
const COUNT_IS_ONE = 3;
const COUNT_UINT8 = 1;
const COUNT_UINT16 = 2;
const COUNT_UINT32 = 0;
/** The byte length of an entry, by the top two bits of its head. */
const ENTRY_LENGTH = [6, 3, 4, 2] as const;

/**
 * SQL for a raw span's entry of `bucket` (a smallint expression): a head whose top bits say "count
 * 1", as a signed int2 (bucket − 2^14 is 0xC000 + bucket in two's complement).
 */
export const histogramOneCountSql = (bucket: string) => `int2send((${bucket} - 16384)::int2)`;

/** The bucket of a value in ms; the same as SQL `sous_hist_bucket`. */
export function histogramBucket(ms: number): number {
  if (!(ms > 0)) {
    if (Number.isNaN(ms)) throw new RangeError("a histogram value cannot be NaN");
    return 0;
  }
  // Count of boundaries ≤ ms, like SQL width_bucket(ms, boundaries).
  let low = 0;
  let high = HISTOGRAM_BOUNDARIES.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (HISTOGRAM_BOUNDARIES[middle]! <= ms) low = middle + 1;
    else high = middle;
  }
  return Math.min(HISTOGRAM_TOP_BUCKET, Math.max(1, low));
}

/** The value reported for a bucket. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  const lower = HISTOGRAM_BOUNDARIES[bucket - 1]!;
  const upper = HISTOGRAM_BOUNDARIES[bucket]!;
  return (2 * lower * upper) / (lower + upper);
}

/** A histogram being built: bucket → count. */
export class SparseHistogram {
  readonly counts: Map<number, number>;

  constructor(counts: Map<number, number> = new Map()) {
    this.counts = counts;
  }

  add(ms: number, count = 1): void {
    const bucket = histogramBucket(ms);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
  }

  addBucket(bucket: number, count: number): void {
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
  }

  /** Adds an encoded histogram (or a concatenation of them). */
  addEncoded(bytes: Uint8Array | null): void {
    forEachEntry(bytes, (bucket, count) => this.addBucket(bucket, count));
  }

  merge(other: SparseHistogram): void {
    for (const [bucket, count] of other.counts) this.addBucket(bucket, count);
  }

  clone(): SparseHistogram {
    return new SparseHistogram(new Map(this.counts));
  }

  get isEmpty(): boolean {
    return this.counts.size === 0;
  }

  /** Sorted by bucket, each count in the narrowest entry that holds it. */
  encode(): Buffer {
    // Run for every tier row a fold or a rebuild writes: a pass to size (each entry's width kept),
    // a pass to write.
    const entries = [...this.counts].sort((a, b) => a[0] - b[0]);
    const widths = new Uint8Array(entries.length);
    let length = 0;
    for (let i = 0; i < entries.length; i++) {
      widths[i] = countWidth(entries[i]![1]);
      length += ENTRY_LENGTH[widths[i]!]!;
    }
    const bytes = Buffer.allocUnsafe(length);
    let offset = 0;
    for (let i = 0; i < entries.length; i++) {
      const [bucket, count] = entries[i]!;
      const width = widths[i]!;
      bytes[offset] = (width << 6) | (bucket >>> 8);
      bytes[offset + 1] = bucket & 0xff;
      if (width === COUNT_UINT8) bytes[offset + 2] = count;
      else if (width === COUNT_UINT16) bytes.writeUInt16BE(count, offset + 2);
      else if (width === COUNT_UINT32) bytes.writeUInt32BE(count, offset + 2);
      offset += ENTRY_LENGTH[width]!;
    }
    return bytes;
  }
}

function countWidth(count: number): number {
  if (!Number.isInteger(count) || count < 0 || count > 0xffff_ffff) throw new RangeError(`histogram bucket count ${count} is not a uint32`);
  if (count === 1) return COUNT_IS_ONE;
  if (count <= 0xff) return COUNT_UINT8;
  return count <= 0xffff ? COUNT_UINT16 : COUNT_UINT32;
}

function forEachEntry(bytes: Uint8Array | null, visit: (bucket: number, count: number) => void): void {
  if (!bytes) return;
  for (let offset = 0; offset < bytes.length; ) {
    const head = entryHead(bytes, offset);
    visit(head & BUCKET_MASK, entryCount(bytes, offset, head));
    offset += ENTRY_LENGTH[head >>> 14]!;
  }
}

/** The head of the entry at `offset`; throws if the entry runs past the end or names no bucket. */
function entryHead(bytes: Uint8Array, offset: number): number {
  const head = (bytes[offset]! << 8) | bytes[offset + 1]!;
  if (offset + ENTRY_LENGTH[head >>> 14]! > bytes.length || (head & BUCKET_MASK) > HISTOGRAM_TOP_BUCKET) {
    throw new RangeError(`a histogram of ${bytes.length} bytes has a cut or invalid entry at byte ${offset}`);
  }
  return head;
}

/** The count of the entry at `offset` with head `head` (big-endian). */
function entryCount(bytes: Uint8Array, offset: number, head: number): number {
  switch (head >>> 14) {
    case COUNT_UINT8: // most entries of a rollup row
      return bytes[offset + 2]!;
    case COUNT_IS_ONE:
      return 1;
    case COUNT_UINT16:
      return (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    default:
      return bytes[offset + 2]! * 0x1000000 + ((bytes[offset + 3]! << 16) | (bytes[offset + 4]! << 8) | bytes[offset + 5]!);
  }
}

/**
 * Dense counts for quick merging of many encoded histograms (query time). Only buckets in
 * [low, high] may be non-zero: merges, subtractions and quantiles visit that range, not all
 * HISTOGRAM_TOP_BUCKET + 1 buckets (latencies of one panel span a few hundred at most).
 */
export class DenseHistogram {
  readonly counts = new Float64Array(HISTOGRAM_TOP_BUCKET + 1);
  total = 0;
  low = HISTOGRAM_TOP_BUCKET + 1;
  high = -1;
  private subtractedLow = HISTOGRAM_TOP_BUCKET + 1;
  private subtractedHigh = -1;

  /**
   * Adds an encoded histogram (or a concatenation of them); with sign −1 takes it away instead (an
   * edge answered as its bucket less the part outside the range: plan-query.ts).
   */
  addEncoded(bytes: Uint8Array | null, sign: 1 | -1 = 1): void {
    // The query-time hot loop (every chunk of every cell): the entries read in place, no callback.
    if (!bytes || bytes.length === 0) return;
    const counts = this.counts;
    let { low, high, total } = this;
    for (let offset = 0; offset < bytes.length; ) {
      const head = entryHead(bytes, offset);
      const bucket = head & BUCKET_MASK;
      const count = sign * entryCount(bytes, offset, head);
      offset += ENTRY_LENGTH[head >>> 14]!;
      counts[bucket]! += count;
      total += count;
      if (bucket < low) low = bucket;
      if (bucket > high) high = bucket;
    }
    this.low = low;
    this.high = high;
    this.total = total;
  }

  /** Adds another histogram's counts. */
  add(other: DenseHistogram): void {
    for (let bucket = other.low; bucket <= other.high; bucket++) this.counts[bucket]! += other.counts[bucket]!;
    this.total += other.total;
    if (other.low < this.low) this.low = other.low;
    if (other.high > this.high) this.high = other.high;
  }

  /** Back to empty (zeroes only the buckets in use, and those a subtraction touched). */
  clear(): void {
    const low = Math.min(this.low, this.subtractedLow);
    const high = Math.max(this.high, this.subtractedHigh);
    if (high >= low) this.counts.fill(0, low, high + 1);
    this.subtractedLow = HISTOGRAM_TOP_BUCKET + 1;
    this.subtractedHigh = -1;
    this.total = 0;
    this.low = HISTOGRAM_TOP_BUCKET + 1;
    this.high = -1;
  }

  /** Removes another histogram's counts (e.g. "without a cache hit" = all − with a hit). */
  subtract(other: DenseHistogram): void {
    this.subtractedLow = Math.min(this.subtractedLow, other.low);
    this.subtractedHigh = Math.max(this.subtractedHigh, other.high);
    for (let bucket = other.low; bucket <= other.high; bucket++) this.counts[bucket]! -= other.counts[bucket]!;
    this.total -= other.total;
  }

  /**
   * Like SQL percentile_disc(p): the value at position ceil(p × n) in the sorted values, reported
   * as its bucket's value. Null when empty.
   */
  quantile(p: number): number | null {
    return this.quantiles([p])[0]!;
  }

  /** quantile() of each p (in increasing order), in one pass over the buckets. */
  quantiles(ps: readonly number[]): (number | null)[] {
    const buckets = new Array<number>(ps.length);
    return this.quantileBuckets(ps, buckets) ? buckets.map(bucketValue) : ps.map(() => null);
  }

  /**
   * The bucket holding each quantile of `ps` (in increasing order), written into `into`, in one
   * pass over the buckets; false (and `into` untouched) when empty.
   */
  quantileBuckets(ps: readonly number[], into: number[]): boolean {
    if (this.total <= 0) return false;
    let found = 0;
    let rank = Math.max(1, Math.ceil(ps[0]! * this.total));
    let seen = 0;
    for (let bucket = this.low; bucket <= this.high && found < ps.length; bucket++) {
      seen += this.counts[bucket]!;
      while (found < ps.length && seen >= rank) {
        into[found++] = bucket;
        if (found < ps.length) rank = Math.max(1, Math.ceil(ps[found]! * this.total));
      }
    }
    while (found < ps.length) into[found++] = HISTOGRAM_TOP_BUCKET;
    return true;
  }
}
