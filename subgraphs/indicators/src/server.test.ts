// Queries posted straight to the subgraph's port. `_entities`, as only the gateway should call it: a
// representation that does not name an entity by its key is the caller's mistake (BAD_USER_INPUT
// naming the key), whether the entity is this subgraph's own (Indicator) or one it extends and
// answers from the representation itself (Region, Project, FundingTargeting). `disparities`: counts
// summed over the regions (aggregation SUM) have the state total as their state value, so they are
// refused rather than turned into z-scores of −46 that rank regions by size; rates are compared.
import { createDatabaseClient } from '@regiograph/db';
import { DOCUMENT_STORE_MAX_JSON_BYTES, parseCsv, searchWithoutLetterOrDigitMessage } from '@regiograph/shared';
import { englishWordsIn } from '@regiograph/shared/testing';
import { postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;

function post<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, query, variables);
}

function entities<T>(selection: string, representations: unknown[]): Promise<GraphQLResponse<{ _entities: (T | null)[] }>> {
  return post(`query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selection} } }`, {
    representations,
  });
}

// startSeededServer seeds an empty database (a lone `npx jest`): 330,000 observations.
jest.setTimeout(300_000);

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

describe('_entities', () => {
  it('refuses a representation without its key with BAD_USER_INPUT naming the key, for every entity type', async () => {
    const { data, errors } = await entities('... on Region { code } ... on Project { id } ... on FundingTargeting { id }', [
      { __typename: 'Indicator' },
      { __typename: 'Region' },
      { __typename: 'Project', indicatorCodes: ['population'] },
      { __typename: 'FundingTargeting', indicatorCode: 'population' },
      { __typename: 'Region', code: '03241' },
    ]);
    expect(data?._entities).toEqual([null, null, null, null, { __typename: 'Region', code: '03241' }]);
    expect(errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.key, error.message])).toEqual([
      [
        ['_entities', 0],
        'BAD_USER_INPUT',
        'code',
        'An Indicator representation must carry its key "code": code is missing (representation 0).',
      ],
      [
        ['_entities', 1],
        'BAD_USER_INPUT',
        'code',
        'A Region representation must carry its key "code": code is missing (representation 1).',
      ],
      [['_entities', 2], 'BAD_USER_INPUT', 'id', 'A Project representation must carry its key "id": id is missing (representation 2).'],
      [
        ['_entities', 3],
        'BAD_USER_INPUT',
        'id',
        'A FundingTargeting representation must carry its key "id": id is missing (representation 3).',
      ],
    ]);
  });

  it('refuses a key of the wrong type: a number or an object is no code', async () => {
    const { data, errors } = await entities('... on Region { code }', [
      { __typename: 'Region', code: 3241 },
      { __typename: 'Indicator', code: { code: 'population' } },
    ]);
    expect(data?._entities).toEqual([null, null]);
    expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'A Region representation must carry its key "code": code must be an ID (a string), got the number 3241 (representation 0).',
      ],
      [
        'BAD_USER_INPUT',
        'An Indicator representation must carry its key "code": code must be an ID (a string), got an object (representation 1).',
      ],
    ]);
  });
});

interface Report {
  disparities: { indicators: { indicator: { indicatorCode: string } }[]; regions: { regionCode: string; compositeIndex: number | null }[] };
}

const disparities = (indicators: string[]): string =>
  `{ disparities(indicators: ${JSON.stringify(indicators)}, level: COUNTY, year: 2019) {
      indicators { indicator { indicatorCode } } regions { regionCode compositeIndex } } }`;

describe('Query.disparities', () => {
  it('refuses counts summed over the regions with BAD_USER_INPUT naming them and pointing to rates', async () => {
    const { data, errors } = await post<Report>(disparities(['pharmacies', 'population', 'hospital_beds_per_1000']));
    expect(data?.disparities ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'indicators', codes: ['pharmacies', 'population'] });
    expect(errors![0]!.message).toContain('not counts summed over the regions (pharmacies, population)');
    // population has per-inhabitant counterparts derived from it in the catalogue: they are named.
    expect(errors![0]!.message).toMatch(/population → [^;)]*population_density/);
  });

  it('still compares rates', async () => {
    const { data, errors } = await post<Report>(disparities(['hospital_beds_per_1000', 'unemployment_rate']));
    expect(errors).toBeUndefined();
    expect(data!.disparities.indicators.map((column) => column.indicator.indicatorCode)).toEqual([
      'hospital_beds_per_1000',
      'unemployment_rate',
    ]);
    expect(data!.disparities.regions.length).toBeGreaterThan(40);
  });
});

