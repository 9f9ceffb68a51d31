// A database seeded by an earlier release gets the shipped data at the next start, and keeps what
// people wrote. In a database of its own (migrated, then seeded here): the worker's database, which
// other files of this workspace read, is not rewritten.
import { Prisma, provideScratchDatabase, type ProvidedDatabase } from '@regiograph/db';
import { SEED_ACTOR } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import {
  holdTransaction,
  lockSeed,
  recordBulkChanges,
  seededFingerprint,
  untilALockIsAwaited,
  type SubgraphServer,
} from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { realLandscape } from './real-data';
import { regionCatalogue } from './region-catalogue';
import { createServer, seed, seedIfEmpty } from './server';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { postGraphQL } from './testing/client';

let database: ProvidedDatabase;
let server: SubgraphServer;
let url: string;

beforeAll(async () => {
  database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL, migrated: true });
  server = await createServer({ databaseUrl: database.url });
  url = (await server.listen(0)).url;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.stop();
});

const EDITOR = testBearer({ sub: 'upgrade-editor', scopes: ['cooperations:write'] });
const wesermarsch = realLandscape(regionCatalogue()).cooperations.find((c) => c.name === 'LEADER-Region Wesermarsch in Bewegung')!;

async function versions(): Promise<Map<string, number>> {
  const rows = await server.database.prisma.cooperation.findMany({ select: { id: true, version: true } });
  return new Map(rows.map((row) => [row.id, row.version]));
}

async function seedChanges(after: bigint) {
  return server.database.prisma.cooperationChangeLog.findMany({
    where: { position: { gt: after }, actor: 'seed' },
    select: { entityType: true, key: true, operation: true, version: true },
    orderBy: { position: 'asc' },
  });
}

async function lastPosition(): Promise<bigint> {
  const last = await server.database.prisma.cooperationChangeLog.findFirst({ orderBy: { position: 'desc' }, select: { position: true } });
  return last?.position ?? 0n;
}

