// The disparity measures of real indicators over the 45 counties, recomputed here from the stored
// observations by the textbook formulas (the double sum for Gini, not the sorted form the code uses)
// and set against what the API answers: the figures a ministry would cite.
import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from '@regiograph/db';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from '../testing/server';

let server: SubgraphServer;
let url: string;
let database: DatabaseClient;
const counter = new SqlStatementCounter();

// startSeededServer seeds an empty database (a lone `npx jest`): 330,000 observations.
jest.setTimeout(300_000);

beforeAll(async () => {
  ({ server, url } = await startSeededServer(counter));
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
  unmeasurableReason: string | null;
  weightIndicatorCode: string;
  weightYear: number | null;
  weightedRegionCount: number;
  weightedGini: number | null;
  weightedTheil: number | null;
  weightedCoefficientOfVariation: number | null;
  weightedUnmeasurableReason: string | null;
}

async function report(codes: string[], weightYears: 'SAME_YEAR' | 'NEAREST_YEAR' = 'SAME_YEAR'): Promise<ReportIndicator[]> {
  const query = `{ disparities(indicators: ${JSON.stringify(codes)}, level: COUNTY, weightYears: ${weightYears}) {
    indicators { indicator { indicatorCode year regionCount aggregatedRegionCount } gini theil coefficientOfVariation unmeasurableReason
      weightIndicatorCode weightYear weightedRegionCount weightedGini weightedTheil weightedCoefficientOfVariation weightedUnmeasurableReason } } }`;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: { disparities: { indicators: ReportIndicator[] } }; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!.disparities.indicators;
}

interface DecompositionAnswer {
  theil: number;
  weightedTheil: number;
  plain: {
    groupLevel: string;
    theil: number;
    between: number;
    within: number;
    betweenShare: number;
    groups: { region: { code: string }; regionCount: number; mean: number; totalShare: number; theil: number }[];
  };
  weighted: { theil: number; between: number; within: number; groups: { region: { code: string }; weightShare: number; mean: number }[] };
}

interface GraphQLBody {
  data?: { disparities: { indicators: Record<string, unknown>[] } };
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function postRaw(query: string): Promise<GraphQLBody> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as GraphQLBody;
}

async function post(query: string): Promise<NonNullable<GraphQLBody['data']>> {
  const body = await postRaw(query);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** The counties' stored values of an indicator in its newest year with any county value, and which were computed. */
async function countyValues(code: string): Promise<{ year: number; values: number[]; aggregated: number; codes: string[] }> {
  const { rows } = await database.pool.query<{ year: number; value: number; aggregated: boolean; regionCode: string }>(
    `SELECT year, value, aggregated, region_code AS "regionCode" FROM indicators.observation
      WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL
        AND year = (SELECT max(year) FROM indicators.observation WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL)`,
    [code],
  );
  return {
    year: rows[0]!.year,
    values: rows.map((row) => row.value),
    aggregated: rows.filter((row) => row.aggregated).length,
    codes: rows.map((row) => row.regionCode),
  };
}

/** The counties' stored values of a weight indicator in one year, by county code. */
async function countyWeights(code: string, year: number): Promise<Map<string, number>> {
  const { rows } = await database.pool.query<{ regionCode: string; value: number }>(
    `SELECT region_code AS "regionCode", value FROM indicators.observation
      WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL AND year = $2`,
    [code, year],
  );
  return new Map(rows.map((row) => [row.regionCode, row.value]));
}

/** The years a weight indicator has county values in. */
async function countyWeightYears(code: string): Promise<number[]> {
  const { rows } = await database.pool.query<{ year: number }>(
    `SELECT DISTINCT year FROM indicators.observation
      WHERE indicator_code = $1 AND length(region_code) = 5 AND value IS NOT NULL ORDER BY year`,
    [code],
  );
  return rows.map((row) => row.year);
}

/** The catalogue's weight indicator of an indicator and its aggregation rule. */
async function catalogueWeight(code: string): Promise<{ aggregation: string; weightIndicatorCode: string | null }> {
  const { rows } = await database.pool.query<{ aggregation: string; weightIndicatorCode: string | null }>(
    `SELECT aggregation::text AS aggregation, weight_indicator_code AS "weightIndicatorCode" FROM indicators.indicator WHERE code = $1`,
    [code],
  );
  return rows[0]!;
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

/** The weights as shares pᵢ = wᵢ / Σ w and the weighted mean Σ pᵢ xᵢ. */
function shares(values: number[], weights: number[]): { p: number[]; mean: number } {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const p = weights.map((weight) => weight / total);
  return { p, mean: values.reduce((sum, value, index) => sum + p[index]! * value, 0) };
}

function weightedTextbookGini(values: number[], weights: number[]): number {
  const { p, mean } = shares(values, weights);
  let sum = 0;
  values.forEach((a, i) => values.forEach((b, j) => (sum += p[i]! * p[j]! * Math.abs(a - b))));
  return sum / (2 * mean);
}

function weightedTextbookTheil(values: number[], weights: number[]): number {
  const { p, mean } = shares(values, weights);
  return values.reduce((sum, value, i) => (value === 0 ? sum : sum + p[i]! * (value / mean) * Math.log(value / mean)), 0);
}

/** Williamson's coefficient of variation. */
function weightedTextbookCv(values: number[], weights: number[]): number {
  const { p, mean } = shares(values, weights);
  return Math.sqrt(values.reduce((sum, value, i) => sum + p[i]! * (value - mean) ** 2, 0)) / mean;
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

  // The weights as the catalogue names them: a WEIGHTED_MEAN's own weight indicator (population, children under 3, the census
  // population), read in the year of the values; the weighted measures by the double sum and the shares, not the code's sorted form.
  it.each(['unemployment_rate', 'childcare_rate_under3', 'share_foreigners_census22'])(
    '%s: weighted Gini, Theil and coefficient of variation (Williamson) with the catalogue’s weights of the same year',
    async (code) => {
      const [answer] = await report([code]);
      const stored = await countyValues(code);
      const catalogue = await catalogueWeight(code);
      expect(catalogue.aggregation).toBe('WEIGHTED_MEAN');
      expect(answer!.weightIndicatorCode).toBe(catalogue.weightIndicatorCode);
      const byCounty = await countyWeights(answer!.weightIndicatorCode, stored.year);
      const weights = stored.codes.map((county) => byCounty.get(county));
      // Every county with a value has its weight that year: else the measures are null (below).
      expect(weights.filter((weight) => weight === undefined).length).toBe(0);
      const present = weights as number[];
      expect(answer!.weightYear).toBe(stored.year);
      expect(answer!.weightedRegionCount).toBe(stored.values.length);
      expect([answer!.unmeasurableReason, answer!.weightedUnmeasurableReason]).toEqual([null, null]);
      expect(answer!.weightedGini).toBeCloseTo(weightedTextbookGini(stored.values, present), 12);
      expect(answer!.weightedTheil).toBeCloseTo(weightedTextbookTheil(stored.values, present), 12);
      expect(answer!.weightedCoefficientOfVariation).toBeCloseTo(weightedTextbookCv(stored.values, present), 12);
      // Weighted by size, not a copy of the unweighted figures.
      expect(answer!.weightedGini).not.toBeCloseTo(answer!.gini!, 6);
    },
  );

  // gp_per_100k's newest county year is one the population has no county values for: no weight of another year is filled in.
  it('gives no weighted measure when the weight indicator has no value that year, and says so', async () => {
    const [answer] = await report(['gp_per_100k']);
    const stored = await countyValues('gp_per_100k');
    expect(answer!.weightIndicatorCode).toBe('population');
    expect((await countyWeights('population', stored.year)).size).toBe(0);
    expect(answer!.gini).toBeCloseTo(textbookGini(stored.values), 12);
    expect([answer!.weightYear, answer!.weightedRegionCount]).toEqual([null, 0]);
    expect([answer!.weightedGini, answer!.weightedTheil, answer!.weightedCoefficientOfVariation]).toEqual([null, null, null]);
    expect([answer!.unmeasurableReason, answer!.weightedUnmeasurableReason]).toEqual([null, 'WEIGHTS_MISSING']);
  });

  // Asked for, the nearest year with weights stands in, and the answer names it: 2022's values by the population of the
  // nearest county year, by the textbook formulas over the stored values and the stored weights of that year.
  it('weighs by the nearest year with weights when asked (weightYears: NEAREST_YEAR), and names that year', async () => {
    const stored = await countyValues('gp_per_100k');
    const years = await countyWeightYears('population');
    expect(years).not.toContain(stored.year);
    const nearest = [...years].sort((a, b) => Math.abs(a - stored.year) - Math.abs(b - stored.year) || a - b)[0]!;
    const byCounty = await countyWeights('population', nearest);
    const weights = stored.codes.map((county) => byCounty.get(county)!);
    expect(weights.every((weight) => weight > 0)).toBe(true);
    counter.reset();
    const [answer] = await report(['gp_per_100k'], 'NEAREST_YEAR');
    // The weights' year is chosen in the report's statement: the same count as without weights of another year.
    const nearestStatements = counter.count;
    counter.reset();
    await report(['gp_per_100k']);
    expect(nearestStatements).toBe(counter.count);
    expect(answer!.indicator.year).toBe(stored.year);
    expect([answer!.weightIndicatorCode, answer!.weightYear, answer!.weightedRegionCount]).toEqual([
      'population',
      nearest,
      stored.values.length,
    ]);
    expect(answer!.weightedUnmeasurableReason).toBeNull();
    expect(answer!.weightedGini).toBeCloseTo(weightedTextbookGini(stored.values, weights), 12);
    expect(answer!.weightedTheil).toBeCloseTo(weightedTextbookTheil(stored.values, weights), 12);
    expect(answer!.weightedCoefficientOfVariation).toBeCloseTo(weightedTextbookCv(stored.values, weights), 12);
    // The unweighted measures do not depend on the weights' year.
    expect(answer!.gini).toBeCloseTo(textbookGini(stored.values), 12);
  });

  // Where the values' year has weights, NEAREST_YEAR takes that year: the same figures as SAME_YEAR.
  it('keeps the values’ own year when it has weights, with NEAREST_YEAR as without', async () => {
    const [same] = await report(['unemployment_rate']);
    const [nearest] = await report(['unemployment_rate'], 'NEAREST_YEAR');
    expect(nearest!.weightYear).toBe(nearest!.indicator.year);
    expect(nearest).toEqual(same);
  });

  // The textbook decomposition over the stored county values grouped by their ArL district (the ARS's first three digits):
  // between = Σ s_g ln(μ_g/μ) with s_g = P_g μ_g / μ, within = Σ s_g T_g, unweighted and by the catalogue's weights.
  it('splits the Theil index into the part between the ArL districts and the part within them', async () => {
    const query = `{ disparities(indicators: ["unemployment_rate"], level: COUNTY) { indicators { theil weightedTheil
      plain: theilDecomposition { groupLevel theil between within betweenShare groups { region { code } regionCount mean totalShare theil } }
      weighted: theilDecomposition(weighted: true) { theil between within groups { region { code } weightShare mean } } } } }`;
    const answer = (await post(query)).disparities.indicators[0] as unknown as DecompositionAnswer;
    const stored = await countyValues('unemployment_rate');
    const weights = await countyWeights('population', stored.year);
    const textbook = (shares: number[]) => {
      const mu = stored.values.reduce((sum, value, i) => sum + shares[i]! * value, 0);
      const byDistrict = new Map<string, number[]>();
      stored.codes.forEach((code, i) => byDistrict.set(code.slice(0, 3), [...(byDistrict.get(code.slice(0, 3)) ?? []), i]));
      let between = 0;
      let within = 0;
      const groups = [...byDistrict.keys()].sort().map((district) => {
        const members = byDistrict.get(district)!;
        const weight = members.reduce((sum, i) => sum + shares[i]!, 0);
        const groupMean = members.reduce((sum, i) => sum + shares[i]! * stored.values[i]!, 0) / weight;
        const groupTheil = members.reduce(
          (sum, i) => sum + (shares[i]! / weight) * (stored.values[i]! / groupMean) * Math.log(stored.values[i]! / groupMean),
          0,
        );
        const s = (weight * groupMean) / mu;
        between += s * Math.log(groupMean / mu);
        within += s * groupTheil;
        return { district, count: members.length, weight, groupMean, s, groupTheil };
      });
      return { between, within, groups };
    };
    const plain = textbook(stored.values.map(() => 1 / stored.values.length));
    expect(answer.plain.groupLevel).toBe('DISTRICT');
    expect(answer.plain.theil).toBe(answer.theil);
    expect(answer.plain.between).toBeCloseTo(plain.between, 12);
    expect(answer.plain.within).toBeCloseTo(plain.within, 12);
    expect(answer.plain.between + answer.plain.within).toBeCloseTo(answer.theil, 12);
    expect(answer.plain.betweenShare).toBeCloseTo(plain.between / answer.theil, 12);
    expect(answer.plain.groups.map((group) => [group.region.code, group.regionCount])).toEqual(
      plain.groups.map((group) => [group.district, group.count]),
    );
    expect(answer.plain.groups.map((group) => group.region.code)).toEqual(['031', '032', '033', '034']);
    answer.plain.groups.forEach((group, i) => {
      expect(group.mean).toBeCloseTo(plain.groups[i]!.groupMean, 12);
      expect(group.totalShare).toBeCloseTo(plain.groups[i]!.s, 12);
      expect(group.theil).toBeCloseTo(plain.groups[i]!.groupTheil, 12);
    });
    const total = stored.codes.reduce((sum, code) => sum + weights.get(code)!, 0);
    const weighted = textbook(stored.codes.map((code) => weights.get(code)! / total));
    expect(answer.weighted.theil).toBe(answer.weightedTheil);
    expect(answer.weighted.between).toBeCloseTo(weighted.between, 12);
    expect(answer.weighted.within).toBeCloseTo(weighted.within, 12);
    answer.weighted.groups.forEach((group, i) => {
      expect(group.weightShare).toBeCloseTo(weighted.groups[i]!.weight, 12);
      expect(group.mean).toBeCloseTo(weighted.groups[i]!.groupMean, 12);
    });
  });

  // Municipalities are grouped by their county unless asked otherwise; by ArL district when asked.
  it('groups municipalities by county by default, by ArL district when asked, each adding up to the index', async () => {
    const query = `{ disparities(indicators: ["share_foreigners_census22"], level: MUNICIPALITY) { indicators { theil indicator { regionCount }
      byCounty: theilDecomposition { groupLevel between within groups { region { code } regionCount } }
      byDistrict: theilDecomposition(groupLevel: DISTRICT) { groupLevel between within groups { region { code } } } } } }`;
    const answer = (await post(query)).disparities.indicators[0] as {
      theil: number;
      indicator: { regionCount: number };
      byCounty: { groupLevel: string; between: number; within: number; groups: { region: { code: string }; regionCount: number }[] };
      byDistrict: { groupLevel: string; between: number; within: number; groups: { region: { code: string } }[] };
    };
    expect(answer.byCounty.groupLevel).toBe('COUNTY');
    expect(answer.byCounty.groups).toHaveLength(45);
    expect(answer.byCounty.groups.reduce((sum, group) => sum + group.regionCount, 0)).toBe(answer.indicator.regionCount);
    expect(answer.byCounty.between + answer.byCounty.within).toBeCloseTo(answer.theil, 12);
    expect(answer.byDistrict.groups.map((group) => group.region.code)).toEqual(['031', '032', '033', '034']);
    expect(answer.byDistrict.between + answer.byDistrict.within).toBeCloseTo(answer.theil, 12);
    // Counties nest in districts: the districts' means are coarser, so less lies between them.
    expect(answer.byDistrict.between).toBeLessThan(answer.byCounty.between);
  });

  it('refuses a group level that is not above the regions and below the state, naming the argument', async () => {
    // The census shares have municipal values; the unemployment rate has county values only.
    for (const [code, level, groupLevel] of [
      ['unemployment_rate', 'COUNTY', 'COUNTY'],
      ['unemployment_rate', 'COUNTY', 'STATE'],
      ['share_foreigners_census22', 'MUNICIPALITY', 'MUNICIPALITY'],
      ['share_foreigners_census22', 'MUNICIPALITY', 'MUNICIPAL_ASSOCIATION'],
    ] as const) {
      const body = await postRaw(
        `{ disparities(indicators: ["${code}"], level: ${level}) { indicators { theilDecomposition(groupLevel: ${groupLevel}) { between } } } }`,
      );
      expect(body.errors?.[0]?.message).toBe(
        `theilDecomposition groups the ${level} regions by the ArL districts (DISTRICT) or the counties (COUNTY) above them, not ${groupLevel}.`,
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'groupLevel' });
    }
    const districts = await postRaw(
      `{ disparities(indicators: ["unemployment_rate"], level: DISTRICT) { indicators { theilDecomposition { between } } } }`,
    );
    expect(districts.errors?.[0]?.message).toBe(
      'theilDecomposition groups the DISTRICT regions by the ArL districts (DISTRICT) or the counties (COUNTY) above them: the districts have none above them.',
    );
  });

  // Net migration is negative in some counties: no relative measure of disparity is defined for it.
  it('gives no measure for an indicator with negative county values', async () => {
    const stored = await countyValues('net_migration_per_1000');
    expect(stored.values.some((value) => value < 0)).toBe(true);
    const [answer] = await report(['net_migration_per_1000']);
    expect([answer!.gini, answer!.theil, answer!.coefficientOfVariation]).toEqual([null, null, null]);
    expect([answer!.weightedGini, answer!.weightedTheil, answer!.weightedCoefficientOfVariation]).toEqual([null, null, null]);
    // The API says why, weighted or not: the client has nothing to guess.
    expect([answer!.unmeasurableReason, answer!.weightedUnmeasurableReason]).toEqual(['NEGATIVE_VALUE', 'NEGATIVE_VALUE']);
  });

  // The census 2022 results are published for municipalities; the counties' values are their sums and weighted means.
  it('says when the county values were computed from the municipalities', async () => {
    const [answer] = await report(['share_foreigners_census22']);
    expect(answer!.indicator.aggregatedRegionCount).toBe(answer!.indicator.regionCount);
    expect(answer!.indicator.aggregatedRegionCount).toBeGreaterThan(40);
  });
});
