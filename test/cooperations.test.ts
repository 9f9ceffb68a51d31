import { type TokenClaims } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Real 2018 populations (Destatis GV-ISys) of counties that cooperate with Landkreis Nienburg (Weser). */
const POPULATION_2018: Record<string, number> = { '03256': 121386, '03241': 1157624, '03251': 216886 };

const NIENBURG_QUERY = `query Nienburg {
  region(code: "03256") {
    code
    name
    cooperations {
      id
      name
      kind
      synthetic
      members(level: COUNTY) {
        role
        region { code name value(indicator: "population", year: 2018) { year value } }
      }
      projects { id }
    }
    strategy { title adoptedOn fieldsOfAction { title goals synthetic } }
  }
}`;

interface NienburgData {
  region: {
    code: string;
    name: string;
    cooperations: {
      id: string;
      name: string;
      kind: string;
      synthetic: boolean;
      members: { role: string; region: { code: string; name: string; value: { year: number; value: number | null } | null } }[];
      projects: { id: string }[];
    }[];
    strategy: { title: string; adoptedOn: string; fieldsOfAction: { title: string; goals: string[]; synthetic: boolean }[] };
  };
}

describe('cooperations through the gateway', () => {
  it('answers Landkreis Nienburg (Weser) in one query at a constant number of SQL statements per subgraph', async () => {
    const { result, statements } = await stack.countStatements<NienburgData>(NIENBURG_QUERY);
    expect(result.errors).toBeUndefined();
    const region = result.data!.region;
    expect(region.name).toBe('Nienburg (Weser)');
    expect(region.cooperations.length).toBeGreaterThanOrEqual(4);
    const memberCounties = region.cooperations.flatMap((cooperation) => cooperation.members.map((member) => member.region));
    // Nienburg cooperates with other counties, whose names come from regions and populations from indicators.
    expect(new Set(memberCounties.map((county) => county.code)).size).toBeGreaterThanOrEqual(3);
    for (const county of memberCounties) {
      expect(county.code).toHaveLength(5);
      expect(county.name.length).toBeGreaterThan(0);
      expect(county.value?.year).toBe(2018);
      expect(county.value?.value).toBeGreaterThan(0);
      const known = POPULATION_2018[county.code];
      if (known !== undefined) expect(county.value!.value).toBe(known);
    }
    expect(memberCounties.find((county) => county.code === '03241')?.name).toBe('Region Hannover');
    // Real records are labelled real, synthetic ones synthetic (and say so in the name).
    for (const cooperation of region.cooperations) {
      if (cooperation.synthetic) expect(cooperation.name).toMatch(/\(synthetic\)$/);
      else expect(cooperation.name).not.toMatch(/synthetic/);
      expect(Array.isArray(cooperation.projects)).toBe(true);
    }
    // The county lists the Zukunftsregionen and the Metropolregion it belongs to.
    const real = region.cooperations.filter((cooperation) => !cooperation.synthetic);
    expect(real.map((cooperation) => [cooperation.id, cooperation.kind])).toEqual(
      expect.arrayContaining([
        ['ZR06', 'ZUKUNFTSREGION'],
        ['ZR13', 'ZUKUNFTSREGION'],
        ['MR-HBGW', 'METROPOLITAN_REGION'],
      ]),
    );
    expect(real.find((cooperation) => cooperation.id === 'ZR06')!.name).toBe('Zukunftsregion Mitte Niedersachsen');
    expect(region.strategy.adoptedOn).toBe('2014-12-15');
    // The real fields of action of the Leine-Weser strategy; their goals are not in the pages read.
    expect(region.strategy.fieldsOfAction).toHaveLength(7);
    expect(region.strategy.fieldsOfAction.every((field) => !field.synthetic && field.goals.length === 0)).toBe(true);

    // regions: the region, then the member counties' names. cooperations: memberships, cooperations,
    // members, strategy, fields of action. indicators: its batched observations; projects: one lookup by cooperation.
    expect(statements.regions).toBe(2);
    expect(statements.cooperations).toBe(5);
    expect(statements.indicators).toBe(2);
    expect(statements.projects).toBe(1);

    // The synthetic portfolio lets some of these cooperations carry projects; each points back to its carrier.
    const carrying = region.cooperations.filter((cooperation) => cooperation.projects.length > 0);
    expect(carrying.length).toBeGreaterThan(0);
    const check = await stack.query<{ cooperation: { projects: { id: string; cooperation: { id: string } | null }[] } }>(
      `query ($id: ID!) { cooperation(id: $id) { projects { id cooperation { id } } } }`,
      { id: carrying[0]!.id },
    );
    expect(check.data!.cooperation.projects.map((project) => project.id)).toEqual(carrying[0]!.projects.map((project) => project.id));
    expect(check.data!.cooperation.projects.every((project) => project.cooperation?.id === carrying[0]!.id)).toBe(true);
  });

  it('answers the 14 real Zukunftsregionen with their members and fields of action', async () => {
    const { data, errors } = await stack.query<{
      cooperations: {
        totalCount: number;
        nodes: {
          id: string;
          name: string;
          synthetic: boolean;
          source: string;
          fieldsOfAction: string[];
          fieldsOfActionComplete: boolean;
          members: { role: string; region: { code: string; name: string } }[];
        }[];
      };
    }>(`{ cooperations(filter: { kind: ZUKUNFTSREGION }, first: 50) { totalCount nodes {
      id name synthetic source fieldsOfAction fieldsOfActionComplete members { role region { code name } }
    } } }`);
    expect(errors).toBeUndefined();
    const nodes = data!.cooperations.nodes;
    expect(data!.cooperations.totalCount).toBe(14);
    expect(nodes.every((node) => !node.synthetic && /^https?:\/\//.test(node.source) && node.members.length >= 2)).toBe(true);
    // Fields of action are known for 12 of them; for Ostfriesland and SüdOstNiedersachsen the list is marked partial (empty).
    expect(nodes.filter((node) => node.fieldsOfActionComplete && node.fieldsOfAction.length > 0)).toHaveLength(12);
    expect(
      nodes
        .filter((node) => !node.fieldsOfActionComplete)
        .map((node) => node.id)
        .sort(),
    ).toEqual(['ZR08', 'ZR12']);
    const weserbergland = nodes.find((node) => node.id === 'ZR13')!;
    expect(weserbergland.name).toBe('Zukunftsregion Weserberglandplus');
    // Lead first, then by code; member names come from the regions subgraph.
    expect(weserbergland.members.map((member) => [member.region.name, member.role])).toEqual([
      ['Hameln-Pyrmont', 'LEAD'],
      ['Holzminden', 'MEMBER'],
      ['Nienburg (Weser)', 'MEMBER'],
      ['Schaumburg', 'MEMBER'],
    ]);
  });

  it('costs the same for all 45 counties as for one', async () => {
    // Member regions as codes only: the gateway's cost limit refuses three nested unbounded lists with names.
    const text = (filter: string) =>
      `{ regions(filter: ${filter}, first: 45) { nodes { code cooperations { id members(level: COUNTY) { regionCode } } strategy { title } } } }`;
    const one = await stack.countStatements<{ regions: { nodes: unknown[] } }>(text('{ level: COUNTY, search: "03256" }'));
    expect(one.result.data!.regions.nodes).toHaveLength(1);
    const { result, statements } = await stack.countStatements<{ regions: { nodes: { cooperations: unknown[] }[] } }>(
      text('{ level: COUNTY }'),
    );
    expect(statements).toEqual(one.statements);
    expect(result.errors).toBeUndefined();
    expect(result.data!.regions.nodes).toHaveLength(45);
    expect(result.data!.regions.nodes.filter((county) => county.cooperations.length > 0).length).toBeGreaterThan(20);
    expect(statements.regions).toBe(1);
    // Memberships by region, cooperations by id, members by cooperation, strategies by district.
    expect(statements.cooperations).toBe(4);
  });

  it('draws the cooperation network of the counties of ArL Leine-Weser with region names', async () => {
    const { data, errors } = await stack.query<{
      cooperationNetwork: { source: { code: string; name: string }; target: { code: string; name: string }; cooperationCount: number }[];
    }>(`{ cooperationNetwork(within: "032", level: COUNTY) { source { code name } target { code name } cooperationCount } }`);
    expect(errors).toBeUndefined();
    const edge = data!.cooperationNetwork.find((e) => e.source.code === '03241' && e.target.code === '03256');
    expect(edge).toMatchObject({ source: { name: 'Region Hannover' }, target: { name: 'Nienburg (Weser)' } });
    expect(edge!.cooperationCount).toBeGreaterThanOrEqual(3);
  });

  it("lists the network's regions once beside its edges, so their names cost one fetch of the regions subgraph", async () => {
    type Named = { code: string; name: string };
    const edges = await stack.countStatements<{
      cooperationNetwork: { source: Named; target: Named; cooperationCount: number; cooperations: { id: string }[] }[];
    }>(
      `{ cooperationNetwork(within: "032", level: COUNTY) { source { code name } target { code name } cooperationCount cooperations { id } } }`,
    );
    const graph = await stack.countStatements<{
      cooperationNetworkGraph: {
        regions: Named[];
        edges: { source: { code: string }; target: { code: string }; cooperationCount: number; cooperations: { id: string }[] }[];
      };
    }>(
      `{ cooperationNetworkGraph(within: "032", level: COUNTY) { regions { code name } edges { source { code } target { code } cooperationCount cooperations { id } } } }`,
    );
    expect(edges.result.errors).toBeUndefined();
    expect(graph.result.errors).toBeUndefined();
    const { regions, edges: graphEdges } = graph.result.data!.cooperationNetworkGraph;
    const oldEdges = edges.result.data!.cooperationNetwork;
    expect(oldEdges.length).toBeGreaterThan(3);
    // The same edges in the same order, and the names the old shape repeats per edge, once per region.
    expect(graphEdges).toEqual(
      oldEdges.map((edge) => ({ ...edge, source: { code: edge.source.code }, target: { code: edge.target.code } })),
    );
    const named = new Map(oldEdges.flatMap((edge) => [edge.source, edge.target]).map((region) => [region.code, region.name]));
    expect(regions).toEqual([...named.keys()].sort().map((code) => ({ code, name: named.get(code) })));
    expect(regions.find((region) => region.code === '03241')).toEqual({ code: '03241', name: 'Region Hannover' });
    // Edges with names: the gateway fetches sources and targets separately. Regions once: one fetch.
    expect(edges.statements.regions).toBe(2);
    expect(graph.statements.regions).toBe(1);
    expect(graph.statements.cooperations).toBe(edges.statements.cooperations);
  });
});

/** This file's editor (its own actor in the change feeds) with the claims given. */
function bearer(claims: Partial<TokenClaims> & { scopes: string[] }): Record<string, string> {
  return testBearer({ sub: 'e2e-editor', name: 'E2E Editor', ...claims });
}

const CREATE = `mutation ($input: CreateCooperationInput!) {
  createCooperation(input: $input) { cooperation { id version members { region { code name } } } errors { field code message } }
}`;

function input(members: string[]) {
  return {
    input: {
      name: 'E2E-Kooperation',
      kind: 'OTHER',
      founded: '2024-01-01',
      members: members.map((regionCode) => ({ regionCode, validFrom: '2024-01-01' })),
    },
  };
}

type CreateResult = {
  createCooperation: {
    cooperation: { id: string; version: number; members: { region: { code: string; name: string } }[] } | null;
    errors: { field: string; code: string }[];
  };
};

describe('cooperation mutations through the gateway, per role', () => {
  it('anonymous: UNAUTHENTICATED', async () => {
    const result = await stack.query(CREATE, input(['03256', '03251']));
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('without the cooperations:write scope: FORBIDDEN', async () => {
    const result = await stack.query(CREATE, input(['03256', '03251']), bearer({ scopes: ['projects:write'] }));
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('district editor: may write inside the district only', async () => {
    const inside = await stack.query<CreateResult>(
      CREATE,
      input(['03256', '03251']),
      bearer({ scopes: ['cooperations:write'], district: '032' }),
    );
    expect(inside.errors).toBeUndefined();
    expect(inside.data!.createCooperation.cooperation!.members.map((m) => m.region.name)).toEqual(['Diepholz', 'Nienburg (Weser)']);
    const outside = await stack.query(CREATE, input(['03256', '03361']), bearer({ scopes: ['cooperations:write'], district: '032' }));
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('state-wide editor: may write across districts; field errors come back in the payload', async () => {
    const editor = bearer({ scopes: ['cooperations:write'] });
    const across = await stack.query<CreateResult>(CREATE, input(['03256', '03361']), editor);
    expect(across.data!.createCooperation.errors).toEqual([]);
    expect(across.data!.createCooperation.cooperation!.version).toBe(1);
    const invalid = await stack.query<CreateResult>(CREATE, input(['03256', '03000']), editor);
    expect(invalid.data!.createCooperation.cooperation).toBeNull();
    expect(invalid.data!.createCooperation.errors).toEqual([
      expect.objectContaining({ field: 'input.members[1].regionCode', code: 'UNKNOWN_REGION' }),
    ]);
  });
});

describe('a cooperation is deleted only once no project links to it, asked of the projects subgraph', () => {
  const EDITOR = bearer({ scopes: ['cooperations:write', 'projects:write'] });
  const DELETE = `mutation ($id: ID!, $expectedVersion: Int!) {
    deleteCooperation(id: $id, expectedVersion: $expectedVersion) { cooperation { id } errors { field code message } }
  }`;
  type DeleteResult = {
    deleteCooperation: { cooperation: { id: string } | null; errors: { field: string; code: string; message: string }[] } | null;
  };
  const remove = (id: string, expectedVersion = 1) => stack.query<DeleteResult>(DELETE, { id, expectedVersion }, EDITOR);
  const stillThere = async (id: string) =>
    (await stack.query<{ cooperation: { id: string } | null }>('query ($id: ID!) { cooperation(id: $id) { id } }', { id })).data!
      .cooperation;

  async function newCooperation(): Promise<string> {
    const created = await stack.query<CreateResult>(CREATE, input(['03256', '03251']), EDITOR);
    expect(created.data!.createCooperation.errors).toEqual([]);
    return created.data!.createCooperation.cooperation!.id;
  }

  async function linkedProject(cooperationId: string): Promise<{ id: string; version: number }> {
    const created = await stack.query<{
      createProject: { project: { id: string; version: number } | null; errors: unknown[] };
    }>(
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id version } errors { field code } } }`,
      {
        input: {
          title: 'Project carried by a cooperation to be deleted',
          summary: 'Created by the end-to-end tests.',
          kind: 'MODEL_PROJECT',
          topics: ['MOBILITY'],
          startDate: '2026-03-01',
          regions: [{ regionCode: '03256', role: 'LEAD' }],
          cooperationId,
        },
      },
      EDITOR,
    );
    expect(created.data!.createProject.errors).toEqual([]);
    return created.data!.createProject.project!;
  }

  it('refuses with IN_USE, naming the projects, while projects carry it; deletes it once they are unlinked', async () => {
    const id = await newCooperation();
    const project = await linkedProject(id);
    const refused = await remove(id);
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.deleteCooperation).toEqual({
      cooperation: null,
      errors: [
        {
          field: 'id',
          code: 'IN_USE',
          message: `cooperation "${id}" is still linked from 1 project record(s) ("${project.id}"): unlink them before deleting it`,
        },
      ],
    });
    expect(await stillThere(id)).toEqual({ id });

    const unlinked = await stack.query<{ updateProject: { errors: unknown[] } }>(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { errors { field code } } }`,
      { input: { id: project.id, expectedVersion: project.version, clearCooperation: true } },
      EDITOR,
    );
    expect(unlinked.data!.updateProject.errors).toEqual([]);
    expect((await remove(id)).data!.deleteCooperation).toEqual({ cooperation: { id }, errors: [] });
    expect(await stillThere(id)).toBeNull();
  });

  it('refuses to delete a seeded Zukunftsregion that seeded projects carry, naming them', async () => {
    const carried = await stack.query<{ cooperation: { version: number; projects: { id: string }[] } }>(
      'query { cooperation(id: "ZR01") { version projects { id } } }',
    );
    const keys = carried.data!.cooperation.projects.map((project) => project.id);
    expect(keys.length).toBeGreaterThan(0);
    const refused = await remove('ZR01', carried.data!.cooperation.version);
    const named = keys.slice(0, 10).map((key) => JSON.stringify(key));
    if (keys.length > 10) named.push(`${keys.length - 10} more`);
    expect(refused.data!.deleteCooperation!.errors).toEqual([
      {
        field: 'id',
        code: 'IN_USE',
        message: `cooperation "ZR01" is still linked from ${keys.length} project record(s) (${named.join(', ')}): unlink them before deleting it`,
      },
    ]);
    expect(await stillThere('ZR01')).toEqual({ id: 'ZR01' });
  });

  it('refuses with REFERENCE_CHECK_UNAVAILABLE while the projects subgraph is down, and deletes nothing', async () => {
    const id = await newCooperation();
    await stack.stopSubgraph('projects');
    try {
      const refused = await remove(id);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
        [
          'REFERENCE_CHECK_UNAVAILABLE',
          'The projects subgraph could not check which of its records link to this Cooperation (it does not answer). Nothing was written; send it again.',
        ],
      ]);
      expect(await stillThere(id)).toEqual({ id });
    } finally {
      await stack.restartSubgraph('projects');
    }
    expect((await remove(id)).data!.deleteCooperation).toEqual({ cooperation: { id }, errors: [] });
  });
});

describe('a founding day moves later only while no carried project starts before it, asked of the projects subgraph', () => {
  const EDITOR = bearer({ scopes: ['cooperations:write', 'projects:write'] });
  const UPDATE = `mutation ($input: UpdateCooperationInput!) {
    updateCooperation(input: $input) { cooperation { id version founded } errors { field code message } }
  }`;
  type UpdateResult = {
    updateCooperation: {
      cooperation: { id: string; version: number; founded: string } | null;
      errors: { field: string; code: string; message: string }[];
    } | null;
  };
  const update = (changes: Record<string, unknown>) => stack.query<UpdateResult>(UPDATE, { input: changes }, EDITOR);
  const stored = async (id: string) =>
    (
      await stack.query<{ cooperation: { version: number; founded: string } }>(
        'query ($id: ID!) { cooperation(id: $id) { version founded } }',
        { id },
      )
    ).data!.cooperation;

  async function newCooperation(): Promise<string> {
    const created = await stack.query<CreateResult>(
      CREATE,
      { input: { ...input(['03256', '03251']).input, founded: '2020-01-01' } },
      EDITOR,
    );
    expect(created.data!.createCooperation.errors).toEqual([]);
    return created.data!.createCooperation.cooperation!.id;
  }

  async function carriedProject(cooperationId: string, startDate: string): Promise<string> {
    const created = await stack.query<{ createProject: { project: { id: string } | null; errors: unknown[] } }>(
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`,
      {
        input: {
          title: 'Project carried by a cooperation whose founding day moves',
          summary: 'Created by the end-to-end tests.',
          kind: 'STUDY',
          topics: ['MOBILITY'],
          startDate,
          regions: [{ regionCode: '03256', role: 'LEAD' }],
          cooperationId,
        },
      },
      EDITOR,
    );
    expect(created.data!.createProject.errors).toEqual([]);
    return created.data!.createProject.project!.id;
  }

  it('refuses a day after a carried project’s start with OUT_OF_RANGE at input.founded, naming it; takes one up to it', async () => {
    const id = await newCooperation();
    const project = await carriedProject(id, '2022-03-01');
    const refused = await update({ id, expectedVersion: 1, founded: '2023-01-01' });
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.updateCooperation).toEqual({
      cooperation: null,
      errors: [
        {
          field: 'input.founded',
          code: 'OUT_OF_RANGE',
          message: `must not be after the start of the 1 project(s) the cooperation carries that start before 2023-01-01 ("${project}"): no carried project starts before the founding. Move their start, or unlink them (updateProject), first.`,
        },
      ],
    });
    expect(await stored(id)).toEqual({ version: 1, founded: '2020-01-01' });
    expect((await update({ id, expectedVersion: 1, founded: '2022-03-01' })).data!.updateCooperation).toEqual({
      cooperation: { id, version: 2, founded: '2022-03-01' },
      errors: [],
    });
  });

  it('refuses with REFERENCE_CHECK_UNAVAILABLE while the projects subgraph is down, and writes nothing; other changes go through', async () => {
    const id = await newCooperation();
    await stack.stopSubgraph('projects');
    try {
      const refused = await update({ id, expectedVersion: 1, founded: '2021-01-01' });
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
        [
          'REFERENCE_CHECK_UNAVAILABLE',
          'The projects subgraph could not check which of its records link to this Cooperation (it does not answer). Nothing was written; send it again.',
        ],
      ]);
      expect(await stored(id)).toEqual({ version: 1, founded: '2020-01-01' });
      // A founding day that moves earlier needs no answer from projects.
      expect((await update({ id, expectedVersion: 1, founded: '2019-01-01' })).data!.updateCooperation!.errors).toEqual([]);
    } finally {
      await stack.restartSubgraph('projects');
    }
    expect((await update({ id, expectedVersion: 2, founded: '2021-01-01' })).data!.updateCooperation!.errors).toEqual([]);
  });
});
