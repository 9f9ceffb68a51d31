import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvRecords } from '@regiograph/shared';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** The real 2018 county figures, read here independently of the subgraph's seed. */
const counties = parseCsvRecords(readFileSync(path.join(__dirname, '..', 'subgraphs', 'indicators', 'data', 'county-population-2018.csv'), 'utf8')).map(
  ({ record }) => ({ code: record.ags!, population: Number(record.population), area: Number(record.area_km2) }),
);

const FIVE_INDICATORS = ['population', 'unemployment_rate', 'gp_per_100k', 'employees_social_security', 'childcare_rate_under3'];

function errorCodes(result: { errors?: { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

describe('indicators through the gateway', () => {
  it('answers the 2018 population of the counties of ArL Lüneburg (033) with names, summing to the district value', async () => {
    const { data, errors } = await stack.query<{
      region: {
        name: string;
        value: { value: number; status: string; indicator: { source: { official: boolean; attribution: string } } };
        descendants: { code: string; name: string; value: { value: number } }[];
      };
    }>(`{
      region(code: "033") {
        name
        value(indicator: "population", year: 2018) { value status indicator { source { official attribution } } }
        descendants(level: COUNTY) { code name value(indicator: "population", year: 2018) { value } }
      }
    }`);
    expect(errors).toBeUndefined();
    const district = data!.region;
    expect(district.name).toBe('Lüneburg');
    const expected = counties.filter((county) => county.code.startsWith('033'));
    expect(district.descendants.map((county) => county.code)).toEqual(expected.map((county) => county.code));
    expect(district.descendants.map((county) => county.value.value)).toEqual(expected.map((county) => county.population));
    expect(district.descendants.find((county) => county.code === '03355')?.name).toBe('Lüneburg');
    const sum = district.descendants.reduce((total, county) => total + county.value.value, 0);
    expect(district.value.value).toBe(sum);
    expect(district.value.indicator.source).toEqual({ official: true, attribution: 'Quelle: Statistisches Bundesamt (Destatis), GV-ISys' });
  });

  it('aggregates the state population to 7,982,448 and the density to total residents / total area', async () => {
    const { data } = await stack.query<{ region: { population: { value: number }; density: { value: number } } }>(`{
      region(code: "03") {
        population: value(indicator: "population") { value }
        density: value(indicator: "population_density", year: 2018) { value }
      }
    }`);
    expect(data!.region.population.value).toBe(7_982_448);
    const area = counties.reduce((sum, county) => sum + county.area, 0);
    expect(data!.region.density.value).toBeCloseTo(7_982_448 / area, 6);
  });

  it('lists the catalogue with official and synthetic indicators, their levels and years', async () => {
    const { data, errors } = await stack.query<{
      indicators: { code: string; official: boolean; synthetic: boolean; levels: string[]; years: number[]; source: { publisher: string } }[];
      labour: { code: string }[];
      search: { code: string }[];
    }>(`{
      indicators { code official synthetic levels years source { publisher } }
      labour: indicators(theme: LABOUR_MARKET) { code }
      search: indicators(search: "bevoelkerung") { code }
    }`);
    expect(errors).toBeUndefined();
    const official = data!.indicators.filter((indicator) => indicator.official).map((indicator) => indicator.code).sort();
    expect(official).toEqual(['area_km2', 'population', 'population_density', 'population_female', 'population_male']);
    const synthetic = data!.indicators.filter((indicator) => indicator.synthetic);
    expect(synthetic.length).toBeGreaterThanOrEqual(18);
    for (const indicator of synthetic) {
      expect(indicator.source.publisher).toMatch(/synthetic/i);
      expect(indicator.years).toEqual(Array.from({ length: 14 }, (_, index) => 2010 + index));
      expect(indicator.levels).toEqual(expect.arrayContaining(['COUNTY', 'MUNICIPALITY']));
    }
    expect(data!.labour.map((indicator) => indicator.code)).toContain('unemployment_rate');
    expect(data!.search.map((indicator) => indicator.code)).toEqual(expect.arrayContaining(['population', 'population_density']));
  });

  it("serves the analyst's table for 45 counties × 5 indicators × 14 years with names and parents in a constant number of statements", async () => {
    const { result, statements } = await stack.countStatements<{
      observationTable: { regions: { code: string; name: string; parent: { name: string } }[]; years: number[]; rows: { regionCode: string; year: number; values: (number | null)[] }[] };
    }>(
      `query Table($indicators: [ID!]!) {
        observationTable(indicators: $indicators, regions: { level: COUNTY }, fromYear: 2010, toYear: 2023) {
          regions { code name parent { name } }
          years
          rows { regionCode year values region { name } }
        }
      }`,
      { indicators: FIVE_INDICATORS },
    );
    expect(result.errors).toBeUndefined();
    const table = result.data!.observationTable;
    expect(table.regions).toHaveLength(45);
    expect(table.regions.find((region) => region.code === '03355')).toEqual({ code: '03355', name: 'Lüneburg', parent: { name: 'Lüneburg' } });
    expect(table.rows).toHaveLength(45 * 14);
    const row2018 = table.rows.find((row) => row.regionCode === '03101' && row.year === 2018)!;
    expect(row2018.values[0]).toBe(248_292);
    expect(row2018.values.slice(1).every((value) => typeof value === 'number')).toBe(true);
    // indicators: the catalogue and the observations. regions: the gateway fetches the entities of
    // `regions` and of `rows.region` separately (one statement each), plus one for all parents.
    expect(statements.indicators).toBe(2);
    expect(statements.regions).toBe(3);
  });

  it('costs the same number of statements for all 967 municipalities', async () => {
    const { result, statements } = await stack.countStatements<{
      observationTable: { regions: { name: string; parent: { name: string } }[]; rows: { values: (number | null)[] }[] };
    }>(
      `query Table($indicators: [ID!]!) {
        observationTable(indicators: $indicators, regions: { level: MUNICIPALITY }, fromYear: 2010, toYear: 2023) {
          regions { name parent { name } }
          rows { regionCode year values }
        }
      }`,
      { indicators: FIVE_INDICATORS },
    );
    expect(result.errors).toBeUndefined();
    const table = result.data!.observationTable;
    expect(table.regions).toHaveLength(967);
    expect(table.regions.every((region) => region.name.length > 0 && region.parent.name.length > 0)).toBe(true);
    expect(table.rows).toHaveLength(967 * 14);
    // Population exists for counties only; the 25 gemeindefreie Gebiete have no values at all.
    const populated = table.rows.filter((row) => row.values[0] === null && row.values.slice(1).some((value) => value !== null));
    expect(populated.length).toBeGreaterThan((967 - 25) * 14 * 0.95);
    expect(statements.indicators).toBe(2);
    expect(statements.regions).toBe(2);
  });

  it('batches Region.value, values, rank and comparison of all municipalities into one statement each', async () => {
    const { result, statements } = await stack.countStatements<{
      region: {
        descendants: {
          value: { value: number | null } | null;
          values: { year: number }[];
          rank: { rank: number; of: number } | null;
          comparison: { parentValue: number | null };
        }[];
      };
    }>(`{
      region(code: "03") {
        descendants(level: MUNICIPALITY) {
          value(indicator: "unemployment_rate") { value }
          values(indicators: ["gp_per_100k", "pharmacies"], fromYear: 2020, toYear: 2021) { year }
          rank(indicator: "unemployment_rate", year: 2020) { rank of }
          comparison(indicator: "unemployment_rate", year: 2020) { parentValue }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const municipalities = result.data!.region.descendants;
    expect(municipalities).toHaveLength(967);
    expect(municipalities.filter((m) => m.value?.value != null).length).toBeGreaterThan(900);
    expect(municipalities.every((m) => m.values.length === 4)).toBe(true);
    const ranked = municipalities.filter((m) => m.rank !== null);
    expect(ranked.length).toBeGreaterThan(900);
    expect(new Set(ranked.map((m) => m.rank!.of))).toEqual(new Set([ranked.length]));
    expect(municipalities.every((m) => m.comparison.parentValue !== null)).toBe(true);
    // The catalogue, the latest values, the series, one cross-section shared by rank and comparison.
    expect(statements.indicators).toBe(4);
  });

  it('gives a region its series, its latest values and a value in the latest year when none is asked', async () => {
    const { data, errors } = await stack.query<{
      region: {
        series: { indicatorCode: string; year: number; value: number }[];
        latest: { indicatorCode: string; year: number; status: string }[];
        latestValue: { year: number; status: string };
      };
    }>(`{
      region(code: "03355") {
        series: values(indicators: ["unemployment_rate", "population"], fromYear: 2017, toYear: 2019) { indicatorCode year value }
        latest: values(indicators: ["population", "unemployment_rate"], latest: true) { indicatorCode year status }
        latestValue: value(indicator: "unemployment_rate") { year status }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.region.series.map((row) => `${row.indicatorCode}:${row.year}`)).toEqual([
      'unemployment_rate:2017',
      'unemployment_rate:2018',
      'unemployment_rate:2019',
      'population:2018',
    ]);
    expect(data!.region.series[3]!.value).toBe(counties.find((county) => county.code === '03355')!.population);
    expect(data!.region.latest).toEqual([
      { indicatorCode: 'population', year: 2018, status: 'FINAL' },
      { indicatorCode: 'unemployment_rate', year: 2023, status: 'PROVISIONAL' },
    ]);
    expect(data!.region.latestValue).toEqual({ year: 2023, status: 'PROVISIONAL' });
  });

  it('ranks the counties by population like an independent sort of the CSV, and within a district', async () => {
    const { data, errors } = await stack.query<{
      ranking: { entries: { regionCode: string; rank: number; of: number; percentile: number; value: number; region: { name: string } }[] };
      lueneburg: { entries: { regionCode: string; rank: number }[] };
      region: { rank: { rank: number; of: number; percentile: number } };
    }>(`{
      ranking(indicator: "population", year: 2018, level: COUNTY) { entries { regionCode rank of percentile value region { name } } }
      lueneburg: ranking(indicator: "population", year: 2018, level: COUNTY, withinParent: "033") { entries { regionCode rank } }
      region(code: "03355") { rank(indicator: "population", year: 2018, withinParent: "033") { rank of percentile } }
    }`);
    expect(errors).toBeUndefined();
    const expected = [...counties].sort((a, b) => b.population - a.population);
    expect(data!.ranking.entries.map((entry) => entry.regionCode)).toEqual(expected.map((county) => county.code));
    expect(data!.ranking.entries[0]).toMatchObject({ rank: 1, of: 45, percentile: 100, value: expected[0]!.population, region: { name: 'Region Hannover' } });
    expect(data!.ranking.entries[44]).toMatchObject({ rank: 45, percentile: 0 });
    const inDistrict = expected.filter((county) => county.code.startsWith('033'));
    expect(data!.lueneburg.entries.map((entry) => entry.regionCode)).toEqual(inDistrict.map((county) => county.code));
    const position = inDistrict.findIndex((county) => county.code === '03355') + 1;
    expect(data!.region.rank).toEqual({ rank: position, of: inDistrict.length, percentile: (100 * (inDistrict.length - position)) / (inDistrict.length - 1) });
  });

  it('ranks lower-is-better indicators smallest first', async () => {
    const { data } = await stack.query<{
      ranking: { entries: { regionCode: string; rank: number; value: number }[] };
      observationTable: { cells: { regionCode: string; value: number | null }[] };
    }>(`{
      ranking(indicator: "unemployment_rate", year: 2015, level: COUNTY, withinParent: "034") { entries { regionCode rank value } }
      observationTable(indicators: ["unemployment_rate"], regions: { level: COUNTY, parentCode: "034" }, fromYear: 2015, toYear: 2015) { cells { regionCode value } }
    }`);
    const values = data!.observationTable.cells.map((cell) => cell.value!);
    const expectedRanks = data!.observationTable.cells.map((cell) => 1 + values.filter((value) => value < cell.value!).length);
    const ranks = new Map(data!.ranking.entries.map((entry) => [entry.regionCode, entry.rank]));
    expect(data!.observationTable.cells.map((cell) => ranks.get(cell.regionCode))).toEqual(expectedRanks);
    expect(data!.ranking.entries[0]!.value).toBe(Math.min(...values));
  });

  it('computes statistics like an independent computation from the CSV', async () => {
    const { data, errors } = await stack.query<{
      statistics: { count: number; min: number; max: number; mean: number; median: number; standardDeviation: number; sum: number };
    }>(`{
      statistics(indicator: "population", year: 2018, regions: { level: COUNTY }) { count min max mean median standardDeviation sum }
    }`);
    expect(errors).toBeUndefined();
    const values = counties.map((county) => county.population).sort((a, b) => a - b);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const deviation = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    expect(data!.statistics).toEqual({
      count: 45,
      min: values[0],
      max: values[44],
      mean: expect.closeTo(mean, 6),
      median: values[22],
      standardDeviation: expect.closeTo(deviation, 6),
      sum: 7_982_448,
    });
  });

  it("compares a county's density with its district's and the state's", async () => {
    const { data, errors } = await stack.query<{
      region: { comparison: { value: number; parentCode: string; parentValue: number; differenceToParent: number; stateValue: number; differenceToState: number; parent: { name: string } } };
    }>(`{
      region(code: "03355") {
        comparison(indicator: "population_density", year: 2018) { value parentCode parentValue differenceToParent stateValue differenceToState parent { name } }
      }
    }`);
    expect(errors).toBeUndefined();
    const density = (list: typeof counties) => list.reduce((sum, c) => sum + c.population, 0) / list.reduce((sum, c) => sum + c.area, 0);
    const county = density(counties.filter((c) => c.code === '03355'));
    const district = density(counties.filter((c) => c.code.startsWith('033')));
    const comparison = data!.region.comparison;
    expect(comparison.parentCode).toBe('033');
    expect(comparison.parent.name).toBe('Lüneburg');
    expect(comparison.value).toBeCloseTo(county, 6);
    expect(comparison.parentValue).toBeCloseTo(district, 6);
    expect(comparison.differenceToParent).toBeCloseTo(county - district, 6);
    expect(comparison.differenceToState).toBeCloseTo(county - density(counties), 6);
  });

  it('answers bad arguments with clear error codes', async () => {
    const unknownIndicator = await stack.query(`{ observationTable(indicators: ["population", "nope"], regions: { codes: ["03"] }) { years } }`);
    expect(errorCodes(unknownIndicator)).toEqual(['UNKNOWN_INDICATOR_CODES']);
    expect(unknownIndicator.errors![0]!.message).toContain('nope');
    const unknownRegion = await stack.query(`{ observationTable(indicators: ["population"], regions: { codes: ["03", "03999", "x"] }) { years } }`);
    expect(errorCodes(unknownRegion)).toEqual(['UNKNOWN_REGION_CODES']);
    expect(unknownRegion.errors![0]!.extensions!.codes).toEqual(['03999', 'x']);
    const inverted = await stack.query(`{ observationTable(indicators: ["population"], regions: { level: COUNTY }, fromYear: 2020, toYear: 2010) { years } }`);
    expect(errorCodes(inverted)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await stack.query(
      `{ observationTable(indicators: ["unemployment_rate", "gp_per_100k", "pharmacies", "mean_age_years", "births_per_1000", "general_schools", "overnight_stays", "retail_centrality"], regions: { level: MUNICIPALITY }, fromYear: 2010, toYear: 2023) { years } }`,
    );
    expect(errorCodes(tooMany)).toEqual(['TOO_MANY_ITEMS']);
    const notFound = await stack.query(`{ indicator(code: "nope") { code } }`);
    expect(errorCodes(notFound)).toEqual(['NOT_FOUND']);
    const valueOfUnknown = await stack.query(`{ region(code: "03355") { value(indicator: "nope") { value } } }`);
    expect(errorCodes(valueOfUnknown)).toEqual(['UNKNOWN_INDICATOR_CODES']);
    const badParent = await stack.query(`{ region(code: "03355") { rank(indicator: "population", year: 2018, withinParent: "031") { rank } } }`);
    expect(errorCodes(badParent)).toEqual(['BAD_USER_INPUT']);
    const bothSelections = await stack.query(`{ statistics(indicator: "population", year: 2018, regions: { codes: ["03355"], level: COUNTY }) { count } }`);
    expect(errorCodes(bothSelections)).toEqual(['BAD_USER_INPUT']);
  });

  it('reports a missing value as null with a status and a reason, never 0', async () => {
    const { data } = await stack.query<{ observationTable: { cells: { value: number | null; status: string; missingReason: string | null }[] } }>(`{
      observationTable(indicators: ["pharmacies"], regions: { level: MUNICIPALITY }, fromYear: 2018, toYear: 2018) { cells { value status missingReason } }
    }`);
    const missing = data!.observationTable.cells.filter((cell) => cell.value === null);
    expect(missing.length).toBeGreaterThanOrEqual(25);
    for (const cell of missing) {
      expect(['MISSING', 'SUPPRESSED']).toContain(cell.status);
      expect(cell.missingReason).toBeTruthy();
    }
  });
});
