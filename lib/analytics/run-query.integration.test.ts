import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nanoToUsd } from "@/lib/analytics/compute-metrics";
import { DenseHistogram, SparseHistogram } from "@/lib/analytics/histogram";
import type { AnalyticsQuery, Metric, Percentiles } from "@/lib/analytics/query";
import { planSegments } from "@/lib/analytics/plan-query";
import { REST_GROUP, runAnalyticsQuery, type AnalyticsResult } from "@/lib/analytics/run-query";
import { rollupRetention } from "@/lib/rollups/rollup-retention";
import { readWatermark } from "@/lib/rollups/watermark";
import { SpanWriter } from "@/lib/ingest/writer";
import { llmSpanRow } from "@/lib/ingest/span-row-fixture";
import type { SpanRow } from "@/lib/ingest/types";
import { runRollupsUntilIdle } from "@/lib/rollups/run-rollups-until-idle";
import { recordRollupDeltas } from "@/lib/rollups/record-deltas";
import { BUILT_IN_SETTINGS } from "@/lib/settings/settings-defaults";
import type { ProjectSettings } from "@/lib/settings/project-settings";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/**
 * The query layer against the exact answers computed here from the same raw spans: percentiles
 * within 1 % of percentile_disc for every group, sums exactly equal, rates exactly the ratio of
 * sums, on generated data with known distributions, over a range with ragged edges (so days, local
 * hours of a UTC+05:30 zone, minutes and raw spans all take part).
 */
let db: TestDatabase;
const projectId = randomUUID();
const settings: ProjectSettings = {
  ...BUILT_IN_SETTINGS,
  allocationTagKeys: ["team"],
  allocationTagLimit: 50,
  timeZone: "Asia/Kolkata",
  ttftBudgetMs: 400,
  serviceTtftBudgets: { "batch-jobs": 8_000 },
  customized: [],
};
const settingsFor = async () => settings;
const NOW = Date.now();
const RANGE = { from: new Date(NOW - 3 * 86_400_000 + 17_321), to: new Date(NOW - 1_700) };

let state = 20_261_201;
const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / (2 ** 31 + 1);
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
const DISTRIBUTIONS: Record<string, () => number> = {
  "model-lognormal": () => Math.exp(5.8 + 0.5 * normal()),
  "model-bimodal": () => (uniform() < 0.65 ? Math.exp(5 + 0.15 * normal()) : Math.exp(7.5 + 0.25 * normal())),
  "model-heavy-tail": () => 120 / Math.pow(uniform(), 1 / 1.3),
};

function makeCalls(): SpanRow[] {
  const calls: SpanRow[] = [];
  for (const [model, draw] of Object.entries(DISTRIBUTIONS)) {
    for (let i = 0; i < 2_500; i++) {
      // Spread over 3.2 days ending now, so both edges of RANGE cut through minutes and hours.
      const startMs = NOW - Math.floor(uniform() * 3.2 * 86_400_000);
      const ttft = uniform() < 0.85 ? draw() : null;
      const input = uniform() < 0.97 ? 200 + Math.floor(uniform() * 8_000) : null;
      const reportsCache = input !== null && uniform() < 0.75;
      calls.push(
        llmSpanRow({
          startTimeUnixNano: BigInt(startMs) * 1_000_000n + BigInt(Math.floor(uniform() * 1_000_000)),
          requestModel: model,
          responseModel: null,
          serviceName: ["support-bot", "search-api", "batch-jobs"][i % 3]!,
          promptName: i % 2 === 0 ? "answer" : "summarize",
          promptVersion: `v${i % 4}`,
          streaming: ttft !== null,
          status: uniform() < 0.05 ? "error" : "ok",
          ttftMs: ttft,
          durationMs: (ttft ?? 0) + draw() * 3,
          inputTokens: input,
          outputTokens: input === null ? null : Math.floor(uniform() * 600),
          cacheReadTokens: reportsCache ? (uniform() < 0.5 ? 0 : Math.floor(input! * uniform())) : null,
          cacheWriteTokens: reportsCache ? Math.floor(uniform() * 40) : null,
          costNanoUsd: uniform() < 0.03 ? null : BigInt(Math.floor(uniform() * 40_000_000)),
          cacheSavingsNanoUsd: reportsCache ? BigInt(Math.floor(uniform() * 9_000_000)) - 1_000_000n : null,
          attributes: { team: ["payments", "growth", "search"][Math.floor(uniform() * 3)], region: uniform() < 0.5 ? "eu" : "us" },
        }),
      );
    }
  }
  return calls;
}