interface Targeting {
  needYear: number | null;
  populationYear: number | null;
  comparedRegions: number;
  regions: { regionCode: string; needValue: number | null }[];
}

describe('FundingTargeting', () => {
  // What the projects subgraph sends for Query.fundingTargeting: the arguments and the funding summed per lead region.
  const targeting = (toYear: number) => ({
    __typename: 'FundingTargeting',
    id: JSON.stringify(['gp_per_100k', 'COUNTY', null, null, toYear]),
    indicatorCode: 'gp_per_100k',
    level: 'COUNTY',
    toYear,
    leadRegionFunding: [{ regionCode: '03241', amountCents: '100000' }],
    syntheticFunding: false,
  });
  const selection = '... on FundingTargeting { needYear populationYear comparedRegions regions { regionCode needValue } }';

  it('reads need and population up to toYear, never after it', async () => {
    const database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
    let first: number;
    try {
      const [row] = await database.prisma.$queryRaw<{ first: number }[]>`
        SELECT min(year) AS first FROM indicators.observation
        WHERE indicator_code = 'gp_per_100k' AND length(region_code) = 5 AND value IS NOT NULL`;
      first = row!.first;
    } finally {
      await database.close();
    }
    const within = await entities<Targeting>(selection, [targeting(first)]);
    expect(within.errors).toBeUndefined();
    expect(within.data!._entities[0]!.needYear).toBe(first);
    expect(within.data!._entities[0]!.populationYear).toBeLessThanOrEqual(first);
    expect(within.data!._entities[0]!.comparedRegions).toBeGreaterThan(40);
    // A year before the first need value: the need measured later is not used for funding until then.
    const before = await entities<Targeting>(selection, [targeting(first - 1)]);
    expect(before.errors).toBeUndefined();
    const answer = before.data!._entities[0]!;
    expect(answer).toMatchObject({ needYear: null, comparedRegions: 0 });
    expect(answer.regions).toHaveLength(45);
    expect(answer.regions.every((region) => region.needValue === null)).toBe(true);
  });
});

describe('Query.indicators(search:)', () => {
  it('takes _ beside letters as itself, and refuses wildcards or punctuation alone with the one message of every search', async () => {
    const found = await post<{ indicators: { code: string }[] }>('{ indicators(search: "q_alo") { code } }');
    expect(found.errors).toBeUndefined();
    // q_alo is the source code of these two: the _ is matched as itself.
    expect(found.data!.indicators.map((indicator) => indicator.code)).toEqual(['unemployment_rate', 'youth_unemployment_rate']);
    for (const search of ['%', '_', '-', '...', '%_ -']) {
      const { data, errors } = await post('query ($search: String) { indicators(search: $search) { code } }', { search });
      expect({ search, data, errors: errors?.map((error) => [error.message, error.extensions?.code, error.extensions?.argument]) }).toEqual(
        {
          search,
          data: null,
          errors: [[searchWithoutLetterOrDigitMessage('search'), 'BAD_USER_INPUT', 'search']],
        },
      );
    }
  });
});

describe('Query.indicator', () => {
  it('answers an unknown code with null and NOT_FOUND for that field alone, the other fields keep their data', async () => {
    const { data, errors } = await post<{ known: { code: string } | null; unknown: { code: string } | null }>(
      '{ known: indicator(code: "population") { code } unknown: indicator(code: "nope") { code } }',
    );
    expect(data).toEqual({ known: { code: 'population' }, unknown: null });
    expect(errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['unknown'], 'NOT_FOUND']]);
  });
});

interface Absent {
  regionCode: string;
  value: number | null;
  status: string;
  missingReason: string | null;
}

