// The list sizes this subgraph declares for the gateway's demand control, held to the seeded data:
// a landscape grown past a @listSize fails here instead of being underestimated in every query.
import { createDatabaseClient, ownTestDatabase, type DatabaseClient, type ProvidedDatabase } from '@regiograph/db';
import { DATA_YEARS } from '@regiograph/shared';
import { declaredAssumedSize, declaredNarrowSize } from '@regiograph/shared/testing';
import { graphql } from 'graphql';
import { schema } from './schema';
import { seedCooperationsIfEmpty } from './seed';
import { LIMITS } from './validation';

let database: DatabaseClient;
let own: ProvidedDatabase | undefined;

beforeAll(async () => {
  // The shipped data alone: this worker's other test files write records into its database.
  own = await ownTestDatabase();
  database = createDatabaseClient({ url: own.url });
  // A lone `npx jest` seeds it here.
  await seedCooperationsIfEmpty(database);
});

afterAll(async () => {
  await database?.close();
  await own?.stop();
});

jest.setTimeout(300_000);

describe('declared list sizes against the seeded data', () => {
  it('sizes Region.cooperations by the most cooperations one region reaches through ALL', async () => {
    // Each region a member names and every region above it (its ARS prefixes), with the memberships
    // of itself, of the regions above and of those below it: the widest reach.
    const [row] = await database.prisma.$queryRaw<{ largest: number | null }[]>`
      WITH region AS (
        SELECT DISTINCT left(region_code, prefix.length) AS code
        FROM cooperations.membership, unnest(ARRAY[2, 3, 5, 9, 12]) AS prefix(length)
        WHERE length(region_code) >= prefix.length)
      SELECT max(cooperations)::int AS largest FROM (
        SELECT count(DISTINCT m.cooperation_id) AS cooperations
        FROM region r
        JOIN cooperations.membership m ON starts_with(m.region_code, r.code) OR starts_with(r.code, m.region_code)
        GROUP BY r.code) per_region`;
    const most = row?.largest ?? 0;
    // The state's: every cooperation with a member.
    expect(most).toBeGreaterThan(25);
    expect(most).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Region.cooperations'));
  });

  it("sizes a region's own Region.cooperations (through SELF) by the most one region is a member of", async () => {
    const [row] = await database.prisma.$queryRaw<{ largest: number | null }[]>`
      SELECT max(cooperations)::int AS largest FROM (
        SELECT count(DISTINCT cooperation_id) AS cooperations FROM cooperations.membership GROUP BY region_code) per_region`;
    const most = row?.largest ?? 0;
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(declaredNarrowSize(schema, 'Region.cooperations'));
  });

  it('sizes Cooperation.members by the most members one cooperation has', async () => {
    const [row] = await database.prisma.$queryRaw<{ largest: number | null }[]>`
      SELECT max(members)::int AS largest FROM (
        SELECT count(*) AS members FROM cooperations.membership GROUP BY cooperation_id) per_cooperation`;
    const most = row?.largest ?? 0;
    // 17 in the shipped data. The gateway prices the list by the data's figure (largestMembership,
    // read once per data version); its declared bound, until that is read, is the most members a
    // write may give one cooperation, so that no write can pass it (25 once: a write of 120 did).
    expect(most).toBeGreaterThan(10);
    expect(declaredAssumedSize(schema, 'Cooperation.members')).toBe(LIMITS.members);
    expect(most).toBeLessThanOrEqual(LIMITS.members);
    // The shipped data's figure, by which a gateway that reads nothing from the data prices it.
    expect(most).toBeLessThanOrEqual(DATA_YEARS.bounds!.largestMembership!);
    // The figure the gateway reads is this one.
    expect(await graphql({ schema, source: '{ largestMembership }', contextValue: { prisma: database.prisma } })).toEqual({
      data: { largestMembership: most },
    });
  });
});
