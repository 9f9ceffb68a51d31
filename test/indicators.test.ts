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

const MONITORING = path.join(__dirname, '..', 'subgraphs', 'indicators', 'data', 'monitoring');

/** The shipped value files, read here independently of the subgraph's loader: `source_id:series` → `ags|year` → value. */
function readShipped(file: string): Map<string, Map<string, number>> {
  const series = new Map<string, Map<string, number>>();
  for (const { record } of parseCsvRecords(readFileSync(path.join(MONITORING, file), 'utf8'))) {
    const key = `${record.source_id}:${record.series}`;
    let values = series.get(key);
    if (!values) series.set(key, (values = new Map()));
    values.set(`${record.ags}|${record.year}`, Number(record.value));
  }
  return series;
}
const countyFile = readShipped('values-county.csv');
const municipalFile = readShipped('values-municipality.csv');
const shipped = (series: string, ags: string, year: number) =>
  countyFile.get(series)?.get(`${ags}|${year}`) ?? municipalFile.get(series)?.get(`${ags}|${year}`);

/** The 45 current counties (their keys in the 2018 area file of the Regionaldatenbank). */
const COUNTY_CODES = [...countyFile.get('regionalstatistik-11111-01-01-4:area_km2')!.keys()]
  .filter((key) => key.endsWith('|2018') && key.length === '03101|2018'.length)
  .map((key) => key.slice(0, 5))
  .sort();
/** 31.12.2018: 12411-0015 lacks Göttingen (03159) that year; the sum of its 34 age groups (12411-0018) stands in. */
const population2018 = (code: string) =>
  shipped('destatis-12411-0015:population_total', code, 2018) ??
  shipped('derived-population:population_total_DERIVED_sum_of_34_sex_agegroups', code, 2018)!;
