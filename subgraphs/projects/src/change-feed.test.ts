import { testToken } from '@regiograph/shared/testing';
import {
  bearerHeaders,
  holdTransaction,
  postGraphQL,
  purgeExpiredIdempotencyKeys,
  readChanges,
  untilALockIsAwaited,
  writeTransaction,
  type ChangeEntry,
  type GraphQLResponse,
  type SubgraphServer,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { startSeededServer } from './testing/server';

let server: SubgraphServer;
let url: string;

/** A query to the server under test, as the holder of `token` when given. */
function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, text, variables, bearerHeaders(token));
}

const EDITOR = testToken({ sub: 'partner-editor', scopes: ['projects:write'] });
const OTHER_EDITOR = testToken({ sub: 'other-editor', scopes: ['projects:write'] });
const AUDITOR = testToken({ sub: 'auditor', scopes: ['audit:read'] });

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

interface Change {
  cursor: string;
  entityType: string;
  key: string;
  operation: string;
  version: number | null;
  actor: string | null;
  changedAt: string;
}

const CHANGES = `query ($after: String, $types: [ProjectChangeEntity!], $first: Int) {
  projectChanges(after: $after, types: $types, first: $first) { changes { cursor entityType key operation version actor changedAt } endCursor hasMore } }`;

type Feed = { projectChanges: { changes: Change[]; endCursor: string; hasMore: boolean } };

/** Follows the feed from `after` to its end, as a partner does (anonymously unless `reader` is given). */
async function follow(after: string | null, types?: string[], reader?: string): Promise<{ changes: Change[]; endCursor: string }> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const { data, errors } = await query<Feed>(CHANGES, { after: cursor, types, first: 500 }, reader);
    expect(errors).toBeUndefined();
    changes.push(...data!.projectChanges.changes);
    cursor = data!.projectChanges.endCursor;
    if (!data!.projectChanges.hasMore) return { changes, endCursor: cursor };
  }
}

async function feedEnd(): Promise<string> {
  return (await follow(null)).endCursor;
}

// Other test files of this workspace write to the same database at the same time: assertions about
// the feed look at the changes of the records a test made itself.
function of(changes: Change[], ...keys: string[]): Change[] {
  return changes.filter((change) => keys.includes(change.key));
}

/** The feed position inside a cursor (the test knows the format; partners must not rely on it). */
function positionOf(cursor: string): number {
  return Number(Buffer.from(cursor, 'base64url').toString().split(':')[1]);
}

const CREATE = `mutation ($input: CreateProjectInput!, $key: String) { createProject(input: $input, idempotencyKey: $key) {
  project { id version title updatedAt } errors { field code } } }`;
type Created = {
  createProject: {
    project: { id: string; version: number; title: string; updatedAt: string } | null;
    errors: { field: string; code: string }[];
  };
};

function projectInput(title: string) {
  return {
    title,
    summary: 'A project of the change-feed test.',
    kind: 'STUDY',
    topics: ['MOBILITY'],
    startDate: '2026-03-01',
    regions: [{ regionCode: '03241', role: 'LEAD' }],
  };
}

async function createProject(title: string, editor = EDITOR): Promise<{ id: string; version: number; updatedAt: string }> {
  const { data, errors } = await query<Created>(CREATE, { input: projectInput(title) }, editor);
  expect(errors).toBeUndefined();
  expect(data!.createProject.errors).toEqual([]);
  return data!.createProject.project!;
}

/** A funding commitment of 1,000 € in 2026 for the project, added by EDITOR; its id. */
async function addFunding(projectId: string): Promise<string> {
  const { data, errors } = await query<{ addFunding: { funding: { id: string }; errors: unknown[] } }>(
    `mutation ($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { code } } }`,
    { input: { projectId, programmeCode: 'ZUKUNFTSREGIONEN', amountCents: 100000, coFinancingShare: 0.5, commitmentYear: 2026 } },
    EDITOR,
  );
  expect(errors).toBeUndefined();
  expect(data!.addFunding.errors).toEqual([]);
  return data!.addFunding.funding.id;
}

