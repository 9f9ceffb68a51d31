import { graphql } from 'graphql';
import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from '@regiograph/db';
import { searchWithoutLetterOrDigitMessage } from '@regiograph/shared';
import { seededFingerprint } from '@regiograph/subgraph-kit';
import { createContext } from './context';
import { schema } from './schema';
import { BKG_ATTRIBUTION, readRegionRows, seedRegions, seedRegionsIfEmpty } from './seed';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';

let database: DatabaseClient;
const counter = new SqlStatementCounter();

beforeAll(async () => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
  await seedRegions(database.prisma);
});

afterAll(async () => {
  await database.close();
});

async function run<T = Record<string, unknown>>(source: string, variableValues?: Record<string, unknown>) {
  counter.reset();
  const result = await graphql({ schema, source, variableValues, contextValue: createContext(database.prisma) });
  return { data: result.data as T | null | undefined, errors: result.errors, statements: counter.count };
}

describe('seed', () => {
  it('loads every region of the reference data, and again without change', async () => {
    const rows = await readRegionRows();
    expect(rows).toHaveLength(1133);
    const before = await database.prisma.region.count();
    await seedRegions(database.prisma);
    expect(await database.prisma.region.count()).toBe(before);
    expect(before).toBe(1133);
    expect(await database.prisma.regionBoundary.count()).toBe(45 + 967);
  });

  it('records the fingerprint of the shipped data, and seeds again at a start after an earlier release', async () => {
    const { fingerprint } = await seedRegions(database.prisma);
    // After a change to the shipped data or to how the seed reads it, append this value to SHIPPED_DATA_FINGERPRINTS (shipped-data.ts).
    expect(fingerprint).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seededFingerprint(database.prisma, 'regions')).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedRegionsIfEmpty(database)).toBe(false);
    // What an earlier release had written: another name, and no fingerprint yet.
    await database.prisma.region.update({ where: { code: '03355' }, data: { name: 'Lueneburg' } });
    await database.prisma.regionsSeedState.deleteMany();
    expect(await seedRegionsIfEmpty(database)).toBe(true);
    expect((await database.prisma.region.findUniqueOrThrow({ where: { code: '03355' } })).name).toBe('Lüneburg');
    expect(await seededFingerprint(database.prisma, 'regions')).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
  });
});

