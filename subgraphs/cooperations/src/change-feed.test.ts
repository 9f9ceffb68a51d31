import { testBearer } from '@regiograph/shared/testing';
import { createServer as createProjectsServer } from '@regiograph/projects';
import { changeFeedUpkeep, type SubgraphServer } from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { createServer, seedIfEmpty } from './server';
import { postGraphQL } from './testing/client';

let projects: SubgraphServer;
let server: SubgraphServer;
let url: string;

beforeAll(async () => {
  // A delete asks projects whether any project still links to the cooperation: a real projects
  // server on the same database answers (these cooperations are new, so none does).
  projects = await createProjectsServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  const projectsUrl = (await projects.listen(0)).url;
  server = await createServer({
    databaseUrl: process.env.TEST_DATABASE_URL!,
    peerUrl: (name) => (name === 'projects' ? projectsUrl : undefined),
  });
  await seedIfEmpty(server.database);
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
  await projects?.close();
});

const EDITOR = testBearer({ sub: 'coop-partner', scopes: ['cooperations:write'] });
const AUDITOR = testBearer({ sub: 'auditor', scopes: ['audit:read'] });

interface Change {
  entityType: string;
  key: string;
  operation: string;
  version: number | null;
  actor: string | null;
}

type Feed = { cooperationChanges: { changes: Change[]; endCursor: string; hasMore: boolean } };
const CHANGES = `query ($after: String, $first: Int) { cooperationChanges(after: $after, first: $first) {
  changes { entityType key operation version actor } endCursor hasMore } }`;

/** Follows the feed from `after` to its end (anonymously unless `reader` is given). */
async function follow(after: string | null, reader: Record<string, string> = {}): Promise<{ changes: Change[]; endCursor: string }> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const { data, errors } = await postGraphQL<Feed>(url, CHANGES, { after: cursor, first: 1000 }, reader);
    expect(errors).toBeUndefined();
    changes.push(...data!.cooperationChanges.changes);
    cursor = data!.cooperationChanges.endCursor;
    if (!data!.cooperationChanges.hasMore) return { changes, endCursor: cursor };
  }
}

async function head(): Promise<string> {
  const { data } = await postGraphQL<Feed>(url, CHANGES, { first: 0 });
  return data!.cooperationChanges.endCursor;
}

const CREATE = `mutation ($input: CreateCooperationInput!, $key: String) { createCooperation(input: $input, idempotencyKey: $key) {
  cooperation { id version members { id } } errors { field code } } }`;
type Created = {
  createCooperation: { cooperation: { id: string; version: number; members: { id: string }[] } | null; errors: { code: string }[] };
};

const input = (name: string) => ({
  name,
  kind: 'INTER_MUNICIPAL',
  founded: '2020-01-01',
  members: [
    { regionCode: '032560022022', role: 'LEAD', validFrom: '2020-01-01' },
    { regionCode: '032565406', validFrom: '2020-01-01' },
  ],
});

