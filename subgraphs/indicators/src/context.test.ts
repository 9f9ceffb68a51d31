import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { findCatalogue } from './context';

let database: DatabaseClient;

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database.close();
});

describe('the indicator catalogue read with node-postgres', () => {
  it('equals what Prisma reads, row for row and field for field (a new column fails here until it is added)', async () => {
    const catalogue = await findCatalogue(database.pool);
    const prismaRows = await database.prisma.indicator.findMany({ orderBy: { code: 'asc' } });
    // The seeded catalogue: official and synthetic rows, dated sources, coverage arrays and formulas.
    expect(prismaRows.length).toBeGreaterThan(20);
    expect(prismaRows.some((row) => row.sourceReferenceDate !== null)).toBe(true);
    expect(prismaRows.some((row) => row.coverageYears.length > 0 && row.coverageLevels.length > 0)).toBe(true);
    expect(prismaRows.some((row) => row.derivedFrom.length > 0)).toBe(true);
    expect([...catalogue.keys()]).toEqual(prismaRows.map((row) => row.code));
    for (const row of prismaRows) expect(catalogue.get(row.code)).toStrictEqual(row);
  });
});