describe('regions without an observation', () => {
  it('are listed in withoutValue: entries and withoutValue make up the level, as many as statistics misses', async () => {
    const { data, errors } = await post<{
      ranking: { entries: { regionCode: string }[]; withoutValue: Absent[] };
      statistics: { regionCount: number; missingCount: number };
      old: { withoutValue: Absent[] };
    }>(`{
      ranking(indicator: "population_census22", year: 2022, level: MUNICIPALITY) {
        entries { regionCode } withoutValue { regionCode value status missingReason }
      }
      statistics(indicator: "population_census22", year: 2022, regions: { level: MUNICIPALITY }) { regionCount missingCount }
      old: ranking(indicator: "pharmacies", year: 2015, level: MUNICIPALITY, withinParent: "03358") {
        withoutValue { regionCode value status missingReason }
      }
    }`);
    expect(errors).toBeUndefined();
    const { entries, withoutValue } = data!.ranking;
    const listed = [...entries, ...withoutValue].map((row) => row.regionCode);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.length).toBe(data!.statistics.regionCount);
    expect(withoutValue.length).toBe(data!.statistics.missingCount);
    // Some have no stored observation at all (27 in the shipped data), not only stored nulls.
    const unstored = withoutValue.filter((row) => row.missingReason?.startsWith('No observation'));
    expect(unstored.length).toBeGreaterThan(0);
    for (const row of withoutValue) {
      expect(row.value).toBeNull();
      expect(['MISSING', 'SUPPRESSED']).toContain(row.status);
    }
    expect(withoutValue.map((row) => row.regionCode)).toEqual([...withoutValue.map((row) => row.regionCode)].sort());
    // Walsrode (merged 01.01.2020) has no 2015 value and is named with the reason.
    expect(data!.old.withoutValue.find((row) => row.regionCode === '033580024024')).toEqual({
      regionCode: '033580024024',
      value: null,
      status: 'MISSING',
      missingReason: 'No observation: the region’s key did not exist yet on 31.12.2015.',
    });
  });

  it('have MISSING cells in both forms of the table: the long form lists the regions and years of the wide form', async () => {
    type Cell = Absent & { indicatorCode: string; year: number };
    const indicators = ['population_census22', 'pharmacies'];
    const { data, errors } = await post<{
      observationTable: {
        regionCodes: string[];
        years: number[];
        cells: Cell[];
        rows: { regionCode: string; year: number; cells: Cell[] }[];
      };
    }>(`{
      observationTable(indicators: ${JSON.stringify(indicators)}, regions: { level: MUNICIPALITY, parentCode: "03358" }, fromYear: 2018, toYear: 2022) {
        regionCodes years
        cells { regionCode indicatorCode year value status missingReason }
        rows { regionCode year cells { regionCode indicatorCode year value status missingReason } }
      }
    }`);
    expect(errors).toBeUndefined();
    const table = data!.observationTable;
    expect(table.cells.map((cell) => `${cell.regionCode}|${cell.indicatorCode}|${cell.year}`)).toEqual(
      table.regionCodes.flatMap((code) => indicators.flatMap((indicator) => table.years.map((year) => `${code}|${indicator}|${year}`))),
    );
    // The wide form's cells are the long form's, cell for cell.
    const byKey = new Map(table.cells.map((cell) => [`${cell.regionCode}|${cell.indicatorCode}|${cell.year}`, cell]));
    for (const row of table.rows) {
      expect(row.cells).toEqual(indicators.map((indicator) => byKey.get(`${row.regionCode}|${indicator}|${row.year}`)));
    }
    const unstored = table.cells.filter((cell) => cell.missingReason?.startsWith('No observation'));
    // Census values exist for 2022 only; Walsrode has no pharmacies before 2020.
    expect(unstored.length).toBeGreaterThan(table.regionCodes.length * 4);
    expect(unstored.every((cell) => cell.value === null && cell.status === 'MISSING')).toBe(true);
    expect(byKey.get('033580024024|pharmacies|2019')).toEqual({
      regionCode: '033580024024',
      indicatorCode: 'pharmacies',
      year: 2019,
      value: null,
      status: 'MISSING',
      missingReason: 'No observation: the region’s key did not exist yet on 31.12.2019.',
    });
  });
  it('say why nothing is stored: a level or a year the indicator has no values for at all, or a gap', async () => {
    // "No value for this region and year" for every municipality of a county-only indicator sent
    // readers looking for a gap in the data where the indicator simply has no such level.
    const { data, errors } = await post<{
      municipal: { withoutValue: Absent[] };
      table: { cells: (Absent & { indicatorCode: string; year: number })[] };
    }>(`{
      municipal: ranking(indicator: "unemployment_rate", year: 2018, level: MUNICIPALITY, withinParent: "03159") {
        withoutValue { regionCode value status missingReason }
      }
      table: observationTable(indicators: ["median_age_years", "gp_per_100k", "population"], regions: { codes: ["031", "03159", "031590016016"] }, fromYear: 2018, toYear: 2023) {
        cells { regionCode indicatorCode year value status missingReason }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.municipal.withoutValue).toHaveLength(40);
    expect(new Set(data!.municipal.withoutValue.map((row) => row.missingReason))).toEqual(
      new Set(['No observation: unemployment_rate has values only at the state, ArL district and county levels.']),
    );
    const reasonOf = (regionCode: string, indicatorCode: string, year: number) =>
      data!.table.cells.find((cell) => cell.regionCode === regionCode && cell.indicatorCode === indicatorCode && cell.year === year)
        ?.missingReason;
    expect(reasonOf('031', 'median_age_years', 2018)).toBe(
      'No observation: median_age_years has values only at the county level, and its values are not combined into values of the levels above.',
    );
    expect(reasonOf('03159', 'gp_per_100k', 2023)).toBe(
      'No observation: gp_per_100k has no values in 2023 (its years with values: 2015–2022).',
    );
    // Years between the first and the last without values (a survey every other year, a year no
    // source covers) are not named as covered: "2015–2019" beside "no values in 2016" contradicted itself.
    const gaps = await post<{ care: { withoutValue: Absent[] }; population: { withoutValue: Absent[] } }>(`{
      care: ranking(indicator: "care_recipients_per_1000", year: 2016, level: COUNTY) { withoutValue { regionCode value status missingReason } }
      population: ranking(indicator: "population", year: 2022, level: COUNTY) { withoutValue { regionCode value status missingReason } }
    }`);
    expect(gaps.errors).toBeUndefined();
    expect(gaps.data!.care.withoutValue[0]!.missingReason).toBe(
      'No observation: care_recipients_per_1000 has no values in 2016 (its years with values: 2015, 2017, 2019).',
    );
    expect(gaps.data!.population.withoutValue).toHaveLength(45);
    expect(gaps.data!.population.withoutValue[0]!.missingReason).toBe(
      'No observation: population has no values in 2022 (its years with values: 1983, 1987, 1990, 1994–2021, 2023).',
    );
    // Municipal population is given for odd years since 2017: 2018 is a gap of the data, not of the indicator.
    expect(reasonOf('031590016016', 'population', 2018)).toBe('No observation: the data have no value for this region and year.');
    expect(reasonOf('03159', 'median_age_years', 2018)).toBeNull();
  });

  it('say RegioGraph’s own reasons in German when asked (language: DE), without English', async () => {
    type Reasons = { withoutValue: { regionCode: string; en: string | null; de: string | null }[] };
    const selection = 'withoutValue { regionCode en: missingReason de: missingReason(language: DE) }';
    const { data, errors } = await post<Record<string, Reasons>>(`{
      absent: ranking(indicator: "population_census22", year: 2022, level: MUNICIPALITY) { ${selection} }
      levels: ranking(indicator: "unemployment_rate", year: 2018, level: MUNICIPALITY, withinParent: "03159") { ${selection} }
      years: ranking(indicator: "population", year: 2022, level: COUNTY) { ${selection} }
      synthetic: ranking(indicator: "pharmacies", year: 2020, level: MUNICIPALITY) { ${selection} }
      associations: ranking(indicator: "population", year: 2019, level: MUNICIPAL_ASSOCIATION) { ${selection} }
      census: ranking(indicator: "population_census22", year: 2022, level: COUNTY) { ${selection} }
      censusAssociations: ranking(indicator: "population_census22", year: 2022, level: MUNICIPAL_ASSOCIATION) { ${selection} }
    }`);
    expect(errors).toBeUndefined();
    const rows = Object.values(data!).flatMap((ranking) => ranking.withoutValue);
    // Each kind of reason is among them: computed (no observation) and stored (synthetic, not aggregated).
    expect(new Set(rows.map((row) => row.en?.split(/[:(]/)[0]))).toEqual(
      new Set(['No observation', 'Gemeindefreies Gebiet ', 'Withheld for confidentiality ', 'Not aggregated']),
    );
    for (const row of rows) {
      expect(row.de).not.toBe(row.en);
      expect({ text: row.de, english: englishWordsIn(row.de ?? '') }).toEqual({ text: row.de, english: [] });
    }
    expect(data!.levels!.withoutValue[0]!.de).toBe('Kein Wert: unemployment_rate hat nur auf den Ebenen Land, ArL-Bezirk und Kreis Werte.');
  });
});

describe('region codes', () => {
  it("refuses a municipality's AGS as malformed (BAD_USER_INPUT), with the ARS to send instead, in the regions subgraph's words", async () => {
    const { errors } = await post(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03159016", "03159", "03999999"] }) { years } }`,
    );
    expect(errors).toHaveLength(1);
    expect(errors![0]!.message).toBe(
      'regions.codes "03159016" is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: Göttingen has the ARS "031590016016". ' +
        'regions.codes "03999999" is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03).',
    );
    expect(errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'regions.codes',
      codes: ['03159016', '03999999'],
      ars: { '03159016': '031590016016' },
    });
  });

  it("answers a county key a merger dissolved UNKNOWN_REGION_CODES naming its successor and the day, in the regions subgraph's words", async () => {
    // Series keyed before 01.11.2016 name Göttingen 03152 and Osterode am Harz 03156; the caller learns to send 03159.
    const { errors } = await post(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03152", "03156", "03999"] }) { years } }`,
    );
    expect(errors).toHaveLength(1);
    expect(errors![0]!.message).toBe(
      'Unknown region code(s) in regions.codes: 03152, 03156, 03999. ' +
        '03152 was the key of Landkreis Göttingen, dissolved by a merger: since 2016-11-01 its area belongs to 03159 (Göttingen). ' +
        '03156 was the key of Landkreis Osterode am Harz, dissolved by a merger: since 2016-11-01 its area belongs to 03159 (Göttingen).',
    );
    expect(errors![0]!.extensions).toMatchObject({
      code: 'UNKNOWN_REGION_CODES',
      argument: 'regions.codes',
      codes: ['03152', '03156', '03999'],
      successors: {
        '03152': { name: 'Landkreis Göttingen', codes: ['03159'], since: '2016-11-01' },
        '03156': { name: 'Landkreis Osterode am Harz', codes: ['03159'], since: '2016-11-01' },
      },
    });
    const parent = await post('{ ranking(indicator: "population", year: 2018, level: MUNICIPALITY, withinParent: "03253") { year } }');
    expect(parent.errors?.[0]?.extensions).toMatchObject({
      code: 'UNKNOWN_REGION_CODES',
      argument: 'withinParent',
      successors: { '03253': { name: 'Landkreis Hannover', codes: ['03241'], since: '2001-11-01' } },
    });
  });

  it('answers a malformed code BAD_USER_INPUT and a well-formed unknown one UNKNOWN_REGION_CODES, in every argument', async () => {
    const fields = (code: string): string[] => [
      `ranking(indicator: "population", year: 2018, level: COUNTY, withinParent: "${code}") { year }`,
      `statistics(indicator: "population", year: 2018, regions: { codes: ["${code}"] }) { count }`,
      `statistics(indicator: "population", year: 2018, regions: { level: COUNTY, parentCode: "${code}" }) { count }`,
      `observationTable(indicators: ["population"], regions: { codes: ["${code}"] }, fromYear: 2018, toYear: 2018) { years }`,
      `disparities(level: COUNTY, withinParent: "${code}") { year }`,
      `_entities(representations: [{ __typename: "Region", code: "03159" }]) {
        ... on Region { rank(indicator: "population", year: 2018, withinParent: "${code}") { rank } } }`,
    ];
    // One request each: a refused non-null root field nulls the answer, and the others' errors are then not all reported.
    const codesOf = async (code: string) =>
      Promise.all(fields(code).map(async (field) => (await post(`{ ${field} }`)).errors?.map((error) => error.extensions?.code)));
    expect(await codesOf('xx')).toEqual(fields('xx').map(() => ['BAD_USER_INPUT']));
    expect(await codesOf('039')).toEqual(fields('039').map(() => ['UNKNOWN_REGION_CODES']));
  });

  it('refuses a parent without a region of the level below it, naming the levels it has, in every analysis taking a parent', async () => {
    // Braunschweig (a kreisfreie Stadt) and Region Hannover have no Samtgemeinden: an empty ranking,
    // table or report would read as "none of them has a value" rather than "there are none".
    const fields = (parent: string): [string, string][] => [
      ['withinParent', `ranking(indicator: "population", year: 2021, level: MUNICIPAL_ASSOCIATION, withinParent: "${parent}") { year }`],
      [
        'regions.parentCode',
        `statistics(indicator: "population", year: 2021, regions: { level: MUNICIPAL_ASSOCIATION, parentCode: "${parent}" }) { count }`,
      ],
      [
        'regions.parentCode',
        `observationTable(indicators: ["population"], regions: { level: MUNICIPAL_ASSOCIATION, parentCode: "${parent}" }, fromYear: 2021, toYear: 2021) { years }`,
      ],
      ['withinParent', `disparities(indicators: ["unemployment_rate"], level: MUNICIPAL_ASSOCIATION, withinParent: "${parent}") { year }`],
    ];
    for (const [parent, name] of [
      ['03101', 'Braunschweig'],
      ['03241', 'Region Hannover'],
    ]) {
      for (const [argument, field] of fields(parent!)) {
        const { data, errors } = await post(`{ ${field} }`);
        expect(data).toBeNull();
        expect(errors).toEqual([
          expect.objectContaining({
            message: `${argument}: ${parent} (${name}) has no region of the level MUNICIPAL_ASSOCIATION below it; the levels below it are MUNICIPALITY.`,
            extensions: expect.objectContaining({
              code: 'BAD_USER_INPUT',
              argument,
              codes: [parent],
              level: 'MUNICIPAL_ASSOCIATION',
              levelsBelow: ['MUNICIPALITY'],
            }),
          }),
        ]);
      }
    }
    // A parent with regions of the level is answered as before.
    const { data, errors } = await post<{ ranking: { entries: unknown[] } }>(
      '{ ranking(indicator: "population", year: 2021, level: MUNICIPAL_ASSOCIATION, withinParent: "03459") { entries { rank } } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.ranking.entries).toHaveLength(4);
  });

  it('refuses a parent not above the level with the one reason PARENT_NOT_ABOVE, in every field taking a parent', async () => {
    // A client says a refusal in its own words by extensions.reason (the Atlas in German): the same
    // mistake must carry the same reason whichever field it is sent to.
    const fields: [string, string][] = [
      ['withinParent', 'ranking(indicator: "population", year: 2021, level: DISTRICT, withinParent: "03459") { year }'],
      ['withinParent', 'disparities(indicators: ["unemployment_rate"], level: DISTRICT, withinParent: "03459") { year }'],
      ['regions.level', 'statistics(indicator: "population", year: 2021, regions: { level: DISTRICT, parentCode: "03459" }) { count }'],
      [
        'regions.level',
        'observationTable(indicators: ["population"], regions: { level: DISTRICT, parentCode: "03459" }, fromYear: 2021, toYear: 2021) { years }',
      ],
    ];
    for (const [argument, field] of fields) {
      const { errors } = await post(`{ ${field} }`);
      expect({ field, extensions: errors?.map((error) => error.extensions) }).toEqual({
        field,
        extensions: [{ code: 'BAD_USER_INPUT', argument, reason: 'PARENT_NOT_ABOVE' }],
      });
    }
  });
});

