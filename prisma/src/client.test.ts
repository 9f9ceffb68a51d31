import pg from 'pg';
import { createDatabaseClient, SqlStatementCounter } from './client';

const url = () => process.env.TEST_DATABASE_URL!;

describe('createDatabaseClient', () => {
  it("sends a transaction's statements one after the other, never onto pg's deprecated query queue", async () => {
    // How many statements each connection has been handed and not yet answered: above one, pg queues them.
    const unanswered = new Map<pg.Client, number>();
    let most = 0;
    let calls = 0;
    type Query = (this: pg.Client, ...args: unknown[]) => unknown;
    const original = Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query')!;
    const query = original.value as Query;
    function counted(this: pg.Client, ...args: unknown[]): unknown {
      calls += 1;
      const result = query.apply(this, args);
      if (result instanceof Promise) {
        unanswered.set(this, (unanswered.get(this) ?? 0) + 1);
        most = Math.max(most, unanswered.get(this)!);
        const answered = () => unanswered.set(this, unanswered.get(this)! - 1);
        void result.then(answered, answered);
      }
      return result;
    }
    Object.defineProperty(pg.Client.prototype, 'query', { ...original, value: counted });
    const database = createDatabaseClient({ url: url() });
    try {
      // Prisma loads the relations of an include in parallel, here on the transaction's one connection,
      // written and read in one transaction that is then rolled back: the test's database keeps nothing.
      const rolledBack = new Error('rolled back');
      const read = await database.prisma
        .$transaction(async (tx) => {
          const source = { id: 'one-at-a-time', publisher: 'p', title: 't', licence: 'l', licenceUrl: 'u', url: 'u', attribution: 'a' };
          await tx.regionDataSource.create({ data: { ...source, referenceDate: new Date('2024-01-01'), official: false } });
          const region = { nameFolded: 'x', officialType: 'x', sourceId: source.id };
          await tx.region.create({ data: { ...region, code: 'T0', name: 'parent', level: 'STATE' } });
          await tx.region.createMany({
            data: ['T1', 'T2'].map((code) => ({ ...region, code, name: code, level: 'COUNTY' as const, parentCode: 'T0' })),
          });
          await tx.regionBoundary.create({ data: { code: 'T0', geometry: { type: 'Point', coordinates: [9, 52] } } });
          const [parent] = await tx.region.findMany({ where: { code: 'T0' }, include: { children: true, source: true, boundary: true } });
          throw Object.assign(rolledBack, { parent });
        })
        .catch((error: unknown) => error);
      expect(read).toBe(rolledBack);
      const { parent } = read as Error & { parent: { children: { code: string }[]; source: { id: string }; boundary: unknown } };
      expect(parent.children.map((child) => child.code).sort()).toEqual(['T1', 'T2']);
      expect(parent.source.id).toBe('one-at-a-time');
      expect(parent.boundary).not.toBeNull();
      // Statements issued together in a transaction still run in the order they were issued.
      const answers = await database.prisma.$transaction((tx) =>
        Promise.all([
          tx.$queryRaw<{ n: number }[]>`SELECT 1 AS n FROM pg_sleep(0.05)`,
          tx.$queryRaw<{ n: number }[]>`SELECT 2 AS n`,
          tx.$executeRaw`SET LOCAL application_name = 'one-at-a-time'`,
          tx.$queryRaw<{ name: string }[]>`SELECT current_setting('application_name') AS name`,
        ]),
      );
      expect(answers[0]).toEqual([{ n: 1 }]);
      expect(answers[1]).toEqual([{ n: 2 }]);
      expect(answers[3]).toEqual([{ name: 'one-at-a-time' }]);
      // A failing statement fails only itself; the ones queued behind it are still sent.
      const outcomes = await database.prisma
        .$transaction((tx) => Promise.allSettled([tx.$queryRaw`SELECT 1 / 0`, tx.$queryRaw`SELECT 1 AS n`]))
        .catch((error: unknown) => error);
      expect(outcomes).toBeDefined();
      expect(calls).toBeGreaterThan(10);
      expect(most).toBe(1);
    } finally {
      Object.defineProperty(pg.Client.prototype, 'query', original);
      await database.close();
    }
  });

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

  it('tells its observer how each statement ended: answered, failed, or stopped by statement_timeout', async () => {
    const outcomes: string[] = [];
    const database = createDatabaseClient({ url: url(), statementTimeoutMs: 200, observeStatement: (outcome) => outcomes.push(outcome) });
    try {
      // Through Prisma (the adapter awaits) and through the pool (pg-pool passes a callback).
      await database.prisma.$queryRaw`SELECT 1`;
      await expect(database.prisma.$queryRaw`SELECT pg_sleep(30)`).rejects.toThrow(/statement timeout/);
      await expect(database.pool.query('SELECT pg_sleep(30)')).rejects.toThrow(/statement timeout/);
      await expect(database.pool.query('SELECT no_such_column FROM pg_class')).rejects.toThrow(/no_such_column/);
      await database.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 2`);
    } finally {
      await database.close();
    }
    // The transaction's BEGIN and COMMIT are left out, as the counter leaves them out.
    expect(outcomes).toEqual(['ok', 'statement_timeout', 'statement_timeout', 'error', 'ok']);
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

  // A cancel travels on a connection of its own and can arrive after the statement it was meant for
  // has ended. Had the connection gone back to the pool meanwhile, it would stop the next caller's
  // statement (the benchmark saw "canceling statement due to user request" for callers that never
  // hung up). One connection, so the next statement is sure to run on the same backend.
  it("never cancels the next caller's statement when a request is abandoned just as its statement ends", async () => {
    let signal: AbortSignal | undefined;
    const database = createDatabaseClient({ url: url(), maxConnections: 1, requestSignal: () => signal });
    const connection = await database.pool.connect();
    try {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const abandoned = new AbortController();
        signal = abandoned.signal;
        // Sent, then abandoned at once: the statement ends long before a cancel can connect.
        const first = connection.query('SELECT 1 AS one');
        abandoned.abort();
        await first.catch(() => undefined);
        // The next caller, on the same connection, with a statement that outlasts a late cancel.
        signal = new AbortController().signal;
        const next = await connection.query<{ ok: boolean }>('SELECT true AS ok FROM pg_sleep(0.3)');
        expect(next.rows[0]!.ok).toBe(true);
      }
    } finally {
      signal = undefined;
      connection.release();
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
