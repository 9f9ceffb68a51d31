import { createDatabaseClient } from './client';
import { findFreePort } from './embedded';
import { parseLsn, readRestOfRequestOnPrimary, readsOnPrimaryOnly, withPrimaryReads, withReadAfterLsn } from './replicas';

const url = () => process.env.TEST_DATABASE_URL!;

describe('parseLsn', () => {
  it('orders WAL positions like PostgreSQL, across the high word', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect([parseLsn(''), parseLsn('nonsense'), parseLsn('1/2/3'), parseLsn(undefined)]).toEqual([null, null, null, null]);
  });
});

describe('read routing', () => {
  it('reads from the primary when the only replica is unreachable', async () => {
    const nowhere = `postgresql://postgres@127.0.0.1:${await findFreePort()}/nowhere`;
    const database = createDatabaseClient({ url: url(), replicaUrls: [nowhere] });
    try {
      expect(await database.prisma.region.count()).toBeGreaterThanOrEqual(0);
      expect(database.pool.totalCount).toBe(1);
      expect((await database.readPool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(database.replicaPools[0]!.totalCount).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('uses a replica for a read that names a position once the replica has it', async () => {
    // The "replica" is the primary's own database under another pool: not in recovery, so it has
    // every write (the lagging case runs against a real standby in the end-to-end tests).
    const database = createDatabaseClient({ url: url(), replicaUrls: [url()] });
    try {
      await withReadAfterLsn('0/1', () => database.prisma.region.findMany({ take: 1 }));
      expect(database.replicaPools[0]!.totalCount).toBe(1);
      expect(database.pool.totalCount).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('reads from the primary inside withPrimaryReads, even within a request that names a position', async () => {
    const database = createDatabaseClient({ url: url(), replicaUrls: [url()] });
    try {
      expect(readsOnPrimaryOnly()).toBe(false);
      await database.prisma.region.findMany({ take: 1 });
      expect([database.pool.totalCount, database.replicaPools[0]!.totalCount]).toEqual([0, 1]);
      // Awaited inside: a Prisma query runs when awaited, so one returned unawaited would run outside.
      await withReadAfterLsn('0/1', () =>
        withPrimaryReads(async () => {
          expect(readsOnPrimaryOnly()).toBe(true);
          const rows = await database.prisma.region.findMany({ take: 1 });
          return rows;
        }),
      );
      expect([database.pool.totalCount, database.replicaPools[0]!.totalCount]).toEqual([1, 1]);
    } finally {
      await database.close();
    }
  });

  it('reads the rest of a request on the primary once it asks to (a mutation), and only that request', async () => {
    const database = createDatabaseClient({ url: url(), replicaUrls: [url()] });
    const acquired = { primary: 0, replica: 0 };
    database.pool.on('acquire', () => (acquired.primary += 1));
    database.replicaPools[0]!.on('acquire', () => (acquired.replica += 1));
    try {
      // Outside a request there is nothing to switch.
      expect(readRestOfRequestOnPrimary()).toBe(false);
      expect(readsOnPrimaryOnly()).toBe(false);
      let other: Promise<unknown> = Promise.resolve();
      await withReadAfterLsn(null, async () => {
        await database.prisma.region.findMany({ take: 1 });
        expect(acquired).toEqual({ primary: 0, replica: 1 });
        expect(readRestOfRequestOnPrimary()).toBe(true);
        expect(readsOnPrimaryOnly()).toBe(true);
        await database.prisma.region.findMany({ take: 1 });
        expect(acquired).toEqual({ primary: 1, replica: 1 });
        // A request begun beside it keeps reading from the replica.
        other = withReadAfterLsn(null, async () => {
          expect(readsOnPrimaryOnly()).toBe(false);
          return database.readPool.query('SELECT 1');
        });
      });
      await other;
      expect(acquired).toEqual({ primary: 1, replica: 2 });
      expect(readsOnPrimaryOnly()).toBe(false);
    } finally {
      await database.close();
    }
  });
});