async function drain(): Promise<void> {
  await runRollupsUntilIdle(db.pool, settingsFor);
}

beforeAll(async () => {
  db = await startTestDatabase();
  const writer = new SpanWriter({ pool: db.pool });
  writer.extendInsert(recordRollupDeltas(settingsFor));
  const calls = makeCalls();
  for (let i = 0; i < calls.length; i += 1_000) await writer.write(projectId, calls.slice(i, i + 1_000));
  await drain();
}, 180_000);
afterAll(async () => db?.stop());

const ALL_METRICS: Metric[] = [
  "calls", "errors", "ttftMs", "durationMs", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens",
  "cacheHitRate", "cachedCallRate", "costUsd", "cacheSavingsUsd", "withinBudgetRate", "ttftCacheHitMs", "ttftNoCacheHitMs",
];

function query(overrides: Partial<AnalyticsQuery> = {}): AnalyticsQuery {
  return { projectId, metrics: ALL_METRICS, groupBy: null, interval: null, filters: { attributes: {} }, range: RANGE, ...overrides };
}

const run = (q: AnalyticsQuery) => runAnalyticsQuery(q, { db: db.pool, settings, now: NOW });

/** Exact answers from raw spans, per group expression. */
async function exact(groupSql: string, where = "TRUE", range = RANGE) {
  const percentiles = (column: string, condition = "TRUE") =>
    ["0.5", "0.9", "0.95", "0.99"].map((p) => `percentile_disc(${p}) WITHIN GROUP (ORDER BY ${column}) FILTER (WHERE ${column} IS NOT NULL AND ${condition})`);
  const { rows } = await db.pool.query(
    `SELECT ${groupSql} AS g, count(*)::int AS calls, count(*) FILTER (WHERE status = 'error')::int AS errors,
            ARRAY[${percentiles("ttft_ms").join(", ")}] AS ttft,
            ARRAY[${percentiles("duration_ms").join(", ")}] AS duration,
            ARRAY[${percentiles("ttft_ms", "cache_read_tokens > 0").join(", ")}] AS ttft_hit,
            ARRAY[${percentiles("ttft_ms", "NOT COALESCE(cache_read_tokens > 0, false)").join(", ")}] AS ttft_no_hit,
            sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cache_read_tokens)::text AS cache_read,
            sum(cache_write_tokens)::text AS cache_write,
            sum(input_tokens) FILTER (WHERE cache_read_tokens IS NOT NULL)::text AS cache_input,
            count(*) FILTER (WHERE cache_read_tokens > 0)::int AS hit_calls, count(cache_read_tokens)::int AS cache_calls,
            sum(cost_nano_usd)::text AS cost, sum(cache_savings_nano_usd)::text AS savings,
            count(*) FILTER (WHERE ttft_ms <= CASE WHEN service_name = 'batch-jobs' THEN 8000 ELSE 400 END)::int AS within,
            count(ttft_ms)::int AS ttft_calls
     FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $3 AND ${where}
     GROUP BY 1`,
    [projectId, range.from, range.to],
  );
  return new Map(rows.map((row) => [row.g as string | null, row]));
}

function expectClose(actual: Percentiles, expected: (number | null)[], label: string) {
  const values = [actual.p50, actual.p90, actual.p95, actual.p99];
  values.forEach((value, i) => {
    const truth = expected[i];
    if (truth === null || truth === undefined) return expect(value, label).toBeNull();
    expect(Math.abs(value! - truth) / truth, `${label} p${[50, 90, 95, 99][i]}: ${value} vs ${truth}`).toBeLessThanOrEqual(0.01);
  });
}

