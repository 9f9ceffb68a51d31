import { mintToken, DEVELOPMENT_AUTH_SECRET } from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seed, seedIfEmpty } from './server';

let server: SubgraphServer;
let url: string;

interface Result<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<Result<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: text, variables }),
  });
  return (await response.json()) as Result<T>;
}

const editor = (district?: string) =>
  mintToken(
    { sub: `editor-${district ?? 'state'}`, name: 'Test editor', scopes: ['projects:write'], district },
    { secret: DEVELOPMENT_AUTH_SECRET, expiresIn: '10m' },
  );

beforeAll(async () => {
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL!, authSecret: DEVELOPMENT_AUTH_SECRET });
  await seedIfEmpty(server.database);
  url = (await server.listen(0)).url;
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

  it('refuses a search of stop words only instead of answering with nothing', async () => {
    const { errors } = await query(`{ projects(filter: { search: "und der die" }) { totalCount } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an unknown programme instead of answering with nothing', async () => {
    const { errors } = await query(`{ projects(filter: { programme: "NOPE" }) { totalCount } }`);
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
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
