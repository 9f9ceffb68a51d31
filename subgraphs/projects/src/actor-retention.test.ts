import { DEVELOPMENT_AUTH_SECRET } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { Prisma, provideScratchDatabase, type ProvidedDatabase } from '@regiograph/db';
import {
  bearerHeaders,
  changeFeedUpkeep,
  expiredActorRedaction,
  postGraphQL,
  redactExpiredActors,
  type GraphQLResponse,
  type SubgraphServer,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { createServer } from './server';
import { startSeededServer } from './testing/server';

// The storage period of the change feed's actors (CHANGE_LOG_ACTOR_RETENTION_DAYS, docs/privacy.md).
// Old changes are inserted with their time set back; the trigger lets nothing else age a row.

let server: SubgraphServer;
let url: string;

const SUBJECT = 'retention-editor';
const EDITOR = testToken({ sub: SUBJECT, scopes: ['projects:write'] });
const AUDITOR = testToken({ sub: 'retention-auditor', scopes: ['audit:read'] });
const API_KEY = 'apikey:retention-key';
const IMPORT = 'import:retention.csv';
const SETTING = 'CHANGE_LOG_ACTOR_RETENTION_DAYS';

function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, text, variables, bearerHeaders(token));
}

let setting: string | undefined;
beforeAll(async () => {
  setting = process.env[SETTING];
  delete process.env[SETTING];
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  if (setting === undefined) delete process.env[SETTING];
  else process.env[SETTING] = setting;
  await server?.close();
});

interface Change {
  cursor: string;
  key: string;
  operation: string;
  version: number | null;
  actor: string | null;
  changedAt: string;
}

interface Page {
  changes: Change[];
  endCursor: string;
  hasMore: boolean;
}

const CHANGES = `query ($after: String, $first: Int) { projectChanges(after: $after, first: $first) {
  changes { cursor key operation version actor changedAt } endCursor hasMore } }`;

/** The feed from `after` to its end in pages of three, each page as a partner reads it (as `reader` when given). */
async function pages(after: string, reader?: string): Promise<Page[]> {
  const read: Page[] = [];
  let cursor = after;
  for (;;) {
    const { data, errors } = await query<{ projectChanges: Page }>(CHANGES, { after: cursor, first: 3 }, reader);
    expect(errors).toBeUndefined();
    read.push(data!.projectChanges);
    cursor = data!.projectChanges.endCursor;
    if (!data!.projectChanges.hasMore) return read;
  }
}

function actorsOf(read: Page[]): (string | null)[] {
  return read.flatMap((page) => page.changes.map((change) => change.actor));
}

function withoutActors(page: Page): Page {
  return { ...page, changes: page.changes.map((change) => ({ ...change, actor: '' })) };
}

async function head(): Promise<string> {
  const { data } = await query<{ projectChanges: Page }>(CHANGES, { first: 0 });
  return data!.projectChanges.endCursor;
}

/** The audit trail's actors of the writes of `actor` after `after`. */
async function auditedBy(actor: string, after: string): Promise<string[]> {
  const { data, errors } = await query<{ projectAuditTrail: { entries: { key: string; actor: string }[] } }>(
    `query ($actor: String, $after: String) { projectAuditTrail(actor: $actor, after: $after, first: 1000) { entries { key actor } } }`,
    { actor, after },
    AUDITOR,
  );
  expect(errors).toBeUndefined();
  return data!.projectAuditTrail.entries.map((entry) => entry.actor);
}

/** A project created by EDITOR through the API: its id. */
async function createProject(title: string): Promise<string> {
  const { data, errors } = await query<{ createProject: { project: { id: string }; errors: unknown[] } }>(
    `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { code } } }`,
    {
      input: {
        title,
        summary: 'A project of the actor retention test.',
        kind: 'STUDY',
        topics: ['MOBILITY'],
        startDate: '2026-03-01',
        regions: [{ regionCode: '03241', role: 'LEAD' }],
      },
    },
    EDITOR,
  );
  expect(errors).toBeUndefined();
  expect(data!.createProject.errors).toEqual([]);
  return data!.createProject.project.id;
}

/** A change of `key` by `actor`, recorded `daysAgo` days ago (to the second), appended to the feed. */
async function changeOf(key: string, actor: string, daysAgo: number): Promise<void> {
  await server.database.prisma.$executeRaw`
    INSERT INTO projects.change_log (entity_type, key, operation, version, actor, changed_at, changes)
    VALUES ('PROJECT', ${key}, 'UPDATED', 1, ${actor}, date_trunc('second', now()) - make_interval(days => ${daysAgo}::int),
            '{"title": {"old": "A", "new": "B"}}'::jsonb)`;
}

async function updatedBy(...ids: string[]): Promise<(string | null)[]> {
  const rows = await server.database.prisma.project.findMany({ where: { id: { in: ids } }, select: { id: true, updatedBy: true } });
  return ids.map((id) => rows.find((row) => row.id === id)!.updatedBy);
}

