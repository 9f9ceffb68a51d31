import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from './client';
import { Prisma } from './generated/prisma/client';
import { inRawTransaction } from './raw-transaction';

let database: DatabaseClient;
const counter = new SqlStatementCounter();
// A table of this file's own, so that other files' writes never change what is read here.
const TABLE = Prisma.raw('public.raw_transaction_test');

beforeAll(async () => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
  await database.pool.query('CREATE TABLE IF NOT EXISTS public.raw_transaction_test (label text PRIMARY KEY, day date, sent text)');
});

afterAll(async () => {
  await database.pool.query('DROP TABLE IF EXISTS public.raw_transaction_test');
  await database.close();
});

async function labels(): Promise<string[]> {
  const { rows } = await database.pool.query<{ label: string }>('SELECT label FROM public.raw_transaction_test ORDER BY label');
  return rows.map((row) => row.label);
}

describe('inRawTransaction', () => {
  beforeEach(() => database.pool.query('TRUNCATE public.raw_transaction_test'));

  it('commits what the work wrote when it resolves, and returns its result, row counts and rows', async () => {
    const result = await inRawTransaction(database.pool, async (sql) => {
      const written = await sql.$executeRaw`INSERT INTO ${TABLE} (label) SELECT unnest(${['a', 'b']}::text[])`;
      const statement = Prisma.sql`UPDATE ${TABLE} SET day = ${'2024-02-29'}::date WHERE label = ${'a'}`;
      const updated = await sql.$executeRaw(statement);
      // Rows of the same transaction, as either executor reads int and text columns.
      const read = await sql.$queryRaw<{ label: string; day: string | null; n: number }>`
        SELECT label, day::text AS day, length(label)::int AS n FROM ${TABLE} ORDER BY label`;
      return { written, updated, read };
    });
    expect(result).toEqual({
      written: 2,
      updated: 1,
      read: [
        { label: 'a', day: '2024-02-29', n: 1 },
        { label: 'b', day: null, n: 1 },
      ],
    });
    expect(await labels()).toEqual(['a', 'b']);
  });

  it('rolls everything back when the work throws, and hands on its error', async () => {
    await expect(
      inRawTransaction(database.pool, async (sql) => {
        await sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'written before the failure'})`;
        await sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'duplicate'}), (${'duplicate'})`;
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await labels()).toEqual([]);
    // The connection went back to the pool in a usable state: not stuck in an aborted transaction.
    await inRawTransaction(database.pool, (sql) => sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'after'})`);
    expect(await labels()).toEqual(['after']);
  });

  it('hands on a connection lost in the middle, writes nothing, and serves the next transaction on a sound connection', async () => {
    await expect(
      inRawTransaction(database.pool, async (sql) => {
        await sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'before the loss'})`;
        // What a restarted or failed-over server does to every open connection.
        await sql.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
      }),
    ).rejects.toThrow(/terminating connection/);
    expect(await labels()).toEqual([]);
    await inRawTransaction(database.pool, (sql) => sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'after the loss'})`);
    expect(await labels()).toEqual(['after the loss']);
  });

  it('keeps its process alive when the server ends the connection: the error reaches the work, not the process', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [
      require.resolve('tsx/cli'),
      path.join(__dirname, 'testing', 'lose-connection.ts'),
      process.env.TEST_DATABASE_URL!,
    ]);
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^handed on: terminating connection/),
      'alive, and the pool serves the next transaction',
    ]);
  }, 60_000);

  it('sends a Date as Prisma does, as its UTC instant: node-postgres would write it in the process time zone', async () => {
    // West of UTC, the process's own zone would make UTC midnight the evening before, and `::date`
    // the day before; the text PostgreSQL received shows the form whatever zone this machine has.
    const midnight = new Date('2022-12-31T00:00:00.000Z');
    await inRawTransaction(database.pool, async (sql) => {
      await sql.$executeRaw`INSERT INTO ${TABLE} (label, day, sent) VALUES (${'single'}, ${midnight}::date, ${midnight}::text)`;
      await sql.$executeRaw`INSERT INTO ${TABLE} (label, day, sent) SELECT 'array', d::date, d FROM unnest(${[midnight]}::text[]) AS d`;
    });
    const { rows } = await database.pool.query<{ label: string; day: string; sent: string }>(
      'SELECT label, day::text AS day, sent FROM public.raw_transaction_test ORDER BY label',
    );
    expect(rows).toEqual([
      { label: 'array', day: '2022-12-31', sent: '2022-12-31T00:00:00.000Z' },
      { label: 'single', day: '2022-12-31', sent: '2022-12-31T00:00:00.000Z' },
    ]);
  });

  it('counts its statements like any of the pool, without the transaction framing', async () => {
    counter.reset();
    await inRawTransaction(database.pool, async (sql) => {
      await sql.$executeRaw`INSERT INTO ${TABLE} (label) VALUES (${'counted'})`;
      await sql.$executeRaw`DELETE FROM ${TABLE} WHERE label = ${'counted'}`;
    });
    expect(counter.count).toBe(2);
  });
});
