// Paging through projects while others write: a partner copying every project page by page must
// neither skip a project that nobody changed nor read a cursor of one order as a place in another.
import { randomBytes } from 'node:crypto';
import { encodeCursor } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { bearerHeaders, postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;

const token = testToken({ sub: 'pagination-test', name: 'Pagination test', scopes: ['projects:write'] });

function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, text, variables, bearerHeaders(token));
}

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

/** A word no other test's project holds, so the pages hold only this test's projects. */
function uniqueWord(): string {
  return `Seitenprobe${[...randomBytes(8)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;
}

interface Shape {
  title: string;
  startDate: string;
  endDate?: string;
}

async function createProjects(word: string, shapes: Shape[]): Promise<string[]> {
  const ids: string[] = [];
  for (const shape of shapes) {
    const { data, errors } = await query<{ createProject: { project: { id: string } | null; errors: unknown[] } }>(
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code message } } }`,
      {
        input: {
          title: `${shape.title} ${word}`,
          summary: 'Written by the pagination test.',
          kind: 'STUDY',
          topics: ['EDUCATION'],
          startDate: shape.startDate,
          endDate: shape.endDate,
          regions: [{ regionCode: '03459', role: 'LEAD' }],
        },
      },
    );
    expect(errors).toBeUndefined();
    expect(data!.createProject.errors).toEqual([]);
    ids.push(data!.createProject.project!.id);
  }
  return ids;
}

interface ProjectsPage {
  projects: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

async function page(word: string, orderBy: string, first: number, after?: string | null): Promise<GraphQLResponse<ProjectsPage>> {
  return query<ProjectsPage>(
    `query ($search: String!, $orderBy: ProjectOrder, $first: Int, $after: String) {
      projects(filter: { search: $search }, orderBy: $orderBy, first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
    }`,
    { search: word, orderBy, first, after },
  );
}

async function deleteProject(id: string): Promise<void> {
  const { data, errors } = await query<{ deleteProject: { errors: unknown[] } }>(
    `mutation ($id: ID!) { deleteProject(id: $id, expectedVersion: 1) { errors { field code message } } }`,
    { id },
  );
  expect(errors).toBeUndefined();
  expect(data!.deleteProject.errors).toEqual([]);
}

const ORDERS = ['START_DATE_DESC', 'START_DATE_ASC', 'END_DATE_DESC', 'TITLE_ASC', 'ID_ASC'];

describe('pages of projects', () => {
  it.each(ORDERS)('continue after the last project read in %s when one before the cursor is deleted', async (orderBy) => {
    const word = uniqueWord();
    await createProjects(word, [
      { title: 'Alpha', startDate: '2021-04-01', endDate: '2023-12-31' },
      { title: 'Beta', startDate: '2020-04-01', endDate: '2022-12-31' },
      { title: 'Gamma', startDate: '2019-04-01', endDate: '2021-12-31' },
      { title: 'Delta', startDate: '2018-04-01', endDate: '2020-12-31' },
    ]);
    const whole = (await page(word, orderBy, 10)).data!.projects.nodes.map((node) => node.id);
    expect(whole).toHaveLength(4);

    const first = await page(word, orderBy, 2);
    expect(first.data!.projects.nodes.map((node) => node.id)).toEqual(whole.slice(0, 2));
    await deleteProject(whole[0]!);
    const second = await page(word, orderBy, 2, first.data!.projects.pageInfo.endCursor);
    expect(second.errors).toBeUndefined();
    expect(second.data!.projects.nodes.map((node) => node.id)).toEqual(whole.slice(2));
    expect(second.data!.projects.pageInfo.hasNextPage).toBe(false);
  });

  it.each(ORDERS)('hold every project once in %s, ties (same start, end or title, open ends) broken by id', async (orderBy) => {
    const word = uniqueWord();
    await createProjects(word, [
      { title: 'Ölmühle', startDate: '2020-01-01' },
      { title: 'Oberdorf', startDate: '2020-01-01', endDate: '2024-06-30' },
      { title: 'Ölmühle', startDate: '2021-01-01' },
      { title: 'Zeven', startDate: '2019-01-01', endDate: '2024-06-30' },
      { title: 'Aurich', startDate: '2020-01-01', endDate: '2022-06-30' },
    ]);
    const whole = (await page(word, orderBy, 10)).data!.projects.nodes.map((node) => node.id);
    expect(whole).toHaveLength(5);
    const walked: string[] = [];
    let after: string | null = null;
    for (let read = 0; read < 10; read++) {
      const answer: GraphQLResponse<ProjectsPage> = await page(word, orderBy, 1, after);
      expect(answer.errors).toBeUndefined();
      walked.push(...answer.data!.projects.nodes.map((node) => node.id));
      if (!answer.data!.projects.pageInfo.hasNextPage) break;
      after = answer.data!.projects.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole);
  });

  it('refuse a cursor whose day is no real day, as a cursor of no list, before the database sees it', async () => {
    // Found by a probe: a crafted place with an impossible day passed the cursor's YYYY-MM-DD
    // pattern and came back from the database as INTERNAL_SERVER_ERROR.
    const crafted: [order: string, day: string][] = [
      ['START_DATE_DESC', '9999-99-99'],
      ['START_DATE_ASC', '0000-01-01'],
      ['END_DATE_DESC', '2023-02-30'],
    ];
    for (const [order, day] of crafted) {
      const cursor = encodeCursor('projects', JSON.stringify([order, day, 'P-2019-001']));
      const refused = await page(uniqueWord(), order, 1, cursor);
      expect(refused.data).toBeNull();
      expect(refused.errors).toEqual([
        expect.objectContaining({
          message: 'after is not a cursor of this list.',
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' }),
        }),
      ]);
    }
  });

  it('refuse a cursor of another order instead of reading it as a place in this one', async () => {
    const word = uniqueWord();
    await createProjects(word, [
      { title: 'Eins', startDate: '2020-01-01' },
      { title: 'Zwei', startDate: '2021-01-01' },
    ]);
    const byId = await page(word, 'ID_ASC', 1);
    const other = await page(word, 'TITLE_ASC', 1, byId.data!.projects.pageInfo.endCursor);
    expect(other.data).toBeNull();
    expect(other.errors).toEqual([
      expect.objectContaining({
        message: 'after is not a cursor of this list.',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  });
});
