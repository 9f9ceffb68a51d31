// The list sizes this subgraph declares for the gateway's demand control, held to the seeded data:
// a portfolio grown past a @listSize fails here instead of being underestimated in every query.
import { createDatabaseClient, ownTestDatabase, type DatabaseClient, type ProvidedDatabase } from '@regiograph/db';
import { declaredAssumedSize, declaredNarrowSize } from '@regiograph/shared/testing';
import { schema } from './schema';
import { seedProjectsIfEmpty } from './seed';

let database: DatabaseClient;
let own: ProvidedDatabase | undefined;

beforeAll(async () => {
  // The shipped data alone: this worker's other test files write records into its database.
  own = await ownTestDatabase();
  database = createDatabaseClient({ url: own.url });
  // A lone `npx jest` seeds it here.
  await seedProjectsIfEmpty(database);
});

afterAll(async () => {
  await database?.close();
  await own?.stop();
});

jest.setTimeout(300_000);

/** The largest of one count, as SQL returns it. */
async function largest(query: Promise<{ largest: number | null }[]>): Promise<number> {
  return (await query)[0]?.largest ?? 0;
}

// Every region a project names, and every region above it (its ARS prefixes: state, district,
// county, Samtgemeinde), which includeDescendants reaches it from.
const PREFIX_LENGTHS = [2, 3, 5, 9, 12];

describe('declared list sizes against the seeded data', () => {
  it("sizes Region.projects by the most projects one region has, with its descendants'", async () => {
    const most = await largest(database.prisma.$queryRaw`
      SELECT max(projects)::int AS largest FROM (
        SELECT count(DISTINCT project_id) AS projects
        FROM projects.project_region, unnest(${PREFIX_LENGTHS}::int[]) AS prefix(length)
        WHERE length(region_code) >= prefix.length
        GROUP BY left(region_code, prefix.length)) per_region`);
    // The state's: every project of the portfolio.
    expect(most).toBeGreaterThanOrEqual(150);
    expect(most).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Region.projects'));
  });

  it("sizes Region.fundingTotals by the most programme-years one region leads, with its descendants'", async () => {
    const most = await largest(database.prisma.$queryRaw`
      SELECT max(totals)::int AS largest FROM (
        SELECT count(DISTINCT (f.programme_code, f.commitment_year)) AS totals
        FROM projects.funding f
        JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD',
          unnest(${PREFIX_LENGTHS}::int[]) AS prefix(length)
        WHERE length(lead.region_code) >= prefix.length
        GROUP BY left(lead.region_code, prefix.length)) per_region`);
    expect(most).toBeGreaterThan(25);
    expect(most).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Region.fundingTotals'));
  });

  it("sizes a region's own Region.projects and Region.fundingTotals (no includeDescendants) by the most one region has", async () => {
    const projects = await largest(database.prisma.$queryRaw`
      SELECT max(projects)::int AS largest FROM (
        SELECT count(DISTINCT project_id) AS projects FROM projects.project_region GROUP BY region_code) per_region`);
    const totals = await largest(database.prisma.$queryRaw`
      SELECT max(totals)::int AS largest FROM (
        SELECT count(DISTINCT (f.programme_code, f.commitment_year)) AS totals
        FROM projects.funding f
        JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD'
        GROUP BY lead.region_code) per_region`);
    expect(projects).toBeGreaterThan(0);
    expect(totals).toBeGreaterThan(0);
    expect(projects).toBeLessThanOrEqual(declaredNarrowSize(schema, 'Region.projects'));
    expect(totals).toBeLessThanOrEqual(declaredNarrowSize(schema, 'Region.fundingTotals'));
  });

  it('sizes FundingTargeting.leadRegionFunding by the lead regions with funding', async () => {
    const most = await largest(database.prisma.$queryRaw`
      SELECT count(DISTINCT lead.region_code)::int AS largest
      FROM projects.funding f
      JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD'`);
    expect(most).toBeGreaterThan(25);
    expect(most).toBeLessThanOrEqual(declaredAssumedSize(schema, 'FundingTargeting.leadRegionFunding'));
  });
});
