// The disparity measures of real indicators over the 45 counties, recomputed here from the stored
// observations by the textbook formulas (the double sum for Gini, not the sorted form the code uses)
// and set against what the API answers: the figures a ministry would cite.
import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from '../testing/server';

let server: SubgraphServer;
let url: string;
let database: DatabaseClient;

// startSeededServer seeds an empty database (a lone `npx jest`): 330,000 observations.
jest.setTimeout(300_000);

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database?.close();
  await server?.close();
});

interface ReportIndicator {
  indicator: { indicatorCode: string; year: number; regionCount: number; aggregatedRegionCount: number };
  gini: number | null;
  theil: number | null;
  coefficientOfVariation: number | null;
}

async function report(codes: string[]): Promise<ReportIndicator[]> {
  const query = `{ disparities(indicators: ${JSON.stringify(codes)}, level: COUNTY) {
    indicators { indicator { indicatorCode year regionCount aggregatedRegionCount } gini theil coefficientOfVariation } } }`;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: { disparities: { indicators: ReportIndicator[] } }; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!.disparities.indicators;
}

/** The counties' stored values of an indicator in its newest year with any county value, and which were computed. */
async function countyValues(code: string): Promise<{ year: number; values: number[]; aggregated: number }> {
  const { rows } = await database.pool.query<{ year: number; value: number; aggregated: boolean }>(
    `SELECT year, value, aggregated FROM indicators.observation
      WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL
        AND year = (SELECT max(year) FROM indicators.observation WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL)`,
    [code],
  );
  return { year: rows[0]!.year, values: rows.map((row) => row.value), aggregated: rows.filter((row) => row.aggregated).length };
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function textbookGini(values: number[]): number {
  let sum = 0;
  for (const a of values) for (const b of values) sum += Math.abs(a - b);
  return sum / (2 * values.length ** 2 * average(values));
}

function textbookTheil(values: number[]): number {
  const mean = average(values);
  return average(values.map((value) => (value === 0 ? 0 : (value / mean) * Math.log(value / mean))));
}

function textbookCv(values: number[]): number {
  const mean = average(values);
  return Math.sqrt(average(values.map((value) => (value - mean) ** 2))) / mean;
}

describe('disparity figures of the counties, recomputed from the stored observations', () => {
  it.each(['unemployment_rate', 'gp_per_100k', 'childcare_rate_under3', 'share_foreigners_census22'])(
    '%s: Gini, Theil and coefficient of variation as the textbook defines them',
    async (code) => {
      const [answer] = await report([code]);
      const stored = await countyValues(code);
      expect(answer!.indicator.year).toBe(stored.year);
      expect(answer!.indicator.regionCount).toBe(stored.values.length);
      expect(answer!.indicator.aggregatedRegionCount).toBe(stored.aggregated);
      expect(answer!.gini).toBeCloseTo(textbookGini(stored.values), 12);
      expect(answer!.theil).toBeCloseTo(textbookTheil(stored.values), 12);
      expect(answer!.coefficientOfVariation).toBeCloseTo(textbookCv(stored.values), 12);
    },
  );

  // Net migration is negative in some counties: no relative measure of disparity is defined for it.
  it('gives no measure for an indicator with negative county values', async () => {
    const stored = await countyValues('net_migration_per_1000');
    expect(stored.values.some((value) => value < 0)).toBe(true);
    const [answer] = await report(['net_migration_per_1000']);
    expect([answer!.gini, answer!.theil, answer!.coefficientOfVariation]).toEqual([null, null, null]);
  });

  // The census 2022 results are published for municipalities; the counties' values are their sums and weighted means.
  it('says when the county values were computed from the municipalities', async () => {
    const [answer] = await report(['share_foreigners_census22']);
    expect(answer!.indicator.aggregatedRegionCount).toBe(answer!.indicator.regionCount);
    expect(answer!.indicator.aggregatedRegionCount).toBeGreaterThan(40);
  });
});
