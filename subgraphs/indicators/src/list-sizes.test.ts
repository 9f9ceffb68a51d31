// The list sizes this subgraph declares for the gateway's demand control, held to the shipped data:
// a catalogue grown past its @listSize fails here instead of being underestimated in every query,
// and a table whose lists outgrow what its arguments size them by (@sizedBy) likewise.
import { readFileSync } from 'node:fs';
import { createDatabaseClient, ownTestDatabase, type ProvidedDatabase } from '@regiograph/db';
import { DATA_YEARS, parseCsvRecords } from '@regiograph/shared';
import { declaredAssumedSize, declaredSizes } from '@regiograph/shared/testing';
import { postGraphQL, type SubgraphServer } from '@regiograph/subgraph-kit';
import { schema } from './schema';
import { DEFAULT_PROFILE } from './analytics/profile';
import { MAX_PROFILE } from './schema/analysis';
import { monitoringFiles, seedIndicatorsIfEmpty } from './seed';
import { importFiles } from './import/run';
import { createServer } from './server';
import { SYNTHETIC_INDICATORS } from './synthetic';

describe('declared list sizes against the shipped data', () => {
  it('sizes Query.indicators by the whole shipped catalogue (official and synthetic), its largest answer', () => {
    // What the seed stores, read from the files rather than the test database, where other test files
    // add indicators of their own: the monitoring catalogue's rows and the synthetic demonstration ones.
    const official = parseCsvRecords(readFileSync(monitoringFiles().catalogue, 'utf8')).map(({ record }) => record.code);
    const catalogue = new Set([...official, ...SYNTHETIC_INDICATORS.map((indicator) => indicator.code)]);
    // 128 shipped: 115 official rows and 13 synthetic ones.
    expect(catalogue.size).toBeGreaterThan(100);
    expect(catalogue.size).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Query.indicators'));
  });

  it.each([
    'SimilarityAnalysis.indicators',
    'SimilarityAnalysis.omittedIndicators',
    'SimilarRegion.contributions',
    'DisparityReport.indicators',
    'DisparityReport.omittedIndicators',
    'RegionDisparity.scores',
  ])('sizes %s, a list per indicator of a profile, by the most indicators a profile takes', (coordinate) => {
    expect(declaredAssumedSize(schema, coordinate)).toBeGreaterThanOrEqual(MAX_PROFILE);
  });
});

interface AnsweredTable {
  indicators: { code: string }[];
  regions: { code: string }[];
  regionCodes: string[];
  years: number[];
  cells: { value: number | null }[];
  rows: { values: (number | null)[]; cells: { value: number | null }[] }[];
  imports: { indicatorCodes: string[] }[];
}

const TABLE_QUERY = `query ($indicators: [ID!]!, $regions: RegionSelection!, $fromYear: Int, $toYear: Int) {
  observationTable(indicators: $indicators, regions: $regions, fromYear: $fromYear, toYear: $toYear) {
    indicators { code } regions { code } regionCodes years cells { value } rows { values cells { value } } imports { indicatorCodes }
  }
}`;

/** How long each list the table's @sizedBy names is in an answer: the longest where a list repeats (each row's values). */
function answeredSizes(table: AnsweredTable): Record<string, number> {
  const longest = (lengths: number[]) => Math.max(0, ...lengths);
  return {
    cells: table.cells.length,
    rows: table.rows.length,
    'rows.values': longest(table.rows.map((row) => row.values.length)),
    'rows.cells': longest(table.rows.map((row) => row.cells.length)),
    indicators: table.indicators.length,
    regions: table.regions.length,
    regionCodes: table.regionCodes.length,
    years: table.years.length,
    imports: table.imports.length,
  };
}

