import { Prisma } from '@regiograph/db';
import { MAX_EXACT_CENTS, searchWithoutLetterOrDigitMessage } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { bearerHeaders, postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { seed } from './server';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;

/** A query to the server under test, as the editor of `token` when given. */
function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, text, variables, bearerHeaders(token));
}

const editor = (district?: string) =>
  testToken({ sub: `editor-${district ?? 'state'}`, name: 'Test editor', scopes: ['projects:write'], district });

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

describe('seed', () => {
  it('is idempotent', async () => {
    const before = await server.database.prisma.project.count({ where: { synthetic: true } });
    const fundingsBefore = await server.database.prisma.funding.aggregate({
      _sum: { amountCents: true },
      where: { project: { synthetic: true } },
    });
    await seed(server.database.prisma);
    expect(await server.database.prisma.project.count({ where: { synthetic: true } })).toBe(before);
    const fundingsAfter = await server.database.prisma.funding.aggregate({
      _sum: { amountCents: true },
      where: { project: { synthetic: true } },
    });
    expect(fundingsAfter._sum.amountCents).toBe(fundingsBefore._sum.amountCents);
    expect(before).toBe(150);
  });
});

describe('queries', () => {
  it('lists, filters and counts projects', async () => {
    const { data, errors } = await query<{
      projects: { totalCount: number; nodes: { id: string; districtCode: string; synthetic: boolean; title: string }[] };
    }>(`{
      projects(filter: { districtCode: "034" }, first: 5) { totalCount nodes { id districtCode synthetic title } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.projects.nodes).toHaveLength(5);
    expect(data!.projects.totalCount).toBeGreaterThan(20);
    expect(
      data!.projects.nodes.every((project) => project.districtCode === '034' && project.synthetic && project.title.endsWith('(synthetic)')),
    ).toBe(true);
  });

  it('finds projects by German full-text search in findings', async () => {
    const { data, errors } = await query<{
      projects: { totalCount: number; nodes: { findings: { text: string }[]; title: string; summary: string }[] };
    }>(`{
      projects(filter: { search: "Dorfläden" }, first: 100) { totalCount nodes { title summary findings { text } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.projects.totalCount).toBeGreaterThan(0);
    // Stemming: "Dorfläden" in the query matches the finding text "Dorfläden tragen sich …".
    expect(
      data!.projects.nodes.every((project) =>
        /Dorfl/.test(project.findings.map((finding) => finding.text).join(' ') + project.title + project.summary),
      ),
    ).toBe(true);
  });

  it('finds words with upper-case umlauts in any case, though the database runs under the C locale', async () => {
    const count = async (search: string) =>
      (
        await query<{ projects: { totalCount: number } }>(
          `query ($search: String!) { projects(filter: { search: $search }) { totalCount } }`,
          {
            search,
          },
        )
      ).data!.projects.totalCount;
    // "Ärzte" begins a word with an upper-case umlaut, in the documents and in the query.
    const lower = await count('ärzte');
    expect(lower).toBeGreaterThan(0);
    expect([await count('Ärzte'), await count('ÄRZTE')]).toEqual([lower, lower]);
    const dorfladen = await count('Dorfläden');
    expect(dorfladen).toBeGreaterThan(0);
    expect(await count('DORFLÄDEN')).toBe(dorfladen);
  });

  it('reads "ae", "oe", "ue" typed for umlauts as the umlauts, and keeps the "ue" of Steuer and Quelle', async () => {
    const count = async (search: string) =>
      (
        await query<{ projects: { totalCount: number } }>(
          `query ($search: String!) { projects(filter: { search: $search }) { totalCount } }`,
          { search },
        )
      ).data!.projects.totalCount;
    const aerzte = await count('Ärzte');
    expect(aerzte).toBeGreaterThan(0);
    expect([await count('Aerzte'), await count('AERZTE'), await count('aerzte')]).toEqual([aerzte, aerzte, aerzte]);
    expect(await count('Dorflaeden')).toBe(await count('Dorfläden'));
    // The stemmer still drops the umlaut after the reading: the singular finds the plural.
    expect(await count('Arzt')).toBeGreaterThanOrEqual(aerzte);

    const title = 'Transliterationsprobe Steuerung der Quellenschutzberatung, aktuelle Lage in Bad Oeynhausen';
    const { errors } = await query(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }`,
      { input: studyInput(title, 'Created by a test.') },
      editor(),
    );
    expect(errors).toBeUndefined();
    // Typed with umlauts or without, against a document written through the API.
    for (const search of [
      'Transliterationsprobe Steuerung',
      'Transliterationsprobe Quellenschutzberatung',
      'Transliterationsprobe aktuelle',
      'Transliterationsprobe aktülle',
      'Transliterationsprobe Öynhausen',
    ]) {
      expect([search, await count(search)]).toEqual([search, 1]);
    }
  });

  it('sorts titles in German order, umlauts beside their letters, not after z', async () => {
    const created = ['Sortierprobe Zeven', 'Sortierprobe Grafschaft Bentheim', 'Sortierprobe Ärzte', 'Sortierprobe Göttingen'];
    for (const title of created) {
      const { errors } = await query(
        `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }`,
        { input: studyInput(title, 'Created by a test.') },
        editor(),
      );
      expect(errors).toBeUndefined();
    }
    const { data, errors } = await query<{ projects: { nodes: { title: string }[] } }>(
      `{ projects(orderBy: TITLE_ASC, filter: { search: "Sortierprobe" }, first: 20) { nodes { title } } }`,
    );
    expect(errors).toBeUndefined();
    // Byte order (the C locale) would give Grafschaft, Zeven, Ärzte, Göttingen.
    expect(data!.projects.nodes.map((node) => node.title)).toEqual([
      'Sortierprobe Ärzte',
      'Sortierprobe Göttingen',
      'Sortierprobe Grafschaft Bentheim',
      'Sortierprobe Zeven',
    ]);
  });

  it('limits a search to 200 characters, counting an emoji as one', async () => {
    const within = await query(`query ($search: String!) { projects(filter: { search: $search }) { totalCount } }`, {
      search: `${'😀'.repeat(190)} Dorfläden`,
    });
    expect(within.errors).toBeUndefined();
    const beyond = await query(`query ($search: String!) { projects(filter: { search: $search }) { totalCount } }`, {
      search: '😀'.repeat(201),
    });
    expect(beyond.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'filter.search is limited to 200 characters.'],
    ]);
  });

  it('refuses a search of stop words only instead of answering with nothing', async () => {
    const { errors } = await query(`{ projects(filter: { search: "und der die" }) { totalCount } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a search of wildcards or punctuation alone, or nothing, with the one message of every search', async () => {
    for (const search of ['%', '_', '-', '...', '%_ -', '  ']) {
      const { data, errors } = await query('query ($search: String!) { projects(filter: { search: $search }) { totalCount } }', { search });
      expect({ search, data, errors: errors?.map((error) => [error.message, error.extensions?.code, error.extensions?.argument]) }).toEqual(
        {
          search,
          data: null,
          errors: [[searchWithoutLetterOrDigitMessage('filter.search'), 'BAD_USER_INPUT', 'filter.search']],
        },
      );
    }
    // Stop words hold letters: refused for a reason of their own.
    const { errors } = await query(`{ projects(filter: { search: "und der die" }) { totalCount } }`);
    expect(errors?.map((error) => error.message)).toEqual([
      'filter.search contains no searchable words: only stop words (such as "und" or "der"), which are not searched.',
    ]);
  });

  it('refuses an unknown programme instead of answering with nothing', async () => {
    const { errors } = await query(`{ projects(filter: { programme: "NOPE" }) { totalCount } }`);
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('says UNKNOWN_PROGRAMME_CODES with the code beside NOT_FOUND, in every argument that takes a programme', async () => {
    // NOT_FOUND stays the code until the announced switch; the reason and the codes are there already.
    const queries: [string, string][] = [
      ['filter.programme', '{ projects(filter: { programme: "NOPE" }) { totalCount } }'],
      ['filter.programme', '{ fundingSummary(groupBy: PROGRAMME, filter: { programme: "NOPE" }) { totalAmountCents } }'],
      ['programme', '{ fundingTargeting(indicator: "unemployment_rate", level: COUNTY, programme: "NOPE") { programmeCode } }'],
      [
        'programme',
        '{ _entities(representations: [{ __typename: "Region", code: "03" }]) { ... on Region { fundingTotals(programme: "NOPE") { year } } } }',
      ],
    ];
    for (const [argument, text] of queries) {
      const { errors } = await query(text);
      expect(errors?.map((error) => error.extensions)).toEqual([
        { code: 'NOT_FOUND', argument, key: 'NOPE', reason: 'UNKNOWN_PROGRAMME_CODES', codes: ['NOPE'] },
      ]);
    }
  });

  it('summarises by programme with an exact total', async () => {
    const { data, errors } = await query<{
      fundingSummary: { totalAmountCents: number; groups: { key: string; amountCents: number }[] };
    }>(`{
      fundingSummary(groupBy: PROGRAMME) { totalAmountCents groups { key amountCents } }
    }`);
    expect(errors).toBeUndefined();
    const sum = data!.fundingSummary.groups.reduce((total, group) => total + group.amountCents, 0);
    expect(sum).toBe(data!.fundingSummary.totalAmountCents);
    const stored = await server.database.prisma.funding.aggregate({ _sum: { amountCents: true } });
    expect(BigInt(data!.fundingSummary.totalAmountCents)).toBe(stored._sum.amountCents);
  });

  it('says how much of every funding sum is synthetic, and which commitments are', async () => {
    // A real commitment beside the synthetic portfolio, so that the two parts differ.
    const created = await query<{ createProject: { project: { id: string } } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }`,
      { input: studyInput('Real funding beside synthetic', 'Created by a test.') },
      editor(),
    );
    const projectId = created.data!.createProject.project.id;
    const added = await query<{ addFunding: { errors: unknown[] } }>(
      `mutation($input: AddFundingInput!) { addFunding(input: $input) { errors { code } } }`,
      { input: { projectId, programmeCode: 'ZUKUNFTSREGIONEN', amountCents: '123456', coFinancingShare: 0.5, commitmentYear: 2026 } },
      editor(),
    );
    expect(added.data!.addFunding.errors).toEqual([]);
    const { prisma } = server.database;
    const part = async (synthetic: boolean) =>
      (await prisma.funding.aggregate({ _sum: { amountCents: true }, where: { project: { synthetic } } }))._sum.amountCents ?? 0n;
    const [syntheticCents, realCents] = [await part(true), await part(false)];
    expect(syntheticCents > 0n && realCents >= 123456n).toBe(true);

    const { data, errors } = await query<{
      fundingSummary: {
        totalAmountCents: string;
        totalSyntheticAmountCents: string;
        groups: { amountCents: string; syntheticAmountCents: string }[];
      };
      project: { funding: { synthetic: boolean }[] };
      synthetic: { nodes: { funding: { synthetic: boolean }[] }[] };
      _entities: { fundingTotals: { amountCents: string; syntheticAmountCents: string }[] }[];
    }>(
      `query ($id: ID!) {
        fundingSummary(groupBy: YEAR) { totalAmountCents totalSyntheticAmountCents groups { amountCents syntheticAmountCents } }
        project(id: $id) { funding { synthetic } }
        synthetic: projects(first: 20) { nodes { funding { synthetic } } }
        _entities(representations: [{ __typename: "Region", code: "03" }]) {
          ... on Region { fundingTotals(includeDescendants: true) { amountCents syntheticAmountCents } }
        }
      }`,
      { id: projectId },
    );
    expect(errors).toBeUndefined();
    const summary = data!.fundingSummary;
    expect([BigInt(summary.totalAmountCents), BigInt(summary.totalSyntheticAmountCents)]).toEqual([
      syntheticCents + realCents,
      syntheticCents,
    ]);
    const groupSum = (field: 'amountCents' | 'syntheticAmountCents') =>
      summary.groups.reduce((total, group) => total + BigInt(group[field]), 0n);
    expect([groupSum('amountCents'), groupSum('syntheticAmountCents')]).toEqual([syntheticCents + realCents, syntheticCents]);
    expect(data!.project.funding).toEqual([{ synthetic: false }]);
    const seeded = data!.synthetic.nodes.flatMap((node) => node.funding);
    expect(seeded.length).toBeGreaterThan(0);
    // The list holds the seeded portfolio (all synthetic) and projects editors entered in these tests (none funded but this one).
    expect(seeded.filter((funding) => !funding.synthetic).length).toBeLessThanOrEqual(1);
    const totals = data!._entities[0]!.fundingTotals;
    const stateSynthetic = totals.reduce((total, row) => total + BigInt(row.syntheticAmountCents), 0n);
    const stateAll = totals.reduce((total, row) => total + BigInt(row.amountCents), 0n);
    expect(stateSynthetic).toBe(syntheticCents);
    expect(stateAll - stateSynthetic).toBeGreaterThanOrEqual(123456n);
  });
});

describe('year ranges', () => {
  const refusal = (result: GraphQLResponse<unknown>) => result.errors?.map((error) => [error.extensions?.code, error.message]);

  it('refuses a reversed range in every funding query instead of answering "no money"', async () => {
    expect(
      refusal(await query(`{ fundingSummary(groupBy: YEAR, filter: { fromYear: 2023, toYear: 2021 }) { totalAmountCents } }`)),
    ).toEqual([['BAD_USER_INPUT', 'filter.fromYear (2023) is after filter.toYear (2021).']]);
    // Region.fundingTotals, as the gateway asks for it.
    expect(
      refusal(
        await query(`{ _entities(representations: [{ __typename: "Region", code: "03241" }]) {
          ... on Region { fundingTotals(fromYear: 2025, toYear: 2020) { year } } } }`),
      ),
    ).toEqual([['BAD_USER_INPUT', 'fromYear (2025) is after toYear (2020).']]);
    expect(
      refusal(await query(`{ fundingTargeting(indicator: "unemployment_rate", level: COUNTY, fromYear: 2023, toYear: 2021) { id } }`)),
    ).toEqual([['BAD_USER_INPUT', 'fromYear (2023) is after toYear (2021).']]);
    // A FundingTargeting key sent directly is held to the same rule.
    const key = JSON.stringify(['unemployment_rate', 'COUNTY', null, 2023, 2021]);
    expect(
      refusal(
        await query(
          `query ($key: ID!) { _entities(representations: [{ __typename: "FundingTargeting", id: $key }]) {
          ... on FundingTargeting { syntheticFunding } } }`,
          { key },
        ),
      ),
    ).toEqual([['BAD_USER_INPUT', 'fromYear (2023) is after toYear (2021).']]);
  });

  it('holds every year argument to the one bound of the API, 1900–2100, as the indicators subgraph does', async () => {
    expect(refusal(await query(`{ fundingTargeting(indicator: "unemployment_rate", level: COUNTY, toYear: 1899) { id } }`))).toEqual([
      ['BAD_USER_INPUT', 'toYear must be a year between 1900 and 2100.'],
    ]);
    expect(refusal(await query(`{ fundingSummary(groupBy: YEAR, filter: { fromYear: 2101 }) { totalAmountCents } }`))).toEqual([
      ['BAD_USER_INPUT', 'filter.fromYear must be a year between 1900 and 2100.'],
    ]);
    // A year before any funding is a question with the answer "none", not a mistake.
    const early = await query<{ fundingSummary: { totalAmountCents: number } }>(
      `{ fundingSummary(groupBy: YEAR, filter: { fromYear: 1900, toYear: 1950 }) { totalAmountCents } }`,
    );
    expect(early.errors).toBeUndefined();
    expect(early.data!.fundingSummary.totalAmountCents).toBe(0);
  });

  it('answers a range of one year', async () => {
    const summary = await query<{ fundingSummary: { groups: { year: number }[] } }>(
      `{ fundingSummary(groupBy: YEAR, filter: { fromYear: 2022, toYear: 2022 }) { groups { year } } }`,
    );
    expect(summary.errors).toBeUndefined();
    expect(summary.data!.fundingSummary.groups.map((group) => group.year)).toEqual([2022]);
    const totals = await query<{ _entities: { fundingTotals: { year: number }[] }[] }>(
      `{ _entities(representations: [{ __typename: "Region", code: "03" }]) {
        ... on Region { fundingTotals(fromYear: 2022, toYear: 2022, includeDescendants: true) { year } } } }`,
    );
    expect(totals.errors).toBeUndefined();
    expect(totals.data!._entities[0]!.fundingTotals.length).toBeGreaterThan(0);
    expect(totals.data!._entities[0]!.fundingTotals.every((total) => total.year === 2022)).toBe(true);
  });
});

describe('Region.projects names its period as ProjectFilter does', () => {
  const ids = (projects: { id: string }[]) => projects.map((project) => project.id).sort();
  const period = { activeFrom: '2022-01-01', activeTo: '2023-12-31' };

  it('takes activeFrom and activeTo, the deprecated from and to as before, and answers what ProjectFilter answers', async () => {
    const { data, errors } = await query<{
      _entities: { named: { id: string }[]; former: { id: string }[]; all: { id: string }[] }[];
      projects: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `query ($activeFrom: Date!, $activeTo: Date!) {
        _entities(representations: [{ __typename: "Region", code: "03" }]) {
          ... on Region {
            named: projects(activeFrom: $activeFrom, activeTo: $activeTo, includeDescendants: true) { id }
            former: projects(from: $activeFrom, to: $activeTo, includeDescendants: true) { id }
            all: projects(includeDescendants: true) { id }
          }
        }
        projects(filter: { regionCode: "03", includeDescendants: true, activeFrom: $activeFrom, activeTo: $activeTo }, first: 200) {
          nodes { id } pageInfo { hasNextPage }
        }
      }`,
      period,
    );
    expect(errors).toBeUndefined();
    const region = data!._entities[0]!;
    expect(data!.projects.pageInfo.hasNextPage).toBe(false);
    expect(ids(region.named)).toEqual(ids(data!.projects.nodes));
    expect(ids(region.former)).toEqual(ids(region.named));
    // The period narrows: the comparison above is not one of two unfiltered lists.
    expect(region.named.length).toBeGreaterThan(0);
    expect(region.named.length).toBeLessThan(region.all.length);
  });

  it('refuses a period given under both names, and a reversed one, under the new names', async () => {
    const refusal = (result: GraphQLResponse<unknown>) =>
      result.errors?.map((error) => [error.extensions?.code, error.extensions?.argument, error.message]);
    expect(
      refusal(
        await query(`{ _entities(representations: [{ __typename: "Region", code: "03" }]) {
          ... on Region { projects(activeFrom: "2022-01-01", from: "2022-01-01") { id } } } }`),
      ),
    ).toEqual([['BAD_USER_INPUT', 'from', 'Give activeFrom or its former name from, not both.']]);
    expect(
      refusal(
        await query(`{ _entities(representations: [{ __typename: "Region", code: "03" }]) {
          ... on Region { projects(activeFrom: "2023-01-01", activeTo: "2022-01-01") { id } } } }`),
      ),
    ).toEqual([['BAD_USER_INPUT', 'activeTo', 'activeTo must not be before activeFrom.']]);
  });
});

/** A study led by Landkreis Osnabrück (district 034). */
const studyInput = (title: string, summary: string) => ({
  title,
  summary,
  kind: 'STUDY',
  topics: ['MOBILITY'],
  startDate: '2026-01-01',
  regions: [{ regionCode: '03459', role: 'LEAD' }],
});

describe('writes', () => {
  it('creates a project for a state-wide editor', async () => {
    const { data, errors } = await query<{
      createProject: { project: { id: string; version: number; districtCode: string; synthetic: boolean } | null; errors: unknown[] };
    }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id version districtCode synthetic } errors { field code } } }`,
      { input: studyInput('Test project', 'Created by a test.') },
      editor(),
    );
    expect(errors).toBeUndefined();
    expect(data!.createProject.errors).toEqual([]);
    expect(data!.createProject.project).toMatchObject({ version: 1, districtCode: '034', synthetic: false });
    expect(data!.createProject.project!.id).toMatch(/^P-2026-\d{3}$/);
  });

  it('refuses a funding write that would bring the total of all commitments beyond what a Cents sum carries exactly', async () => {
    const prisma = server.database.prisma;
    const created = await query<{ createProject: { project: { id: string } } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`,
      { input: studyInput('Funding near the exact range', 'Created by a test.') },
      editor(),
    );
    const projectId = created.data!.createProject.project.id;
    const [row] = await prisma.$queryRaw<{ total: string }[]>`SELECT coalesce(sum(amount_cents), 0)::text AS total FROM projects.funding`;
    // One commitment written past the API (whose limit for one is 10^13 cents) brings the total to
    // 100 cents below the bound, as about 900 maximal commitments would.
    await prisma.funding.create({
      data: {
        projectId,
        programmeCode: 'ZUKUNFTSREGIONEN',
        amountCents: MAX_EXACT_CENTS - BigInt(row!.total) - 100n,
        coFinancingShare: new Prisma.Decimal('0.5'),
        commitmentYear: 2026,
      },
    });
    try {
      const add = (amountCents: number) =>
        query<{ addFunding: { funding: { id: string } | null; errors: unknown[] } }>(
          `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { field code message } } }`,
          { input: { projectId, programmeCode: 'ZUKUNFTSREGIONEN', amountCents, coFinancingShare: 0.5, commitmentYear: 2026 } },
          editor(),
        );
      const refused = await add(101);
      expect(refused.data!.addFunding).toEqual({
        funding: null,
        errors: [
          {
            field: 'input.amountCents',
            code: 'OUT_OF_RANGE',
            message: `would bring the total of all funding commitments to ${MAX_EXACT_CENTS + 1n} cents, beyond the ${MAX_EXACT_CENTS} cents that the API's sums carry exactly.`,
          },
        ],
      });
      expect((await add(100)).data!.addFunding.errors).toEqual([]);
      // The largest sum the API serves is now exactly the bound, and still answered.
      const summary = await query<{ fundingSummary: { totalAmountCents: number } }>(
        `{ fundingSummary(groupBy: YEAR) { totalAmountCents } }`,
      );
      expect(summary.errors).toBeUndefined();
      expect(summary.data!.fundingSummary.totalAmountCents).toBe(Number.MAX_SAFE_INTEGER);
    } finally {
      await prisma.funding.deleteMany({ where: { projectId } });
    }
  });

  it('refuses a version ahead of the record like a stale one, after at most one more run of the write', async () => {
    const created = await query<{ createProject: { project: { id: string; version: number } } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id version } errors { field code } } }`,
      { input: studyInput('Version ahead', 'Created by a test.') },
      editor(),
    );
    const { id, version } = created.data!.createProject.project;
    // A version the record does not have yet: a mutation reads on the primary, so it is a version
    // that does not exist, refused at once (not taken for a replica behind the caller and run again).
    // Nobody else changed it: the message says the version never existed (VERSION_CONFLICT as before).
    const conflict = (ahead: number) => [
      {
        field: 'expectedVersion',
        code: 'VERSION_CONFLICT',
        message: `the project has never had version ${ahead}; its current version is ${version}: send the version you read`,
      },
    ];
    const change = `mutation($id: ID!, $v: Int!) { changeProjectStatus(id: $id, status: RUNNING, expectedVersion: $v) { project { version } errors { field code message } } }`;
    const remove = `mutation($id: ID!, $v: Int!) { deleteProject(id: $id, expectedVersion: $v) { project { id } errors { field code message } } }`;
    server.counter.reset();
    const ahead = await query<{ changeProjectStatus: { errors: unknown[] } }>(change, { id, v: version + 5 }, editor());
    expect(ahead.data!.changeProjectStatus.errors).toEqual(conflict(version + 5));
    // Its one read of the project, and no transaction.
    expect(server.counter.count).toBe(1);
    const deleted = await query<{ deleteProject: { errors: unknown[] } }>(remove, { id, v: version + 1 }, editor());
    expect(deleted.data!.deleteProject.errors).toEqual(conflict(version + 1));
    expect(await server.database.prisma.project.findUnique({ where: { id }, select: { version: true } })).toEqual({ version });
  });

  it('refuses text that would not be stored as sent (U+0000, an unpaired surrogate) as bad input, called directly, and writes nothing', async () => {
    const before = await server.database.prisma.project.count();
    for (const [title, message] of [
      ['Null\u0000byte', 'Text must not contain the NUL character (U+0000), found in $input.title: PostgreSQL cannot store or compare it.'],
      [
        'Half \ud83d',
        'Text must be well-formed Unicode, but $input.title holds an unpaired surrogate (U+D83D): stored, it would become U+FFFD.',
      ],
    ]) {
      const { data, errors } = await query(
        `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`,
        { input: studyInput(title!, 'Refused by a test.') },
        editor(),
      );
      expect(data).toBeUndefined();
      expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', message]]);
    }
    expect(await server.database.prisma.project.count()).toBe(before);
  });

  it('refuses a cooperation it cannot check: this server was told no cooperations subgraph, and nothing is written', async () => {
    // The check itself, against the real cooperations subgraph, is in test/projects.test.ts.
    const before = await server.database.prisma.project.count();
    const { data, errors } = await query(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`,
      { input: { ...studyInput('Linked project', 'Refused by a test.'), cooperationId: 'ZR01' } },
      editor(),
    );
    expect(data).toBeNull();
    expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'REFERENCE_CHECK_UNAVAILABLE',
        "The cooperations subgraph could not check this write's references to Cooperation records (its address is not known). Nothing was written; send it again.",
      ],
    ]);
    expect(await server.database.prisma.project.count()).toBe(before);
  });

  const CREATE = `mutation($input: CreateProjectInput!) {
    createProject(input: $input) { project { id title source documents { url } } errors { field code message } } }`;
  type Created = {
    createProject: {
      project: { id: string; title: string; source: string; documents: { url: string }[] } | null;
      errors: { field: string; code: string; message: string }[];
    };
  };
  const create = async (input: Record<string, unknown>) => {
    const { data, errors } = await query<Created>(CREATE, { input }, editor());
    expect(errors).toBeUndefined();
    return data!.createProject;
  };
  const refusals = (payload: Created['createProject']) => payload.errors.map(({ field, code, message }) => [field, code, message]);

  it('refuses a document URL the URL parser would change (spaces, a line break) or that is too long, and writes nothing', async () => {
    const before = await server.database.prisma.project.count();
    const payload = await create({
      ...studyInput('Documents', 'Refused by a test.'),
      documents: [
        { title: 'a', url: ' https://example.org/a b ' },
        { title: 'b', url: 'https://exa\nmple.org/' },
        { title: 'c', url: `https://e.org/${'a'.repeat(1990)}` },
        { title: 'd', url: '\u200b' },
      ],
    });
    const invisible = 'must not contain spaces, control or invisible characters (percent-encode them, e.g. a space as %20).';
    expect(payload.project).toBeNull();
    expect(refusals(payload)).toEqual([
      ['input.documents[0].url', 'INVALID', invisible],
      ['input.documents[1].url', 'INVALID', invisible],
      ['input.documents[2].url', 'OUT_OF_RANGE', 'must be at most 2000 characters.'],
      ['input.documents[3].url', 'REQUIRED', 'must not be empty.'],
    ]);
    expect(await server.database.prisma.project.count()).toBe(before);
  });

  it('stores a document URL as it was checked, without the spaces around it', async () => {
    const payload = await create({
      ...studyInput('Documents', 'Created by a test.'),
      documents: [{ title: 'Report', url: '  https://example.org/report%20final.pdf \t' }],
    });
    expect(payload.errors).toEqual([]);
    expect(payload.project!.documents).toEqual([{ url: 'https://example.org/report%20final.pdf' }]);
  });

  it('counts characters as people see them: a title of 300 emoji has 300 characters, not 600', async () => {
    const accepted = await create(studyInput('😀'.repeat(300), 'Created by a test.'));
    expect(accepted.errors).toEqual([]);
    expect(accepted.project!.title).toBe('😀'.repeat(300));
    expect(refusals(await create(studyInput('😀'.repeat(301), 'Refused by a test.')))).toEqual([
      ['input.title', 'OUT_OF_RANGE', 'must be at most 300 characters.'],
    ]);
  });

  it('refuses a text of only invisible characters as empty', async () => {
    const before = await server.database.prisma.project.count();
    const payload = await create({
      ...studyInput('\u2060\u200b\u200d', '\u200b'),
      findings: [{ text: ' \u200b\ufeff ', topic: 'MOBILITY' }],
      source: '\u2060',
    });
    expect(refusals(payload)).toEqual([
      ['input.title', 'REQUIRED', 'must not be empty.'],
      ['input.summary', 'REQUIRED', 'must not be empty.'],
      ['input.findings[0].text', 'REQUIRED', 'must not be empty.'],
      ['input.source', 'REQUIRED', 'must not be empty.'],
    ]);
    expect(await server.database.prisma.project.count()).toBe(before);
  });

  it('takes a source of at most 2000 characters', async () => {
    const before = await server.database.prisma.project.count();
    for (const source of ['s'.repeat(2001), 's'.repeat(90_000)]) {
      expect(refusals(await create({ ...studyInput('Long source', 'Refused by a test.'), source }))).toEqual([
        ['input.source', 'OUT_OF_RANGE', 'must be at most 2000 characters.'],
      ]);
    }
    expect(await server.database.prisma.project.count()).toBe(before);
    const accepted = await create({ ...studyInput('Long source', 'Created by a test.'), source: ` ${'s'.repeat(2000)} ` });
    expect(accepted.errors).toEqual([]);
    expect(accepted.project!.source).toBe('s'.repeat(2000));
  });

  it('refuses an indicator code named twice instead of storing it once, and writes nothing', async () => {
    const before = await server.database.prisma.project.count();
    const { data, errors } = await query<{
      createProject: { project: { id: string } | null; errors: { field: string; code: string; message: string }[] };
    }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code message } } }`,
      { input: { ...studyInput('Repeated indicator', 'Refused by a test.'), indicatorCodes: ['population', 'population'] } },
      editor(),
    );
    expect(errors).toBeUndefined();
    expect(data!.createProject).toEqual({
      project: null,
      errors: [{ field: 'input.indicatorCodes[1]', code: 'INVALID', message: 'names "population" twice' }],
    });
    expect(await server.database.prisma.project.count()).toBe(before);
  });
});

describe('funding ids', () => {
  const UPDATE = `mutation($input: UpdateFundingInput!) { updateFunding(input: $input) { funding { id } errors { field code message } } }`;

  it('answers an id that is not a canonical int4 key as NOT_FOUND, and edits no other commitment', async () => {
    const prisma = server.database.prisma;
    // The seeded commitments these spellings name when read as numbers (Number("0x10") is 16).
    const named = await prisma.funding.findMany({ where: { id: { in: [12, 16, 100] } }, orderBy: { id: 'asc' } });
    expect(named.map((funding) => funding.id)).toEqual([12, 16, 100]);
    for (const id of ['2147483648', '99999999999', '0x10', '1e2', ' 12 ', '+12', '012', '12.0', '-12', '0', '']) {
      const { data, errors } = await query<{ updateFunding: unknown }>(UPDATE, { input: { id, amountCents: 5 } }, editor());
      expect([id, errors]).toEqual([id, undefined]);
      expect([id, data!.updateFunding]).toEqual([
        id,
        { funding: null, errors: [{ field: 'input.id', code: 'NOT_FOUND', message: `funding ${JSON.stringify(id)} does not exist` }] },
      ]);
    }
    expect(await prisma.funding.findMany({ where: { id: { in: [12, 16, 100] } }, orderBy: { id: 'asc' } })).toEqual(named);
    // The largest key int4 holds is still a key, of no record yet.
    const largest = await query<{ updateFunding: { errors: { code: string }[] } }>(
      UPDATE,
      { input: { id: '2147483647', amountCents: 5 } },
      editor(),
    );
    expect(largest.data!.updateFunding.errors.map((error) => error.code)).toEqual(['NOT_FOUND']);
  });
});

describe('regions exist from the project’s start', () => {
  const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id version } errors { field code message } } }`;
  const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id version } errors { field code message } } }`;
  type Payload = { project: { id: string; version: number } | null; errors: { field: string; code: string; message: string }[] };
  const goettingen = [{ regionCode: '03159', role: 'LEAD' }];

  it('refuses a region before its key existed, on create and on an update of the regions or the start, and writes nothing', async () => {
    const before = await server.database.prisma.project.count();
    const refused = await query<{ createProject: Payload }>(
      CREATE,
      { input: { ...studyInput('Göttingen before 2016', 'Refused by a test.'), startDate: '2010-01-01', regions: goettingen } },
      editor(),
    );
    expect(refused.data!.createProject).toEqual({
      project: null,
      errors: [
        {
          field: 'input.regions[0].regionCode',
          code: 'OUT_OF_RANGE',
          message: "the project's start (2010-01-01) must not be before 03159 existed (its key since 2016-11-01).",
        },
      ],
    });
    expect(await server.database.prisma.project.count()).toBe(before);

    const created = await query<{ createProject: Payload }>(
      CREATE,
      { input: { ...studyInput('Göttingen since 2016', 'Created by a test.'), startDate: '2016-11-01', regions: goettingen } },
      editor(),
    );
    expect(created.data!.createProject.errors).toEqual([]);
    const { id, version } = created.data!.createProject.project!;
    const moved = await query<{ updateProject: Payload }>(
      UPDATE,
      { input: { id, expectedVersion: version, startDate: '2016-10-31' } },
      editor(),
    );
    expect(moved.data!.updateProject).toEqual({
      project: null,
      errors: [{ field: 'input.startDate', code: 'OUT_OF_RANGE', message: 'must not be before 03159 existed (its key since 2016-11-01).' }],
    });
    const renamed = await query<{ updateProject: Payload }>(
      UPDATE,
      {
        input: {
          id,
          expectedVersion: version,
          regions: [
            { regionCode: '03459', role: 'LEAD' },
            { regionCode: '031590001001', role: 'PARTNER' },
          ],
        },
      },
      editor(),
    );
    expect(renamed.data!.updateProject).toEqual({ project: { id, version: version + 1 }, errors: [] });
    const earlier = await query<{ updateProject: Payload }>(
      UPDATE,
      {
        input: {
          id,
          expectedVersion: version + 1,
          startDate: '2015-01-01',
          regions: [{ regionCode: '03459', role: 'LEAD' }, ...goettingen.map((region) => ({ ...region, role: 'PARTNER' }))],
        },
      },
      editor(),
    );
    expect(earlier.data!.updateProject.errors).toEqual([
      {
        field: 'input.regions[1].regionCode',
        code: 'OUT_OF_RANGE',
        message: "the project's start (2015-01-01) must not be before 03159 existed (its key since 2016-11-01).",
      },
    ]);
    expect(await server.database.prisma.project.findUnique({ where: { id }, select: { version: true, startDate: true } })).toEqual({
      version: version + 1,
      startDate: new Date('2016-11-01T00:00:00Z'),
    });
  });
});

describe('synthetic projects keep their label', () => {
  const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { title synthetic version } errors { field code message } } }`;
  type Payload = { project: { title: string; synthetic: boolean; version: number } | null; errors: unknown[] };
  const update = (id: string, expectedVersion: number, title: string) =>
    query<{ updateProject: Payload }>(UPDATE, { input: { id, expectedVersion, title } }, editor());

  it('appends " (synthetic)" to a new title without it, once, within the 300 characters', async () => {
    const id = 'P-2026-003';
    const stored = await server.database.prisma.project.findUniqueOrThrow({ where: { id } });
    expect(stored.synthetic).toBe(true);
    const relabelled = await update(id, stored.version, 'Mobilitätsbedarfe Mittelweser');
    expect(relabelled.data!.updateProject).toEqual({
      project: { title: 'Mobilitätsbedarfe Mittelweser (synthetic)', synthetic: true, version: stored.version + 1 },
      errors: [],
    });
    const kept = await update(id, stored.version + 1, '  Mobilitätsbedarfe Mittelweser (synthetic) ');
    expect(kept.data!.updateProject.project!.title).toBe('Mobilitätsbedarfe Mittelweser (synthetic)');

    const tooLong = await update(id, stored.version + 2, 'ä'.repeat(289));
    expect(tooLong.data!.updateProject).toEqual({
      project: null,
      errors: [
        {
          field: 'input.title',
          code: 'OUT_OF_RANGE',
          message:
            'must be at most 288 characters: a synthetic project\'s title keeps its label " (synthetic)", which counts within the 300.',
        },
      ],
    });
    const longest = await update(id, stored.version + 2, 'ä'.repeat(288));
    expect(longest.data!.updateProject.project!.title).toBe(`${'ä'.repeat(288)} (synthetic)`);
  });
});