describe('the cooperations change feed', () => {
  it('records the seed: every seeded cooperation and membership, first as CREATED, as actor seed', async () => {
    const { changes } = await follow(null);
    const firstSeedChange = new Map<string, Change>();
    for (const change of changes)
      if (change.actor === 'seed' && !firstSeedChange.has(`${change.entityType}|${change.key}`))
        firstSeedChange.set(`${change.entityType}|${change.key}`, change);
    // Other test files of this workspace create cooperations in the same database at the same time.
    const seeded = await server.database.prisma.cooperation.findMany({
      where: { updatedBy: null },
      select: { id: true, memberships: { select: { id: true } } },
    });
    expect(seeded.length).toBeGreaterThan(50);
    for (const cooperation of seeded) {
      expect(firstSeedChange.get(`COOPERATION|${cooperation.id}`)).toMatchObject({ operation: 'CREATED', version: 1 });
      for (const membership of cooperation.memberships)
        expect(firstSeedChange.get(`MEMBERSHIP|${membership.id}`)).toMatchObject({ operation: 'CREATED' });
    }
  });

  it('follows a cooperation from creation through a membership change to its tombstone', async () => {
    const start = await head();
    const created = await postGraphQL<Created>(url, CREATE, { input: input('Feed-Kooperation') }, EDITOR);
    const cooperation = created.data!.createCooperation.cooperation!;
    const [first, second] = cooperation.members.map((member) => member.id);
    const ended = await postGraphQL<{ endMembership: { errors: unknown[] } }>(
      url,
      `mutation ($input: EndCooperationMembershipInput!) { endMembership(input: $input) { errors { code } } }`,
      { input: { membershipId: second, validUntil: '2024-12-31' } },
      EDITOR,
    );
    expect(ended.data!.endMembership.errors).toEqual([]);
    const stale = await postGraphQL<{ deleteCooperation: { errors: { code: string }[] } }>(
      url,
      `mutation ($id: ID!) { deleteCooperation(id: $id, expectedVersion: 1) { cooperation { id } errors { code } } }`,
      { id: cooperation.id },
      EDITOR,
    );
    expect(stale.data!.deleteCooperation.errors.map((error) => error.code)).toEqual(['VERSION_CONFLICT']);
    const deleted = await postGraphQL<{ deleteCooperation: { cooperation: { id: string }; errors: unknown[] } }>(
      url,
      `mutation ($id: ID!) { deleteCooperation(id: $id, expectedVersion: 2) { cooperation { id } errors { code } } }`,
      { id: cooperation.id },
      EDITOR,
    );
    expect(deleted.data!.deleteCooperation).toEqual({ cooperation: { id: cooperation.id }, errors: [] });
    const { changes } = await follow(start, EDITOR);
    const keys = [cooperation.id, first, second];
    // Anyone else reads the same changes without the writer's subject.
    const anonymous = (await follow(start)).changes.filter((change) => keys.includes(change.key));
    expect(anonymous.map((change) => change.actor)).toEqual(Array(8).fill(null));
    expect(
      changes
        .filter((change) => keys.includes(change.key))
        .map((change) => [change.entityType, change.key, change.operation, change.version, change.actor]),
    ).toEqual([
      ['COOPERATION', cooperation.id, 'CREATED', 1, 'coop-partner'],
      ['MEMBERSHIP', first, 'CREATED', null, 'coop-partner'],
      ['MEMBERSHIP', second, 'CREATED', null, 'coop-partner'],
      ['COOPERATION', cooperation.id, 'UPDATED', 2, 'coop-partner'],
      ['MEMBERSHIP', second, 'UPDATED', null, 'coop-partner'],
      ['COOPERATION', cooperation.id, 'DELETED', null, 'coop-partner'],
      ['MEMBERSHIP', first, 'DELETED', null, 'coop-partner'],
      ['MEMBERSHIP', second, 'DELETED', null, 'coop-partner'],
    ]);
    const audit = await postGraphQL<{
      cooperationAuditTrail: { entries: { operation: string; changes: { field: string; oldValue: unknown; newValue: unknown }[] }[] };
    }>(
      url,
      `query ($key: ID) { cooperationAuditTrail(entityType: MEMBERSHIP, key: $key) { entries { operation changes { field oldValue newValue } } } }`,
      { key: second },
      AUDITOR,
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.cooperationAuditTrail.entries[1]).toEqual({
      operation: 'UPDATED',
      changes: [{ field: 'valid_until', oldValue: null, newValue: '2024-12-31' }],
    });
  });

  it("never gives a deleted cooperation's number to a later cooperation", async () => {
    // Delete the newest cooperation, so that "largest live number + 1" would be its number.
    const doomed = await postGraphQL<Created>(url, CREATE, { input: input('Feed-Kooperation, gelöscht') }, EDITOR);
    const doomedId = doomed.data!.createCooperation.cooperation!.id;
    const deleted = await postGraphQL<{ deleteCooperation: { errors: unknown[] } }>(
      url,
      `mutation ($id: ID!) { deleteCooperation(id: $id, expectedVersion: 1) { errors { code } } }`,
      { id: doomedId },
      EDITOR,
    );
    expect(deleted.data!.deleteCooperation.errors).toEqual([]);
    const next = await postGraphQL<Created>(url, CREATE, { input: input('Feed-Kooperation, danach') }, EDITOR);
    expect(next.data!.createCooperation.errors).toEqual([]);
    const nextId = next.data!.createCooperation.cooperation!.id;
    const number = (id: string) => Number(id.slice(2));
    expect(nextId).not.toBe(doomedId);
    expect(number(nextId)).toBeGreaterThan(number(doomedId));
  });

  it('lists cooperations updated since a moment', async () => {
    const created = await postGraphQL<Created>(url, CREATE, { input: input('Polling-Kooperation') }, EDITOR);
    const id = created.data!.createCooperation.cooperation!.id;
    const { updatedAt } = await server.database.prisma.cooperation.findUniqueOrThrow({ where: { id } });
    const { data } = await postGraphQL<{ cooperations: { nodes: { id: string }[] } }>(
      url,
      `query ($since: DateTime) { cooperations(updatedSince: $since, first: 100) { nodes { id } } }`,
      { since: updatedAt.toISOString() },
    );
    expect(data!.cooperations.nodes.map((node) => node.id)).toContain(id);
    const rows = await server.database.prisma.cooperation.findMany({
      where: { id: { in: data!.cooperations.nodes.map((node) => node.id) } },
    });
    expect(rows.every((row) => row.updatedAt >= updatedAt)).toBe(true);
    const later = await postGraphQL<{ cooperations: { nodes: { id: string }[] } }>(
      url,
      `query ($since: DateTime) { cooperations(updatedSince: $since) { nodes { id } } }`,
      {
        since: new Date(updatedAt.getTime() + 1).toISOString(),
      },
    );
    expect(later.data!.cooperations.nodes.map((node) => node.id)).not.toContain(id);
  });

  it('answers a retried create with the first result and refuses the key for another cooperation', async () => {
    const named = () =>
      server.database.prisma.cooperation.count({ where: { name: { in: ['Idempotente Kooperation', 'Andere Kooperation'] } } });
    const first = await postGraphQL<Created>(url, CREATE, { input: input('Idempotente Kooperation'), key: 'coop-create-1' }, EDITOR);
    const retry = await postGraphQL<Created>(url, CREATE, { input: input('Idempotente Kooperation'), key: 'coop-create-1' }, EDITOR);
    expect(first.data!.createCooperation.errors).toEqual([]);
    expect(retry).toEqual(first);
    expect(await named()).toBe(1);
    const other = await postGraphQL<Created>(url, CREATE, { input: input('Andere Kooperation'), key: 'coop-create-1' }, EDITOR);
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await named()).toBe(1);
  });

  it('refuses a cursor past the end of the feed and of the audit trail, and not one at the end', async () => {
    // A cursor the feed never gave (as after a database reset), far enough past the head that
    // concurrent writers cannot reach it.
    const end = await head();
    const position = Number(Buffer.from(end, 'base64url').toString().split(':')[1]);
    const past = Buffer.from(`cooperations-changes:${position + 1_000_000}`).toString('base64url');
    const refused = await postGraphQL<Feed>(url, CHANGES, { after: past, first: 10 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(refused.errors?.[0]?.message).toMatch(/past the end of this list/);
    const audit = await postGraphQL(
      url,
      `query ($after: String) { cooperationAuditTrail(after: $after) { endCursor } }`,
      { after: past },
      AUDITOR,
    );
    expect(audit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const atEnd = await postGraphQL<Feed>(url, CHANGES, { after: end, first: 10 });
    expect(atEnd.errors).toBeUndefined();
    // Empty unless another writer committed meanwhile; then it hands back the cursor it was given.
    const { changes, endCursor } = atEnd.data!.cooperationChanges;
    expect(changes.length === 0 ? endCursor : end).toBe(end);
  });

  it('refuses to alter the log in the database', async () => {
    await expect(server.database.prisma.$executeRaw`UPDATE cooperations.change_log SET actor = 'x'`).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(server.database.prisma.$executeRaw`DELETE FROM cooperations.change_log`).rejects.toThrow(/append-only: DELETE refused/);
  });

  it('replaces the subjects of writes past the storage period by "redacted", in the log and in the record last written then', async () => {
    const created = await postGraphQL<Created>(url, CREATE, { input: input('Aufbewahrungs-Kooperation') }, EDITOR);
    const id = created.data!.createCooperation.cooperation!.id;
    const prisma = server.database.prisma;
    // A write of eight days ago, whose time only an insert can set: the trigger lets no row age.
    await prisma.$executeRaw`
      INSERT INTO cooperations.change_log (entity_type, key, operation, version, actor, changed_at)
      VALUES ('COOPERATION', ${id}, 'UPDATED', 1, 'coop-partner', now() - interval '8 days')`;
    await prisma.$executeRaw`UPDATE cooperations.cooperation SET updated_at = now() - interval '8 days' WHERE id = ${id}`;
    const upkeep = changeFeedUpkeep(COOPERATION_FEED, { actorRetentionDays: 7 });
    await upkeep(server.database);
    const logged = await prisma.$queryRaw<{ operation: string; actor: string }[]>`
      SELECT operation, actor FROM cooperations.change_log WHERE entity_type = 'COOPERATION' AND key = ${id} ORDER BY position`;
    expect(logged).toEqual([
      { operation: 'CREATED', actor: 'coop-partner' },
      { operation: 'UPDATED', actor: 'redacted' },
    ]);
    const stored = await prisma.cooperation.findUniqueOrThrow({ where: { id }, select: { updatedBy: true, version: true } });
    expect(stored).toEqual({ updatedBy: 'redacted', version: 1 });
  });
});