function checkGroups(result: AnalyticsResult, truth: Awaited<ReturnType<typeof exact>>) {
  expect(result.groups.length).toBe(truth.size);
  for (const group of result.groups) {
    const t = truth.get(group.group);
    expect(t, `group ${group.group}`).toBeDefined();
    const v = group.values;
    expect(v.calls).toBe(t.calls);
    expect(v.errors).toBe(t.errors);
    expectClose(v.ttftMs as Percentiles, t.ttft, `${group.group} ttft`);
    expectClose(v.durationMs as Percentiles, t.duration, `${group.group} duration`);
    expectClose(v.ttftCacheHitMs as Percentiles, t.ttft_hit, `${group.group} ttft with a cache hit`);
    expectClose(v.ttftNoCacheHitMs as Percentiles, t.ttft_no_hit, `${group.group} ttft without`);
    // A sum of calls none of which reported the fact (a small cell's) is null, as in the API.
    expect(v.inputTokens).toBe(sumOf(t.input));
    expect(v.outputTokens).toBe(sumOf(t.output));
    expect(v.cacheReadTokens).toBe(sumOf(t.cache_read));
    expect(v.cacheWriteTokens).toBe(sumOf(t.cache_write));
    expect(v.cacheHitRate).toBe(ratio(Number(t.cache_read), Number(t.cache_input)));
    expect(v.cachedCallRate).toBe(ratio(t.hit_calls, t.cache_calls));
    expect(v.costUsd).toBe(t.cost === null ? null : nanoToUsd(BigInt(t.cost)));
    expect(v.cacheSavingsUsd).toBe(t.savings === null ? null : nanoToUsd(BigInt(t.savings)));
    expect(v.withinBudgetRate).toBe(ratio(t.within, t.ttft_calls));
  }
}

/** One value's encoded histogram. */
const oneValue = (ms: number) => {
  const histogram = new SparseHistogram();
  histogram.add(ms);
  return histogram.encode();
};
/**
 * A range 4 min 7 s into a local hour (UTC+05:30) whose left edge is answered by subtraction (the
 * right one too when its minute is before the watermark): checked against the plan.
 */
async function subtractedEdgesRange(): Promise<{ from: Date; to: Date }> {
  const localHour = (t: number) => Math.floor((t - 1_800_000) / 3_600_000) * 3_600_000 + 1_800_000;
  const range = {
    from: new Date(localHour(NOW - 2.5 * 86_400_000) + 4 * 60_000 + 7_000),
    to: new Date(Math.floor((NOW - 10 * 60_000) / 60_000) * 60_000 + 50_000),
  };
  const watermarkMs = (await readWatermark(db.pool, projectId)) ?? undefined;
  const planned = planSegments(range.from.getTime(), range.to.getTime(), "day", settings.timeZone, rollupRetention(), NOW, { watermarkMs, canSubtract: true });
  expect(planned.filter((segment) => segment.sign === -1).length).toBeGreaterThanOrEqual(2);
  return range;
}
const sumOf = (sum: string | null) => (sum === null ? null : Number(sum));
/** A rate as the API gives it: null when nothing reported its denominator (a cell with no TTFT, say). */
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);

