import { afterAll, beforeAll, expect, it } from "vitest";
import { HISTOGRAM_BOUNDARIES, histogramBucket } from "@/lib/analytics/histogram";
import { startTestDatabase, type TestDatabase } from "@/lib/testing/database";

/** The bucket function exists once in TypeScript and once in SQL: they must agree on every value. */
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => db?.stop());

/** The doubles just below and above x. */
function neighbours(x: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, bits - 1n);
  const below = view.getFloat64(0);
  view.setBigUint64(0, bits + 1n);
  return [below, view.getFloat64(0)];
}

it("sous_hist_bucket (SQL) agrees with histogramBucket on a million values, bucket edges included", async () => {
  const values: number[] = [0, -1, 1e-12, 1e300, 5e-324];
  for (const edge of HISTOGRAM_BOUNDARIES) values.push(edge, ...neighbours(edge));
  let state = 7;
  const uniform = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  while (values.length < 1_000_000) values.push(Math.exp(uniform() * 24 - 5)); // ~0.007 ms to ~2.6e8 ms
  let mismatches = 0;
  let firstMismatch = "";
  for (let offset = 0; offset < values.length; offset += 100_000) {
    const chunk = values.slice(offset, offset + 100_000);
    const { rows } = await db.pool.query<{ b: number }>(
      "SELECT sous_hist_bucket(v) AS b FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
      [chunk.map((value) => value.toPrecision(17))],
    );
    rows.forEach((row, i) => {
      if (row.b !== histogramBucket(chunk[i]!)) {
        mismatches++;
        firstMismatch ||= `${chunk[i]}: SQL ${row.b}, TS ${histogramBucket(chunk[i]!)}`;
      }
    });
  }
  expect(firstMismatch).toBe("");
  expect(mismatches).toBe(0);
  expect(values.length).toBe(1_000_000);
});
