// A partner's stored feed cursor after the feed it came from was reset (or from another environment)
// where the new feed has grown past the cursor's position: read as a place in the new feed, it made
// the partner skip every change up to there without a word.
import { randomBytes } from 'node:crypto';
import { applyMigrations, connectClient, databaseUrlOn } from '@regiograph/db';
import { databaseBeforeMigration } from '@regiograph/db/testing';
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

/** The answer to a cursor the feed cannot vouch for: the one BAD_USER_INPUT that says the list was reset. */
function expectRefusedAsReset(answer: GraphQLResponse<Feed>): void {
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
      expectRefusedAsReset(await changes(after, stored, first));
    }
  });

  it('still works in the feed that gave it', async () => {
    const stored = (await changes(before, null, 0)).data!.projectChanges.endCursor;
    await createProject(before, 'Nach dem Merken');
    const page = await changes(before, stored);
    expect(page.errors).toBeUndefined();
    expect(page.data!.projectChanges.changes.length).toBeGreaterThan(0);
  });
});

/** The migration that recorded how far a feed had grown when its cursors began to carry stamps. */
const STAMPS_MIGRATION = '20261207143000_change_log_redaction_index_and_unstamped_cursors';

/** A cursor as a release before the stamps gave it: the position alone. */
const unstamped = (position: number) => Buffer.from(`projects-changes:${position}`).toString('base64url');

describe('a feed cursor of a release before the stamps (its position alone)', () => {
  // A database of its own, deployed before the migration: its feed holds changes an earlier release
  // gave unstamped cursors for; then migrated and started as this release.
  let upgraded: { server: SubgraphServer; url: string };
  const EARLIER_CHANGES = 4;
  // Declared before the database's own hooks, so the server has let go of it before it is dropped.
  afterAll(async () => {
    await upgraded?.server.close();
  });
  const database = databaseBeforeMigration(STAMPS_MIGRATION);

  beforeAll(async () => {
    await database.migrateBefore(async (client) => {
      await client.query(
        `INSERT INTO projects.change_log (entity_type, key, operation, version, actor)
         SELECT 'PROJECT', 'P-2019-' || n, 'CREATED', 1, 'earlier-writer' FROM generate_series(1, $1::int) AS n`,
        [EARLIER_CHANGES],
      );
    });
    expect(await applyMigrations(database.url)).toEqual([STAMPS_MIGRATION]);
    upgraded = await startSeededServer(database.url);
    await createProject(upgraded, 'Nach dem Umstieg');
  });

  it('is read by its position up to where the feed had grown when stamps began, as the stamped cursor there', async () => {
    const first = (await changes(upgraded, null, EARLIER_CHANGES)).data!.projectChanges;
    expect(first.changes.map((change) => change.key)).toEqual(['P-2019-1', 'P-2019-2', 'P-2019-3', 'P-2019-4']);
    for (const position of [0, 1, EARLIER_CHANGES]) {
      const stamped = position === 0 ? null : (await changes(upgraded, null, position)).data!.projectChanges.endCursor;
      const read = await changes(upgraded, unstamped(position), 5);
      expect(read.errors).toBeUndefined();
      expect(read.data!.projectChanges.changes).toEqual((await changes(upgraded, stamped, 5)).data!.projectChanges.changes);
    }
  });

  it('is refused past there, where this release gave stamped cursors only: the feed may have been reset since', async () => {
    const head = (await changes(upgraded, null, 0)).data!.projectChanges.endCursor;
    expect(positionOf(head)).toBeGreaterThan(EARLIER_CHANGES + 1);
    for (const position of [EARLIER_CHANGES + 1, positionOf(head)]) {
      for (const first of [0, 10]) {
        expectRefusedAsReset(await changes(upgraded, unstamped(position), first));
      }
    }
    // The stamped cursor of the same place is read.
    expect((await changes(upgraded, head, 10)).errors).toBeUndefined();
  });

  it('is refused past the start by a feed created by this release, which never gave one', async () => {
    const head = positionOf((await changes(after, null, 0)).data!.projectChanges.endCursor);
    expect((await changes(after, unstamped(0), 1)).errors).toBeUndefined();
    expectRefusedAsReset(await changes(after, unstamped(head), 10));
  });
});