describe('the seed', () => {
  it('records every seeded project and funding, first as CREATED, as actor seed', async () => {
    const { changes } = await follow(null);
    const firstSeedChange = new Map<string, Change>();
    for (const change of changes)
      if (change.actor === 'seed' && !firstSeedChange.has(`${change.entityType}|${change.key}`))
        firstSeedChange.set(`${change.entityType}|${change.key}`, change);
    const projects = await server.database.prisma.project.findMany({ where: { synthetic: true }, select: { id: true } });
    expect(projects).toHaveLength(150);
    for (const project of projects)
      expect(firstSeedChange.get(`PROJECT|${project.id}`)).toMatchObject({ operation: 'CREATED', version: 1 });
    const fundings = await server.database.prisma.funding.findMany({ where: { project: { synthetic: true } }, select: { id: true } });
    for (const funding of fundings)
      expect(firstSeedChange.get(`FUNDING|${funding.id}`)).toMatchObject({ operation: 'CREATED', version: null });
  });
});

describe('the change feed', () => {
  it('shows a create, an update and a delete of a project in order, the delete as a tombstone', async () => {
    const start = await feedEnd();
    const project = await createProject('Feed lifecycle');
    const updated = await query<{ updateProject: { project: { version: number } } }>(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { version } errors { code } } }`,
      { input: { id: project.id, expectedVersion: 1, title: 'Feed lifecycle, renamed' } },
      EDITOR,
    );
    expect(updated.data!.updateProject.project.version).toBe(2);
    const deleted = await query<{ deleteProject: { project: { id: string } | null; errors: { code: string }[] } }>(
      `mutation ($id: ID!) { deleteProject(id: $id, expectedVersion: 2) { project { id } errors { code } } }`,
      { id: project.id },
      EDITOR,
    );
    expect(deleted.data!.deleteProject).toEqual({ project: { id: project.id }, errors: [] });
    const { changes } = await follow(start, undefined, EDITOR);
    expect(
      of(changes, project.id).map((change) => [change.entityType, change.key, change.operation, change.version, change.actor]),
    ).toEqual([
      ['PROJECT', project.id, 'CREATED', 1, 'partner-editor'],
      ['PROJECT', project.id, 'UPDATED', 2, 'partner-editor'],
      ['PROJECT', project.id, 'DELETED', null, 'partner-editor'],
    ]);
    expect(await server.database.prisma.project.findUnique({ where: { id: project.id } })).toBeNull();
  });

  it('shows a token subject as actor only to that caller and to auditors, the seed to everyone', async () => {
    const start = await feedEnd();
    const project = await createProject('Feed actor');
    const actorAs = async (reader?: string) =>
      of((await follow(start, ['PROJECT'], reader)).changes, project.id).map((change) => change.actor);
    expect(await actorAs()).toEqual([null]);
    expect(await actorAs(OTHER_EDITOR)).toEqual([null]);
    expect(await actorAs(EDITOR)).toEqual(['partner-editor']);
    expect(await actorAs(AUDITOR)).toEqual(['partner-editor']);
    // The seed's changes name no one: shown to everyone, and a page of them needs no valid token.
    const seeded = await query<Feed>(CHANGES, { first: 5 }, 'not-a-token');
    expect(seeded.errors).toBeUndefined();
    expect(seeded.data!.projectChanges.changes.map((change) => change.actor)).toEqual(Array(5).fill('seed'));
    // A page with a subject to show or withhold does: a broken token is refused, not taken for anonymous.
    const mixed = await query<Feed>(CHANGES, { after: start }, 'not-a-token');
    expect(mixed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("never gives a deleted project's number to a later project", async () => {
    // Delete the newest project of its year, so that "largest live number + 1" would be its number.
    const doomed = await createProject('Feed number, deleted');
    const deleted = await query<{ deleteProject: { errors: { code: string }[] } }>(
      `mutation ($id: ID!) { deleteProject(id: $id, expectedVersion: 1) { errors { code } } }`,
      { id: doomed.id },
      EDITOR,
    );
    expect(deleted.data!.deleteProject.errors).toEqual([]);
    const next = await createProject('Feed number, after the delete');
    const number = (id: string) => Number(id.split('-').at(-1));
    expect(next.id).not.toBe(doomed.id);
    expect(number(next.id)).toBeGreaterThan(number(doomed.id));
  });

  it('keeps endCursor where it was when nothing changed, and filters by type', async () => {
    const end = await feedEnd();
    const head = await query<Feed>(CHANGES, { first: 0 });
    expect(head.data!.projectChanges.changes).toEqual([]);
    expect(positionOf(head.data!.projectChanges.endCursor)).toBeGreaterThanOrEqual(positionOf(end));
    // Empty or not (other writers), endCursor is the last change's cursor, else the cursor sent.
    const { data } = await query<Feed>(CHANGES, { after: end });
    expect(data!.projectChanges.endCursor).toBe(data!.projectChanges.changes.at(-1)?.cursor ?? end);
    const project = await createProject('Feed funding');
    const fundingId = await addFunding(project.id);
    const all = await follow(end);
    expect(of(all.changes, project.id, fundingId).map((change) => [change.entityType, change.key, change.operation])).toEqual([
      ['PROJECT', project.id, 'CREATED'],
      ['PROJECT', project.id, 'UPDATED'],
      ['FUNDING', fundingId, 'CREATED'],
    ]);
    const fundingsOnly = await follow(end, ['FUNDING']);
    expect(fundingsOnly.changes.every((change) => change.entityType === 'FUNDING')).toBe(true);
    expect(of(fundingsOnly.changes, fundingId, project.id).map((change) => change.key)).toEqual([fundingId]);
  });

  it('refuses a cursor of another list and a page size out of range', async () => {
    const wrong = await query(CHANGES, { after: Buffer.from('projects:1').toString('base64url') });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const negative = await query(CHANGES, { first: -1 });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const tooMany = await query(CHANGES, { first: 1001 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('refuses a cursor past the end of the feed and of the audit trail, and answers one at the end with an empty page', async () => {
    // A cursor the feed never gave (as after a database reset): far past the head, so that the other
    // test files writing meanwhile cannot reach it.
    const past = Buffer.from(`projects-changes:${positionOf(await feedEnd()) + 1_000_000}`).toString('base64url');
    for (const first of [0, 10]) {
      server.counter.reset();
      const refused = await query<Feed>(CHANGES, { after: past, first });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
      expect(refused.errors?.[0]?.message).toMatch(/past the end of this list/);
      // Read a second time, on the primary, before refusing: a replica behind it may lack the changes
      // a follower already read there.
      expect(server.counter.count).toBe(2);
    }
    const audit = await query(`query ($after: String) { projectAuditTrail(after: $after) { endCursor } }`, { after: past }, AUDITOR);
    expect(audit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    // At the head and one past it, read in one snapshot so that no concurrent write moves the end.
    await server.database.prisma.$transaction(
      async (tx) => {
        const { endCursor: end } = await readChanges(tx, PROJECT_FEED, { first: 0 });
        expect(await readChanges(tx, PROJECT_FEED, { after: end })).toEqual({ entries: [], endCursor: end, hasMore: false });
        expect(await readChanges(tx, PROJECT_FEED, { after: end }, true)).toEqual({ entries: [], endCursor: end, hasMore: false });
        const next = Buffer.from(`projects-changes:${positionOf(end) + 1}`).toString('base64url');
        await expect(readChanges(tx, PROJECT_FEED, { after: next })).rejects.toThrow(/after is past the end of this list/);
        await expect(readChanges(tx, PROJECT_FEED, { after: next }, true)).rejects.toThrow(/after is past the end of this list/);
      },
      { isolationLevel: 'RepeatableRead' },
    );
  });

  it('reads a page in one SQL statement, however long the page', async () => {
    const counter = server.counter;
    for (const first of [1, 100, 1000]) {
      counter.reset();
      const { errors } = await query(CHANGES, { first });
      expect(errors).toBeUndefined();
      expect(counter.count).toBe(1);
    }
  });

  it('lists projects updated since a moment', async () => {
    const project = await createProject('Feed updatedSince');
    const since = project.updatedAt;
    const { data, errors } = await query<{ projects: { nodes: { id: string; updatedAt: string }[] } }>(
      `query ($since: DateTime) { projects(updatedSince: $since, first: 100) { nodes { id updatedAt } } }`,
      { since },
    );
    expect(errors).toBeUndefined();
    expect(data!.projects.nodes.map((node) => node.id)).toContain(project.id);
    expect(data!.projects.nodes.every((node) => node.updatedAt >= since)).toBe(true);
    const later = await query<{ projects: { nodes: { id: string }[] } }>(
      `query ($since: DateTime) { projects(updatedSince: $since) { nodes { id } } }`,
      {
        since: new Date(Date.parse(since) + 1).toISOString(),
      },
    );
    expect(later.data!.projects.nodes.map((node) => node.id)).not.toContain(project.id);
    const malformed = await query(`{ projects(updatedSince: "yesterday") { nodes { id } } }`);
    expect(malformed.errors?.[0]?.message).toMatch(/DateTime must be an ISO 8601 moment/);
  });
});

describe('commit order under concurrent writers', () => {
  /** A write held open after it recorded its change rows, until `release` is called. */
  function heldWrite(id: string, title: string): { recorded: Promise<void>; release: () => void; done: Promise<unknown> } {
    let release!: () => void;
    let markRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (markRecorded = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const done = writeTransaction(server.database.prisma, PROJECT_FEED, { actor: 'slow-writer', timeout: 60_000 }, async (tx, changes) => {
      await changes.track('PROJECT', id);
      await tx.project.update({ where: { id }, data: { title, version: { increment: 1 } } });
      // The change rows are in (their positions drawn), the commit is not: the widest window there is.
      await changes.record('slow-writer');
      markRecorded();
      await gate;
    });
    return { recorded, release, done };
  }

  it('never lets a follower skip a change of a transaction that recorded early and committed late', async () => {
    const slowProject = await createProject('Slow writer target');
    const fastProject = await createProject('Fast writer target');
    const start = await feedEnd();
    const slow = heldWrite(slowProject.id, 'Slow writer, committed last');
    await slow.recorded;
    // A second writer starts while the first is open: it must not get a position a follower can read
    // before the first one's.
    let fastDone = false;
    const fast = query<{ updateProject: { errors: unknown[] } }>(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { errors { code } } }`,
      { input: { id: fastProject.id, expectedVersion: 1, title: 'Fast writer' } },
      OTHER_EDITOR,
    ).finally(() => (fastDone = true));
    await untilALockIsAwaited(server.database.prisma, () => fastDone);
    const during = await follow(start, undefined, AUDITOR);
    slow.release();
    await slow.done;
    expect((await fast).data!.updateProject.errors).toEqual([]);
    const after = await follow(during.endCursor, undefined, AUDITOR);
    const seen = of([...during.changes, ...after.changes], slowProject.id, fastProject.id);
    expect(seen.map((change) => [change.key, change.actor])).toEqual([
      [slowProject.id, 'slow-writer'],
      [fastProject.id, 'other-editor'],
    ]);
  });

  it('gives a follower polling during many concurrent writes every change exactly once, in position order', async () => {
    const targets = await Promise.all([1, 2, 3, 4].map((n) => createProject(`Concurrent target ${n}`)));
    const start = await feedEnd();
    let writing = true;
    const seen: ChangeEntry[] = [];
    const follower = (async () => {
      let cursor: string | null = start;
      // One last read after the writers finished, so the follower ends at the head.
      for (let lastRound = false; ;) {
        const page = await readChanges(server.database.prisma, PROJECT_FEED, { after: cursor, first: 7 });
        seen.push(...page.entries);
        cursor = page.endCursor;
        if (page.hasMore) continue;
        if (lastRound) return;
        if (!writing) lastRound = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const writers = targets.map(async (target, writer) => {
      for (let round = 0; round < 12; round++) {
        await writeTransaction(
          server.database.prisma,
          PROJECT_FEED,
          { actor: `writer-${writer}`, timeout: 60_000 },
          async (tx, changes) => {
            await changes.track('PROJECT', target.id);
            await tx.project.update({ where: { id: target.id }, data: { title: `Round ${round}`, version: { increment: 1 } } });
            // Uneven durations make transactions that began earlier commit later.
            await new Promise((resolve) => setTimeout(resolve, ((round * 7 + writer * 13) % 5) * 4));
          },
        );
      }
    });
    await Promise.all(writers);
    writing = false;
    await follower;
    const keys = new Set(targets.map((target) => target.id));
    const committed = (await readChanges(server.database.prisma, PROJECT_FEED, { after: start, first: 1000 })).entries.filter((entry) =>
      keys.has(entry.key),
    );
    expect(committed).toHaveLength(48);
    // Every change exactly once, in position order: the follower's list is the log's list.
    expect(seen.filter((entry) => keys.has(entry.key)).map((entry) => entry.position)).toEqual(committed.map((entry) => entry.position));
    expect(seen.map((entry) => BigInt(entry.position))).toEqual(
      [...seen.map((entry) => BigInt(entry.position))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    // Each writer's own changes appear in the order it committed them (its versions ascend).
    for (const target of targets) {
      const versions = seen.filter((entry) => entry.key === target.id).map((entry) => entry.version);
      expect(versions).toEqual(Array.from({ length: 12 }, (_, round) => target.version + round + 1));
    }
  }, 120_000);
});

describe('the audit trail', () => {
  const AUDIT = `query ($key: ID, $actor: String) { projectAuditTrail(entityType: PROJECT, key: $key, actor: $actor) {
    entries { entityType key operation version actor changedAt changes { field oldValue newValue } } endCursor hasMore } }`;
  type Audit = {
    projectAuditTrail: {
      entries: {
        operation: string;
        version: number | null;
        actor: string;
        changes: { field: string; oldValue: unknown; newValue: unknown }[];
      }[];
    };
  };

  it('shows who changed which fields from what to what', async () => {
    const project = await createProject('Audited title');
    await query(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { errors { code } } }`,
      { input: { id: project.id, expectedVersion: 1, title: 'Audited title, corrected', topics: ['MOBILITY', 'ECONOMY'] } },
      OTHER_EDITOR,
    );
    const { data, errors } = await query<Audit>(AUDIT, { key: project.id }, AUDITOR);
    expect(errors).toBeUndefined();
    const [created, updated] = data!.projectAuditTrail.entries;
    expect(created).toMatchObject({ operation: 'CREATED', version: 1, actor: 'partner-editor' });
    expect(created!.changes).toContainEqual({ field: 'title', oldValue: null, newValue: 'Audited title' });
    expect(updated).toMatchObject({ operation: 'UPDATED', version: 2, actor: 'other-editor' });
    expect(updated!.changes).toEqual([
      { field: 'title', oldValue: 'Audited title', newValue: 'Audited title, corrected' },
      { field: 'topics', oldValue: ['MOBILITY'], newValue: ['MOBILITY', 'ECONOMY'] },
    ]);
    const byActor = await query<Audit>(AUDIT, { key: project.id, actor: 'other-editor' }, AUDITOR);
    expect(byActor.data!.projectAuditTrail.entries.map((entry) => entry.operation)).toEqual(['UPDATED']);
  });

  it('shows a funding write without a version as applied on top of a change committed meanwhile, which it keeps', async () => {
    const project = await createProject('Funding changed by two writers');
    const fundingId = await addFunding(project.id);
    // Another writer changes the amount and holds its transaction open: the update below reads the
    // funding before that change, then waits for the project's row lock until the other commits.
    const prisma = server.database.prisma;
    const other = holdTransaction(prisma, async (tx) => {
      await tx.project.update({ where: { id: project.id }, data: { version: { increment: 1 } } });
      await tx.funding.update({ where: { id: Number(fundingId) }, data: { amountCents: 500000n } });
    });
    await other.holding;
    let answered = false;
    const update = query<{ updateFunding: unknown }>(
      `mutation ($input: UpdateFundingInput!) { updateFunding(input: $input) {
        funding { amountCents commitmentYear } project { version } errors { code } } }`,
      { input: { id: fundingId, commitmentYear: 2025 } },
      OTHER_EDITOR,
    ).finally(() => (answered = true));
    await untilALockIsAwaited(prisma, () => answered);
    other.release();
    await other.done;
    const { data, errors } = await update;
    expect(errors).toBeUndefined();
    expect(data!.updateFunding).toEqual({ funding: { amountCents: 500000, commitmentYear: 2025 }, project: { version: 4 }, errors: [] });
    const stored = await prisma.funding.findUniqueOrThrow({ where: { id: Number(fundingId) } });
    expect([stored.amountCents, stored.commitmentYear]).toEqual([500000n, 2025]);
    const audit = await query<Audit>(
      `query ($key: ID) { projectAuditTrail(entityType: FUNDING, key: $key) {
        entries { operation version actor changes { field oldValue newValue } } } }`,
      { key: fundingId },
      AUDITOR,
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.projectAuditTrail.entries.at(-1)).toEqual({
      operation: 'UPDATED',
      version: null,
      actor: 'other-editor',
      changes: [{ field: 'commitment_year', oldValue: 2026, newValue: 2025 }],
    });
  });

  it('is refused without a token and without the audit scope', async () => {
    const anonymous = await query(AUDIT, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const editor = await query(AUDIT, {}, EDITOR);
    expect(editor.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'audit:read' });
  });

  it('cannot be altered: the database refuses UPDATE, DELETE and TRUNCATE of the log', async () => {
    const prisma = server.database.prisma;
    const before = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM projects.change_log`;
    await expect(prisma.$executeRaw`UPDATE projects.change_log SET actor = 'someone else'`).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(prisma.$executeRaw`DELETE FROM projects.change_log`).rejects.toThrow(/append-only: DELETE refused/);
    await expect(prisma.$executeRaw`TRUNCATE projects.change_log`).rejects.toThrow(/append-only: TRUNCATE refused/);
    const after = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM projects.change_log`;
    expect(after[0]!.n).toBe(before[0]!.n);
    const edited = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM projects.change_log WHERE actor = 'someone else'`;
    expect(edited[0]!.n).toBe(0n);
  });
});

describe('idempotent writes', () => {
  it('answers a retry with the first result and writes once', async () => {
    const start = await feedEnd();
    const key = `create-${Date.now()}`;
    const first = await query<Created>(CREATE, { input: projectInput('Idempotent create'), key }, EDITOR);
    const retry = await query<Created>(CREATE, { input: projectInput('Idempotent create'), key }, EDITOR);
    expect(first.errors).toBeUndefined();
    expect(retry).toEqual(first);
    expect(await server.database.prisma.project.count({ where: { title: 'Idempotent create' } })).toBe(1);
    const { changes } = await follow(start);
    expect(of(changes, first.data!.createProject.project!.id).map((change) => change.operation)).toEqual(['CREATED']);
  });

  it('returns the first answer even after the record moved on, and for concurrent retries', async () => {
    const project = await createProject('Idempotent update');
    const UPDATE = `mutation ($input: UpdateProjectInput!, $key: String) { updateProject(input: $input, idempotencyKey: $key) { project { version title } errors { code } } }`;
    const input = { id: project.id, expectedVersion: 1, title: 'Idempotent update, v2' };
    const [a, b] = await Promise.all([query(UPDATE, { input, key: 'upd-1' }, EDITOR), query(UPDATE, { input, key: 'upd-1' }, EDITOR)]);
    expect(a).toEqual(b);
    expect(a.data).toEqual({ updateProject: { project: { version: 2, title: 'Idempotent update, v2' }, errors: [] } });
    await query(UPDATE, { input: { id: project.id, expectedVersion: 2, title: 'Idempotent update, v3' } }, EDITOR);
    const late = await query(UPDATE, { input, key: 'upd-1' }, EDITOR);
    expect(late.data).toEqual(a.data);
    expect((await server.database.prisma.project.findUniqueOrThrow({ where: { id: project.id } })).version).toBe(3);
  });

  it('refuses the same key with other arguments, and keeps keys apart per caller', async () => {
    const key = `reuse-${Date.now()}`;
    await query<Created>(CREATE, { input: projectInput('Key first use'), key }, EDITOR);
    const reused = await query<Created>(CREATE, { input: projectInput('Key second use'), key }, EDITOR);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', argument: 'idempotencyKey' });
    expect(await server.database.prisma.project.count({ where: { title: 'Key second use' } })).toBe(0);
    const otherCaller = await query<Created>(CREATE, { input: projectInput('Key second use'), key }, OTHER_EDITOR);
    expect(otherCaller.data!.createProject.errors).toEqual([]);
    const empty = await query<Created>(CREATE, { input: projectInput('Empty key'), key: '' }, EDITOR);
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'idempotencyKey' });
  });

  it('stores no answer for a refused write, so the corrected retry may use the key', async () => {
    const key = `refused-${Date.now()}`;
    const refused = await query<Created>(CREATE, { input: { ...projectInput('Refused'), title: '  ' }, key }, EDITOR);
    expect(refused.data!.createProject.errors.map((error) => error.code)).toEqual(['REQUIRED']);
    const corrected = await query<Created>(CREATE, { input: projectInput('Corrected'), key }, EDITOR);
    expect(corrected.data!.createProject.errors).toEqual([]);
  });

  it('purges keys past their 24 hours and keeps the live ones', async () => {
    const prisma = server.database.prisma;
    const live = `purge-live-${Date.now()}`;
    const expired = `purge-expired-${Date.now()}`;
    await query<Created>(CREATE, { input: projectInput('Purge, live key'), key: live }, EDITOR);
    await query<Created>(CREATE, { input: projectInput('Purge, expired key'), key: expired }, EDITOR);
    await prisma.$executeRaw`UPDATE projects.idempotency_key SET created_at = now() - interval '25 hours' WHERE key = ${expired}`;
    expect(await purgeExpiredIdempotencyKeys(prisma, PROJECT_FEED)).toBeGreaterThanOrEqual(1);
    const left = await prisma.$queryRaw<{ key: string }[]>`
      SELECT key FROM projects.idempotency_key WHERE key IN (${live}, ${expired})`;
    expect(left.map((row) => row.key)).toEqual([live]);
  });
});
