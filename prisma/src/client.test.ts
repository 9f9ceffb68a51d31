import pg from 'pg';
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

  // Prisma's adapter listens for errors of idle connections only while it is connected. Between
  // $disconnect() and the pool's end (a subgraph stopping), a connection that PostgreSQL ends (a
  // restart, a dropped database) made the pool emit an error nobody handled: the process died.
  it('survives PostgreSQL ending an idle connection after Prisma has disconnected', async () => {
    const database = createDatabaseClient({ url: url() });
    const admin = new pg.Client({ connectionString: url() });
    await admin.connect();
    try {
      const [backend] = await database.prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await database.prisma.$disconnect();
      expect(database.pool.idleCount).toBe(1);
      await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      // The pool drops the dead connection once its error arrives.
      for (let attempt = 0; attempt < 100 && database.pool.totalCount > 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(database.pool.totalCount).toBe(0);
    } finally {
      await admin.end();
      await database.close();
    }
  });
});
