// The list sizes this subgraph declares for the gateway's demand control, held to the shipped data:
// a catalogue grown past its @listSize fails here instead of being underestimated in every query.
import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { declaredAssumedSize } from '@regiograph/shared/testing';
import { CatalogueCache } from './catalogue';
import { schema } from './schema';
import { MAX_PROFILE } from './schema/analysis';
import { seedIndicatorsIfEmpty } from './seed';

let database: DatabaseClient;

beforeAll(async () => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
  // Under npm test the database is a copy of the seeded template; a lone `npx jest` seeds it here.
  await seedIndicatorsIfEmpty(database);
});

afterAll(async () => {
  await database.close();
});

jest.setTimeout(300_000);

describe('declared list sizes against the shipped data', () => {
  it('sizes Query.indicators by the whole seeded catalogue (official and synthetic), its largest answer', async () => {
    const catalogue = await new CatalogueCache().read(database.pool);
    // 128 shipped: 115 official rows of the monitoring catalogue and the synthetic demonstration ones.
    expect(catalogue.size).toBeGreaterThan(100);
    expect(catalogue.size).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Query.indicators'));
  });

  it.each([
    'SimilarityAnalysis.indicators',
    'SimilarityAnalysis.omittedIndicators',
    'SimilarRegion.contributions',
    'DisparityReport.indicators',
    'DisparityReport.omittedIndicators',
    'RegionDisparity.scores',
  ])('sizes %s, a list per indicator of a profile, by the most indicators a profile takes', (coordinate) => {
    expect(declaredAssumedSize(schema, coordinate)).toBeGreaterThanOrEqual(MAX_PROFILE);
  });
});
