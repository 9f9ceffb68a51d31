import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import {
  findUndocumented,
  MAX_ERROR_MESSAGE_LENGTH,
  parseCsvRecords,
  searchWithoutLetterOrDigitMessage,
  sourceHosts,
} from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { LANDSCAPE_DIR } from './real-data';
import { createServer, schema, seed, seedIfEmpty } from './server';
import { postGraphQL, type GraphQLResponse } from './testing/client';

let server: SubgraphServer;
let url: string;

beforeAll(async () => {
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  await seed(server.database.prisma);
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

async function query<TData = Record<string, unknown>>(text: string, variables: Record<string, unknown> = {}) {
  return postGraphQL<TData>(url, text, variables);
}

async function counted<TData = Record<string, unknown>>(text: string, variables: Record<string, unknown> = {}) {
  server.counter.reset();
  const result = await query<TData>(text, variables);
  return { result, statements: server.counter.count };
}

interface CooperationSummary {
  id: string;
  kind: string;
  status: string;
  members: { regionCode: string; role: string; level: string }[];
}

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { code
  own: cooperations { id kind status members { regionCode role level } }
  below: cooperations(through: DESCENDANTS) { id }
  above: cooperations(through: ANCESTORS) { id }
  all: cooperations(through: ALL) { id }
  active: cooperations(activeOn: "2024-06-30") { id }
  memberships { id role validFrom validUntil }
  office { name seat commissionerRole }
  strategy { districtCode adoptedOn fieldsOfActionComplete fieldsOfAction { title synthetic } }
} } }`;

interface RegionEntity {
  code: string;
  own: CooperationSummary[];
  below: { id: string }[];
  above: { id: string }[];
  all: { id: string }[];
  active: { id: string }[];
  memberships: { id: string }[];
  office: { name: string; seat: string; commissionerRole: string } | null;
  strategy: {
    districtCode: string;
    adoptedOn: string;
    fieldsOfActionComplete: boolean;
    fieldsOfAction: { title: string; synthetic: boolean }[];
  } | null;
}

describe('cooperations subgraph schema', () => {
  it('matches the checked-in schema.graphql (run npm run generate when it does not)', () => {
    const checkedIn = readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(printSubgraphSchema(schema) + '\n').toBe(checkedIn);
  });

  it('describes every type, field, argument and enum value', () => {
    expect(findUndocumented(schema)).toEqual([]);
  });
});

describe('seed', () => {
  it('is idempotent: seeding again leaves the same rows', async () => {
    const snapshot = async () => {
      const prisma = server.database.prisma;
      // Only the seeded records: other test files create cooperations of their own meanwhile.
      const seeded = { cooperation: { synthetic: true } };
      return JSON.stringify([
        await prisma.cooperation.findMany({
          where: { synthetic: true },
          orderBy: { id: 'asc' },
          omit: { createdAt: true, updatedAt: true },
        }),
        await prisma.cooperationMembership.findMany({ where: seeded, orderBy: { id: 'asc' } }),
        await prisma.cooperationActor.findMany({ where: seeded, orderBy: { id: 'asc' } }),
        await prisma.regionalStrategy.findMany({ orderBy: { districtCode: 'asc' } }),
        await prisma.fieldOfAction.findMany({ orderBy: { id: 'asc' } }),
        await prisma.office.findMany({ orderBy: { districtCode: 'asc' } }),
      ]);
    };
    const before = await snapshot();
    const summary = await seed(server.database.prisma);
    expect(await snapshot()).toBe(before);
    expect(summary.cooperations).toBe(42);
    expect(summary.realCooperations).toBe(29);
    expect(summary.offices).toBe(4);
    expect(await seedIfEmpty(server.database)).toBe(false);
  });
});

describe('Region extension', () => {
  it('answers Landkreis Nienburg (Weser): own, inherited and descendant cooperations, office and strategy', async () => {
    const { data, errors } = await query<{ _entities: RegionEntity[] }>(ENTITIES, {
      representations: [{ __typename: 'Region', code: '03256' }],
    });
    expect(errors).toBeUndefined();
    const nienburg = data!._entities[0]!;
    expect(nienburg.own.length).toBeGreaterThanOrEqual(4);
    expect(nienburg.own.every((cooperation) => cooperation.members.some((member) => member.regionCode === '03256'))).toBe(true);
    expect(
      nienburg.own.filter((c) => c.members.some((m) => m.level === 'COUNTY' && m.regionCode !== '03256')).length,
    ).toBeGreaterThanOrEqual(3);
    // Its town and Samtgemeinden cooperate with their neighbours (C-002 the town of Nienburg, C-005 Samtgemeinde Mittelweser).
    // It belongs to the real Zukunftsregionen Mitte Niedersachsen and Weserberglandplus and the Metropolregion HBGW.
    expect(nienburg.own.map((c) => c.id)).toEqual(expect.arrayContaining(['ZR06', 'ZR13', 'MR-HBGW']));
    expect(nienburg.below.map((c) => c.id)).toEqual(expect.arrayContaining(['C-002', 'C-005']));
    expect(nienburg.below.map((c) => c.id)).not.toContain('C-001');
    expect(nienburg.above).toEqual([]);
    expect(nienburg.all.map((c) => c.id)).toEqual([...new Set([...nienburg.own, ...nienburg.below].map((c) => c.id))].sort());
    // The dissolved C-003 is not active in mid 2024; the real ones are.
    const statuses = new Map(nienburg.own.map((c) => [c.id, c.status]));
    expect(statuses.get('C-003')).toBe('DISSOLVED');
    expect(nienburg.active.map((c) => c.id)).not.toContain('C-003');
    expect(nienburg.active.map((c) => c.id)).toEqual(expect.arrayContaining(['ZR06', 'ZR13', 'MR-HBGW']));
    expect(nienburg.memberships).toHaveLength(nienburg.own.length);
    expect(nienburg.office).toEqual({
      name: 'Amt für regionale Landesentwicklung Leine-Weser',
      seat: 'Hildesheim',
      commissionerRole: 'Landesbeauftragte(r) für regionale Landesentwicklung Leine-Weser',
    });
    expect(nienburg.strategy!.districtCode).toBe('032');
    expect(nienburg.strategy!.adoptedOn).toBe('2014-12-15');
    // The real fields of action of the Leine-Weser strategy, the one list that is complete.
    expect(nienburg.strategy!.fieldsOfActionComplete).toBe(true);
    expect(nienburg.strategy!.fieldsOfAction).toHaveLength(7);
    expect(nienburg.strategy!.fieldsOfAction[0]).toEqual({ title: 'Wirtschaft und Innovation', synthetic: false });
  });

  it('finds a municipality’s cooperations through its Samtgemeinde and county', async () => {
    const { data } = await query<{ _entities: RegionEntity[] }>(ENTITIES, {
      representations: [
        { __typename: 'Region', code: '032565410006' },
        { __typename: 'Region', code: '03' },
      ],
    });
    const [estorf, state] = data!._entities;
    // Estorf lies in Samtgemeinde Mittelweser (member of C-005) in Landkreis Nienburg (member of C-001 and ZR06).
    expect(estorf!.above.map((c) => c.id)).toEqual(expect.arrayContaining(['C-001', 'C-005', 'ZR06']));
    expect(estorf!.below).toEqual([]);
    expect(state!.office).toBeNull();
    expect(state!.strategy).toBeNull();
    expect(state!.below.length).toBeGreaterThanOrEqual(60);
  });

  it('costs a constant number of statements for all 45 counties', async () => {
    const counties = [
      '03101',
      '03102',
      '03103',
      '03151',
      '03153',
      '03154',
      '03155',
      '03157',
      '03158',
      '03159',
      '03241',
      '03251',
      '03252',
      '03254',
      '03255',
      '03256',
      '03257',
      '03351',
      '03352',
      '03353',
      '03354',
      '03355',
      '03356',
      '03357',
      '03358',
      '03359',
      '03360',
      '03361',
      '03401',
      '03402',
      '03403',
      '03404',
      '03405',
      '03451',
      '03452',
      '03453',
      '03454',
      '03455',
      '03456',
      '03457',
      '03458',
      '03459',
      '03460',
      '03461',
      '03462',
    ];
    const one = await counted(ENTITIES, { representations: [{ __typename: 'Region', code: '03256' }] });
    const all = await counted<{ _entities: RegionEntity[] }>(ENTITIES, {
      representations: counties.map((code) => ({ __typename: 'Region', code })),
    });
    expect(all.result.errors).toBeUndefined();
    expect(all.result.data!._entities).toHaveLength(45);
    // Memberships by reach, cooperations by id, members by cooperation, offices, strategies, fields of action.
    expect(one.statements).toBe(6);
    expect(all.statements).toBe(6);
  });
});

describe('queries', () => {
  it('pages through the filtered list with a total count', async () => {
    const text = `query ($after: String) { cooperations(filter: { memberRegion: "03256", includeDescendants: true }, first: 3, after: $after) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    type Page = { cooperations: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const first = await query<Page>(text);
    expect(first.errors).toBeUndefined();
    const total = first.data!.cooperations.totalCount;
    expect(total).toBeGreaterThanOrEqual(6);
    const ids = first.data!.cooperations.nodes.map((node) => node.id);
    let page = first.data!.cooperations;
    while (page.pageInfo.hasNextPage) {
      page = (await query<Page>(text, { after: page.pageInfo.endCursor })).data!.cooperations;
      ids.push(...page.nodes.map((node) => node.id));
    }
    expect(ids).toHaveLength(total);
    expect([...ids].sort()).toEqual(ids);
    expect(ids).toEqual(expect.arrayContaining(['C-001', 'C-002', 'C-005']));
  });

  it('answers the 14 real Zukunftsregionen with members, other members, fields of action, budget and recognition', async () => {
    type Region = {
      id: string;
      synthetic: boolean;
      source: string;
      leadPartner: string | null;
      members: { regionCode: string; role: string }[];
      otherMembers: { name: string; kind: string; regionCode: string | null }[];
      fieldsOfAction: string[];
      fieldsOfActionComplete: boolean;
      budgetAsStated: string | null;
      budgetEuros: number | null;
      recognisedOn: string | null;
    };
    const { data, errors } = await query<{ cooperations: { totalCount: number; nodes: Region[] } }>(`{
      cooperations(filter: { kind: ZUKUNFTSREGION }, first: 50) { totalCount nodes {
        id synthetic source leadPartner members { regionCode role } otherMembers { name kind regionCode }
        fieldsOfAction fieldsOfActionComplete budgetAsStated budgetEuros recognisedOn
      } }
    }`);
    expect(errors).toBeUndefined();
    const nodes = data!.cooperations.nodes;
    expect(nodes).toHaveLength(14);
    expect(nodes.every((node) => !node.synthetic && node.source.startsWith('http') && node.members.length >= 2)).toBe(true);
    const hannover = nodes.find((node) => node.id === 'ZR03')!;
    expect(hannover.members.map((member) => member.regionCode)).toEqual(['03241', '03254']);
    expect(hannover.otherMembers).toContainEqual({ name: 'Stadt Hildesheim', kind: 'MUNICIPALITY', regionCode: '032540021021' });
    expect(hannover).toMatchObject({
      fieldsOfAction: ['Regionale Innovationsfähigkeit', 'Kultur und Freizeit'],
      fieldsOfActionComplete: true,
      recognisedOn: '2022-09',
      budgetEuros: 5_000_000,
    });
    expect(nodes.find((node) => node.id === 'ZR08')).toMatchObject({
      fieldsOfAction: [],
      fieldsOfActionComplete: false,
      budgetEuros: 4_869_000,
    });
    const mitte = nodes.find((node) => node.id === 'ZR06')!;
    expect(mitte.leadPartner).toBe('Landkreis Verden');
    expect(mitte.members.find((member) => member.role === 'LEAD')?.regionCode).toBe('03361');
  });

  it('answers the offices with address, website and branch offices as stated', async () => {
    const { data } = await query<{
      offices: { districtCode: string; streetAddress: string | null; website: string | null; branchOffices: string[] }[];
    }>('{ offices { districtCode streetAddress website branchOffices } }');
    expect(data!.offices.find((office) => office.districtCode === '034')).toEqual({
      districtCode: '034',
      streetAddress: 'Theodor-Tantzen-Platz 8, 26122 Oldenburg',
      website: 'https://www.arl-we.niedersachsen.de',
      branchOffices: ['Aurich', 'Meppen', 'Norden', 'Osnabrück'],
    });
    expect(data!.offices.find((office) => office.districtCode === '032')!.branchOffices).toEqual(['Geschäftsstelle Sulingen']);
  });

  it('filters by kind, activity and search', async () => {
    const { data } = await query<{
      leader: { nodes: { kind: string }[] };
      active: { nodes: { status: string; dissolvedOn: string | null }[] };
      search: { nodes: { id: string }[] };
    }>(`{
      leader: cooperations(filter: { kind: LEADER_ILE_REGION }, first: 200) { nodes { kind } }
      active: cooperations(filter: { activeOn: "2024-06-30" }, first: 200) { nodes { status dissolvedOn } }
      search: cooperations(filter: { search: "NIENBURG" }, first: 200) { nodes { id } }
    }`);
    expect(data!.leader.nodes.length).toBeGreaterThan(0);
    expect(data!.leader.nodes.every((node) => node.kind === 'LEADER_ILE_REGION')).toBe(true);
    expect(data!.leader.nodes).toHaveLength(12);
    // Active on the day: never planned; a dissolved one only when it was dissolved after that day.
    expect(
      data!.active.nodes.every((node) => node.status === 'ACTIVE' || (node.status === 'DISSOLVED' && node.dissolvedOn! >= '2024-06-30')),
    ).toBe(true);
    expect(data!.search.nodes.map((node) => node.id)).toEqual(expect.arrayContaining(['C-001', 'C-003', 'C-006']));
  });

  it('counts a hyphen in a search as a space, typed or not', async () => {
    for (const search of ['Elbe-Weser', 'Elbe Weser', 'moorregion elbe–weser']) {
      const { data } = await query<{ cooperations: { nodes: { id: string }[] } }>(
        `query ($search: String!) { cooperations(filter: { search: $search }, first: 200) { nodes { id } } }`,
        { search },
      );
      expect({ search, ids: data!.cooperations.nodes.map((node) => node.id) }).toEqual({ search, ids: expect.arrayContaining(['ZR07']) });
    }
  });

  it('takes % and _ beside letters and digits as themselves, in names and ids alike', async () => {
    const { data } = await query<Record<'idPattern' | 'namePattern' | 'id', { nodes: { id: string }[] }>>(`{
      idPattern: cooperations(filter: { search: "c-%" }, first: 200) { nodes { id } }
      namePattern: cooperations(filter: { search: "elbe_weser" }, first: 200) { nodes { id } }
      id: cooperations(filter: { search: "c-001" }, first: 200) { nodes { id } }
    }`);
    expect(data).toEqual({ idPattern: { nodes: [] }, namePattern: { nodes: [] }, id: { nodes: [{ id: 'C-001' }] } });
  });

  it('refuses a search of wildcards or punctuation alone with the one message of every search', async () => {
    for (const search of ['%', '_', '-', '...', '%_ -']) {
      const { data, errors } = await query('query ($search: String!) { cooperations(filter: { search: $search }) { totalCount } }', {
        search,
      });
      expect({ search, data, errors: errors?.map((error) => [error.message, error.extensions?.code, error.extensions?.argument]) }).toEqual(
        {
          search,
          data: null,
          errors: [[searchWithoutLetterOrDigitMessage('filter.search'), 'BAD_USER_INPUT', 'filter.search']],
        },
      );
    }
  });

  it('resolves Cooperation and RegionalStrategy entities with members, actors and activity', async () => {
    type Entity = {
      id?: string;
      activeIn2024?: boolean;
      activeIn2000?: boolean;
      founded?: string;
      members?: { regionCode: string; role: string }[];
      currentMembers?: { regionCode: string }[];
      actors?: { sector: string; synthetic: boolean }[];
      districtCode?: string;
      office?: { seat: string };
    };
    const { data, errors } = await query<{ _entities: (Entity | null)[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Cooperation { id founded activeIn2024: activeOn(date: "2024-06-30") activeIn2000: activeOn(date: "2000-01-01")
          members { regionCode role } currentMembers: members(activeOn: "2024-06-30") { regionCode } actors { sector synthetic } }
        ... on RegionalStrategy { districtCode office { seat } }
      } }`,
      {
        representations: [
          { __typename: 'Cooperation', id: 'C-001' },
          { __typename: 'RegionalStrategy', districtCode: '034' },
          { __typename: 'Cooperation', id: 'C-404' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    const [cooperation, strategy, missing] = data!._entities;
    expect(cooperation!.id).toBe('C-001');
    expect(cooperation!.founded! < '2024-06-30').toBe(true);
    expect(cooperation!.activeIn2024).toBe(true);
    expect(cooperation!.activeIn2000).toBe(cooperation!.founded! <= '2000-01-01');
    expect(cooperation!.members![0]).toEqual({ regionCode: '03256', role: 'LEAD' });
    expect(cooperation!.currentMembers!.length).toBeLessThanOrEqual(cooperation!.members!.length);
    expect(cooperation!.actors!.length).toBeGreaterThanOrEqual(2);
    expect(cooperation!.actors!.every((actor) => actor.synthetic)).toBe(true);
    expect(strategy).toEqual({ districtCode: '034', office: { seat: 'Oldenburg (Oldb)' } });
    expect(missing).toBeNull();
  });

  it('answers one strategy and one office by district', async () => {
    const { data } = await query<{
      strategy: { title: string; district: { code: string } };
      office: { name: string; strategy: { districtCode: string } };
    }>(`{ strategy(districtCode: "031") { title district { code } } office(districtCode: "033") { name strategy { districtCode } } }`);
    expect(data!.strategy).toEqual({ title: 'Fortschreibung der Regionalen Handlungsstrategie Braunschweig', district: { code: '031' } });
    expect(data!.office).toEqual({ name: 'Amt für regionale Landesentwicklung Lüneburg', strategy: { districtCode: '033' } });
  });

  it('answers bad arguments with clear errors', async () => {
    const result = await query(`{
      a: cooperations(filter: { memberRegion: "99" }) { totalCount }
    }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await query(`{ cooperation(id: "C-999") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // An impossible day in the document fails validation through the Date scalar, as a malformed one does.
    const badDate = await query(`{ cooperations(filter: { activeOn: "2021-02-30" }) { totalCount } }`);
    expect(badDate.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(badDate.errors?.[0]?.message).toContain('Date must be a calendar date');
    // 035 is a well-formed code no region has; 03159 a region, but no ArL district.
    const badDistrict = await query(`{ strategy(districtCode: "035") { title } }`);
    expect(badDistrict.errors?.[0]?.extensions?.code).toBe('UNKNOWN_REGION_CODES');
    const county = await query(`{ strategy(districtCode: "03159") { title } }`);
    expect(county.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a malformed region code BAD_USER_INPUT and a well-formed unknown one UNKNOWN_REGION_CODES, in every argument', async () => {
    const fields = (code: string): string[] => [
      `cooperations(filter: { memberRegion: "${code}" }) { totalCount }`,
      `cooperationNetwork(regionCodes: ["03159", "${code}"]) { cooperationCount }`,
      `cooperationNetwork(within: "${code}", level: MUNICIPALITY) { cooperationCount }`,
      `cooperationNetworkGraph(regionCodes: ["03159", "${code}"]) { regions { code } }`,
      `office(districtCode: "${code}") { name }`,
    ];
    // One request each: a refused non-null root field nulls the answer, and the others' errors are then not all reported.
    const codesOf = async (code: string) =>
      Promise.all(fields(code).map(async (field) => (await query(`{ ${field} }`)).errors?.map((error) => error.extensions?.code)));
    expect(await codesOf('xx')).toEqual(fields('xx').map(() => ['BAD_USER_INPUT']));
    expect(await codesOf('039')).toEqual(fields('039').map(() => ['UNKNOWN_REGION_CODES']));
  });

  it('lists the four offices with their real seats and the four strategies', async () => {
    const { data } = await query<{
      offices: { districtCode: string; seat: string }[];
      strategies: { adoptedOn: string; adoptedOnSynthetic: boolean; updatedInYears: number[]; updatedInYearsSynthetic: boolean }[];
    }>(`{ offices { districtCode seat } strategies { adoptedOn adoptedOnSynthetic updatedInYears updatedInYearsSynthetic } }`);
    expect(data!.offices).toEqual([
      { districtCode: '031', seat: 'Braunschweig' },
      { districtCode: '032', seat: 'Hildesheim' },
      { districtCode: '033', seat: 'Lüneburg' },
      { districtCode: '034', seat: 'Oldenburg (Oldb)' },
    ]);
    expect(data!.strategies).toHaveLength(4);
    expect(data!.strategies.every((s) => s.adoptedOn === '2014-12-15' && !s.adoptedOnSynthetic)).toBe(true);
    // All four were updated in 2020 (a real year; the sources give no day, so none is shown).
    expect(data!.strategies.map((s) => [s.updatedInYears, s.updatedInYearsSynthetic])).toEqual(Array(4).fill([[2020], false]));
  });

  it('names, beside updatedInYears, every other update year a source row states, with both sources; null where they agree', async () => {
    const { data, errors } = await query<{
      strategies: { districtCode: string; updatedInYears: number[]; updatedInYearsNote: string | null }[];
    }>('{ strategies { districtCode updatedInYears updatedInYearsNote } }');
    expect(errors).toBeUndefined();
    const rows = parseCsvRecords(readFileSync(path.join(LANDSCAPE_DIR, 'handlungsstrategien.csv'), 'utf8')).map(({ record }) => record);
    expect(data!.strategies.map((strategy) => strategy.districtCode)).toEqual(['031', '032', '033', '034']);
    for (const strategy of data!.strategies) {
      const own = rows.filter((row) => row.district_code === strategy.districtCode);
      expect(own.length).toBeGreaterThan(0);
      // Every year a row states for its edition, except the first strategies' 2014 ("post-2015" names no year of an update).
      const differing = own.flatMap((row) =>
        [...(row.edition_year ?? '').matchAll(/(?<!post-)\b(?:19|20)\d\d\b/g)]
          .map((match) => Number(match[0]))
          .filter((year) => year !== 2014 && !strategy.updatedInYears.includes(year))
          .map((year) => ({ year, hosts: sourceHosts(row.source_url ?? '') })),
      );
      if (differing.length === 0) {
        expect(`${strategy.districtCode}: ${strategy.updatedInYearsNote}`).toBe(`${strategy.districtCode}: null`);
        continue;
      }
      const note = strategy.updatedInYearsNote ?? '';
      // The year shown and the statewide page that states it, then each other year with its own source.
      for (const year of strategy.updatedInYears) expect(note).toContain(String(year));
      expect(note).toContain('mb.niedersachsen.de');
      for (const { year, hosts } of differing) {
        expect(note).toContain(String(year));
        for (const host of hosts) expect(note).toContain(host);
      }
    }
    // The audit's case: Braunschweig's update in 2020 (statewide page) or 2021 (the ArL's page).
    const braunschweig = data!.strategies.find((strategy) => strategy.districtCode === '031')!;
    expect(braunschweig.updatedInYearsNote).toMatch(/2020.*2021/s);
    expect(braunschweig.updatedInYearsNote).toContain('arl-bs.niedersachsen.de');
  });
});

describe('activity on a day', () => {
  // Days before, around and after the recognition of the Zukunftsregionen in September and October
  // 2022. Nine of them have no founding day (the source states a month, or nothing), and their
  // memberships start on the first day the sources allow: the first day of the stated month, but not
  // before the programme's first recognition on 19 September 2022, which is also the start of those
  // whose source states no date (ZR01, ZR14).
  const DAYS = ['1950-01-01', '2021-12-31', '2022-09-01', '2022-09-19', '2022-09-30', '2022-10-01', '2024-06-30'];

  interface Listed {
    nodes: { id: string }[];
  }

  it('agrees for the Zukunftsregionen in the list, in each record, in their members’ view and in the network', async () => {
    const seen = new Map<string, string[]>();
    for (const day of DAYS) {
      const { data, errors } = await query<{
        listed: Listed;
        all: { nodes: { id: string; founded: string | null; active: boolean; members: { regionCode: string }[] }[] };
        network: { cooperations: { id: string }[] }[];
      }>(
        `query ($day: Date!) {
          listed: cooperations(filter: { kind: ZUKUNFTSREGION, activeOn: $day }, first: 50) { nodes { id } }
          all: cooperations(filter: { kind: ZUKUNFTSREGION }, first: 50) {
            nodes { id founded active: activeOn(date: $day) members { regionCode } } }
          network: cooperationNetwork(regionCodes: ["03241", "03254"], activeOn: $day, attributeDescendants: false) { cooperations { id } }
        }`,
        { day },
      );
      expect(errors).toBeUndefined();
      const zukunftsregionen = data!.all.nodes;
      expect(zukunftsregionen.filter((cooperation) => cooperation.founded === null)).toHaveLength(9);
      const codes = [...new Set(zukunftsregionen.flatMap((cooperation) => cooperation.members.map((member) => member.regionCode)))];
      const members = await query<{ _entities: { cooperations: { id: string; kind: string }[] }[] }>(
        `query ($representations: [_Any!]!, $day: Date!) { _entities(representations: $representations) {
          ... on Region { cooperations(activeOn: $day) { id kind } } } }`,
        { representations: codes.map((code) => ({ __typename: 'Region', code })), day },
      );
      expect(members.errors).toBeUndefined();
      const throughMembers = [
        ...new Set(
          members.data!._entities.flatMap((region) =>
            region.cooperations.filter((cooperation) => cooperation.kind === 'ZUKUNFTSREGION').map((cooperation) => cooperation.id),
          ),
        ),
      ].sort();
      const listed = data!.listed.nodes.map((node) => node.id);
      const active = zukunftsregionen.filter((cooperation) => cooperation.active).map((cooperation) => cooperation.id);
      expect({ day, listed, active }).toEqual({ day, listed: throughMembers, active: throughMembers });
      // ZR03 (Region Hannover and Landkreis Hildesheim, recognised "2022-09") is the one cooperation of
      // these two counties among the Zukunftsregionen: the network counts it on the same days.
      const inNetwork = data!.network.some((edge) => edge.cooperations.some((cooperation) => cooperation.id === 'ZR03'));
      expect({ day, inNetwork }).toEqual({ day, inNetwork: listed.includes('ZR03') });
      seen.set(day, listed);
    }
    // None was active before its recognition in 2022, whether or not its founding day is known.
    expect(seen.get('1950-01-01')).toEqual([]);
    expect(seen.get('2021-12-31')).toEqual([]);
    // None before the programme's first recognition, though several state only the month "2022-09".
    expect(seen.get('2022-09-01')).toEqual([]);
    // On 19 September 2022: ZR03 (no founding day, members from then) and ZR11 (founded that day),
    // ZR01 and ZR14 (no date stated: from the first recognition), but not ZR02 (founded 26 September)
    // nor ZR05 (recognised "2022-10", no founding day).
    expect(seen.get('2022-09-19')).toEqual(expect.arrayContaining(['ZR01', 'ZR03', 'ZR11', 'ZR14']));
    expect(seen.get('2022-09-19')).not.toContain('ZR02');
    expect(seen.get('2022-09-19')).not.toContain('ZR05');
    expect(seen.get('2024-06-30')).toHaveLength(14);
  });

  it('is the same rule in the list filter as in each record, for every cooperation', async () => {
    type Page = { cooperations: { nodes: { id: string; active: boolean }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const pages = async (filtered: boolean, day: string) => {
      const nodes: { id: string; active: boolean }[] = [];
      let after: string | null = null;
      for (;;) {
        const result: GraphQLResponse<Page> = await query<Page>(
          `query ($day: Date!, $after: String) { cooperations(filter: { activeOn: ${filtered ? '$day' : 'null'} }, first: 200, after: $after) {
            nodes { id active: activeOn(date: $day) } pageInfo { hasNextPage endCursor } } }`,
          { day, after },
        );
        expect(result.errors).toBeUndefined();
        nodes.push(...result.data!.cooperations.nodes);
        if (!result.data!.cooperations.pageInfo.hasNextPage) return nodes;
        after = result.data!.cooperations.pageInfo.endCursor;
      }
    };
    // Before any record, the first real and synthetic ones, the LEADER period, a planned start.
    for (const day of [...DAYS, '1998-06-30', '2005-01-01', '2010-06-30', '2023-01-01', '2027-06-01']) {
      const all = await pages(false, day);
      const listed = await pages(true, day);
      expect(all.length).toBeGreaterThanOrEqual(71);
      expect({ day, listed: listed.map((node) => node.id) }).toEqual({
        day,
        listed: all.filter((node) => node.active).map((node) => node.id),
      });
      expect(listed.every((node) => node.active)).toBe(true);
    }
  });
});

describe('cooperation network', () => {
  type Edge = { source: { code: string }; target: { code: string }; cooperationCount: number; cooperations: { id: string }[] };

  it('counts the cooperations shared by each pair of counties of district 032 in one statement plus one lookup', async () => {
    const { result, statements } = await counted<{ cooperationNetwork: Edge[] }>(`{
      cooperationNetwork(within: "032", level: COUNTY) { source { code } target { code } cooperationCount cooperations { id } }
    }`);
    expect(result.errors).toBeUndefined();
    const edges = result.data!.cooperationNetwork;
    expect(statements).toBe(2);
    for (const edge of edges) {
      expect(edge.source.code < edge.target.code).toBe(true);
      expect(edge.cooperations).toHaveLength(edge.cooperationCount);
    }
    const nienburgHannover = edges.find((edge) => edge.source.code === '03241' && edge.target.code === '03256');
    expect(nienburgHannover!.cooperations.map((c) => c.id)).toEqual(expect.arrayContaining(['MR-HBGW']));
    // Check one count against the memberships directly.
    const memberships = await server.database.prisma.cooperationMembership.findMany({
      where: { OR: [{ countyCode: '03251' }, { countyCode: '03256' }] },
    });
    const of = (county: string) => new Set(memberships.filter((m) => m.countyCode === county).map((m) => m.cooperationId));
    const shared = [...of('03251')].filter((id) => of('03256').has(id));
    const edge = edges.find((e) => e.source.code === '03251' && e.target.code === '03256');
    expect(edge?.cooperationCount ?? 0).toBe(shared.length);
  });

  it('answers the network with its regions once beside the same edges, in the same statements', async () => {
    const old = await counted<{ cooperationNetwork: Edge[] }>(`{
      cooperationNetwork(within: "034", level: COUNTY, activeOn: "2020-06-30") { source { code } target { code } cooperationCount cooperations { id } }
    }`);
    const graph = await counted<{ cooperationNetworkGraph: { regions: { code: string }[]; edges: Edge[] } }>(`{
      cooperationNetworkGraph(within: "034", level: COUNTY, activeOn: "2020-06-30") { regions { code } edges { source { code } target { code } cooperationCount cooperations { id } } }
    }`);
    expect(graph.result.errors).toBeUndefined();
    const { regions, edges } = graph.result.data!.cooperationNetworkGraph;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges).toEqual(old.result.data!.cooperationNetwork);
    const codes = [...new Set(edges.flatMap((edge) => [edge.source.code, edge.target.code]))].sort();
    expect(regions).toEqual(codes.map((code) => ({ code })));
    expect(graph.statements).toBe(old.statements);
    expect(graph.statements).toBe(2);
    const wrong = await query(`{ cooperationNetworkGraph(regionCodes: ["03256", "03999"]) { regions { code } } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNKNOWN_REGION_CODES');
  });

  it('attributes municipal memberships to their county only when asked', async () => {
    const { data } = await query<{ attributed: Edge[]; direct: Edge[] }>(`{
      attributed: cooperationNetwork(regionCodes: ["03256", "032565410"]) { cooperationCount }
      direct: cooperationNetwork(regionCodes: ["03256", "032565410"], attributeDescendants: false) { cooperationCount }
    }`);
    // C-005 has Samtgemeinde Mittelweser as member: attributed to Nienburg it links the two.
    expect(data!.attributed[0]!.cooperationCount).toBeGreaterThan(0);
    expect(data!.direct).toEqual([]);
  });

  it('names a region code given twice when fewer than two different regions remain', async () => {
    const { errors } = await query(`{ cooperationNetwork(regionCodes: ["03159", "03159"]) { cooperationCount } }`);
    expect(errors?.[0]?.message).toBe('regionCodes needs at least two different regions; 03159 is given twice.');
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses unknown regions and incomplete arguments', async () => {
    const unknown = await query(`{ cooperationNetwork(regionCodes: ["03256", "03999"]) { cooperationCount } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_REGION_CODES');
    const incomplete = await query(`{ cooperationNetwork(within: "032") { cooperationCount } }`);
    expect(incomplete.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const notBelow = await query(`{ cooperationNetwork(within: "03256", level: DISTRICT) { cooperationCount } }`);
    expect(notBelow.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a level not below within with the reason PARENT_NOT_ABOVE, as the indicators refuse a parent not above a level', async () => {
    // A client says a refusal in its own words by extensions.reason (the Atlas in German).
    for (const field of ['cooperationNetwork', 'cooperationNetworkGraph']) {
      const { errors } = await query(`{ ${field}(within: "03256", level: DISTRICT) { __typename } }`);
      expect({ field, extensions: errors?.map((error) => error.extensions) }).toEqual({
        field,
        extensions: [{ code: 'BAD_USER_INPUT', argument: 'level', reason: 'PARENT_NOT_ABOVE' }],
      });
    }
  });

  it('names a malformed region code of 500 KB in its message and extensions at most MAX_ERROR_MESSAGE_LENGTH characters long', async () => {
    // The message and extensions.codes each held the code whole: an answer of about 1 MB.
    const huge = '0'.repeat(500_000);
    const { errors } = await query('query ($codes: [ID!]!) { cooperationNetwork(regionCodes: $codes) { cooperationCount } }', {
      codes: ['03256', huge],
    });
    expect(errors).toHaveLength(1);
    const { message, extensions } = errors![0]!;
    expect(extensions?.code).toBe('BAD_USER_INPUT');
    expect(message).toMatch(/^regionCodes "0+…\(\d+ characters left out\)…0+" is not an ARS code of Lower Saxony \(/);
    expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(extensions?.codes).toEqual([expect.stringMatching(/^0+…\(\d+ characters left out\)…0+$/)]);
    expect(JSON.stringify(errors).length).toBeLessThan(3 * MAX_ERROR_MESSAGE_LENGTH);
  });
});