/** Sets a project's last write back by `days` days, as if nobody had written it since. */
async function lastWrittenDaysAgo(id: string, days: number): Promise<void> {
  await server.database.prisma
    .$executeRaw`UPDATE projects.project SET updated_at = now() - make_interval(days => ${days}::int) WHERE id = ${id}`;
}

describe('the storage period of the change feed’s actors', () => {
  let start: string;
  let old: string;
  let recent: string;

  beforeAll(async () => {
    start = await head();
    old = await createProject('Retention, last written long ago');
    recent = await createProject('Retention, written lately');
    await changeOf(old, SUBJECT, 40);
    await changeOf(old, API_KEY, 31);
    await changeOf(old, 'seed', 40);
    await changeOf(old, IMPORT, 40);
    await changeOf(old, SUBJECT, 29);
    await lastWrittenDaysAgo(old, 40);
    await lastWrittenDaysAgo(recent, 29);
  });

  it('keeps every actor while the setting is unset, as before it existed', async () => {
    const before = await pages(start, AUDITOR);
    await changeFeedUpkeep(PROJECT_FEED)(server.database);
    expect(await pages(start, AUDITOR)).toEqual(before);
    expect(await updatedBy(old, recent)).toEqual([SUBJECT, SUBJECT]);
    expect(await auditedBy(API_KEY, start)).toEqual([API_KEY]);
  });

  it('replaces the personal actors older than the period by "redacted" in place: pages, cursors and the rest stay', async () => {
    const anonymousBefore = await pages(start);
    const before = await pages(start, AUDITOR);
    const partnerAt = before[0]!.endCursor;
    const partnerBefore = await pages(partnerAt);
    expect(actorsOf(before)).toEqual([SUBJECT, SUBJECT, SUBJECT, API_KEY, 'seed', IMPORT, SUBJECT]);
    expect(await auditedBy(SUBJECT, start)).toEqual([SUBJECT, SUBJECT, SUBJECT, SUBJECT]);

    expect(await redactExpiredActors(server.database.prisma, PROJECT_FEED, 30)).toEqual({ changes: 2, records: 1 });

    const after = await pages(start, AUDITOR);
    // Only the actors of the changes of 40 and 31 days ago changed; every page, cursor and time is as it was.
    expect(after.map(withoutActors)).toEqual(before.map(withoutActors));
    expect(actorsOf(after)).toEqual([SUBJECT, SUBJECT, 'redacted', 'redacted', 'seed', IMPORT, SUBJECT]);
    // Anonymous callers saw null for the subjects; the placeholder names no one, so everyone sees it.
    expect(actorsOf(anonymousBefore)).toEqual([null, null, null, null, 'seed', IMPORT, null]);
    expect(actorsOf(await pages(start))).toEqual([null, null, 'redacted', 'redacted', 'seed', IMPORT, null]);
    // A partner that stored a cursor before goes on from it and reads the same changes.
    expect((await pages(partnerAt)).map((page) => page.changes.map((change) => change.cursor))).toEqual(
      partnerBefore.map((page) => page.changes.map((change) => change.cursor)),
    );
    // The old subject no longer finds the redacted writes; the recent ones it does.
    expect(await auditedBy(SUBJECT, start)).toEqual([SUBJECT, SUBJECT, SUBJECT]);
    expect(await auditedBy(API_KEY, start)).toEqual([]);
    expect(await auditedBy('redacted', start)).toEqual(['redacted', 'redacted']);
    // The record last written 40 days ago names no one any more, without a new version; the other keeps its editor.
    expect(await updatedBy(old, recent)).toEqual(['redacted', SUBJECT]);
    const project = await server.database.prisma.project.findUniqueOrThrow({ where: { id: old } });
    expect(project.version).toBe(1);
    // Run again, nothing is left to redact.
    expect(await redactExpiredActors(server.database.prisma, PROJECT_FEED, 30)).toEqual({ changes: 0, records: 0 });
  });

  it('costs the same statements whatever it redacts: the idempotency keys, the feed, the projects', async () => {
    const upkeep = changeFeedUpkeep(PROJECT_FEED, { actorRetentionDays: 30 });
    server.counter.reset();
    await upkeep(server.database);
    const idle = server.counter.count;
    for (let day = 31; day < 41; day++) await changeOf(recent, `${SUBJECT}-${day}`, day);
    await lastWrittenDaysAgo(recent, 35);
    server.counter.reset();
    await upkeep(server.database);
    expect([idle, server.counter.count]).toEqual([3, 3]);
    expect(await auditedBy('redacted', start)).toHaveLength(12);
    expect(await updatedBy(recent)).toEqual(['redacted']);
  });

  it('still refuses DELETE, TRUNCATE and every other UPDATE of the log', async () => {
    const prisma = server.database.prisma;
    const [row] = await prisma.$queryRaw<{ position: bigint }[]>`
      SELECT position FROM projects.change_log WHERE key = ${old} AND actor = ${SUBJECT} ORDER BY position LIMIT 1`;
    const at = row!.position;
    await expect(prisma.$executeRaw`UPDATE projects.change_log SET actor = 'someone else' WHERE position = ${at}`).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(prisma.$executeRaw`UPDATE projects.change_log SET actor = 'redacted', key = 'P-0' WHERE position = ${at}`).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(
      prisma.$executeRaw`UPDATE projects.change_log SET actor = 'redacted', changed_at = changed_at - interval '1 day' WHERE position = ${at}`,
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(prisma.$executeRaw`UPDATE projects.change_log SET changes = NULL WHERE position = ${at}`).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(prisma.$executeRaw`DELETE FROM projects.change_log WHERE position = ${at}`).rejects.toThrow(/append-only: DELETE refused/);
    await expect(prisma.$executeRaw`TRUNCATE projects.change_log`).rejects.toThrow(/append-only: TRUNCATE refused/);
    const [kept] = await prisma.$queryRaw<
      { actor: string; key: string }[]
    >`SELECT actor, key FROM projects.change_log WHERE position = ${at}`;
    expect(kept).toEqual({ actor: SUBJECT, key: old });
  });

  it.each([
    ['-30', '"-30"'],
    ['thirty', '"thirty"'],
    ['0', '"0"'],
    ['1.5', '"1.5"'],
  ])('refuses to start with %s days, saying what it takes', async (value, shown) => {
    process.env[SETTING] = value;
    try {
      await expect(createServer({ databaseUrl: process.env.TEST_DATABASE_URL! })).rejects.toThrow(
        `${SETTING} must be a whole number of days, at least 1, got ${shown}. Leave it unset to keep the actors of the change feeds without limit.`,
      );
    } finally {
      delete process.env[SETTING];
    }
  });
});

describe('the hourly redaction on a long change log', () => {
  // A database of its own: thousands of change rows the other tests of this worker must not read.
  let database: ProvidedDatabase;
  let own: SubgraphServer;
  const feeds = [PROJECT_FEED, { schema: 'cooperations', entities: {} }];

  beforeAll(async () => {
    database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL, migrated: true });
    own = await createServer({ databaseUrl: database.url, authSecret: DEVELOPMENT_AUTH_SECRET });
    // A log as it looks after years of hourly runs: most old rows already redacted, the seed's and
    // imports' rows, the personal actors of the last 30 days, and a few just past the period.
    for (const { schema } of feeds) {
      await own.database.prisma.$executeRaw`
        INSERT INTO ${Prisma.raw(`"${schema}".change_log`)} (entity_type, key, operation, version, actor, changed_at)
        SELECT 'PROJECT', 'P-2020-' || n, 'UPDATED', 1, actor, now() - make_interval(hours => hours)
        FROM (
          SELECT n, 'redacted' AS actor, 24 * 31 + n AS hours FROM generate_series(1, 3000) AS n
          UNION ALL SELECT n, 'seed', 24 * 400 + n FROM generate_series(3001, 4000) AS n
          UNION ALL SELECT n, 'import:old.csv', 24 * 200 + n FROM generate_series(4001, 5000) AS n
          UNION ALL SELECT n, 'editor-' || n % 50, n % (24 * 29) FROM generate_series(5001, 6000) AS n
          UNION ALL SELECT n, 'editor-' || n % 50, 24 * 31 + n % 24 FROM generate_series(6001, 6020) AS n
        ) AS rows
        ORDER BY hours DESC`;
      await own.database.prisma.$executeRaw`ANALYZE ${Prisma.raw(`"${schema}".change_log`)}`;
    }
  });

  afterAll(async () => {
    await own?.close();
    await database?.stop();
  });

  it.each(feeds.map((feed) => [feed.schema, feed] as const))(
    'finds the expired personal actors of %s through an index, not by reading the whole log',
    async (_, feed) => {
      // EXPLAIN without ANALYZE: the plan the statement gets with the parameters the upkeep sends,
      // chosen by the planner on its own from the statistics ANALYZE took.
      const plan = await own.database.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${expiredActorRedaction(feed, 30)}`;
      const text = plan.map((line) => line['QUERY PLAN']).join('\n');
      expect({ seqScan: /Seq Scan on change_log/.test(text), index: /change_log_personal_changed_at_idx/.test(text) }).toEqual({
        seqScan: false,
        index: true,
      });
    },
  );

  it('redacts them in the same three statements as on a short log', async () => {
    own.counter.reset();
    await changeFeedUpkeep(PROJECT_FEED, { actorRetentionDays: 30 })(own.database);
    expect(own.counter.count).toBe(3);
    const [left] = await own.database.prisma.$queryRaw<{ redacted: number; personal: number }[]>`
      SELECT count(*) FILTER (WHERE actor = 'redacted')::int AS redacted, count(*) FILTER (WHERE actor LIKE 'editor-%')::int AS personal
      FROM projects.change_log`;
    expect(left).toEqual({ redacted: 3020, personal: 1000 });
  });
});