describe("observationTable's lists against what its arguments size them by, on the shipped data", () => {
  let own: ProvidedDatabase | undefined;
  let server: SubgraphServer | undefined;
  let url: string;

  beforeAll(async () => {
    // The shipped data alone: other test files of this worker import indicators and years of their own.
    own = await ownTestDatabase();
    const database = createDatabaseClient({ url: own.url });
    try {
      await seedIndicatorsIfEmpty(database);
    } finally {
      await database.close();
    }
    server = await createServer({ databaseUrl: own.url });
    url = (await server.listen(0)).url;
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await own?.stop();
  });

  async function table(
    variables: Record<string, unknown>,
  ): Promise<{ answered: Record<string, number>; declared: Map<string, number | null> }> {
    const { data, errors } = await postGraphQL<{ observationTable: AnsweredTable }>(url, TABLE_QUERY, variables);
    expect(errors).toBeUndefined();
    return { answered: answeredSizes(data!.observationTable), declared: declaredSizes(schema, 'Query.observationTable', variables) };
  }

  it('sizes every list of a table with a closed year range exactly: cells, rows, the values in a row, regions, indicators, years', async () => {
    // Two official indicators and a synthetic one, the 12 municipalities of Landkreis Northeim, 2018–2022.
    const { answered, declared } = await table({
      indicators: ['population', 'median_age_years', SYNTHETIC_INDICATORS[0]!.code],
      regions: { level: 'MUNICIPALITY', parentCode: '03155' },
      fromYear: 2018,
      toYear: 2022,
    });
    expect(answered).toMatchObject({ cells: 3 * 12 * 5, rows: 12 * 5, 'rows.values': 3, regions: 12, years: 5 });
    for (const [path, size] of declared) {
      // No import in the shipped data: the imports list alone is sized above it (one per cell, with no
      // imports stored read).
      if (path === 'imports') expect(size).toBe(3 * 12 * 5);
      else expect([path, size]).toEqual([path, answered[path]]);
    }
  });

  it.each([
    ['a range from 1900 to 2100: every year a cell, MISSING where nothing is stored', { fromYear: 1900, toYear: 2100 }],
    ['an open range: the indicators’ years', {}],
    ['a range open at its end', { fromYear: 1900 }],
    ['a range open at its start', { toYear: 2010 }],
  ])('never answers more than the sizes say, for %s', async (_, years) => {
    const { answered, declared } = await table({ indicators: ['population', 'area_km2'], regions: { level: 'COUNTY' }, ...years });
    expect(answered.years).toBeGreaterThan(0);
    for (const [path, size] of declared) expect([path, answered[path]! <= size!]).toEqual([path, true]);
  });

  it.each([
    ['within a county', { withinParent: '03155' }],
    ['over the whole state', {}],
  ])("sizes a municipal ranking's entries and regions without a value by the regions it ranks, %s", async (_, within) => {
    const args = { indicator: 'population', year: 2021, level: 'MUNICIPALITY', ...within };
    const { data, errors } = await postGraphQL<{ ranking: { entries: unknown[]; withoutValue: unknown[] } }>(
      url,
      'query ($indicator: ID!, $year: Int!, $level: RegionLevel!, $withinParent: ID) { ranking(indicator: $indicator, year: $year, level: $level, withinParent: $withinParent) { entries { rank } withoutValue { value } } }',
      args,
    );
    expect(errors).toBeUndefined();
    const { entries, withoutValue } = data!.ranking;
    const declared = declaredSizes(schema, 'Query.ranking', args);
    // Every region ranked is an entry or without a value: together as many as each list is sized.
    expect(entries.length + withoutValue.length).toBe(declared.get('entries'));
    expect(declared.get('withoutValue')).toBe(declared.get('entries'));
  });

  it.each([
    ['two indicators', { indicators: ['unemployment_rate', 'share_65plus'] }, 2],
    ['an empty list, the default profile', { indicators: [] }, DEFAULT_PROFILE.length],
    ['no indicators, the default profile', {}, DEFAULT_PROFILE.length],
  ])("sizes a disparities report's lists with an item per indicator by the indicators it compares: %s", async (_, indicators, compared) => {
    const args = { level: 'COUNTY', ...indicators };
    const { data, errors } = await postGraphQL<{
      disparities: { indicators: unknown[]; omittedIndicators: unknown[]; regions: { scores: unknown[] }[] };
    }>(
      url,
      'query ($indicators: [ID!], $level: RegionLevel!) { disparities(indicators: $indicators, level: $level) { indicators { reference } omittedIndicators { code } regions { scores { indicatorCode } } } }',
      args,
    );
    expect(errors).toBeUndefined();
    const report = data!.disparities;
    const declared = declaredSizes(schema, 'Query.disparities', args);
    // Each indicator compared is listed or omitted; each region has a score per indicator compared.
    expect(report.indicators.length + report.omittedIndicators.length).toBe(compared);
    expect(Math.max(...report.regions.map((region) => region.scores.length))).toBe(compared);
    for (const path of ['indicators', 'omittedIndicators', 'regions.scores']) expect([path, declared.get(path)]).toEqual([path, compared]);
    expect(declared.get('regions')).toBe(45);
  });

  it('finds every shipped indicator’s years within DATA_YEARS, where an open range reaches at most', async () => {
    const { data } = await postGraphQL<{ indicators: { code: string }[] }>(url, '{ indicators { code } }');
    const codes = data!.indicators.map((indicator) => indicator.code);
    expect(codes.length).toBeGreaterThan(100);
    const { data: answer, errors } = await postGraphQL<{ observationTable: { years: number[] } }>(
      url,
      'query ($codes: [ID!]!) { observationTable(indicators: $codes, regions: { codes: ["03"] }) { years } }',
      { codes },
    );
    expect(errors).toBeUndefined();
    const years = answer!.observationTable.years;
    expect([years[0], years.at(-1)]).toEqual([DATA_YEARS.first, DATA_YEARS.last]);
    expect(years.length).toBe(
      declaredSizes(schema, 'Query.observationTable', { indicators: codes, regions: { codes: ['03'] } }).get('years'),
    );
  });

  // Last: it imports into this file's database.
  it("sizes a table's imports by its cells, at most the imports stored: one year of an indicator may come from two releases", async () => {
    const database = createDatabaseClient({ url: own!.url });
    try {
      // Two releases of population 2021, each for one county.
      for (const region of ['03159', '03241']) {
        const text = `region_code,indicator_code,year,value\n${region},population,2021,1000\n`;
        expect(await importFiles(database, { observations: { file: 'observations.csv', text } })).toMatchObject({ ok: true });
      }
    } finally {
      await database.close();
    }
    const variables = { indicators: ['population'], regions: { codes: ['03159', '03241'] }, fromYear: 2021, toYear: 2021 };
    const { answered } = await table(variables);
    const { data } = await postGraphQL<{ importCount: number }>(url, '{ importCount }');
    const declared = declaredSizes(schema, 'Query.observationTable', variables, {
      ...DATA_YEARS,
      bounds: { importCount: data!.importCount },
    });
    // Two imports for one indicator and year: sized one per indicator and year, the list was under its answer.
    expect([answered.imports, data!.importCount, declared.get('imports')]).toEqual([2, 2, 2]);
  });
});