describe('statistics', () => {
  it('answers sum only for indicators whose aggregation is SUM: a sum of rates means nothing', async () => {
    const { data, errors } = await post<{ rate: { sum: number | null; mean: number }; count: { sum: number | null } }>(`{
      rate: statistics(indicator: "unemployment_rate", year: 2018, regions: { level: COUNTY }) { sum mean }
      count: statistics(indicator: "population", year: 2018, regions: { level: COUNTY }) { sum }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.rate.sum).toBeNull();
    expect(data!.rate.mean).toBeGreaterThan(0);
    expect(data!.count.sum).toBeGreaterThan(7_000_000);
  });
});

describe('disparities csv', () => {
  it('has region_name after region_code, with the source of the names in the notes, as the observations export', async () => {
    const { data, errors } = await post<{ disparities: { csv: string } }>(
      `{ disparities(indicators: ["unemployment_rate"], level: COUNTY, year: 2019, withinParent: "031") { csv } }`,
    );
    expect(errors).toBeUndefined();
    const lines = data!.disparities.csv.split('\r\n');
    expect(lines).toContain(
      '# region_code, region_name: source: Bundesamt für Kartographie und Geodäsie (BKG) https://www.bkg.bund.de; ' +
        'licence: Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0); ' +
        'attribution: © GeoBasis-DE / BKG 2021 (Daten verändert); Datenlizenz Deutschland – Namensnennung – Version 2.0 (www.govdata.de/dl-de/by-2-0); VG5000, Stand 01.01.2021',
    );
    const header = lines.find((line) => !line.startsWith('#'))!;
    expect(header.split(',').slice(0, 3)).toEqual(['region_code', 'region_name', 'rank_from_weakest']);
    expect(lines.find((line) => line.startsWith('03159,'))!.split(',')[1]).toBe('Göttingen');
  });

  it('writes its notes in German for language: DE, the same table below them', async () => {
    // A computed state value (unemployment_rate) and synthetic inputs (travel_time_hospital_min) bring every note there is.
    const { data, errors } = await post<{ disparities: { en: string; de: string } }>(`{
      disparities(indicators: ["unemployment_rate", "travel_time_hospital_min"], level: COUNTY, year: 2018) { en: csv de: csv(language: DE) }
    }`);
    expect(errors).toBeUndefined();
    const notes = (csv: string) => csv.split('\r\n').filter((line) => line.startsWith('#'));
    const rows = (csv: string) => csv.split('\r\n').filter((line) => !line.startsWith('#'));
    const { en, de } = data!.disparities;
    expect(rows(de)).toEqual(rows(en));
    expect(notes(de)).toHaveLength(notes(en).length);
    expect(notes(en).length).toBeGreaterThanOrEqual(7);
    expect(notes(de).flatMap((line) => englishWordsIn(line).map((word) => `${word}: ${line}`))).toEqual([]);
    expect(notes(de)[0]).toMatch(/^# RegioGraph-Bericht zur Gleichwertigkeit: Ebene Kreis, ganz Niedersachsen, 2018\. /);
    // englishWordsIn knows no "synthetic" or "demonstration": the synthetic source's publisher is named outright.
    expect(notes(de).some((line) => line.includes('Quelle: RegioGraph (synthetische Demonstrationsdaten)'))).toBe(true);
    expect(de).not.toContain('synthetic demonstration data');
  });

  it('writes the same report for Excel with German settings (dialect: EXCEL_DE): byte order mark, ";", decimal comma', async () => {
    // The Atlas saved the comma-separated text as it came: German Excel opened it as one column per line.
    const { data, errors } = await post<{ disparities: { plain: string; excel: string } }>(`{
      disparities(indicators: ["unemployment_rate", "travel_time_hospital_min"], level: COUNTY, year: 2018) {
        plain: csv(language: DE) excel: csv(language: DE, dialect: EXCEL_DE)
      }
    }`);
    expect(errors).toBeUndefined();
    const { plain, excel } = data!.disparities;
    const bytes = Buffer.from(excel, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(plain.startsWith('\uFEFF')).toBe(false);
    expect(bytes.includes(Buffer.from('\r\n03159;Göttingen;', 'utf8'))).toBe(true);
    const excelRows = parseCsv(excel, 'EXCEL_DE').map((row) => row.fields);
    const plainRows = parseCsv(
      plain
        .split('\r\n')
        .filter((line) => !line.startsWith('#'))
        .join('\r\n'),
    ).map((row) => row.fields);
    const notes = excelRows.filter((row) => row[0]!.startsWith('#'));
    // Each note one field, the text as in the plain CSV but for the first note's hint (where the table starts in Excel).
    expect(notes.every((row) => row.length === 1)).toBe(true);
    expect(notes.slice(1).map((row) => row[0])).toEqual(
      plain
        .split('\r\n')
        .filter((line) => line.startsWith('#'))
        .slice(1),
    );
    const table = excelRows.filter((row) => !row[0]!.startsWith('#'));
    expect(table).toEqual(
      plainRows.map((row) => row.map((field) => (/^-?\d+\.\d+(e-?\d+)?$/.test(field) ? field.replace('.', ',') : field))),
    );
    // Composite indexes and z-scores are fractions: each with a decimal comma, none with a point.
    const goettingen = table.find((row) => row[0] === '03159')!;
    expect(goettingen[3]).toMatch(/^-?\d+,\d+$/);
    expect(
      table
        .slice(1)
        .flat()
        .some((field) => /^-?\d+\.\d+/.test(field)),
    ).toBe(false);
  });

  it('names the synthetic source’s publisher in German when asked (language: DE), a provider as it names itself', async () => {
    const { data, errors } = await post<Record<string, { source: { en: string; de: string } }>>(`{
      synthetic: indicator(code: "pharmacies") { source { en: publisher de: publisher(language: DE) } }
      official: indicator(code: "population") { source { en: publisher de: publisher(language: DE) } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.synthetic!.source).toEqual({
      en: 'RegioGraph (synthetic demonstration data)',
      de: 'RegioGraph (synthetische Demonstrationsdaten)',
    });
    expect(data!.official!.source.de).toBe(data!.official!.source.en);
  });
});

describe('Observation.aggregated', () => {
  it('tells a value RegioGraph computed from the regions within from one the source publishes', async () => {
    // INKAR gives county values only: the state's unemployment rate was a population-weighted mean of
    // them (5.341 in 2018; the official rate of all civilian labour force was 5.3), FINAL and attributed to INKAR like a published figure.
    type Cell = { regionCode: string; indicatorCode: string; year: number; value: number | null; aggregated: boolean };
    const { data, errors } = await post<{ observationTable: { cells: Cell[] } }>(`{
      observationTable(
        indicators: ["unemployment_rate", "unemployment_rate_men", "population", "population_density"]
        regions: { codes: ["03", "031", "03159", "031515401"] }
        fromYear: 2018
        toYear: 2019
      ) { cells { regionCode indicatorCode year value aggregated } }
    }`);
    expect(errors).toBeUndefined();
    const aggregated = (regionCode: string, indicatorCode: string, year = 2018) => {
      const cell = data!.observationTable.cells.find(
        (candidate) => candidate.regionCode === regionCode && candidate.indicatorCode === indicatorCode && candidate.year === year,
      )!;
      expect(cell.value).not.toBeNull();
      return cell.aggregated;
    };
    // Computed: the state where the source has no state row, every ArL district, a Samtgemeinde, a formula over them.
    expect(aggregated('03', 'unemployment_rate')).toBe(true);
    expect(aggregated('031', 'unemployment_rate')).toBe(true);
    expect(aggregated('031', 'population')).toBe(true);
    expect(aggregated('031', 'population_density')).toBe(true);
    expect(aggregated('031515401', 'population', 2019)).toBe(true);
    // Published: the state's own rows (Regionaldatenbank, GENESIS), every county, a formula over published values.
    expect(aggregated('03', 'unemployment_rate_men')).toBe(false);
    expect(aggregated('03', 'population')).toBe(false);
    expect(aggregated('03159', 'unemployment_rate')).toBe(false);
    expect(aggregated('03159', 'population_density')).toBe(false);
  });

  it('says in disparities when the state value the z-scores are measured from is computed, in the fields and the CSV', async () => {
    const { data, errors } = await post<{
      disparities: {
        indicators: { indicator: { indicatorCode: string; stateValue: number; stateValueAggregated: boolean } }[];
        csv: string;
        de: string;
      };
    }>(`{
      disparities(indicators: ["unemployment_rate", "unemployment_rate_men"], level: COUNTY, year: 2018) {
        indicators { indicator { indicatorCode stateValue stateValueAggregated } }
        csv
        de: csv(language: DE)
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.disparities.indicators.map(({ indicator }) => [indicator.indicatorCode, indicator.stateValueAggregated])).toEqual([
      ['unemployment_rate', true],
      ['unemployment_rate_men', false],
    ]);
    const notes = data!.disparities.csv.split('\r\n').filter((line) => line.includes('not published by the source'));
    expect(notes).toEqual([
      '# unemployment_rate_2018: the state value the z-scores are measured from is not published by the source; RegioGraph computed it from the county values (aggregation WEIGHTED_MEAN, weighted by population).',
    ]);
    // The German note says the rule in German words: the enum's name was English in a German sentence.
    expect(data!.disparities.de.split('\r\n').filter((line) => line.includes('veröffentlicht die Quelle nicht'))).toEqual([
      '# unemployment_rate_2018: den Landeswert, von dem aus die z-Werte gemessen werden, veröffentlicht die Quelle nicht; RegioGraph hat ihn ' +
        'aus den Werten der Kreise berechnet (als mit population gewichtetes Mittel).',
    ]);
  });
});

describe('Observation.attribution', () => {
  it("is the indicator's attribution, with the note dl-de/by-2-0 asks for where RegioGraph changed the data", async () => {
    type Cell = { regionCode: string; indicatorCode: string; attribution: string; indicator: { attribution: string } };
    const { data, errors } = await post<{ observationTable: { cells: Cell[] } }>(`{
      observationTable(
        indicators: ["population", "population_density", "distance_supermarket_m"]
        regions: { codes: ["03159", "031"] }
        fromYear: 2019
        toYear: 2019
      ) { cells { regionCode indicatorCode attribution indicator { attribution } } }
    }`);
    expect(errors).toBeUndefined();
    const texts = Object.fromEntries(
      data!.observationTable.cells.map((cell) => [
        `${cell.regionCode} ${cell.indicatorCode}`,
        cell.attribution === cell.indicator.attribution ? 'as the indicator' : cell.attribution.slice(cell.indicator.attribution.length),
      ]),
    );
    expect(texts).toEqual({
      // Published by the source for the county: its attribution as it stands.
      '03159 population': 'as the indicator',
      // Computed by a formula over published values: changed data.
      '03159 population_density': '; Daten verändert: von RegioGraph berechnet als population / area_km2',
      // Summed from the counties: changed data.
      '031 population': '; Daten verändert: von RegioGraph aus den Werten der enthaltenen Regionen berechnet',
      '031 population_density':
        '; Daten verändert: von RegioGraph aus den Werten der enthaltenen Regionen berechnet als population / area_km2',
      // Synthetic data are RegioGraph's own (CC0): nothing of anyone else's was changed.
      '03159 distance_supermarket_m': 'as the indicator',
      '031 distance_supermarket_m': 'as the indicator',
    });
  });
});

describe('parsed operations', () => {
  it('are kept up to the document store’s bound in JSON bytes, however many distinct ones arrive', async () => {
    // Distinct operations of 200 aliases, about 0.1 MB of JSON each once parsed: 100 of them would
    // fill Apollo's default store (30 MiB) a third of the way, and pass this bound.
    for (let id = 1000; id < 1100; id++) {
      const fields = Array.from({ length: 200 }, (_, j) => `a${j}_${id}: indicator(code: "population") { code }`).join(' ');
      const { errors } = await post(`query Q${id} { ${fields} }`);
      expect(errors).toBeUndefined();
    }
    expect(server.documents.size).toBeGreaterThan(0);
    expect(server.documents.bytes).toBeLessThanOrEqual(DOCUMENT_STORE_MAX_JSON_BYTES);
    expect(server.documents.bytes + 200_000).toBeGreaterThan(DOCUMENT_STORE_MAX_JSON_BYTES);
  });
});
