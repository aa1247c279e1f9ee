import type { LlmCall } from "@/lib/calls/llm-call";

/**
 * What the Latency screen draws from a sample of raw calls (the newest of the range, capped):
 * TTFT against input size (a scatter and a table by input-size band: long prompts take longer to
 * prefill), and the slowest calls. Percentiles here are exact rank quantiles of the sample.
 * No server imports, so it is unit-tested.
 */
export interface CallSample {
  traceId: string;
  spanId: string;
  startTime: string;
  serviceName: string;
  model: string | null;
  promptName: string | null;
  promptVersion: string | null;
  ttftMs: number | null;
  durationMs: number;
  inputTokens: number | null;
  streaming: boolean | null;
  isError: boolean;
}

export function toCallSample(call: LlmCall): CallSample {
  return {
    traceId: call.traceId,
    spanId: call.spanId,
    startTime: call.startTime,
    serviceName: call.serviceName,
    model: call.responseModel ?? call.requestModel,
    promptName: call.promptName,
    promptVersion: call.promptVersion,
    ttftMs: call.ttftMs,
    durationMs: call.durationMs,
    inputTokens: call.inputTokens,
    streaming: call.streaming,
    isError: call.status === "error",
  };
}

/** The exact rank quantile (`percentile_disc`): the smallest value with at least p of the values at or below it. */
export function exactPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export interface ScatterSeries {
  label: string;
  points: { inputTokens: number; ttftMs: number }[];
}

export const OTHER_MODELS = "Other models";

/**
 * Calls with both a TTFT and an input size, one series per model (the `maxModels` most frequent;
 * the rest as "Other models"), for a scatter of TTFT against input tokens.
 */
export function ttftScatter(samples: readonly CallSample[], maxModels = 5): { series: ScatterSeries[]; plotted: number } {
  const usable = samples.filter((sample) => sample.ttftMs !== null && sample.inputTokens !== null && sample.inputTokens > 0);
  const counts = new Map<string, number>();
  for (const sample of usable) counts.set(modelLabel(sample), (counts.get(modelLabel(sample)) ?? 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, counts.size > maxModels + 1 ? maxModels : maxModels + 1)
    .map(([label]) => label);
  const series = new Map<string, ScatterSeries>(top.map((label) => [label, { label, points: [] }]));
  const other: ScatterSeries = { label: OTHER_MODELS, points: [] };
  for (const sample of usable) {
    const target = series.get(modelLabel(sample)) ?? other;
    target.points.push({ inputTokens: sample.inputTokens!, ttftMs: sample.ttftMs! });
  }
  const list = [...series.values()];
  if (other.points.length > 0) list.push(other);
  return { series: list, plotted: usable.length };
}

function modelLabel(sample: CallSample): string {
  return sample.model ?? "(no model reported)";
}

/** Input-size bands, by input tokens (cache reads included: they are still prefilled or read). */
export const INPUT_SIZE_BANDS = [
  { label: "under 1K", below: 1_000 },
  { label: "1K–4K", below: 4_000 },
  { label: "4K–16K", below: 16_000 },
  { label: "16K–64K", below: 64_000 },
  { label: "64K and more", below: Infinity },
] as const;

export interface InputSizeRow {
  label: string;
  calls: number;
  ttftP50: number | null;
  ttftP95: number | null;
}

/** TTFT p50/p95 per input-size band; bands without calls are left out. */
export function ttftByInputSize(samples: readonly CallSample[]): InputSizeRow[] {
  const bands = INPUT_SIZE_BANDS.map(() => [] as number[]);
  for (const sample of samples) {
    if (sample.ttftMs === null || sample.inputTokens === null) continue;
    const index = INPUT_SIZE_BANDS.findIndex((band) => sample.inputTokens! < band.below);
    bands[index]!.push(sample.ttftMs);
  }
  return INPUT_SIZE_BANDS.flatMap((band, index) => {
    const values = bands[index]!;
    if (values.length === 0) return [];
    return [{ label: band.label, calls: values.length, ttftP50: exactPercentile(values, 0.5), ttftP95: exactPercentile(values, 0.95) }];
  });
}

/**
 * What the user waited for before seeing anything: the TTFT of a streamed call, the whole duration
 * of one that was not streamed (its first token arrives with the last).
 */
export function waitMs(sample: CallSample): number {
  return sample.ttftMs ?? sample.durationMs;
}

/** The `count` slowest calls by wait, slowest first (ties: newest first). */
export function slowestCalls(samples: readonly CallSample[], count = 10): CallSample[] {
  return [...samples].sort((a, b) => waitMs(b) - waitMs(a) || b.startTime.localeCompare(a.startTime)).slice(0, count);
}

/** Ticks for a logarithmic token axis covering [min, max]: powers of ten, with 3× steps when the span is short. */
export function logAxisTicks(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(Math.max(1, min)));
  const high = Math.max(Math.ceil(Math.log10(Math.max(1, max))), low + 1);
  const ticks: number[] = [];
  for (let exponent = low; exponent <= high; exponent++) {
    ticks.push(10 ** exponent);
    if (exponent < high && high - low <= 2) ticks.push(3 * 10 ** exponent);
  }
  return ticks;
}
