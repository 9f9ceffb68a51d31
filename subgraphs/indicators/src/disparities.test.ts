// `disparities` posted to the subgraph's own port: counts summed over the regions (aggregation SUM)
// have the state total as their state value, so they are refused rather than turned into z-scores
// of −46 that rank regions by size; rates are still compared.
import { createDatabaseClient } from '@regiograph/db';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { seedIndicatorsIfEmpty } from './seed';
import { createServer } from './server';

let server: SubgraphServer;
let url: string;

interface Result<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface Report {
  disparities: { indicators: { indicator: { indicatorCode: string } }[]; regions: { regionCode: string; compositeIndex: number | null }[] };
}

async function post(query: string): Promise<Result<Report>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as Result<Report>;
}

const disparities = (indicators: string[]): string =>
  `{ disparities(indicators: ${JSON.stringify(indicators)}, level: COUNTY, year: 2019) {
      indicators { indicator { indicatorCode } } regions { regionCode compositeIndex } } }`;

// Seeding an empty database (a lone `npx jest`) writes 330,000 observations; under `npm test` it is a no-op.
jest.setTimeout(300_000);

beforeAll(async () => {
  const database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
  try {
    await seedIndicatorsIfEmpty(database);
  } finally {
    await database.close();
  }
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

describe('Query.disparities', () => {
  it('refuses counts summed over the regions with BAD_USER_INPUT naming them and pointing to rates', async () => {
    const { data, errors } = await post(disparities(['pharmacies', 'population', 'hospital_beds_per_1000']));
    expect(data?.disparities ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'indicators', codes: ['pharmacies', 'population'] });
    expect(errors![0]!.message).toContain('not counts summed over the regions (pharmacies, population)');
    // population has per-inhabitant counterparts derived from it in the catalogue: they are named.
    expect(errors![0]!.message).toMatch(/population → [^;)]*population_density/);
  });

  it('still compares rates', async () => {
    const { data, errors } = await post(disparities(['hospital_beds_per_1000', 'unemployment_rate']));
    expect(errors).toBeUndefined();
    expect(data!.disparities.indicators.map((column) => column.indicator.indicatorCode)).toEqual([
      'hospital_beds_per_1000',
      'unemployment_rate',
    ]);
    expect(data!.disparities.regions.length).toBeGreaterThan(40);
  });
});
