import { createClient, CreateProjectDocument, type CreateProjectMutationVariables } from '@regiograph/client';
import type { PrismaClient } from '@regiograph/db';
import { type MintOptions, type TokenClaims } from '@regiograph/shared';
import { testBearer, testToken } from '@regiograph/shared/testing';
import { startStack, type GraphQLResult, type Stack } from './harness';

let stack: Stack;
let projectsDb: PrismaClient;

beforeAll(async () => {
  stack = await startStack();
  projectsDb = stack.subgraphs.projects!.server.database.prisma;
});

afterAll(async () => {
  await stack?.stop();
});

/** A state-wide projects editor's header, unless the claims say otherwise. */
function editor(claims: Partial<TokenClaims> = {}, options: Partial<MintOptions> = {}): Record<string, string> {
  return testBearer({ scopes: ['projects:write'], ...claims }, options);
}

interface CountyGroup {
  key: string;
  amountCents: number;
  projectCount: number;
  region: { code: string; name: string; level: string; value: { year: number; value: number | null } | null };
}

const FUNDING_PER_INHABITANT = `
  query FundingPerInhabitant($programme: ID) {
    fundingSummary(groupBy: REGION, filter: { programme: $programme, level: COUNTY }) {
      totalAmountCents
      groups {
        key
        amountCents
        projectCount
        region { code name level value(indicator: "population", year: 2018) { year value } }
      }
    }
  }`;

describe('funding per inhabitant by county (Zukunftsregionen) in one query', () => {
  it('joins the exact sums of projects with names from regions and population from indicators', async () => {
    const { result, statements } = await stack.countStatements<{ fundingSummary: { totalAmountCents: number; groups: CountyGroup[] } }>(
      FUNDING_PER_INHABITANT,
      { programme: 'ZUKUNFTSREGIONEN' },
    );
    expect(result.errors).toBeUndefined();
    const groups = result.data!.fundingSummary.groups;
    expect(groups.length).toBeGreaterThanOrEqual(20);

    // The sums are those of the stored funding, computed independently here.
    const expected = await projectsDb.$queryRaw<{ county: string; cents: string }[]>`
      SELECT left(pr.region_code, 5) AS county, SUM(f.amount_cents)::text AS cents
      FROM projects.funding f JOIN projects.project_region pr ON pr.project_id = f.project_id AND pr.role = 'LEAD'
      WHERE f.programme_code = 'ZUKUNFTSREGIONEN' AND length(pr.region_code) >= 5
      GROUP BY 1 ORDER BY 1`;
    expect(groups.map((group) => [group.key, BigInt(group.amountCents)])).toEqual(expected.map((row) => [row.county, BigInt(row.cents)]));
    expect(groups.reduce((sum, group) => sum + group.amountCents, 0)).toBe(result.data!.fundingSummary.totalAmountCents);

    const perInhabitant = groups.map((group) => {
      expect(group.region.code).toBe(group.key);
      expect(group.region.level).toBe('COUNTY');
      expect(group.region.name.length).toBeGreaterThan(0);
      expect(group.region.value?.year).toBe(2018);
      const population = group.region.value!.value!;
      expect(population).toBeGreaterThan(40_000);
      return { county: group.region.name, eurosPerInhabitant: group.amountCents / 100 / population };
    });
    expect(perInhabitant.every((row) => Number.isFinite(row.eurosPerInhabitant) && row.eurosPerInhabitant > 0)).toBe(true);

    // projects: the programme check and the one aggregate; regions and indicators: one batched entity fetch each.
    expect(statements.projects).toBe(2);
    expect(statements.regions).toBe(1);
    expect(statements.indicators).toBeLessThanOrEqual(2);
  });

  it('costs the same statements for every county of all programmes as for the subset', async () => {
    const subset = await stack.countStatements<{ fundingSummary: { groups: CountyGroup[] } }>(FUNDING_PER_INHABITANT, {
      programme: 'ZUKUNFTSREGIONEN',
    });
    const all = await stack.countStatements<{ fundingSummary: { groups: CountyGroup[] } }>(FUNDING_PER_INHABITANT, { programme: null });
    expect(all.result.errors).toBeUndefined();
    expect(all.result.data!.fundingSummary.groups.length).toBeGreaterThan(subset.result.data!.fundingSummary.groups.length);
    expect(all.statements.projects).toBe(subset.statements.projects! - 1);
    expect(all.statements.regions).toBe(subset.statements.regions);
    expect(all.statements.indicators).toBe(subset.statements.indicators);
  });
});

