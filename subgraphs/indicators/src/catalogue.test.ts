import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from '@regiograph/db';
import { CatalogueCache } from './catalogue';
import { seedIndicatorsIfEmpty } from './seed';

let database: DatabaseClient;
const counter = new SqlStatementCounter();
const TEST_CODE = 'test_catalogue_cache';

beforeAll(async () => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
  // Under npm test the database is a copy of the seeded template; a lone `npx jest` seeds it here.
  await seedIndicatorsIfEmpty(database);
  await database.prisma.indicator.deleteMany({ where: { code: TEST_CODE } });
});

afterAll(async () => {
  await database.prisma.indicator.deleteMany({ where: { code: TEST_CODE } });
  await database.close();
});

jest.setTimeout(300_000);

/** Statements `read` sends, and what it returns. */
async function counted<T>(read: () => Promise<T>): Promise<{ result: T; statements: number }> {
  counter.reset();
  const result = await read();
  return { result, statements: counter.count };
}

describe('the indicator catalogue kept between requests', () => {
  it('equals what Prisma reads, row for row and field for field (a new column fails here until it is added)', async () => {
    const catalogue = await new CatalogueCache().read(database.pool);
    const prismaRows = await database.prisma.indicator.findMany({ orderBy: { code: 'asc' } });
    // The seeded catalogue: official and synthetic rows, dated sources, coverage arrays and formulas.
    expect(prismaRows.length).toBeGreaterThan(100);
    expect(prismaRows.some((row) => row.sourceReferenceDate !== null)).toBe(true);
    expect(prismaRows.some((row) => row.coverageYears.length > 0 && row.coverageLevels.length > 0)).toBe(true);
    expect(prismaRows.some((row) => row.derivedFrom.length > 0)).toBe(true);
    expect([...catalogue.keys()]).toEqual(prismaRows.map((row) => row.code));
    for (const row of prismaRows) expect(catalogue.get(row.code)).toStrictEqual(row);
  });

  it('sends one statement per read, and reads the rows again only when the version changed', async () => {
    const cache = new CatalogueCache();
    const first = await counted(() => cache.read(database.pool));
    const second = await counted(() => cache.read(database.pool));
    expect(first.statements).toBe(1);
    expect(second.statements).toBe(1);
    expect(first.result.size).toBeGreaterThan(100);
    // Unchanged: the very map of the first read, no row mapped again.
    expect(second.result).toBe(first.result);
  });

  it('sees every write on the next read, whoever writes, and nothing of a rolled-back one', async () => {
    const cache = new CatalogueCache();
    const before = await cache.read(database.pool);
    expect(before.has(TEST_CODE)).toBe(false);

    await database.prisma.indicator.create({
      data: {
        code: TEST_CODE,
        name: 'Cache-Test',
        description: 'written by catalogue.test.ts',
        theme: 'DEMOGRAPHY',
        unit: 'count',
        decimals: 0,
        polarity: 'NEUTRAL',
        aggregation: 'SUM',
        sourcePublisher: 'RegioGraph tests',
        sourceTitle: 'T',
        sourceLicence: 'CC0-1.0',
        sourceAttribution: 'A',
        official: false,
      },
    });
    const created = await counted(() => cache.read(database.pool));
    expect(created.statements).toBe(1);
    expect(created.result.get(TEST_CODE)?.name).toBe('Cache-Test');
    expect(created.result.size).toBe(before.size + 1);

    // Raw SQL on another connection, as the importer, psql or another instance would write.
    await database.pool.query(`UPDATE indicators.indicator SET name = 'Cache-Test, renamed' WHERE code = $1`, [TEST_CODE]);
    const renamed = await cache.read(database.pool);
    expect(renamed.get(TEST_CODE)?.name).toBe('Cache-Test, renamed');

    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE indicators.indicator SET name = 'never committed' WHERE code = $1`, [TEST_CODE]);
      // Not yet committed: another connection still reads the old name, from the map it already holds.
      expect(await cache.read(database.pool)).toBe(renamed);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await cache.read(database.pool)).toBe(renamed);

    await database.prisma.indicator.delete({ where: { code: TEST_CODE } });
    const deleted = await cache.read(database.pool);
    expect(deleted.has(TEST_CODE)).toBe(false);
    expect(deleted.size).toBe(before.size);
  });

  it('refuses to answer from a database without the version row, instead of serving a stale catalogue', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM indicators.catalogue_version');
      const cache = new CatalogueCache();
      await expect(cache.read(client)).rejects.toThrow(/catalogue_version has no row/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
