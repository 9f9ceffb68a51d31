import { createDatabaseClient, SqlStatementCounter } from './client';

const url = () => process.env.TEST_DATABASE_URL!;

describe('createDatabaseClient', () => {
  it('counts every statement PostgreSQL receives, but not transaction framing', async () => {
    const counter = new SqlStatementCounter(true);
    const database = createDatabaseClient({ url: url(), counter });
    try {
      await database.prisma.region.findMany({ take: 1 });
      await database.prisma.$transaction([database.prisma.region.count(), database.prisma.region.count()]);
      expect(counter.count).toBe(3);
      expect(counter.statements.every((text) => !/^\s*(BEGIN|COMMIT)/i.test(text))).toBe(true);
      counter.reset();
      expect(counter.count).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('sends reads to a replica and writes to the primary', async () => {
    // The "replica" is the same database under another pool: what is checked is the routing.
    const database = createDatabaseClient({ url: url(), replicaUrls: [url()] });
    try {
      await database.prisma.region.findMany({ take: 1 });
      expect(database.replicaPools[0]!.totalCount).toBe(1);
      expect(database.pool.totalCount).toBe(0);
      const id = `replica-test-${Date.now()}`;
      await database.prisma.regionDataSource.create({
        data: {
          id,
          publisher: 'test',
          title: 'test',
          licence: 'test',
          licenceUrl: 'https://example.org',
          url: 'https://example.org',
          attribution: 'test',
          referenceDate: new Date('2020-01-01'),
          official: false,
        },
      });
      expect(database.pool.totalCount).toBe(1);
      await database.prisma.regionDataSource.delete({ where: { id } });
    } finally {
      await database.close();
    }
  });
});