describe('projects through the gateway', () => {
  it('lists the projects of every county with names, lead regions and funding totals at constant cost', async () => {
    const { result, statements } = await stack.countStatements<{
      regions: {
        nodes: {
          code: string;
          name: string;
          projects: { id: string; leadRegion: { name: string } | null }[];
          fundingTotals: { amountCents: number }[];
        }[];
      };
    }>(`{
      regions(filter: { level: COUNTY }, first: 100) {
        nodes {
          code name
          projects(includeDescendants: true) { id leadRegion { name } }
          fundingTotals(includeDescendants: true) { year amountCents programme { code } }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const counties = result.data!.regions.nodes;
    expect(counties).toHaveLength(45);
    expect(counties.filter((county) => county.projects.length > 0).length).toBeGreaterThan(30);
    expect(counties.flatMap((county) => county.projects).every((project) => project.leadRegion && project.leadRegion.name.length > 0)).toBe(
      true,
    );
    // projects: Region.projects (the projects, then their regions), Region.fundingTotals, the programmes;
    // lead regions come from the primed loader. regions: the page, then the lead-region names.
    expect(statements.projects).toBe(4);
    expect(statements.regions).toBe(2);
  });

  it.each([['034'], ['03']])('answers the projects below %s the same as the filtered list', async (code) => {
    const { data, errors } = await stack.query<{ region: { projects: { id: string }[] }; projects: { totalCount: number } }>(
      `query ($code: ID!) {
        region(code: $code) { projects(includeDescendants: true) { id } }
        projects(filter: { regionCode: $code, includeDescendants: true }) { totalCount }
      }`,
      { code },
    );
    expect(errors).toBeUndefined();
    expect(data!.region.projects.length).toBe(data!.projects.totalCount);
    expect(data!.projects.totalCount).toBeGreaterThan(10);
  });

  it('pages through a search without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const response: GraphQLResult<{
        projects: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }> = await stack.query(
        `query($after: String) { projects(filter: { search: "Versorgung OR Mobilstationen" }, orderBy: TITLE_ASC, first: 7, after: $after) {
            totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      total = response.data!.projects.totalCount;
      seen.push(...response.data!.projects.nodes.map((node) => node.id));
      if (!response.data!.projects.pageInfo.hasNextPage) break;
      after = response.data!.projects.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(7);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('answers the projects of indicators and cooperations, and a project’s joined names', async () => {
    const { data, errors } = await stack.query<{
      projects: {
        nodes: {
          id: string;
          cooperation: { id: string } | null;
          indicators: { code: string }[];
          regions: { role: string; region: { name: string } }[];
          district: { name: string };
        }[];
      };
    }>(`{
      projects(filter: { programme: "ZUKUNFTSREGIONEN" }, first: 100) {
        nodes { id cooperation { id } indicators { code } regions { role region { name } } district { name } }
      }
    }`);
    expect(errors).toBeUndefined();
    const withCooperation = data!.projects.nodes.find((project) => project.cooperation !== null)!;
    const withIndicator = data!.projects.nodes.find((project) => project.indicators.length > 0)!;
    expect(withCooperation).toBeDefined();
    expect(
      data!.projects.nodes.every((project) => project.district.name.length > 0 && project.regions.some((region) => region.role === 'LEAD')),
    ).toBe(true);

    const back = await stack.query<{
      cooperation: { projects: { id: string }[] } | null;
      indicator: { projects: { id: string }[] } | null;
    }>(
      `query($cooperation: ID!, $indicator: ID!) {
        cooperation(id: $cooperation) { projects { id } }
        indicator(code: $indicator) { projects { id } }
      }`,
      { cooperation: withCooperation.cooperation!.id, indicator: withIndicator.indicators[0]!.code },
    );
    expect(back.errors).toBeUndefined();
    expect(back.data!.cooperation!.projects.map((project) => project.id)).toContain(withCooperation.id);
    expect(back.data!.indicator!.projects.map((project) => project.id)).toContain(withIndicator.id);
  });

  it('keeps a project readable whose indicator codes the catalogue does not hold, and lists only the known indicators', async () => {
    // Writes refuse unknown codes (below), but the catalogue is imported at run time: a later import
    // may drop a code a project holds. Before, such a code made the whole project null.
    const created = await create('03459', editor(), { indicatorCodes: ['population'] });
    const id = created.data!.createProject!.project!.id;
    await projectsDb.projectIndicator.create({ data: { projectId: id, indicatorCode: 'no_such_indicator' } });
    const { data, errors } = await stack.query<{
      project: { id: string; indicatorCodes: string[]; indicators: { code: string }[] } | null;
    }>('query($id: ID!) { project(id: $id) { id indicatorCodes indicators { code } } }', { id });
    expect(errors).toBeUndefined();
    expect(data!.project).toEqual({ id, indicatorCodes: ['no_such_indicator', 'population'], indicators: [{ code: 'population' }] });
  });

  it('labels every seeded project as synthetic with its source', async () => {
    const { data } = await stack.query<{ projects: { nodes: { title: string; synthetic: boolean; source: string }[] } }>(`{
      projects(first: 200) { nodes { title synthetic source } }
    }`);
    const synthetic = data!.projects.nodes.filter((project) => project.synthetic);
    expect(synthetic.length).toBeGreaterThanOrEqual(150);
    expect(synthetic.every((project) => project.title.endsWith('(synthetic)') && /Synthetic demonstration data/.test(project.source))).toBe(
      true,
    );
  });
});

const CREATE = `mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id version districtCode } errors { field message code } }
}`;

function newProject(leadRegion: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Authorisation test project',
    summary: 'Created by the end-to-end tests.',
    kind: 'MODEL_PROJECT',
    topics: ['MOBILITY'],
    startDate: '2026-03-01',
    endDate: '2027-02-28',
    regions: [{ regionCode: leadRegion, role: 'LEAD' }],
    ...overrides,
  };
}

interface CreateResult {
  createProject: {
    project: { id: string; version: number; districtCode: string } | null;
    errors: { field: string; message: string; code: string }[];
  } | null;
}

async function create(leadRegion: string, headers: Record<string, string>, overrides: Record<string, unknown> = {}) {
  return stack.query<CreateResult>(CREATE, { input: newProject(leadRegion, overrides) }, headers);
}

function errorCode(result: GraphQLResult<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

describe('authorization of writes, per role', () => {
  let foreignProject: { id: string; version: number };

  beforeAll(async () => {
    const created = await create('03459', editor());
    foreignProject = created.data!.createProject!.project!;
  });

  it('refuses anonymous callers', async () => {
    const before = await projectsDb.project.count();
    expect(errorCode(await create('03101', {}))).toBe('UNAUTHENTICATED');
    expect(await projectsDb.project.count()).toBe(before);
  });

  it('refuses a forged token (signed with another secret)', async () => {
    const forged = editor({}, { secret: 'an-attacker-secret-that-is-long-enough-000' });
    expect(errorCode(await create('03101', forged))).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const expired = editor({}, { issuedAt: Math.floor(Date.now() / 1000) - 3600 });
    const result = await create('03101', expired);
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.errors![0]!.message).toMatch(/expired/);
  });

  it('refuses a malformed authorization header', async () => {
    expect(errorCode(await create('03101', { authorization: 'Bearer not.a.token' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await create('03101', { authorization: 'Basic dXNlcjpwYXNz' }))).toBe('UNAUTHENTICATED');
  });

  it('refuses a reader without the write scope, and a token with another subgraph’s scope', async () => {
    expect(errorCode(await create('03101', editor({ scopes: [] })))).toBe('FORBIDDEN');
    expect(errorCode(await create('03101', editor({ scopes: ['cooperations:write'] })))).toBe('FORBIDDEN');
  });

  it('lets a district editor write in their district only', async () => {
    const braunschweig = editor({ district: '031' });
    const inside = await create('03101', braunschweig);
    expect(inside.errors).toBeUndefined();
    expect(inside.data!.createProject!.project!.districtCode).toBe('031');

    const before = await projectsDb.project.count();
    expect(errorCode(await create('03459', braunschweig))).toBe('FORBIDDEN');
    expect(await projectsDb.project.count()).toBe(before);

    const update = await stack.query(
      `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } errors { code } } }`,
      { input: { id: foreignProject.id, expectedVersion: foreignProject.version, title: 'Hijacked' } },
      braunschweig,
    );
    expect(errorCode(update)).toBe('FORBIDDEN');
    const funding = await stack.query(
      `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { code } } }`,
      { input: { projectId: foreignProject.id, programmeCode: 'GRW', amountCents: 100, coFinancingShare: 0.5, commitmentYear: 2026 } },
      braunschweig,
    );
    expect(errorCode(funding)).toBe('FORBIDDEN');
    const status = await stack.query(
      `mutation { changeProjectStatus(id: "${foreignProject.id}", status: RUNNING, expectedVersion: ${foreignProject.version}) { errors { code } } }`,
      {},
      braunschweig,
    );
    expect(errorCode(status)).toBe('FORBIDDEN');
    expect((await projectsDb.project.findUniqueOrThrow({ where: { id: foreignProject.id } })).title).toBe('Authorisation test project');
  });

  it('lets a district editor not move a project out of their district', async () => {
    const braunschweig = editor({ district: '031' });
    const own = (await create('03151', braunschweig)).data!.createProject!.project!;
    const moved = await stack.query(
      `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } errors { code } } }`,
      { input: { id: own.id, expectedVersion: own.version, regions: [{ regionCode: '03459', role: 'LEAD' }] } },
      braunschweig,
    );
    expect(errorCode(moved)).toBe('FORBIDDEN');
  });

  it('lets a state-wide editor write in every district', async () => {
    const stateWide = editor();
    for (const lead of ['03101', '03241', '03355', '03459']) {
      const result = await create(lead, stateWide);
      expect(result.errors).toBeUndefined();
      expect(result.data!.createProject!.project!.districtCode).toBe(lead.slice(0, 3));
    }
  });
});

describe('concurrent edits', () => {
  const UPDATE = `mutation($input: UpdateProjectInput!) {
    updateProject(input: $input) { project { id title version } errors { field code message } }
  }`;

  it('refuses a write based on a stale version (VERSION_CONFLICT) and keeps the first', async () => {
    const headers = editor();
    const project = (await create('03459', headers)).data!.createProject!.project!;
    const first = await stack.query<{ updateProject: { project: { version: number } | null; errors: unknown[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, title: 'First editor' } },
      headers,
    );
    expect(first.data!.updateProject.errors).toEqual([]);
    expect(first.data!.updateProject.project!.version).toBe(project.version + 1);
    const second = await stack.query<{ updateProject: { project: unknown; errors: { field: string; code: string }[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, title: 'Second editor' } },
      headers,
    );
    expect(second.data!.updateProject.project).toBeNull();
    expect(second.data!.updateProject.errors).toEqual([
      expect.objectContaining({ field: 'input.expectedVersion', code: 'VERSION_CONFLICT' }),
    ]);
    expect((await projectsDb.project.findUniqueOrThrow({ where: { id: project.id } })).title).toBe('First editor');
  });

  it('lets exactly one of two simultaneous writes of the same version win', async () => {
    const headers = editor();
    const project = (await create('03459', headers)).data!.createProject!.project!;
    const results = await Promise.all(
      ['A', 'B'].map((editor) =>
        stack.query<{ updateProject: { project: unknown; errors: { code: string }[] } }>(
          UPDATE,
          { input: { id: project.id, expectedVersion: project.version, title: `Editor ${editor}` } },
          headers,
        ),
      ),
    );
    const codes = results.map((result) => result.data!.updateProject.errors.map((error) => error.code).join(','));
    expect(codes.sort()).toEqual(['', 'VERSION_CONFLICT']);
    expect((await projectsDb.project.findUniqueOrThrow({ where: { id: project.id } })).version).toBe(project.version + 1);
  });
});

describe('invalid input is refused with field errors', () => {
  it('refuses an end before the start, an unknown region and a missing lead', async () => {
    const before = await projectsDb.project.count();
    const result = await create('03459', editor(), {
      startDate: '2026-05-01',
      endDate: '2026-04-30',
      regions: [
        { regionCode: '03999', role: 'LEAD' },
        { regionCode: '03101', role: 'LEAD' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createProject!.project).toBeNull();
    expect(result.data!.createProject!.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'input.endDate', code: 'OUT_OF_RANGE' }),
        expect.objectContaining({ field: 'input.regions[0].regionCode', code: 'UNKNOWN_REGION' }),
        expect.objectContaining({ field: 'input.regions', code: 'INVALID' }),
      ]),
    );
    expect(await projectsDb.project.count()).toBe(before);
  });

  it('refuses negative amounts, shares outside 0–1 and unknown programmes', async () => {
    const headers = editor();
    const project = (await create('03459', headers)).data!.createProject!.project!;
    const ADD = `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { field code } } }`;
    const result = await stack.query<{ addFunding: { funding: unknown; errors: { field: string; code: string }[] } }>(
      ADD,
      { input: { projectId: project.id, programmeCode: 'NO_SUCH_FUND', amountCents: -500, coFinancingShare: 1.5, commitmentYear: 2026 } },
      headers,
    );
    expect(result.data!.addFunding.funding).toBeNull();
    expect(result.data!.addFunding.errors).toEqual(
      expect.arrayContaining([
        { field: 'input.programmeCode', code: 'UNKNOWN_PROGRAMME' },
        { field: 'input.amountCents', code: 'OUT_OF_RANGE' },
        { field: 'input.coFinancingShare', code: 'OUT_OF_RANGE' },
      ]),
    );
    expect(await projectsDb.funding.count({ where: { projectId: project.id } })).toBe(0);

    const added = await stack.query<{ addFunding: { funding: { id: string; amountCents: number } | null; errors: unknown[] } }>(
      `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id amountCents } errors { field code } } }`,
      {
        input: {
          projectId: project.id,
          programmeCode: 'GRW',
          amountCents: '123456789',
          coFinancingShare: 0.6,
          commitmentYear: 2026,
          expectedVersion: project.version,
        },
      },
      headers,
    );
    expect(added.data!.addFunding.errors).toEqual([]);
    expect(added.data!.addFunding.funding!.amountCents).toBe(123456789);
    const changed = await stack.query<{
      updateFunding: { funding: { amountCents: number } | null; errors: { field: string; code: string }[] };
    }>(
      `mutation($input: UpdateFundingInput!) { updateFunding(input: $input) { funding { amountCents } errors { field code } } }`,
      { input: { id: added.data!.addFunding.funding!.id, amountCents: -1 } },
      headers,
    );
    expect(changed.data!.updateFunding.errors).toEqual([{ field: 'input.amountCents', code: 'OUT_OF_RANGE' }]);
  });

  it('refuses a status change the life cycle does not allow', async () => {
    const headers = editor();
    const project = (await create('03459', headers)).data!.createProject!.project!;
    const CHANGE = `mutation($id: ID!, $status: ProjectStatus!, $version: Int!) {
      changeProjectStatus(id: $id, status: $status, expectedVersion: $version) { project { status version } errors { field code } }
    }`;
    const completed = await stack.query<{ changeProjectStatus: { errors: { code: string }[] } }>(
      CHANGE,
      { id: project.id, status: 'COMPLETED', version: project.version },
      headers,
    );
    expect(completed.data!.changeProjectStatus.errors).toEqual([{ field: 'status', code: 'INVALID_TRANSITION' }]);
    const running = await stack.query<{ changeProjectStatus: { project: { status: string; version: number } } }>(
      CHANGE,
      { id: project.id, status: 'RUNNING', version: project.version },
      headers,
    );
    expect(running.data!.changeProjectStatus.project).toEqual({ status: 'RUNNING', version: project.version + 1 });
  });
});

describe('a project’s links are checked with the subgraphs that own them, by key', () => {
  const UPDATE = `mutation($input: UpdateProjectInput!) {
    updateProject(input: $input) { project { id version } errors { field message code } }
  }`;
  const cooperationOf = async (id: string) => (await projectsDb.project.findUniqueOrThrow({ where: { id } })).cooperationId;

  it('links an existing cooperation, and refuses an id nobody holds with NOT_FOUND, writing nothing', async () => {
    const headers = editor();
    // A real Zukunftsregion of the seed, held by the cooperations subgraph only.
    const linked = await create('03459', headers, { cooperationId: 'ZR01' });
    expect(linked.data!.createProject!.errors).toEqual([]);
    const read = await stack.query<{ project: { cooperation: { id: string; name: string } | null } }>(
      'query($id: ID!) { project(id: $id) { cooperation { id name } } }',
      { id: linked.data!.createProject!.project!.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.project.cooperation).toEqual({ id: 'ZR01', name: expect.any(String) });

    const before = await projectsDb.project.count();
    const refused = await create('03459', headers, { cooperationId: 'NO-SUCH-COOPERATION' });
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.createProject).toEqual({
      project: null,
      errors: [{ field: 'input.cooperationId', code: 'NOT_FOUND', message: 'cooperation "NO-SUCH-COOPERATION" does not exist' }],
    });
    expect(await projectsDb.project.count()).toBe(before);
  });

  it('checks a new link on update, but not one the project already had', async () => {
    const headers = editor();
    const project = (await create('03459', headers, { cooperationId: 'ZR01' })).data!.createProject!.project!;
    const refused = await stack.query<{ updateProject: { project: unknown; errors: { field: string; code: string }[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, cooperationId: 'NO-SUCH-COOPERATION' } },
      headers,
    );
    expect(refused.data!.updateProject).toEqual({
      project: null,
      errors: [expect.objectContaining({ field: 'input.cooperationId', code: 'NOT_FOUND' })],
    });
    expect(await cooperationOf(project.id)).toBe('ZR01');

    // A link that no longer resolves (its cooperation deleted since) does not block other edits.
    await projectsDb.project.update({ where: { id: project.id }, data: { cooperationId: 'GONE-SINCE' } });
    const edited = await stack.query<{ updateProject: { project: { version: number } | null; errors: unknown[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, summary: 'Edited while its cooperation is gone.' } },
      headers,
    );
    expect(edited.data!.updateProject).toEqual({ project: { id: project.id, version: project.version + 1 }, errors: [] });
    expect(await cooperationOf(project.id)).toBe('GONE-SINCE');
  });

  it('refuses a project starting before its carrier was founded, on create and when an update moves the start earlier', async () => {
    const headers = editor();
    // A seeded cooperation whose founding day is stated (ZR01's is not).
    const listed = await stack.query<{ cooperations: { nodes: { id: string; founded: string | null; status: string }[] } }>(
      '{ cooperations(first: 200) { nodes { id founded status } } }',
    );
    const carrier = listed.data!.cooperations.nodes.find(
      (node) => node.founded !== null && node.founded > '1991' && node.status === 'ACTIVE',
    )!;
    const carrierId = carrier.id;
    const founded = carrier.founded!;
    const dayBefore = new Date(Date.parse(`${founded}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const tooEarly = {
      field: 'input.cooperationId',
      code: 'OUT_OF_RANGE',
      message: `the project's start (${dayBefore}) must not be before cooperation "${carrierId}" was founded (${founded}).`,
    };
    const before = await projectsDb.project.count();
    const refused = await create('03459', headers, { cooperationId: carrierId, startDate: dayBefore, endDate: null });
    expect(refused.data!.createProject).toEqual({ project: null, errors: [tooEarly] });
    expect(await projectsDb.project.count()).toBe(before);

    const project = (await create('03459', headers, { cooperationId: carrierId, startDate: founded, endDate: null })).data!.createProject!
      .project!;
    const moved = await stack.query<{ updateProject: { project: unknown; errors: unknown[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, startDate: dayBefore } },
      headers,
    );
    expect(moved.data!.updateProject).toEqual({ project: null, errors: [tooEarly] });
    // Without a carrier, the same start is fine.
    const detached = await stack.query<{ updateProject: { project: { version: number } | null; errors: unknown[] } }>(
      UPDATE,
      { input: { id: project.id, expectedVersion: project.version, startDate: dayBefore, clearCooperation: true } },
      headers,
    );
    expect(detached.data!.updateProject).toEqual({ project: { id: project.id, version: project.version + 1 }, errors: [] });
  });

  it('refuses indicator codes the indicators subgraph does not hold, each by its place, and checks only new ones on update', async () => {
    const headers = editor();
    const before = await projectsDb.project.count();
    const refused = await create('03459', headers, { indicatorCodes: ['population', 'populaton', 'area_km2', 'no_such_indicator'] });
    expect(refused.data!.createProject).toEqual({
      project: null,
      errors: [
        { field: 'input.indicatorCodes[1]', code: 'NOT_FOUND', message: 'indicator "populaton" does not exist' },
        { field: 'input.indicatorCodes[3]', code: 'NOT_FOUND', message: 'indicator "no_such_indicator" does not exist' },
      ],
    });
    expect(await projectsDb.project.count()).toBe(before);

    const project = (await create('03459', headers, { indicatorCodes: ['population'] })).data!.createProject!.project!;
    // A code a later import dropped stays, while a new unknown one is refused.
    await projectsDb.projectIndicator.create({ data: { projectId: project.id, indicatorCode: 'dropped_by_import' } });
    const codes = async () =>
      (await projectsDb.projectIndicator.findMany({ where: { projectId: project.id }, orderBy: { indicatorCode: 'asc' } })).map(
        (row) => row.indicatorCode,
      );
    const update = (indicatorCodes: string[], expectedVersion: number) =>
      stack.query<{ updateProject: { project: { id: string; version: number } | null; errors: { field: string; code: string }[] } }>(
        UPDATE,
        { input: { id: project.id, expectedVersion, indicatorCodes } },
        headers,
      );
    const withTypo = await update(['population', 'dropped_by_import', 'area_kmm2'], project.version);
    expect(withTypo.data!.updateProject).toEqual({
      project: null,
      errors: [expect.objectContaining({ field: 'input.indicatorCodes[2]', code: 'NOT_FOUND' })],
    });
    expect(await codes()).toEqual(['dropped_by_import', 'population']);
    const fixed = await update(['population', 'dropped_by_import', 'area_km2'], project.version);
    expect(fixed.data!.updateProject).toEqual({ project: { id: project.id, version: project.version + 1 }, errors: [] });
    expect(await codes()).toEqual(['area_km2', 'dropped_by_import', 'population']);
  });

  it('refuses the write with REFERENCE_CHECK_UNAVAILABLE while the cooperations subgraph is down, and writes nothing', async () => {
    const headers = editor();
    const before = await projectsDb.project.count();
    await stack.stopSubgraph('cooperations');
    try {
      const refused = await create('03459', headers, { cooperationId: 'ZR01' });
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
        [
          'REFERENCE_CHECK_UNAVAILABLE',
          "The cooperations subgraph could not check this write's references to Cooperation records (it does not answer). Nothing was written; send it again.",
        ],
      ]);
      expect(await projectsDb.project.count()).toBe(before);
      // A write without a cooperation does not need the other subgraph.
      expect((await create('03459', headers)).data!.createProject!.errors).toEqual([]);
    } finally {
      await stack.restartSubgraph('cooperations');
    }
    expect((await create('03459', headers, { cooperationId: 'ZR01' })).data!.createProject!.errors).toEqual([]);
  });

  it('is sent again by the typed client once the cooperations subgraph is back, and written once', async () => {
    const before = await projectsDb.project.count();
    await stack.stopSubgraph('cooperations');
    const answers: string[] = [];
    const client = createClient({
      url: stack.gatewayUrl,
      token: testToken({ scopes: ['projects:write'] }),
      retries: 2,
      retryDelayMs: 1,
      // The subgraph comes back after the first answer (the refusal) and before the client reads it.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        answers.push(await response.clone().text());
        if (answers.length === 1) await stack.restartSubgraph('cooperations');
        return response;
      },
    });
    const input = newProject('03459', { cooperationId: 'ZR01' }) as unknown as CreateProjectMutationVariables['input'];
    const result = await client.execute(CreateProjectDocument, { input });
    expect(answers).toHaveLength(2);
    expect(JSON.parse(answers[0]!)).toMatchObject({ errors: [{ extensions: { code: 'REFERENCE_CHECK_UNAVAILABLE' } }] });
    expect({ errors: result.errors, writeErrors: result.data?.createProject?.errors }).toEqual({ errors: [], writeErrors: [] });
    expect(result.data?.createProject?.project?.cooperation?.id).toBe('ZR01');
    expect(await projectsDb.project.count()).toBe(before + 1);
  });
});