describe('shipped data on an upgraded database', () => {
  it('seeds an empty database, records what it seeded, and finds nothing to do at the next start', async () => {
    const summary = await seed(server.database.prisma);
    // After a change to the shipped data or its generator, append this value to SHIPPED_DATA_FINGERPRINTS (shipped-data.ts).
    expect(summary.fingerprint).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seededFingerprint(server.database.prisma, COOPERATION_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedIfEmpty(server.database)).toBe(false);
  });

  it('keeps a seeded cooperation an editor changed before the change feed existed (the row names its editor)', async () => {
    const { prisma } = server.database;
    await prisma.cooperation.update({
      where: { id: 'C-007' },
      data: { name: 'Renamed before the feed existed', updatedBy: 'early-editor' },
    });
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    expect(await seedIfEmpty(server.database)).toBe(true);
    expect((await prisma.cooperation.findUniqueOrThrow({ where: { id: 'C-007' } })).name).toBe('Renamed before the feed existed');
  });

  it('ships again a cooperation an earlier release had removed, at a version above every one it had', async () => {
    const { prisma } = server.database;
    // An earlier release that did not ship C-010: its seed removed it and announced the removal.
    const announcedBefore = await prisma.cooperationChangeLog.findMany({ where: { entityType: 'COOPERATION', key: 'C-010' } });
    await prisma.cooperation.delete({ where: { id: 'C-010' } });
    await recordBulkChanges(
      prisma,
      COOPERATION_FEED,
      SEED_ACTOR,
      'COOPERATION',
      Prisma.sql`SELECT id, version FROM cooperations.cooperation WHERE false`,
      Prisma.sql`SELECT id FROM cooperations.cooperation`,
    );
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    expect(await seedIfEmpty(server.database)).toBe(true);
    const highest = Math.max(...announcedBefore.map((change) => change.version ?? 0));
    expect((await prisma.cooperation.findUniqueOrThrow({ where: { id: 'C-010' } })).version).toBe(highest + 1);
  });

  it('leaves data a later release seeded as it is: an older replica or a rollback does not undo it', async () => {
    const { prisma } = server.database;
    const before = await versions();
    const after = await lastPosition();
    await prisma.cooperationsSeedState.update({ where: { id: true }, data: { fingerprint: 'a later release' } });
    const warnings: string[] = [];
    try {
      expect(await seedIfEmpty(server.database, { info: () => undefined, warn: (message) => warnings.push(message) })).toBe(false);
      expect(warnings).toEqual(['cooperations: the data was seeded by a release this one does not know (a later one): left as it is']);
      expect(await versions()).toEqual(before);
      expect(await lastPosition()).toBe(after);
      expect(await seededFingerprint(prisma, COOPERATION_FEED.schema)).toBe('a later release');
    } finally {
      await prisma.cooperationsSeedState.update({ where: { id: true }, data: { fingerprint: SHIPPED_DATA_FINGERPRINTS.at(-1)! } });
    }
  });

  it('writes again what the shipped data changed, at the next version, and keeps what an editor changed', async () => {
    const { prisma } = server.database;
    // What an earlier release had written: the Wesermarsch in LEADER from 1 January 2023.
    await prisma.cooperationMembership.updateMany({
      where: { cooperationId: wesermarsch.id },
      data: { validFrom: new Date('2023-01-01') },
    });
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    // An editor renames a seeded cooperation; the shipped data does not have that name.
    const edited = await postGraphQL<{ updateCooperation: { cooperation: { version: number } | null; errors: unknown[] } }>(
      url,
      `mutation ($input: UpdateCooperationInput!) { updateCooperation(input: $input) { cooperation { version } errors { field } } }`,
      { input: { id: 'C-002', expectedVersion: (await versions()).get('C-002'), name: 'Kooperation Nienburg (vom Amt umbenannt)' } },
      EDITOR,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updateCooperation.errors).toEqual([]);
    // ... and the shipped data then changes that cooperation too: it must not win over the editor.
    await prisma.cooperation.update({ where: { id: 'C-002' }, data: { description: 'An earlier release described it so.' } });
    const before = await versions();
    const after = await lastPosition();

    expect(await seedIfEmpty(server.database)).toBe(true);

    const memberships = await prisma.cooperationMembership.findMany({ where: { cooperationId: wesermarsch.id } });
    expect(memberships.length).toBeGreaterThan(0);
    expect(memberships.every((membership) => membership.validFrom.toISOString().startsWith('2023-06-01'))).toBe(true);
    const now = await versions();
    expect(now.get(wesermarsch.id)).toBe(before.get(wesermarsch.id)! + 1);
    const kept = await prisma.cooperation.findUniqueOrThrow({ where: { id: 'C-002' } });
    expect(kept.name).toBe('Kooperation Nienburg (vom Amt umbenannt)');
    expect(kept.description).toBe('An earlier release described it so.');
    expect(now.get('C-002')).toBe(before.get('C-002'));
    // Nothing else changed: every other version stays, and the feed reports the one cooperation and its memberships.
    expect([...now].filter(([id, version]) => id !== wesermarsch.id && before.get(id) !== version)).toEqual([]);
    const changes = await seedChanges(after);
    expect(changes.filter((change) => change.entityType === 'COOPERATION')).toEqual([
      { entityType: 'COOPERATION', key: wesermarsch.id, operation: 'UPDATED', version: before.get(wesermarsch.id)! + 1 },
    ]);
    expect(new Set(changes.filter((change) => change.entityType === 'MEMBERSHIP').map((change) => change.key))).toEqual(
      new Set(memberships.map((membership) => membership.id)),
    );
    expect(await seededFingerprint(prisma, COOPERATION_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedIfEmpty(server.database)).toBe(false);
  });

  it('writes a change once when two replicas start together after an upgrade: they seed one after the other', async () => {
    const { prisma } = server.database;
    await prisma.cooperationMembership.updateMany({
      where: { cooperationId: wesermarsch.id },
      data: { validFrom: new Date('2023-01-01') },
    });
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    const replica = await createServer({ databaseUrl: database.url });
    try {
      const before = await versions();
      const after = await lastPosition();
      // The seed lock held as by a replica already seeding: both replicas must queue behind it.
      const held = holdTransaction(prisma, (tx) => lockSeed(tx, COOPERATION_FEED.schema));
      await held.holding;
      let settled = 0;
      const starts = [seedIfEmpty(server.database), seedIfEmpty(replica.database)].map((start) => start.finally(() => (settled += 1)));
      let waiting = 0;
      while (settled === 0 && waiting < 2) {
        waiting = (
          await prisma.$queryRaw<{ waiting: number }[]>`
            SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
        )[0]!.waiting;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      held.release();
      await held.done;
      const seeded = await Promise.all(starts);
      expect(waiting).toBe(2);
      // The second, holding the lock at last, finds the data seeded and writes nothing.
      expect([...seeded].sort()).toEqual([false, true]);
      expect((await versions()).get(wesermarsch.id)).toBe(before.get(wesermarsch.id)! + 1);
      const changes = (await seedChanges(after)).filter((change) => change.entityType === 'COOPERATION');
      expect(changes).toEqual([
        { entityType: 'COOPERATION', key: wesermarsch.id, operation: 'UPDATED', version: before.get(wesermarsch.id)! + 1 },
      ]);
    } finally {
      await replica.close();
    }
  });

  it('leaves the data when a later release seeded it while this start waited for the seed lock', async () => {
    const { prisma } = server.database;
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    const before = await versions();
    const after = await lastPosition();
    // A replica of a later release seeding: it holds the seed lock, and records its fingerprint.
    const later = holdTransaction(prisma, async (tx) => {
      await lockSeed(tx, COOPERATION_FEED.schema);
      await tx.cooperationsSeedState.create({ data: { fingerprint: 'a later release' } });
    });
    await later.holding;
    let settled = false;
    const seeding = seedIfEmpty(server.database).finally(() => (settled = true));
    await untilALockIsAwaited(prisma, () => settled);
    later.release();
    await later.done;
    try {
      expect(await seeding).toBe(false);
      expect(await versions()).toEqual(before);
      expect(await lastPosition()).toBe(after);
      expect(await seededFingerprint(prisma, COOPERATION_FEED.schema)).toBe('a later release');
    } finally {
      await prisma.cooperationsSeedState.update({ where: { id: true }, data: { fingerprint: SHIPPED_DATA_FINGERPRINTS.at(-1)! } });
    }
  });

  it("waits for an editor's write in flight on a seeded cooperation, so that it cannot overwrite it unseen", async () => {
    const { prisma } = server.database;
    await prisma.cooperationsSeedState.deleteMany(); // as a release before fingerprints left it
    // What an editor's write holds until it commits: its cooperation's row.
    const editor = holdTransaction(prisma, async (tx) => {
      await tx.$queryRaw`SELECT id FROM cooperations.cooperation WHERE id = 'C-005' FOR UPDATE`;
    });
    await editor.holding;
    let settled = false;
    const seeding = seedIfEmpty(server.database).finally(() => (settled = true));
    await untilALockIsAwaited(prisma, () => settled);
    const waited = !settled;
    editor.release();
    await editor.done;
    expect(await seeding).toBe(true);
    expect(waited).toBe(true);
  });
});