describe('region', () => {
  it('gives a county with its official keys, hierarchy and source', async () => {
    const { data, errors } = await run(`{
      region(code: "03355") { code ags name officialType level nuts validSince
        parent { code } district { code name } ancestors { code } source { attribution official } }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      region: {
        code: '03355',
        ags: '03355',
        name: 'Lüneburg',
        officialType: 'Landkreis',
        level: 'COUNTY',
        nuts: expect.stringMatching(/^DE93/),
        validSince: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        parent: { code: '033' },
        district: { code: '033', name: 'Lüneburg' },
        ancestors: [{ code: '03' }, { code: '033' }],
        source: { attribution: BKG_ATTRIBUTION, official: true },
      },
    });
  });

  it('names the county a region lies in, also for a municipality whose parent is its Samtgemeinde', async () => {
    // A fact sheet shows a municipality's county: through parent it would be the Samtgemeinde here.
    const { data, errors } = await run(`{
      regionsByCodes(codes: ["033525404029", "033525404", "033520011011", "03352", "033", "03"]) { code parent { code } county { code name } }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      regionsByCodes: [
        { code: '033525404029', parent: { code: '033525404' }, county: { code: '03352', name: 'Cuxhaven' } },
        { code: '033525404', parent: { code: '03352' }, county: { code: '03352', name: 'Cuxhaven' } },
        { code: '033520011011', parent: { code: '03352' }, county: { code: '03352', name: 'Cuxhaven' } },
        { code: '03352', parent: { code: '033' }, county: { code: '03352', name: 'Cuxhaven' } },
        { code: '033', parent: { code: '03' }, county: null },
        { code: '03', parent: null, county: null },
      ],
    });
  });

  it("tells the directory's valid-since date of a region apart from the first day of its code", async () => {
    // Region Hannover's directory date is a change of 2009; its key dates from the merger of 01.11.2001.
    const { data, errors } = await run(`{
      hannover: region(code: "03241") { validSince codeExistsSince }
      goettingen: region(code: "03159") { validSince codeExistsSince }
      helmstedt: region(code: "03154") { validSince codeExistsSince }
      walsrode: region(code: "033580024024") { validSince codeExistsSince }
      state: region(code: "03") { validSince codeExistsSince }
      __type(name: "Region") { fields { name description } }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({
      hannover: { validSince: '2009-01-01', codeExistsSince: '2001-11-01' },
      goettingen: { validSince: '2016-11-01', codeExistsSince: '2016-11-01' },
      helmstedt: { validSince: '2017-07-01', codeExistsSince: null },
      walsrode: { validSince: '2020-01-01', codeExistsSince: '2020-01-01' },
      state: { validSince: '2015-01-01', codeExistsSince: null },
    });
    const fields = (data as { __type: { fields: { name: string; description: string }[] } }).__type.fields;
    expect(fields.find((field) => field.name === 'validSince')?.description).toContain('not the day its code began');
  });

  it('attributes the regions and boundaries as dl-de/by-2-0 demands: provider, changes, the licence by name and its text', async () => {
    const { data, errors } = await run<{
      region: { source: { attribution: string; licence: string; licenceUrl: string } };
      __type: { fields: { name: string; description: string }[] };
    }>(`{
      region(code: "03256") { source { attribution licence licenceUrl } }
      __type(name: "Region") { fields { name description } }
    }`);
    expect(errors).toBeUndefined();
    const { attribution, licence, licenceUrl } = data!.region.source;
    expect(attribution).toMatch(/^© GeoBasis-DE \/ BKG 2021 \(Daten verändert\)/);
    // The licence's name as the indicators' dl-de/by-2-0 attributions give it, and where its text is.
    expect(attribution).toContain('Datenlizenz Deutschland – Namensnennung – Version 2.0');
    expect(attribution).toContain('www.govdata.de/dl-de/by-2-0');
    expect(licence).toBe('Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)');
    expect(licenceUrl).toBe('https://www.govdata.de/dl-de/by-2-0');
    // The boundary field's description repeats the attribution: the same, complete one.
    const boundary = data!.__type.fields.find((field) => field.name === 'boundary')!;
    expect(boundary.description).toContain(`Attribution: ${attribution}.`);
  });

  it('lists ancestors of a Samtgemeinde member from the state down', async () => {
    const { data } = await run<{ region: { ancestors: { level: string }[]; parent: { level: string } } }>(`{
      region(code: "031515401002") { ancestors { level } parent { level } }
    }`);
    expect(data!.region.ancestors.map((a) => a.level)).toEqual(['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION']);
    expect(data!.region.parent.level).toBe('MUNICIPAL_ASSOCIATION');
  });

  it('answers an unknown code with NOT_FOUND and a malformed one with BAD_USER_INPUT', async () => {
    const unknown = await run('{ region(code: "03999") { name } }');
    expect(unknown.data).toEqual({ region: null });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await run('{ region(code: "Hannover") { name } }');
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('returns boundaries as GeoJSON, simplified on request', async () => {
    const { data } = await run<{ region: { full: { type: string; coordinates: unknown[] }; light: { coordinates: unknown[] } } }>(`{
      region(code: "03101") { full: boundary light: boundary(simplify: 0.01) }
    }`);
    expect(['Polygon', 'MultiPolygon']).toContain(data!.region.full.type);
    expect(JSON.stringify(data!.region.light).length).toBeLessThan(JSON.stringify(data!.region.full).length);
    const state = await run<{ region: { boundary: unknown } }>('{ region(code: "03") { boundary } }');
    expect(state.data!.region.boundary).toBeNull();
    const bad = await run('{ region(code: "03101") { boundary(simplify: -1) } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('regions', () => {
  it('finds names regardless of umlauts, ß and case', async () => {
    for (const search of ['Lueneburg', 'lüneburg', 'LÜNEBURG']) {
      const { data } = await run<{ regions: { nodes: { name: string }[] } }>(
        'query ($search: String) { regions(filter: { search: $search, level: COUNTY }) { nodes { name } } }',
        { search },
      );
      expect(data!.regions.nodes.map((n) => n.name)).toEqual(['Lüneburg']);
    }
    const { data } = await run<{ regions: { nodes: { name: string }[] } }>(
      '{ regions(filter: { search: "grossefehn" }) { nodes { name } } }',
    );
    expect(data!.regions.nodes.map((n) => n.name)).toEqual(['Großefehn']);
    // A hyphen or a full stop counts as a space, typed or not.
    for (const [search, name] of [
      ['Osterholz Scharmbeck', 'Osterholz-Scharmbeck'],
      ['osterholz-scharmbeck', 'Osterholz-Scharmbeck'],
      ['Hann Münden', 'Hann. Münden'],
    ]) {
      const found = await run<{ regions: { nodes: { name: string }[] } }>(
        'query ($search: String) { regions(filter: { search: $search, level: MUNICIPALITY }) { nodes { name } } }',
        { search },
      );
      expect(found.data!.regions.nodes.map((n) => n.name)).toEqual([name]);
    }
  });

  it('takes % and _ beside letters as themselves, not as wildcards of SQL LIKE', async () => {
    const counts: Record<string, number> = {};
    for (const search of ['l%burg', 'l_neburg', 'neburg']) {
      const { data } = await run<{ regions: { totalCount: number } }>(
        'query ($search: String) { regions(filter: { search: $search }) { totalCount } }',
        { search },
      );
      counts[search] = data!.regions.totalCount;
    }
    // No name holds % or _; "neburg" shows the search itself still finds (Lüneburg and others).
    expect(counts).toEqual({ 'l%burg': 0, l_neburg: 0, neburg: expect.any(Number) });
    expect(counts.neburg).toBeGreaterThan(0);
  });

  it('refuses a search of wildcards or punctuation alone with the one message of every search', async () => {
    for (const search of ['%', '_', '-', '...', '%_ -']) {
      const { data, errors } = await run('query ($search: String) { regions(filter: { search: $search }) { totalCount } }', { search });
      expect({ search, data, errors: errors?.map((error) => [error.message, error.extensions]) }).toEqual({
        search,
        data: null,
        errors: [
          [
            searchWithoutLetterOrDigitMessage('filter.search'),
            { code: 'BAD_USER_INPUT', argument: 'filter.search', reason: 'SEARCH_WITHOUT_LETTER_OR_DIGIT' },
          ],
        ],
      });
    }
  });

  it('limits a search to 100 characters as typed, an umlaut counting as one', async () => {
    const search = (text: string) =>
      run<{ regions: { totalCount: number } }>('query ($search: String) { regions(filter: { search: $search }) { totalCount } }', {
        search: text,
      });
    const umlauts = await search('ü'.repeat(100));
    expect(umlauts.errors).toBeUndefined();
    expect(umlauts.data!.regions.totalCount).toBe(0);
    const tooLong = await search('ü'.repeat(101));
    expect(tooLong.errors?.[0]?.message).toBe('filter.search is limited to 100 characters.');
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters by parent and by ancestor', async () => {
    const { data } = await run<{
      byParent: { totalCount: number };
      byAncestor: { totalCount: number };
      municipalities: { totalCount: number };
    }>(`{
      byParent: regions(filter: { parentCode: "034" }) { totalCount }
      byAncestor: regions(filter: { ancestorCode: "034", level: COUNTY }) { totalCount }
      municipalities: regions(filter: { ancestorCode: "03", level: MUNICIPALITY }) { totalCount }
    }`);
    expect(data).toEqual({ byParent: { totalCount: 17 }, byAncestor: { totalCount: 17 }, municipalities: { totalCount: 967 } });
  });

  it('refuses a parent or ancestor no region has, as every subgraph refuses such a code, instead of an empty page', async () => {
    const refusal = async (filter: string) =>
      (await run(`{ regions(filter: ${filter}) { totalCount } }`)).errors?.map((error) => ({
        message: error.message,
        extensions: error.extensions,
      }));
    expect(await refusal('{ ancestorCode: "03999", level: MUNICIPALITY }')).toEqual([
      {
        message: 'Unknown region code(s) in filter.ancestorCode: 03999.',
        extensions: { code: 'UNKNOWN_REGION_CODES', argument: 'filter.ancestorCode', codes: ['03999'] },
      },
    ]);
    // A key a merger dissolved: the refusal names the successor to ask for, which an empty page never did.
    expect(await refusal('{ parentCode: "03201" }')).toEqual([
      {
        message:
          'Unknown region code(s) in filter.parentCode: 03201. 03201 was the key of Landeshauptstadt Hannover, dissolved by a merger: ' +
          'since 2001-11-01 its area belongs to 03241 (Region Hannover).',
        extensions: {
          code: 'UNKNOWN_REGION_CODES',
          argument: 'filter.parentCode',
          codes: ['03201'],
          successors: { '03201': { name: 'Landeshauptstadt Hannover', codes: ['03241'], since: '2001-11-01' } },
        },
      },
    ]);
  });

  it('pages through a list with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: { data?: { regions: { nodes: { code: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null } =
        await run(
          'query ($after: String) { regions(filter: { level: COUNTY }, first: 20, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }',
          { after },
        );
      seen.push(...result.data!.regions.nodes.map((n) => n.code));
      if (!result.data!.regions.pageInfo.hasNextPage) break;
      after = result.data!.regions.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect([...seen].sort()).toEqual(seen);
  });

  it('refuses page sizes beyond the limit and foreign cursors', async () => {
    expect((await run('{ regions(first: 5000) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await run('{ regions(first: 0) { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await run('{ regions(after: "bm9wZQ") { totalCount } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs two statements for the children of all 45 counties, and three for all descendants', async () => {
    const children = await run<{ regions: { nodes: { children: unknown[] }[] } }>(
      '{ regions(filter: { level: COUNTY }, first: 100) { nodes { code children { code parent { code } } } } }',
    );
    expect(children.errors).toBeUndefined();
    expect(children.data!.regions.nodes).toHaveLength(45);
    // The page, then one batched children query (parents are primed from the page).
    expect(children.statements).toBe(2);
    const descendants = await run(
      '{ regions(filter: { level: COUNTY }, first: 100) { nodes { descendants(level: MUNICIPALITY) { code } ancestors { code } } } }',
    );
    expect(descendants.errors).toBeUndefined();
    // The page, one batched descendants query, one batched ancestor lookup.
    expect(descendants.statements).toBe(3);
  });
});

describe('regionNameSuggestions', () => {
  const SUGGEST =
    'query ($search: String!, $level: RegionLevel, $first: Int) { regionNameSuggestions(search: $search, level: $level, first: $first) { code name } }';
  type Suggestions = { regionNameSuggestions: { code: string; name: string }[] };

  it('suggests the regions a misspelt name means, nearest first, in one statement', async () => {
    for (const [search, name] of [
      ['Buckeburg', 'Bückeburg'],
      ['Bückebrug', 'Bückeburg'],
      ['scheesel', 'Scheeßel'],
      ['Zwischenan', 'Bad Zwischenahn'],
      ['Osterholz-Scharmbek', 'Osterholz-Scharmbeck'],
    ]) {
      const { data, errors, statements } = await run<Suggestions>(SUGGEST, { search });
      expect(errors).toBeUndefined();
      expect({ search, first: data!.regionNameSuggestions[0]?.name }).toEqual({ search, first: name });
      expect(statements).toBe(1);
    }
  });

  it('tells apart regions of one name by code, keeps to the level and the number asked, and suggests nothing far', async () => {
    const { data } = await run<Suggestions>(SUGGEST, { search: 'Neunkirchen', level: 'MUNICIPALITY', first: 20 });
    const neuenkirchen = data!.regionNameSuggestions.filter((region) => region.name === 'Neuenkirchen');
    expect(neuenkirchen.length).toBe(5);
    const codes = neuenkirchen.map((region) => region.code);
    expect(codes).toEqual([...codes].sort());
    expect(data!.regionNameSuggestions.every((region) => region.code.length === 12)).toBe(true);
    const two = await run<Suggestions>(SUGGEST, { search: 'Neunkirchen', first: 2 });
    expect(two.data!.regionNameSuggestions).toHaveLength(2);
    expect((await run<Suggestions>(SUGGEST, { search: 'Atlantis' })).data).toEqual({ regionNameSuggestions: [] });
  });

  it('refuses a search without a letter and a number of suggestions beyond the limit', async () => {
    const empty = await run(SUGGEST, { search: ' - ' });
    expect(empty.errors?.[0]?.message).toBe(searchWithoutLetterOrDigitMessage('search'));
    for (const first of [0, 21]) {
      const refused = await run(SUGGEST, { search: 'Buckeburg', first });
      expect(refused.errors?.[0]?.message).toBe('first must be between 1 and 20.');
      expect(refused.errors?.[0]?.extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});

describe('regionsByCodes', () => {
  it('answers in the order asked, with null and an error for each unknown or malformed code', async () => {
    const { data, errors, statements } = await run<{ regionsByCodes: ({ name: string } | null)[] }>(
      '{ regionsByCodes(codes: ["03355", "03999", "x", "03101", "03355"]) { name } }',
    );
    expect(data!.regionsByCodes).toEqual([{ name: 'Lüneburg' }, null, null, { name: 'Braunschweig' }, { name: 'Lüneburg' }]);
    expect(errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['regionsByCodes', 1], 'NOT_FOUND'],
      [['regionsByCodes', 2], 'BAD_USER_INPUT'],
    ]);
    expect(statements).toBe(1);
  });

  it("answers a municipality's AGS with BAD_USER_INPUT naming its ARS, from shared's catalogue without a statement of its own", async () => {
    // Partner systems often key municipalities by the 8-digit AGS; "not an ARS code" alone left them guessing.
    const { data, errors, statements } = await run<{ regionsByCodes: ({ code: string } | null)[] }>(
      '{ regionsByCodes(codes: ["03159016", "03159", "03999999", "031590016016"]) { code } }',
    );
    expect(data!.regionsByCodes).toEqual([null, { code: '03159' }, null, { code: '031590016016' }]);
    expect(errors?.map((e) => ({ path: e.path, message: e.message, extensions: e.extensions }))).toEqual([
      {
        path: ['regionsByCodes', 0],
        message: 'Code "03159016" is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: Göttingen has the ARS "031590016016".',
        extensions: { code: 'BAD_USER_INPUT', reason: 'NOT_A_REGION_CODE', key: '03159016', ars: '031590016016' },
      },
      {
        path: ['regionsByCodes', 2],
        message: 'Code "03999999" is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03).',
        extensions: { code: 'BAD_USER_INPUT', reason: 'NOT_A_REGION_CODE', key: '03999999' },
      },
    ]);
    // The two well-formed codes; the AGS is looked up in shared's region catalogue (the data this subgraph is seeded from).
    expect(statements).toBe(1);
    const single = await run('{ region(code: "03159016") { name } }');
    expect(single.data).toEqual({ region: null });
    expect(single.errors?.[0]?.message).toBe(
      'code "03159016" is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: Göttingen has the ARS "031590016016".',
    );
    expect(single.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'code',
      reason: 'NOT_A_REGION_CODE',
      ars: '031590016016',
    });
    const filtered = await run('{ regions(filter: { ancestorCode: "03159016" }) { totalCount } }');
    expect(filtered.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'filter.ancestorCode',
      reason: 'NOT_A_REGION_CODE',
      ars: '031590016016',
    });
  });

  it('answers a county key a merger dissolved with its successor and the day, alone and in bulk', async () => {
    // Data keyed before 01.11.2016 names 03152 and 03156; "does not exist" alone left the caller guessing.
    const single = await run('{ region(code: "03152") { name } }');
    expect(single.data).toEqual({ region: null });
    expect(single.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
      {
        message:
          'Region "03152" does not exist: 03152 was the key of Landkreis Göttingen, dissolved by a merger: ' +
          'since 2016-11-01 its area belongs to 03159 (Göttingen).',
        extensions: {
          code: 'NOT_FOUND',
          key: '03152',
          successors: { '03152': { name: 'Landkreis Göttingen', codes: ['03159'], since: '2016-11-01' } },
        },
      },
    ]);
    const { data, errors } = await run<{ regionsByCodes: ({ code: string } | null)[] }>(
      '{ regionsByCodes(codes: ["03156", "03201", "03253", "03999"]) { code } }',
    );
    expect(data!.regionsByCodes).toEqual([null, null, null, null]);
    expect(errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.successors])).toEqual([
      [['regionsByCodes', 0], 'NOT_FOUND', { '03156': { name: 'Landkreis Osterode am Harz', codes: ['03159'], since: '2016-11-01' } }],
      [['regionsByCodes', 1], 'NOT_FOUND', { '03201': { name: 'Landeshauptstadt Hannover', codes: ['03241'], since: '2001-11-01' } }],
      [['regionsByCodes', 2], 'NOT_FOUND', { '03253': { name: 'Landkreis Hannover', codes: ['03241'], since: '2001-11-01' } }],
      // A code that never was a key gets no successor.
      [['regionsByCodes', 3], 'NOT_FOUND', undefined],
    ]);
    expect(errors?.[3]?.message).toBe('Region "03999" does not exist.');
    // And from the successor's side: which former keys its data may come under.
    const successors = await run(`{
      goettingen: region(code: "03159") { formerCodes { code name mergedOn } }
      hannover: region(code: "03241") { formerCodes { code mergedOn } }
      goslar: region(code: "03153") { formerCodes { code } }
    }`);
    expect(successors.errors).toBeUndefined();
    expect(successors.data).toEqual({
      goettingen: {
        formerCodes: [
          { code: '03152', name: 'Landkreis Göttingen', mergedOn: '2016-11-01' },
          { code: '03156', name: 'Landkreis Osterode am Harz', mergedOn: '2016-11-01' },
        ],
      },
      hannover: {
        formerCodes: [
          { code: '03201', mergedOn: '2001-11-01' },
          { code: '03253', mergedOn: '2001-11-01' },
        ],
      },
      goslar: { formerCodes: [] },
    });
  });

  it('looks up 967 municipalities with their counties in two statements and refuses more than 1,000 codes', async () => {
    const rows = (await readRegionRows()).filter((row) => row.level === 'MUNICIPALITY').map((row) => row.code);
    const { data, statements } = await run<{ regionsByCodes: { district: { code: string } }[] }>(
      'query ($codes: [ID!]!) { regionsByCodes(codes: $codes) { code district { code } } }',
      { codes: rows },
    );
    expect(data!.regionsByCodes).toHaveLength(967);
    expect(statements).toBe(2);
    const tooMany = await run('query ($codes: [ID!]!) { regionsByCodes(codes: $codes) { code } }', { codes: [...rows, ...rows] });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ITEMS');
  });
});

describe('federation', () => {
  it('resolves Region references in one batched statement', async () => {
    const { data, statements } = await run<{ _entities: { name: string }[] }>(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { name } } }',
      { representations: ['03101', '03102', '03103'].map((code) => ({ __typename: 'Region', code })) },
    );
    expect(data!._entities.map((e) => e.name)).toEqual(['Braunschweig', 'Salzgitter', 'Wolfsburg']);
    expect(statements).toBe(1);
  });
});
