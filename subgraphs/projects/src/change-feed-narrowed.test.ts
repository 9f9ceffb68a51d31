// A partner following one kind of change (types) behind a busy other kind: its cursor must move on
// past the changes it does not follow, or every poll reads them again and an empty page never moves.
import { testToken } from '@regiograph/shared/testing';
import { bearerHeaders, postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;

const EDITOR = testToken({ sub: 'feed-narrowed-test', name: 'Feed narrowed test', scopes: ['projects:write'] });

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

interface Feed {
  projectChanges: { changes: { entityType: string; key: string }[]; endCursor: string; hasMore: boolean };
}

function changes(after: string | null, types?: string[], first = 100): Promise<GraphQLResponse<Feed>> {
  return postGraphQL<Feed>(
    url,
    `query ($after: String, $types: [ProjectChangeEntity!], $first: Int) {
      projectChanges(after: $after, types: $types, first: $first) { changes { entityType key } endCursor hasMore }
    }`,
    { after, types, first },
    bearerHeaders(EDITOR),
  );
}

const positionOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().split(':')[1]!.split('.')[0]);

describe('a feed narrowed to one type', () => {
  it('ends a page that is not full at the head it read, past the changes of other types', async () => {
    const head = (await changes(null, undefined, 0)).data!.projectChanges.endCursor;
    const { data } = await postGraphQL<{ createProject: { errors: unknown[] } }>(
      url,
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { errors { field code message } } }`,
      {
        input: {
          title: 'Nur Projekte, keine Förderung',
          summary: 'Written by the narrowed feed test.',
          kind: 'STUDY',
          topics: ['EDUCATION'],
          startDate: '2025-03-01',
          regions: [{ regionCode: '03459', role: 'LEAD' }],
        },
      },
      bearerHeaders(EDITOR),
    );
    expect(data!.createProject.errors).toEqual([]);
    const after = (await changes(head, undefined, 0)).data!.projectChanges.endCursor;
    expect(positionOf(after)).toBeGreaterThan(positionOf(head));

    const fundings = await changes(head, ['FUNDING']);
    expect(fundings.errors).toBeUndefined();
    expect(fundings.data!.projectChanges.changes.every((change) => change.entityType === 'FUNDING')).toBe(true);
    expect(fundings.data!.projectChanges.hasMore).toBe(false);
    // At or past the project's change (other writers may have moved the head on since).
    expect(positionOf(fundings.data!.projectChanges.endCursor)).toBeGreaterThanOrEqual(positionOf(after));
    // And the cursor it ends at is one the feed takes.
    expect((await changes(fundings.data!.projectChanges.endCursor, ['FUNDING'])).errors).toBeUndefined();
  });

  it('still ends a full page at its last change', async () => {
    const page = await changes(null, ['PROJECT'], 2);
    expect(page.data!.projectChanges.hasMore).toBe(true);
    expect(page.data!.projectChanges.endCursor).toBe((await changes(null, ['PROJECT'], 2)).data!.projectChanges.endCursor);
    const next = await changes(page.data!.projectChanges.endCursor, ['PROJECT'], 1);
    const both = await changes(null, ['PROJECT'], 3);
    expect(next.data!.projectChanges.changes).toEqual(both.data!.projectChanges.changes.slice(2));
  });
});