const counties = COUNTY_CODES.map((code) => ({
  code,
  population: population2018(code),
  area: shipped('regionalstatistik-11111-01-01-4:area_km2', code, 2018)!,
}));
const ATTRIBUTION_2018 =
  '© Statistisches Bundesamt (Destatis), GENESIS-Online 12411-0015, 12411-0018, Gemeindeverzeichnis GV-ISys; Datenlizenz Deutschland – Namensnennung – Version 2.0 (www.govdata.de/dl-de/by-2-0)';

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
    expect(district.value.indicator.source).toEqual({ official: true, attribution: ATTRIBUTION_2018 });
  });

  it('serves the published state population 7,982,448 for 2018, which the county values add up to, and the density as residents / area', async () => {
    const { data } = await stack.query<{ region: { population: { value: number }; density: { value: number } } }>(`{
      region(code: "03") {
        population: value(indicator: "population", year: 2018) { value }
        density: value(indicator: "population_density", year: 2018) { value }
      }
    }`);
    expect(shipped('destatis-12411-0015:population_total', '03', 2018)).toBe(7_982_448);
    expect(data!.region.population.value).toBe(7_982_448);
    expect(counties.reduce((sum, county) => sum + county.population, 0)).toBe(7_982_448);
    expect(data!.region.density.value).toBeCloseTo(7_982_448 / shipped('regionalstatistik-11111-01-01-4:area_km2', '03', 2018)!, 6);
  });

  it('lists the catalogue with official and synthetic indicators, their levels and years', async () => {
    const { data, errors } = await stack.query<{
      indicators: {
        code: string;
        official: boolean;
        synthetic: boolean;
        levels: string[];
        years: number[];
        source: { publisher: string };
      }[];
      labour: { code: string }[];
      search: { code: string }[];
    }>(`{
      indicators { code official synthetic levels years source { publisher } }
      labour: indicators(theme: LABOUR_MARKET) { code }
      search: indicators(search: "bevoelkerung") { code }
    }`);
    expect(errors).toBeUndefined();
    const official = data!.indicators.filter((indicator) => indicator.official).map((indicator) => indicator.code);
    expect(official).toEqual(
      expect.arrayContaining([
        'area_km2',
        'population',
        'population_density',
        'population_female',
        'population_male',
        'unemployment_rate',
        'gp_per_100k',
      ]),
    );
    // Other test files import indicators of their own (codes test_…) into the same database meanwhile.
    const synthetic = data!.indicators.filter((indicator) => indicator.synthetic && !indicator.code.startsWith('test_'));
    // What no official series covers stays synthetic (README, "Data and attribution").
    expect(synthetic.map((indicator) => indicator.code).sort()).toEqual([
      'births_per_1000',
      'business_registrations',
      'distance_supermarket_m',
      'ev_charging_points',
      'general_schools',
      'net_migration_per_1000',
      'overnight_stays',
      'pharmacies',
      'public_transport_departures',
      'renewable_electricity_share',
      'retail_centrality',
      'travel_time_hospital_min',
      'travel_time_motorway_min',
    ]);
    for (const indicator of synthetic) {
      expect(indicator.source.publisher).toMatch(/synthetic/i);
      expect(indicator.years).toEqual(Array.from({ length: 14 }, (_, index) => 2010 + index));
      expect(indicator.levels).toEqual(expect.arrayContaining(['COUNTY', 'MUNICIPALITY']));
    }
    expect(data!.labour.map((indicator) => indicator.code)).toContain('unemployment_rate');
    expect(data!.search.map((indicator) => indicator.code)).toEqual(expect.arrayContaining(['population', 'population_density']));
  });

  it('lists a level or year only where a value is stored, not where rows only say MISSING', async () => {
    const { data, errors } = await stack.query<{
      census: { levels: string[]; years: number[] };
      stateIndicators: { code: string }[];
      state: { value: { value: number | null; status: string } };
    }>(`{
      census: indicator(code: "population_census22") { levels years }
      stateIndicators: indicators(level: STATE, official: true) { code }
      state: region(code: "03") { value(indicator: "population_census22", year: 2022) { value status } }
    }`);
    expect(errors).toBeUndefined();
    // The state's Zensus sum is a MISSING row (one county has no value), so the state level has none.
    expect(data!.state.value).toEqual({ value: null, status: 'MISSING' });
    expect(data!.census.levels).toEqual(['DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY']);
    expect(data!.census.years).toEqual([2022]);
    const listed = data!.stateIndicators.map((indicator) => indicator.code);
    expect(listed).toContain('population');
    for (const code of ['population_census22', 'dwellings_census22', 'vacancy_rate_census22']) expect(listed).not.toContain(code);
  });

  it("serves the analyst's table for 45 counties × 5 indicators × 14 years with names and parents in a constant number of statements", async () => {
    const { result, statements } = await stack.countStatements<{
      observationTable: {
        regions: { code: string; name: string; parent: { name: string } }[];
        years: number[];
        rows: { regionCode: string; year: number; values: (number | null)[] }[];
      };
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
    expect(table.regions.find((region) => region.code === '03355')).toEqual({
      code: '03355',
      name: 'Lüneburg',
      parent: { name: 'Lüneburg' },
    });
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
      observationTable: { regions: { name: string; parent: { name: string } }[]; rows: { year: number; values: (number | null)[] }[] };
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
    // Of the five, municipalities have only the population (GV-ISys: 2013, 2017, 2019, 2021, 2023).
    const withPopulation = table.rows.filter((row) => row.values[0] !== null);
    expect(new Set(withPopulation.map((row) => row.year))).toEqual(new Set([2013, 2017, 2019, 2021, 2023]));
    expect(withPopulation.filter((row) => row.year === 2021)).toHaveLength(963);
    expect(table.rows.every((row) => row.values.slice(1).every((value) => value === null))).toBe(true);
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
          value(indicator: "population_density") { value }
          values(indicators: ["pharmacies", "distance_supermarket_m"], fromYear: 2020, toYear: 2021) { year }
          rank(indicator: "population_density", year: 2019) { rank of }
          comparison(indicator: "population_density", year: 2019) { parentValue }
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
    expect(municipalities.filter((m) => m.comparison.parentValue !== null).length).toBeGreaterThan(900);
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
    expect(data!.region.series).toEqual([
      { indicatorCode: 'unemployment_rate', year: 2017, value: shipped('inkar-bbsr-via-gerda:unemployment_rate', '03355', 2017) },
      { indicatorCode: 'unemployment_rate', year: 2018, value: shipped('inkar-bbsr-via-gerda:unemployment_rate', '03355', 2018) },
      { indicatorCode: 'unemployment_rate', year: 2019, value: shipped('inkar-bbsr-via-gerda:unemployment_rate', '03355', 2019) },
      { indicatorCode: 'population', year: 2017, value: shipped('destatis-12411-0015:population_total', '03355', 2017) },
      { indicatorCode: 'population', year: 2018, value: counties.find((county) => county.code === '03355')!.population },
      // 2019 continues the series with the sum of the county's 34 age groups (12411-0018).
      {
        indicatorCode: 'population',
        year: 2019,
        value: shipped('derived-population:population_total_DERIVED_sum_of_34_sex_agegroups', '03355', 2019),
      },
    ]);
    // 2023: the sum of the municipalities (GV-ISys); INKAR's unemployment rate runs to 2021.
    expect(data!.region.latest).toEqual([
      { indicatorCode: 'population', year: 2023, status: 'FINAL' },
      { indicatorCode: 'unemployment_rate', year: 2021, status: 'FINAL' },
    ]);
    expect(data!.region.latestValue).toEqual({ year: 2021, status: 'FINAL' });
  });

  it("picks the latest of 250 municipalities' series in SQL: the newest with a value, else the newest, in one statement", async () => {
    type Observation = { indicatorCode: string; year: number; value: number | null; status: string };
    const all = await stack.query<{ regions: { nodes: { code: string }[] } }>(
      '{ regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { code } } }',
    );
    // 250: with their whole series beside, 500 would be over the gateway's cost limit.
    const codes = all.data!.regions.nodes.map((node) => node.code).slice(0, 250);
    expect(codes).toHaveLength(250);
    // pharmacies has suppressed (null) values; population only some years at this level.
    const indicators = ['pharmacies', 'population', 'distance_supermarket_m'];
    const { result, statements } = await stack.countStatements<{
      regionsByCodes: { code: string; latest: Observation[]; ranged: Observation[]; series: Observation[] }[];
    }>(
      `query ($codes: [ID!]!, $indicators: [ID!]!) {
        regionsByCodes(codes: $codes) {
          code
          latest: values(indicators: $indicators, latest: true) { indicatorCode year value status }
          ranged: values(indicators: $indicators, fromYear: 2012, toYear: 2018, latest: true) { indicatorCode year value status }
          series: values(indicators: $indicators) { indicatorCode year value status }
        }
      }`,
      { codes, indicators },
    );
    expect(result.errors).toBeUndefined();
    /** The latest per indicator as the field defines it, picked here from the whole series. */
    const newest = (series: Observation[], from = -Infinity, to = Infinity) =>
      indicators.flatMap((code) => {
        const years = series
          .filter((row) => row.indicatorCode === code && row.year >= from && row.year <= to)
          .sort((a, b) => b.year - a.year);
        const pick = years.find((row) => row.value !== null) ?? years[0];
        return pick ? [pick] : [];
      });
    let fellBack = 0;
    for (const region of result.data!.regionsByCodes) {
      expect(region.series.length).toBeGreaterThan(region.latest.length);
      expect(region.latest).toEqual(newest(region.series));
      expect(region.ranged).toEqual(newest(region.series, 2012, 2018));
      fellBack += region.latest.filter((row) => row.value === null).length + region.ranged.filter((row) => row.value === null).length;
    }
    expect(result.data!.regionsByCodes.every((region) => region.latest.length === 3)).toBe(true);
    // Some series have no value in the range at all: the newest null stands in.
    expect(fellBack).toBeGreaterThan(0);
    // The catalogue, then one statement per distinct set of arguments (two latest, one series).
    expect(statements.indicators).toBe(4);
  });

  it("keeps the asked order of regions and indicators in the table's cells and rows", async () => {
    type Cell = { regionCode: string; indicatorCode: string; year: number; value: number | null };
    const regionCodes = ['03459', '03101', '033550022022', '03355'];
    const indicators = ['unemployment_rate', 'population', 'pharmacies'];
    const { result, statements } = await stack.countStatements<{
      observationTable: {
        regionCodes: string[];
        years: number[];
        cells: Cell[];
        rows: { regionCode: string; year: number; values: (number | null)[]; cells: (Cell | null)[] }[];
      };
    }>(
      `query ($regions: [ID!]!, $indicators: [ID!]!) {
        observationTable(indicators: $indicators, regions: { codes: $regions }, fromYear: 2014, toYear: 2022) {
          regionCodes years
          cells { regionCode indicatorCode year value }
          rows { regionCode year values cells { regionCode indicatorCode year value } }
        }
      }`,
      { regions: regionCodes, indicators },
    );
    expect(result.errors).toBeUndefined();
    const table = result.data!.observationTable;
    expect(table.regionCodes).toEqual(regionCodes);
    expect(table.years).toEqual([2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]);
    const position = (cell: Cell) => [regionCodes.indexOf(cell.regionCode), indicators.indexOf(cell.indicatorCode), cell.year];
    const sorted = [...table.cells].sort((a, b) => {
      const [pa, pb] = [position(a), position(b)];
      return pa[0]! - pb[0]! || pa[1]! - pb[1]! || pa[2]! - pb[2]!;
    });
    expect(table.cells).toEqual(sorted);
    expect(new Set(table.cells.map((cell) => cell.regionCode))).toEqual(new Set(regionCodes));
    expect(table.rows.map((row) => `${row.regionCode}|${row.year}`)).toEqual(
      regionCodes.flatMap((code) => table.years.map((year) => `${code}|${year}`)),
    );
    const byKey = new Map(table.cells.map((cell) => [`${cell.regionCode}|${cell.indicatorCode}|${cell.year}`, cell]));
    let filled = 0;
    for (const row of table.rows) {
      const expected = indicators.map((code) => byKey.get(`${row.regionCode}|${code}|${row.year}`) ?? null);
      expect(row.cells).toEqual(expected);
      expect(row.values).toEqual(expected.map((cell) => cell?.value ?? null));
      filled += expected.filter((cell) => cell !== null).length;
    }
    expect(filled).toBe(table.cells.length);
    expect(statements.indicators).toBe(2);
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
    expect(data!.ranking.entries[0]).toMatchObject({
      rank: 1,
      of: 45,
      percentile: 100,
      value: expected[0]!.population,
      region: { name: 'Region Hannover' },
    });
    expect(data!.ranking.entries[44]).toMatchObject({ rank: 45, percentile: 0 });
    const inDistrict = expected.filter((county) => county.code.startsWith('033'));
    expect(data!.lueneburg.entries.map((entry) => entry.regionCode)).toEqual(inDistrict.map((county) => county.code));
    const position = inDistrict.findIndex((county) => county.code === '03355') + 1;
    expect(data!.region.rank).toEqual({
      rank: position,
      of: inDistrict.length,
      percentile: (100 * (inDistrict.length - position)) / (inDistrict.length - 1),
    });
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
      region: {
        comparison: {
          value: number;
          parentCode: string;
          parentValue: number;
          differenceToParent: number;
          stateValue: number;
          differenceToState: number;
          parent: { name: string };
        };
      };
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
    expect(comparison.differenceToState).toBeCloseTo(
      county - 7_982_448 / shipped('regionalstatistik-11111-01-01-4:area_km2', '03', 2018)!,
      6,
    );
  });

  it('lists at least 60 official indicators, each with source code, licence and attribution, found by their source codes', async () => {
    const { data, errors } = await stack.query<{
      official: {
        code: string;
        official: boolean;
        attribution: string;
        source: { code: string; licence: string; attribution: string; referencePeriod: string };
      }[];
      all: { code: string; official: boolean }[];
      alo: { code: string }[];
      genesis: { code: string }[];
      density: { derivedFrom: { formula: string; inputCodes: string[]; inputs: { code: string }[] } };
      gp: { unit: string; breakNotes: string; derivedFrom: null; source: { code: string } };
      population: { breakNotes: string; theme: string };
      abitur: { breakNotes: string };
      longTerm: { breakNotes: string };
    }>(`{
      official: indicators(official: true) { code official attribution source { code licence attribution referencePeriod } }
      all: indicators { code official }
      alo: indicators(search: "q_alo") { code }
      genesis: indicators(search: "12411-0015") { code }
      density: indicator(code: "population_density") { derivedFrom { formula inputCodes inputs { code } } }
      gp: indicator(code: "gp_per_100k") { unit breakNotes derivedFrom { formula } source { code } }
      population: indicator(code: "population") { breakNotes theme }
      abitur: indicator(code: "school_leavers_abitur") { breakNotes }
      longTerm: indicator(code: "share_longterm_unemployed") { breakNotes }
    }`);
    expect(errors).toBeUndefined();
    const official = data!.official;
    expect(official.length).toBeGreaterThanOrEqual(60);
    for (const indicator of official) {
      expect(indicator.official).toBe(true);
      expect(indicator.source.code).not.toBe('');
      expect(indicator.source.licence).toBe('dl-de/by-2-0');
      expect(indicator.source.attribution).toMatch(/Datenlizenz Deutschland – Namensnennung – Version 2\.0/);
      expect(indicator.attribution).toBe(indicator.source.attribution);
      expect(indicator.source.referencePeriod).not.toBe('');
    }
    // official: true leaves out exactly the synthetic ones.
    expect(official.map((indicator) => indicator.code).sort()).toEqual(
      data!.all
        .filter((indicator) => indicator.official)
        .map((indicator) => indicator.code)
        .sort(),
    );
    expect(data!.all.length).toBeGreaterThan(official.length);
    // The contract's codes: real where official data covers the concept, synthetic otherwise.
    const realCodes = [
      'population',
      'area_km2',
      'population_density',
      'share_65plus',
      'median_age_years',
      'unemployment_rate',
      'employees_social_security',
      'gdp_per_inhabitant',
      'gdp_per_employee_eur',
      'purchasing_power',
      'gp_per_100k',
      'childcare_rate_under3',
      'school_leavers_without_degree',
      'cars_per_1000',
      'settlement_area_share',
    ];
    const syntheticCodes = [
      'public_transport_departures',
      'ev_charging_points',
      'distance_supermarket_m',
      'travel_time_hospital_min',
      'net_migration_per_1000',
      'business_registrations',
      'renewable_electricity_share',
    ];
    const officialOf = new Map(data!.all.map((indicator) => [indicator.code, indicator.official]));
    expect(realCodes.map((code) => officialOf.get(code))).toEqual(realCodes.map(() => true));
    expect(syntheticCodes.map((code) => officialOf.get(code))).toEqual(syntheticCodes.map(() => false));
    expect(data!.alo.map((indicator) => indicator.code)).toContain('unemployment_rate');
    expect(data!.genesis.map((indicator) => indicator.code)).toContain('population');
    expect(data!.density.derivedFrom).toEqual({
      formula: 'population / area_km2',
      inputCodes: ['population', 'area_km2'],
      inputs: [{ code: 'population' }, { code: 'area_km2' }],
    });
    expect(data!.gp).toMatchObject({ unit: 'je 100.000 Einwohner', derivedFrom: null, source: { code: 'q_hausarzt_bev' } });
    expect(data!.gp.breakNotes).toMatch(/10\.000/);
    // INKAR (via GERDA) gives both keys formed since 2001 values on the area of 2021 for every year.
    expect(data!.gp.breakNotes).toMatch(
      /Göttingen \(03159\) und vor dem 01\.11\.2001 für die Region Hannover \(03241\) sind Rückrechnungen/,
    );
    expect(data!.population.breakNotes).toMatch(/Zensus 2011/);
    expect(data!.population.breakNotes).toMatch(/Göttingen/);
    // The double cohort of 2011 and the missing one of 2020 are named, so no one reads them as a trend.
    expect(data!.abitur.breakNotes).toMatch(/2011 und 2020 sind Sonderwerte/);
    // Values the source gives that cannot be right are served as given, and said so.
    expect(data!.longTerm.breakNotes).toMatch(/Heidekreis \(03358\) 2007 und 2008: 4,69 und 3,81 %/);
  });

  it('runs the county time series back to 1995 where the source has them', async () => {
    const { data, errors } = await stack.query<{
      observationTable: { cells: { regionCode: string; indicatorCode: string; year: number; value: number | null }[] };
      region: { values: { year: number }[] };
    }>(`{
      observationTable(indicators: ["median_age_years", "share_65plus", "population", "area_km2"], regions: { level: COUNTY }, fromYear: 1995, toYear: 1995) {
        cells { regionCode indicatorCode year value }
      }
      region(code: "03355") { values(indicators: ["population"]) { year } }
    }`);
    expect(errors).toBeUndefined();
    const cells = data!.observationTable.cells.filter((cell) => cell.value !== null);
    const codesWith = (indicator: string) =>
      cells
        .filter((cell) => cell.indicatorCode === indicator)
        .map((cell) => cell.regionCode)
        .sort();
    // INKAR is harmonised to today's counties; GENESIS has Region Hannover (03241) only from 2001 and
    // today's Göttingen (03159) only from 2016 (their predecessors are not in the shipped files); the
    // Regionaldatenbank's area is back-calculated for Region Hannover, not for Göttingen.
    expect(codesWith('median_age_years')).toEqual(COUNTY_CODES);
    expect(codesWith('share_65plus')).toEqual(COUNTY_CODES);
    expect(codesWith('population')).toEqual(COUNTY_CODES.filter((code) => code !== '03159' && code !== '03241'));
    expect(codesWith('area_km2')).toEqual(COUNTY_CODES.filter((code) => code !== '03159'));
    for (const cell of cells.filter((c) => c.indicatorCode === 'population'))
      expect(cell.value).toBe(shipped('destatis-12411-0015:population_total', cell.regionCode, 1995));
    const years = data!.region.values.map((row) => row.year);
    expect(years.filter((year) => year >= 1995)).toEqual([...Array.from({ length: 2021 - 1995 + 1 }, (_, index) => 1995 + index), 2023]);
  });

  it('reproduces from the shipped files a county, the state, a district aggregate, a Samtgemeinde and a municipality, and the county total matches the state row', async () => {
    type Valued = { value: { value: number; aggregated: boolean } };
    const { data, errors } = await stack.query<
      Record<
        'county' | 'state' | 'district' | 'municipality' | 'municipalDensity' | 'samtgemeinde' | 'gp' | 'districtRate' | 'census',
        Valued
      > & { counties: { sum: number; count: number } }
    >(`{
      county: region(code: "03355") { value(indicator: "employees_social_security", year: 2019) { value aggregated } }
      state: region(code: "03") { value(indicator: "employees_social_security", year: 2019) { value aggregated } }
      district: region(code: "032") { value(indicator: "employees_social_security", year: 2019) { value aggregated } }
      counties: statistics(indicator: "employees_social_security", year: 2019, regions: { level: COUNTY }) { sum count }
      municipality: region(code: "033550022022") { value(indicator: "population", year: 2021) { value aggregated } }
      municipalDensity: region(code: "033550022022") { value(indicator: "population_density", year: 2021) { value aggregated } }
      samtgemeinde: region(code: "033555401") { value(indicator: "population", year: 2021) { value aggregated } }
      gp: region(code: "03101") { value(indicator: "gp_per_100k", year: 2020) { value aggregated } }
      districtRate: region(code: "033") { value(indicator: "unemployment_rate", year: 2019) { value aggregated } }
      census: region(code: "03355") { value(indicator: "population_census22", year: 2022) { value aggregated } }
    }`);
    expect(errors).toBeUndefined();
    const employees = (ags: string) => shipped('regionalstatistik-13111-01-03-4+02-02-4:employees_svb_workplace_total', ags, 2019)!;
    expect(data!.county.value.value).toBe(employees('03355'));
    expect(data!.state.value.value).toBe(employees('03'));
    expect(employees('03')).toBe(3_007_560);
    // The state aggregate of the 45 counties checks against the official state row.
    expect(data!.counties).toEqual({ sum: 3_007_560, count: 45 });
    expect(COUNTY_CODES.reduce((sum, code) => sum + employees(code), 0)).toBe(3_007_560);
    expect(data!.district.value.value).toBe(
      COUNTY_CODES.filter((code) => code.startsWith('032')).reduce((sum, code) => sum + employees(code), 0),
    );
    const gv = (series: string, ags: string) => shipped(`destatis-gv-isys:${series}`, ags, 2021)!;
    expect(data!.municipality.value.value).toBe(gv('population_total', '03355022'));
    expect(data!.municipalDensity.value.value).toBeCloseTo(gv('population_total', '03355022') / gv('area_km2', '03355022'), 9);
    expect(data!.samtgemeinde.value.value).toBe(
      ['03355002', '03355008', '03355027', '03355029', '03355034'].reduce((sum, ags) => sum + gv('population_total', ags), 0),
    );
    // GERDA's per-10,000 value, converted to per 100,000.
    expect(data!.gp.value.value).toBeCloseTo(shipped('inkar-bbsr-via-gerda:gp_density', '03101', 2020)! * 10, 9);
    // A rate without a published district value: the population-weighted mean of the district's counties.
    const lueneburg = COUNTY_CODES.filter((code) => code.startsWith('033'));
    const weight = (code: string) => shipped('derived-population:population_total_DERIVED_sum_of_34_sex_agegroups', code, 2019)!;
    const mean =
      lueneburg.reduce((sum, code) => sum + shipped('inkar-bbsr-via-gerda:unemployment_rate', code, 2019)! * weight(code), 0) /
      lueneburg.reduce((sum, code) => sum + weight(code), 0);
    expect(data!.districtRate.value.value).toBeCloseTo(mean, 9);
    // Zensus 2022 exists for municipalities only: the county is the sum of its municipalities.
    const census = [...municipalFile.get('zensus-2022-via-gerda:population_census22')!].filter(([key]) => key.startsWith('03355'));
    expect(census.length).toBeGreaterThan(30);
    expect(data!.census.value.value).toBe(census.reduce((sum, [, value]) => sum + value, 0));
    // Published figures and RegioGraph's sums and weighted means carry the same attribution and status:
    // only Observation.aggregated tells them apart.
    const { counties: _counties, ...valued } = data!;
    expect(Object.fromEntries(Object.entries(valued).map(([name, valuedRegion]) => [name, valuedRegion.value.aggregated]))).toEqual({
      county: false,
      state: false,
      district: true,
      municipality: false,
      municipalDensity: false,
      samtgemeinde: true,
      gp: false,
      districtRate: true,
      census: true,
    });
  });

  it('serves every value the shipped files give for the state, a county or a municipality exactly as given, for every indicator read from them', async () => {
    // The catalogue's series, resolved here independently of the subgraph's loader: alternatives
    // (" | ") tried in order per region and year, sums (" + ") where every term has a value, a factor
    // (" * 10"), a trailing "*" summing every series of that prefix. Regions are keyed by ARS: a
    // municipality's AGS maps through the region directory.
    const arsOfAgs = new Map(
      parseCsvRecords(readFileSync(path.join(__dirname, '..', 'shared', 'data', 'regions.csv'), 'utf8'))
        .filter(({ record }) => record.ags)
        .map(({ record }) => [record.ags!, record.ars!]),
    );
    const allSeries = new Map([...countyFile, ...municipalFile]);
    const termValues = (term: string): Map<string, number> => {
      const keys = term.endsWith('*') ? [...allSeries.keys()].filter((key) => key.startsWith(term.slice(0, -1))) : [term];
      const parts = keys.map((key) => allSeries.get(key) ?? new Map<string, number>());
      const sums = new Map<string, number>();
      for (const cell of parts[0]?.keys() ?? []) {
        if (parts.every((part) => part.has(cell)))
          sums.set(
            cell,
            parts.reduce((sum, part) => sum + part.get(cell)!, 0),
          );
      }
      return sums;
    };
    const expectedOf = (spec: string): Map<string, number> => {
      const expected = new Map<string, number>();
      for (const alternative of spec.split(' | ')) {
        const [, body, factor] = /^(.*?)(?: \* (\d+(?:\.\d+)?))?$/.exec(alternative.trim())!;
        const terms = body!.split(' + ').map(termValues);
        for (const cell of terms[0]!.keys()) {
          if (expected.has(cell) || !terms.every((term) => term.has(cell))) continue;
          expected.set(cell, terms.reduce((sum, term) => sum + term.get(cell)!, 0) * Number(factor ?? 1));
        }
      }
      return expected;
    };
    const catalogue = parseCsvRecords(readFileSync(path.join(MONITORING, 'catalogue.csv'), 'utf8'))
      .map(({ record }) => record)
      .filter((record) => record.series);
    expect(catalogue.length).toBeGreaterThan(80);
    let compared = 0;
    const differing: string[] = [];
    for (const { code, series } of catalogue) {
      const expected = expectedOf(series!);
      const years = [...expected.keys()].map((cell) => Number(cell.split('|')[1]));
      // Only the levels the files give values for: a level's table without them is all empty cells.
      const levelsInFiles = new Set([...expected.keys()].map((cell) => cell.split('|')[0]!.length));
      const selections = [
        ...(levelsInFiles.has(2) ? [{ codes: ['03'] }] : []),
        ...(levelsInFiles.has(5) ? [{ level: 'COUNTY' }] : []),
        ...(levelsInFiles.has(8) ? [{ level: 'MUNICIPALITY' }] : []),
      ];
      const served = new Map<string, number | null>();
      for (const regions of selections) {
        const { data, errors } = await stack.query<{
          observationTable: { cells: { regionCode: string; year: number; value: number | null }[] };
        }>(
          `query ($indicators: [ID!]!, $regions: RegionSelection!, $fromYear: Int, $toYear: Int) {
            observationTable(indicators: $indicators, regions: $regions, fromYear: $fromYear, toYear: $toYear) { cells { regionCode year value } }
          }`,
          { indicators: [code], regions, fromYear: Math.min(...years), toYear: Math.max(...years) },
        );
        expect(errors).toBeUndefined();
        for (const cell of data!.observationTable.cells) served.set(`${cell.regionCode}|${cell.year}`, cell.value);
      }
      for (const [cell, value] of expected) {
        const [ags, year] = cell.split('|');
        const key = `${ags!.length === 8 ? arsOfAgs.get(ags!) : ags}|${year}`;
        compared += 1;
        const got = served.get(key);
        if (got === undefined || got === null || Math.abs(got - value) > 1e-9 * Math.max(1, Math.abs(value)))
          differing.push(`${code} ${key}: files ${value}, API ${got}`);
      }
    }
    // Every value of the shipped files that an indicator reads directly (110,107 at this release).
    expect(compared).toBeGreaterThan(100_000);
    expect(differing.slice(0, 20)).toEqual([]);
  }, 600_000);

  it('adds every additive indicator up: counties to their district, districts to the state, municipalities to their Samtgemeinde', async () => {
    const directory = parseCsvRecords(readFileSync(path.join(__dirname, '..', 'shared', 'data', 'regions.csv'), 'utf8')).map(
      ({ record }) => record,
    );
    const parentOf = new Map(directory.map((region) => [region.ars!, region.parent_ars!]));
    const levelOf = new Map(directory.map((region) => [region.ars!, region.level!]));
    const { data, errors } = await stack.query<{
      indicators: { code: string; aggregation: string; decimals: number; years: number[]; levels: string[] }[];
    }>('{ indicators { code aggregation decimals years levels } }');
    expect(errors).toBeUndefined();
    const additive = data!.indicators.filter((indicator) => indicator.aggregation === 'SUM' && indicator.years.length > 0);
    expect(additive.length).toBeGreaterThan(40);
    const checked = new Map<string, number>();
    const failures: string[] = [];
    for (const { code, decimals, years, levels } of additive) {
      const values = new Map<string, number>();
      // A level without observations would only add empty cells (Indicator.levels).
      for (const regions of [
        { codes: ['03'] },
        { level: 'DISTRICT' },
        { level: 'COUNTY' },
        { level: 'MUNICIPAL_ASSOCIATION' },
        { level: 'MUNICIPALITY' },
      ].filter((selection) => selection.level === undefined || levels.includes(selection.level))) {
        const table = await stack.query<{ observationTable: { cells: { regionCode: string; year: number; value: number | null }[] } }>(
          `query ($indicators: [ID!]!, $regions: RegionSelection!, $fromYear: Int, $toYear: Int) {
            observationTable(indicators: $indicators, regions: $regions, fromYear: $fromYear, toYear: $toYear) { cells { regionCode year value } }
          }`,
          { indicators: [code], regions, fromYear: Math.min(...years), toYear: Math.max(...years) },
        );
        expect(table.errors).toBeUndefined();
        for (const cell of table.data!.observationTable.cells)
          if (cell.value !== null) values.set(`${cell.regionCode}|${cell.year}`, cell.value);
      }
      // Children by parent and year: every child of the tree (a Samtgemeinde's members only: a county's
      // children mix Samtgemeinden and municipalities, and its sums are checked by the seed's tests).
      const children = new Map<string, string[]>();
      for (const [region, parent] of parentOf) {
        if (!parent || levelOf.get(parent) === 'county') continue;
        children.set(parent, [...(children.get(parent) ?? []), region]);
      }
      for (const [parent, kids] of children) {
        for (const year of years) {
          const total = values.get(`${parent}|${year}`);
          const parts = kids.map((kid) => values.get(`${kid}|${year}`));
          // Only where the parent and every child have a value (an uninhabited gemeindefreies Gebiet may lack one).
          if (total === undefined || parts.some((part) => part === undefined)) continue;
          const kind = `${levelOf.get(kids[0]!)} → ${levelOf.get(parent)}`;
          checked.set(kind, (checked.get(kind) ?? 0) + 1);
          const sum = parts.reduce((a, b) => a! + b!, 0)!;
          // Published totals are rounded to the indicator's decimals: half a unit per county below.
          const tolerance = 0.5 * 10 ** -decimals * 45 + 1e-6 * Math.abs(total);
          if (Math.abs(sum - total) > tolerance)
            failures.push(`${code} ${parent} ${year}: ${total} but its ${kids.length} parts add up to ${sum}`);
        }
      }
    }
    expect(checked.get('county → district')).toBeGreaterThan(1_000);
    expect(checked.get('district → state')).toBeGreaterThan(200);
    expect(checked.get('municipality → municipal_association')).toBeGreaterThan(5_000);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);

  it('answers bad arguments with clear error codes', async () => {
    const unknownIndicator = await stack.query(
      `{ observationTable(indicators: ["population", "nope"], regions: { codes: ["03"] }) { years } }`,
    );
    expect(errorCodes(unknownIndicator)).toEqual(['UNKNOWN_INDICATOR_CODES']);
    expect(unknownIndicator.errors![0]!.message).toContain('nope');
    // A code that is no ARS is the caller's mistake whatever else is asked; a well-formed one no region has is unknown.
    const malformedRegion = await stack.query(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03", "03999", "x"] }) { years } }`,
    );
    expect(errorCodes(malformedRegion)).toEqual(['BAD_USER_INPUT']);
    expect(malformedRegion.errors![0]!.extensions!.codes).toEqual(['x']);
    const unknownRegion = await stack.query(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03", "03999"] }) { years } }`,
    );
    expect(errorCodes(unknownRegion)).toEqual(['UNKNOWN_REGION_CODES']);
    expect(unknownRegion.errors![0]!.extensions!.codes).toEqual(['03999']);
    const inverted = await stack.query(
      `{ observationTable(indicators: ["population"], regions: { level: COUNTY }, fromYear: 2020, toYear: 2010) { years } }`,
    );
    expect(errorCodes(inverted)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await stack.query(
      `{ observationTable(indicators: ["unemployment_rate", "gp_per_100k", "pharmacies", "distance_supermarket_m", "births_per_1000", "general_schools", "overnight_stays", "retail_centrality"], regions: { level: MUNICIPALITY }, fromYear: 2010, toYear: 2023) { years } }`,
    );
    expect(errorCodes(tooMany)).toEqual(['TOO_MANY_ITEMS']);
    const notFound = await stack.query(`{ indicator(code: "nope") { code } }`);
    expect(errorCodes(notFound)).toEqual(['NOT_FOUND']);
    const valueOfUnknown = await stack.query(`{ region(code: "03355") { value(indicator: "nope") { value } } }`);
    expect(errorCodes(valueOfUnknown)).toEqual(['UNKNOWN_INDICATOR_CODES']);
    const badParent = await stack.query(
      `{ region(code: "03355") { rank(indicator: "population", year: 2018, withinParent: "031") { rank } } }`,
    );
    expect(errorCodes(badParent)).toEqual(['BAD_USER_INPUT']);
    const bothSelections = await stack.query(
      `{ statistics(indicator: "population", year: 2018, regions: { codes: ["03355"], level: COUNTY }) { count } }`,
    );
    expect(errorCodes(bothSelections)).toEqual(['BAD_USER_INPUT']);
  });

  it('reports a missing value as null with a status and a reason, never 0', async () => {
    const { data } = await stack.query<{
      observationTable: { cells: { value: number | null; status: string; missingReason: string | null }[] };
    }>(`{
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