describe("analytics queries", () => {
  it("match the exact answers per model, with every tier and raw edges in play", async () => {
    const result = await run(query({ groupBy: "model" }));
    expect(result.source).toBe("rollups");
    for (const group of result.groups) expect(group.values.calls as number).toBeGreaterThanOrEqual(100);
    checkGroups(result, await exact("COALESCE(response_model, request_model)"));
  });

  it("match them ungrouped, filtered, by prompt version, and by allocation tag", async () => {
    checkGroups(await run(query()), await exact("NULL::text"));
    checkGroups(
      await run(query({ groupBy: "promptVersion", filters: { service: "search-api", attributes: {} } })),
      await exact("prompt_name || '@' || prompt_version", "service_name = 'search-api'"),
    );
    // Few of the cube's dimension rows match (one service and one model of core): fetched by id.
    checkGroups(
      await run(query({ groupBy: "promptVersion", filters: { service: "search-api", model: "model-bimodal", attributes: {} } })),
      await exact("prompt_name || '@' || prompt_version", "service_name = 'search-api' AND COALESCE(response_model, request_model) = 'model-bimodal'"),
    );
    const byTeam = await run(query({ groupBy: "attribute:team", filters: { promptName: "answer", attributes: {} } }));
    expect(byTeam.source).toBe("rollups");
    checkGroups(byTeam, await exact("attributes ->> 'team'", "prompt_name = 'answer'"));
    // One dimension and one tag: the model+tag cube for hours and days, core+tag for the minutes.
    checkGroups(
      await run(query({ groupBy: "model", filters: { attributes: { team: "payments" } } })),
      await exact("COALESCE(response_model, request_model)", "attributes ->> 'team' = 'payments'"),
    );
  });

  it("match them in every cell of a grouped series, whose hour rows are returned as cells, not added up in SQL", async () => {
    /** A series as one group per non-empty cell, "<bucket ms>|<group>", to check against the same cells from raw spans. */
    const cells = (result: AnalyticsResult): AnalyticsResult => ({
      ...result,
      groups: result.groups.flatMap((group) =>
        group.points!.flatMap((values, i) => (values.calls === 0 ? [] : [{ group: `${result.buckets![i]}|${group.group}`, values }])),
      ),
    });
    const hourOf = "(extract(epoch FROM date_trunc('hour', start_time, 'Asia/Kolkata')) * 1000)::int8 || '|' || ";
    // The model cube by model (a row per model and hour), and model+tag by model for one team.
    const hourly = await run(query({ groupBy: "model", interval: "1h" }));
    checkGroups(cells(hourly), await exact(`${hourOf}COALESCE(response_model, request_model)`));
    // The groups' own values over the range (their percentiles added up from their cells').
    checkGroups(hourly, await exact("COALESCE(response_model, request_model)"));
    checkGroups(
      cells(await run(query({ groupBy: "model", interval: "1h", filters: { attributes: { team: "growth" } } }))),
      await exact(`${hourOf}COALESCE(response_model, request_model)`, "attributes ->> 'team' = 'growth'"),
    );
    // The core cube by service for one model: many rows per cell, added up in SQL.
    checkGroups(
      cells(await run(query({ groupBy: "service", interval: "1h", filters: { model: "model-bimodal", attributes: {} } }))),
      await exact(`${hourOf}service_name`, "COALESCE(response_model, request_model) = 'model-bimodal'"),
    );
  });

  it("match them when an edge's minutes look their many dimension rows up one by one", async () => {
    // manyDimensionRows 1: every core+tag minute edge not read by id takes the row-by-row lookup.
    const lookUp = (q: AnalyticsQuery) => runAnalyticsQuery(q, { db: db.pool, settings, now: NOW, manyDimensionRows: 1 });
    checkGroups(
      await lookUp(query({ groupBy: "attribute:team", filters: { model: "model-lognormal", attributes: {} } })),
      await exact("attributes ->> 'team'", "COALESCE(response_model, request_model) = 'model-lognormal'"),
    );
    checkGroups(
      await lookUp(query({ groupBy: "service", filters: { attributes: { team: "growth" } } })),
      await exact("service_name", "attributes ->> 'team' = 'growth'"),
    );
    // Sums only: each dimension's tier rows are added up before the lookup.
    const sums = await lookUp(query({ metrics: ["calls", "costUsd"], groupBy: "attribute:team", filters: { service: "search-api", attributes: {} } }));
    const truth = await exact("attributes ->> 'team'", "service_name = 'search-api'");
    expect(sums.groups.map((group) => [group.group, group.values.calls, group.values.costUsd]).sort()).toEqual(
      [...truth].map(([group, t]) => [group, t.calls, nanoToUsd(BigInt(t.cost))]).sort(),
    );
  });

  it("match the exact sums when edges are answered as their bucket less the part outside the range", async () => {
    const range = await subtractedEdgesRange();
    const sums: Metric[] = ["calls", "errors", "inputTokens", "cacheReadTokens", "costUsd", "cacheSavingsUsd", "withinBudgetRate", "cacheHitRate"];
    const model = "COALESCE(response_model, request_model)";
    const cases: [AnalyticsQuery["groupBy"], string, AnalyticsQuery["filters"]?, string?][] = [
      [null, "NULL::text"],
      ["model", model],
      ["attribute:team", "attributes ->> 'team'"],
      // One model and a tag (model+tag, whose minutes are core+tag rows): the edges are read from raw spans.
      ["attribute:team", "attributes ->> 'team'", { model: "model-bimodal", attributes: {} }, `${model} = 'model-bimodal'`],
      ["model", model, { attributes: { team: "growth" } }, "attributes ->> 'team' = 'growth'"],
    ];
    for (const [groupBy, groupSql, filters = { attributes: {} }, where = "TRUE"] of cases) {
      const result = await run(query({ metrics: sums, groupBy, filters, range }));
      const truth = await exact(groupSql, where, range);
      expect(result.groups.length, String(groupBy)).toBe(truth.size);
      for (const group of result.groups) {
        const t = truth.get(group.group);
        expect(t, `group ${group.group}`).toBeDefined();
        expect(group.values.calls).toBe(t.calls);
        expect(group.values.errors).toBe(t.errors);
        expect(group.values.inputTokens).toBe(Number(t.input));
        expect(group.values.cacheReadTokens).toBe(Number(t.cache_read));
        expect(group.values.costUsd).toBe(nanoToUsd(BigInt(t.cost)));
        expect(group.values.cacheSavingsUsd).toBe(nanoToUsd(BigInt(t.savings)));
        expect(group.values.withinBudgetRate).toBe(t.within / t.ttft_calls);
        expect(group.values.cacheHitRate).toBe(Number(t.cache_read) / Number(t.cache_input));
      }
    }
    // Hourly: the subtracted parts fall in the bucket of what they are subtracted from.
    const hourly = await run(query({ metrics: ["calls", "costUsd"], interval: "1h", range }));
    const { rows } = await db.pool.query(
      `SELECT extract(epoch FROM date_trunc('hour', start_time, 'Asia/Kolkata')) * 1000 AS t, count(*)::int AS calls
       FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $3 GROUP BY 1`,
      [projectId, range.from, range.to],
    );
    const perHour = new Map(rows.map((row) => [Number(row.t), row.calls]));
    hourly.buckets!.forEach((t, i) => expect(hourly.groups[0]!.points![i]!.calls, new Date(t).toISOString()).toBe(perHour.get(t) ?? 0));
  });

  it("match percentiles exactly bucket for bucket when edges are a bucket less the part outside the range", async () => {
    // The histograms of the parts outside come back apart and are taken away bucket by bucket, so
    // the percentiles are those of the range's own spans, bucketed.
    const range = await subtractedEdgesRange();
    const model = "COALESCE(response_model, request_model)";
    const cases: [AnalyticsQuery["groupBy"], string, AnalyticsQuery["filters"]?, string?][] = [
      [null, "NULL::text"],
      ["model", model],
      ["attribute:team", "attributes ->> 'team'", { model: "model-bimodal", attributes: {} }, `${model} = 'model-bimodal'`],
    ];
    for (const [groupBy, groupSql, filters = { attributes: {} }, where = "TRUE"] of cases) {
      const result = await run(query({ groupBy, filters, range }));
      checkGroups(result, await exact(groupSql, where, range));
      const { rows } = await db.pool.query(
        `SELECT ${groupSql} AS g, array_agg(ttft_ms) FILTER (WHERE ttft_ms IS NOT NULL) AS ttft, array_agg(duration_ms) AS duration
         FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $3 AND ${where} GROUP BY 1`,
        [projectId, range.from, range.to],
      );
      for (const row of rows) {
        const group = result.groups.find((candidate) => candidate.group === row.g)!;
        for (const [metric, values] of [["ttftMs", row.ttft], ["durationMs", row.duration]] as const) {
          const bucketed = new DenseHistogram();
          bucketed.addEncoded(Buffer.concat((values ?? []).map((value: number) => oneValue(value))));
          const [p50, p90, p95, p99] = bucketed.quantiles([0.5, 0.9, 0.95, 0.99]).map((value) => (value === null ? null : Number(value.toPrecision(6))));
          expect(group.values[metric], `${row.g} ${metric}`).toEqual({ p50, p90, p95, p99 });
        }
      }
    }
  });

  it("keep the largest groups and add the others up as the rest, per bucket too", async () => {
    const metrics: Metric[] = ["calls", "costUsd", "ttftMs"];
    const all = await run(query({ metrics, groupBy: "model", interval: "1h" }));
    const limited = await run(query({ metrics, groupBy: "model", interval: "1h", limitGroups: 2 }));
    expect(all.groups.length).toBe(3);
    expect(limited.groups.map((group) => group.group)).toEqual([all.groups[0]!.group, all.groups[1]!.group, REST_GROUP]);
    expect(limited.groups.slice(0, 2)).toEqual(all.groups.slice(0, 2));
    const left = all.groups[2]!;
    const rest = limited.groups[2]!;
    expect(rest.values).toEqual(left.values);
    expect(rest.points).toEqual(left.points);
    // No more groups than the limit: no rest.
    expect((await run(query({ metrics, groupBy: "model", limitGroups: 3 }))).groups.map((group) => group.group)).not.toContain(REST_GROUP);
  });

  it("rank sums-only breakdowns over the range first, by calls or by spend, with the rest as the difference", async () => {
    const metrics: Metric[] = ["costUsd", "calls", "unknownCostCalls"];
    const nano = (usd: unknown) => BigInt(Math.round((usd as number) * 1e9));
    // Ranked first when there are more than twice as many possible groups as kept ones (3 teams,
    // their "other" and none: 5), and the buckets are finer than days; else in one statement.
    const cases: (Partial<AnalyticsQuery> & { isRankedFirst: boolean })[] = [
      { groupBy: "model", interval: "1h", limitGroups: 2, isRankedFirst: false },
      { groupBy: "attribute:team", interval: "1h", limitGroups: 1, rankBy: "costUsd", isRankedFirst: true },
      { groupBy: "attribute:team", interval: "15m", limitGroups: 2, rankBy: "costUsd", filters: { service: "search-api", attributes: {} }, isRankedFirst: true },
      { groupBy: "attribute:team", interval: "1d", limitGroups: 1, rankBy: "costUsd", isRankedFirst: false },
      { groupBy: "attribute:team", limitGroups: 1, rankBy: "costUsd", isRankedFirst: false },
      { groupBy: "service", interval: "1d", limitGroups: 1, rankBy: "costUsd", filters: { model: "model-bimodal", attributes: {} }, isRankedFirst: false },
    ];
    for (const { isRankedFirst, ...overrides } of cases) {
      const label = JSON.stringify(overrides);
      const all = await run(query({ metrics, ...overrides, limitGroups: undefined }));
      const statements: string[] = [];
      const recordingPool = {
        query: (text: string, values: unknown[]) => {
          statements.push(text);
          return db.pool.query(text, values);
        },
      } as unknown as pg.Pool;
      const limited = await runAnalyticsQuery(query({ metrics, ...overrides }), { db: recordingPool, settings, now: NOW });
      expect(statements.some((text) => text.includes("is_total")), label).toBe(isRankedFirst);
      // Every group with calls is counted, those added up as the rest too.
      expect(limited.groupCount, label).toBe(all.groups.length);
      const limit = overrides.limitGroups!;
      const spend = (group: (typeof all.groups)[number]) => (overrides.rankBy === "costUsd" ? nano(group.values.costUsd) : 0n);
      const ranked = [...all.groups].sort(
        (a, b) => Number(spend(b) - spend(a)) || (b.values.calls as number) - (a.values.calls as number),
      );
      expect(ranked.length, label).toBeGreaterThan(limit);
      expect(limited.groups.map((group) => group.group), label).toEqual([...ranked.slice(0, limit).map((group) => group.group), REST_GROUP]);
      expect(limited.groups.slice(0, limit), label).toEqual(ranked.slice(0, limit));
      const others = ranked.slice(limit);
      const rest = limited.groups[limit]!;
      const add = (values: Record<string, unknown>[]) => ({
        calls: values.reduce((sum, v) => sum + (v.calls as number), 0),
        unknownCostCalls: values.reduce((sum, v) => sum + (v.unknownCostCalls as number), 0),
        cost: values.reduce((sum, v) => sum + nano(v.costUsd), 0n),
      });
      const restOf = (v: Record<string, unknown>) => ({ calls: v.calls, unknownCostCalls: v.unknownCostCalls, cost: nano(v.costUsd) });
      expect(restOf(rest.values), label).toEqual(add(others.map((group) => group.values)));
      (all.buckets ?? []).forEach((t, i) => {
        expect(restOf(rest.points![i]!), `${label} ${new Date(t).toISOString()}`).toEqual(add(others.map((group) => group.points![i]!)));
      });
    }
  });

  it("rank by spend even when spend is not among the metrics asked for", async () => {
    const bySpend = await run(query({ metrics: ["costUsd", "calls"], groupBy: "model" }));
    const top = [...bySpend.groups].sort((a, b) => (b.values.costUsd as number) - (a.values.costUsd as number))[0]!;
    const limited = await run(query({ metrics: ["calls"], groupBy: "model", interval: "1h", limitGroups: 1, rankBy: "costUsd" }));
    expect(limited.groups.map((group) => group.group)).toEqual([top.group, REST_GROUP]);
    expect(Object.keys(limited.groups[0]!.values)).toEqual(["calls"]);
    expect(limited.groups[0]!.values.calls).toBe(top.values.calls);
  });

  it("keep the group of calls without the dimension when it is among the largest", async () => {
    const other = randomUUID();
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const teams = [null, null, null, null, "payments", "payments", "payments", "growth", "growth", "search"];
    await writer.write(
      other,
      teams.map((team, i) =>
        llmSpanRow({ startTimeUnixNano: BigInt(NOW - 3 * 3_600_000 - i * 60_000) * 1_000_000n, attributes: team === null ? {} : { team } }),
      ),
    );
    await drain();
    const result = await run({ ...query({ metrics: ["calls"], groupBy: "attribute:team", interval: "1h", limitGroups: 2 }), projectId: other });
    expect(result.groups.map((group) => [group.group, group.values.calls])).toEqual([[null, 4], ["payments", 3], [REST_GROUP, 3]]);
  });

  it("answer other attributes from raw spans, and say so", async () => {
    const result = await run(query({ groupBy: "attribute:region" }));
    expect(result.source).toBe("raw");
    expect(result.rawReason).toMatch(/region/);
    checkGroups(result, await exact("attributes ->> 'region'"));
  });

  it("give time series with every local hour listed, gaps explicit, adding up to the totals", async () => {
    const result = await run(query({ metrics: ["calls", "costUsd", "ttftMs"], interval: "1h" }));
    const buckets = result.buckets!;
    // Hours of UTC+05:30 start at half past the UTC hour.
    expect(new Date(buckets[1]!).getUTCMinutes()).toBe(30);
    expect(buckets.length).toBeGreaterThanOrEqual(72);
    const { rows } = await db.pool.query(
      `SELECT extract(epoch FROM date_trunc('hour', start_time, 'Asia/Kolkata')) * 1000 AS t, count(*)::int AS calls
       FROM spans WHERE project_id = $1 AND is_llm AND start_time >= $2 AND start_time < $3 GROUP BY 1`,
      [projectId, RANGE.from, RANGE.to],
    );
    const perHour = new Map(rows.map((row) => [Number(row.t), row.calls]));
    const points = result.groups[0]!.points!;
    buckets.forEach((t, i) => expect(points[i]!.calls, new Date(t).toISOString()).toBe(perHour.get(t) ?? 0));
    const total = await run(query({ metrics: ["calls", "costUsd"] }));
    expect(points.reduce((sum, point) => sum + (point.calls as number), 0)).toBe(total.groups[0]!.values.calls);
    const empty = points.find((point) => point.calls === 0);
    if (empty) {
      expect(empty.costUsd).toBe(0);
      expect(empty.ttftMs).toEqual({ p50: null, p90: null, p95: null, p99: null });
    }
  });

  it("are not changed by redelivered spans", async () => {
    const before = await run(query({ groupBy: "model" }));
    const { rows } = await db.pool.query(
      `SELECT encode(trace_id, 'hex') AS trace_id, encode(span_id, 'hex') AS span_id,
              (extract(epoch FROM start_time) * 1000000)::bigint::text AS start_us
       FROM spans WHERE project_id = $1 LIMIT 50`,
      [projectId],
    );
    expect(rows.length).toBe(50);
    const writer = new SpanWriter({ pool: db.pool });
    writer.extendInsert(recordRollupDeltas(settingsFor));
    const again = rows.map((row) =>
      llmSpanRow({ traceId: row.trace_id, spanId: row.span_id, startTimeUnixNano: BigInt(row.start_us) * 1_000n }),
    );
    expect(await writer.write(projectId, again)).toEqual({ inserted: 0, duplicates: 50 });
    await drain();
    expect(await run(query({ groupBy: "model" }))).toEqual(before);
  });
});
