// A partner's stored feed cursor after the feed it came from was reset (or from another environment)
// where the new feed has grown past the cursor's position: read as a place in the new feed, it made
// the partner skip every change up to there without a word.
import { randomBytes } from 'node:crypto';
import { applyMigrations, connectClient, databaseUrlOn } from '@regiograph/db';
import { testToken } from '@regiograph/shared/testing';
import { bearerHeaders, postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';

const EDITOR = testToken({ sub: 'feed-reset-test', name: 'Feed reset test', scopes: ['projects:write'] });
const RESET_DATABASE = `feed_reset_${randomBytes(6).toString('hex')}`;

let before: { server: SubgraphServer; url: string };
let after: { server: SubgraphServer; url: string };

async function admin<T>(work: (client: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  const client = await connectClient({ connectionString: process.env.TEST_DATABASE_URL! });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  before = await startSeededServer();
  // The same feed "after a reset": a database of its own, migrated and seeded anew.
  await admin((client) => client.query(`CREATE DATABASE "${RESET_DATABASE}"`));
  const resetUrl = databaseUrlOn(process.env.TEST_DATABASE_URL!, RESET_DATABASE);
  await applyMigrations(resetUrl);
  after = await startSeededServer(resetUrl);
});

afterAll(async () => {
  await before?.server.close();
  await after?.server.close();
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${RESET_DATABASE}" WITH (FORCE)`));
});

interface Feed {
  projectChanges: { changes: { key: string }[]; endCursor: string; hasMore: boolean };
}
const CHANGES = `query ($after: String, $first: Int) { projectChanges(after: $after, first: $first) { changes { key } endCursor hasMore } }`;

function changes(at: { url: string }, cursor: string | null, first = 100): Promise<GraphQLResponse<Feed>> {
  return postGraphQL<Feed>(at.url, CHANGES, { after: cursor, first }, bearerHeaders(EDITOR));
}

async function createProject(at: { url: string }, title: string): Promise<void> {
  const { data } = await postGraphQL<{ createProject: { errors: unknown[] } }>(
    at.url,
    `mutation ($input: CreateProjectInput!) { createProject(input: $input) { errors { field code message } } }`,
    {
      input: {
        title,
        summary: 'Written by the feed reset test.',
        kind: 'STUDY',
        topics: ['EDUCATION'],
        startDate: '2025-02-01',
        regions: [{ regionCode: '03459', role: 'LEAD' }],
      },
    },
    bearerHeaders(EDITOR),
  );
  expect(data!.createProject.errors).toEqual([]);
}

const positionOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().split(':')[1]!.split('.')[0]);

describe('a feed cursor from before a reset', () => {
  it('is refused by the new feed once it has grown past the position, for a page and for the head', async () => {
    await createProject(before, 'Vor dem Zurücksetzen');
    const stored = (await changes(before, null, 0)).data!.projectChanges.endCursor;
    // The new feed grows past the stored position (another environment's writers, or the partner's
    // own writes since the reset).
    const grownBy = positionOf(stored) - positionOf((await changes(after, null, 0)).data!.projectChanges.endCursor) + 2;
    const reset = await connectClient({ connectionString: databaseUrlOn(process.env.TEST_DATABASE_URL!, RESET_DATABASE) });
    try {
      await reset.query(
        `INSERT INTO projects.change_log (entity_type, key, operation, version, actor)
         SELECT 'PROJECT', 'P-2099-' || n, 'UPDATED', 1, 'another-writer' FROM generate_series(1, $1::int) AS n`,
        [Math.max(grownBy, 2)],
      );
    } finally {
      await reset.end();
    }
    expect(positionOf((await changes(after, null, 0)).data!.projectChanges.endCursor)).toBeGreaterThan(positionOf(stored));
    for (const first of [0, 10]) {
      const answer = await changes(after, stored, first);
      expect(answer.data).toBeNull();
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /^after is not a place in this list: .* the list was reset or the cursor comes from another environment/,
          ),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' }),
        }),
      ]);
    }
  });

  it('still works in the feed that gave it, as does a cursor of an earlier release (its position alone)', async () => {
    const stored = (await changes(before, null, 0)).data!.projectChanges.endCursor;
    await createProject(before, 'Nach dem Merken');
    const page = await changes(before, stored);
    expect(page.errors).toBeUndefined();
    expect(page.data!.projectChanges.changes.length).toBeGreaterThan(0);
    const earlier = Buffer.from(`projects-changes:${positionOf(stored)}`).toString('base64url');
    const read = await changes(before, earlier);
    expect(read.errors).toBeUndefined();
    expect(read.data!.projectChanges.changes.slice(0, page.data!.projectChanges.changes.length)).toEqual(page.data!.projectChanges.changes);
  });
});
