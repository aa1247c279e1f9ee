/** What bench/ingest.ts and its load generators (load-generator.ts, child processes) exchange. */
export interface LoadGeneratorConfig {
  index: number;
  url: string;
  apiKey: string;
  batchSize: number;
  inFlight: number;
  runTag: number;
  timeoutMs: number;
}

/** One finished export() call. Times are epoch milliseconds (performance.timeOrigin based). */
export interface ExportRecord {
  startedAt: number;
  latencyMs: number;
  firstSequence: number;
  spanCount: number;
  /** Σ gen_ai.usage.input_tokens sent in the batch (cache-inclusive, the OTel convention). */
  inputTokens: number;
  isOk: boolean;
  error?: string;
}

export type LoadGeneratorMessage =
  | { type: "ready" }
  | { type: "exports"; records: ExportRecord[] }
  | { type: "done"; records: ExportRecord[] };

export type CoordinatorMessage = { type: "start" } | { type: "stop" };

/**
 * Sequence numbers are unique in a run across generators: the top 3 bits of the 32-bit sequence
 * field of the trace id name the generator, the other 29 count its spans (536M per generator).
 */
export const SEQUENCE_BITS_PER_GENERATOR = 29;
export const MAX_GENERATORS = 8;