describe('the payload of a deletion', () => {
  const PROJECT_FIELDS = `id title version leadRegionCode indicatorCodes totalFundingCents
    regions { role region { code } } findings { text topic } documents { title url }
    funding { id amountCents commitmentYear synthetic programme { code } project { id } }`;
  const DELETE = `mutation($id: ID!, $v: Int!, $key: String) {
    deleteProject(id: $id, expectedVersion: $v, idempotencyKey: $key) { project { ${PROJECT_FIELDS} } errors { field code } }
  }`;

  it('shows the project with its regions, findings, documents, indicators and funding as they were, also when replayed', async () => {
    const prisma = server.database.prisma;
    // A project of its own (the seeded ones are counted by other files sharing this database).
    const created = await query<{ createProject: { project: { id: string } } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`,
      {
        input: {
          ...studyInput('Deleted with all it had', 'Created by a test.'),
          regions: [
            { regionCode: '03459', role: 'LEAD' },
            { regionCode: '03404', role: 'PARTNER' },
          ],
          findings: [{ text: 'A finding.', topic: 'MOBILITY' }],
          documents: [{ title: 'Report', url: 'https://example.org/report.pdf' }],
        },
      },
      editor(),
    );
    const id = created.data!.createProject.project.id;
    // Written past the API: this server knows no indicators subgraph to check a code with.
    await prisma.projectIndicator.create({ data: { projectId: id, indicatorCode: 'population' } });
    const funded = await query<{ addFunding: { errors: unknown[] } }>(
      `mutation($input: AddFundingInput!) { addFunding(input: $input) { errors { field code } } }`,
      { input: { projectId: id, programmeCode: 'GRW', amountCents: 100_000, coFinancingShare: 0.5, commitmentYear: 2026 } },
      editor(),
    );
    expect(funded.data!.addFunding.errors).toEqual([]);
    const stored = await prisma.project.findUniqueOrThrow({ where: { id } });
    const read = await query<{ project: Record<string, unknown> }>(`query($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } }`, {
      id: stored.id,
    });
    expect(read.errors).toBeUndefined();
    const asItWas = read.data!.project;
    for (const list of ['regions', 'findings', 'documents', 'indicatorCodes', 'funding'])
      expect([list, (asItWas[list] as unknown[]).length > 0]).toEqual([list, true]);

    const variables = { id: stored.id, v: stored.version, key: `delete-${stored.id}` };
    const deleted = await query<{ deleteProject: unknown }>(DELETE, variables, editor());
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteProject).toEqual({ project: asItWas, errors: [] });
    expect(await prisma.project.findUnique({ where: { id: stored.id } })).toBeNull();
    expect(await prisma.funding.count({ where: { projectId: stored.id } })).toBe(0);
    // The same key answers the first answer again, read from the idempotency store.
    const replayed = await query<{ deleteProject: unknown }>(DELETE, variables, editor());
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data!.deleteProject).toEqual({ project: asItWas, errors: [] });
  });
});
