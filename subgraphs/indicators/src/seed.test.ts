import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { parseCsvRecords } from '@regiograph/shared';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './regions';
import { buildSeedObservations, seedIndicators } from './seed';
import { SYNTHETIC_INDICATORS } from './synthetic';

let database: DatabaseClient;

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database.close();
});

describe('seed', () => {
  it('is reproducible: two builds give identical observations', async () => {
    const [first, second] = await Promise.all([buildSeedObservations(), buildSeedObservations()]);
    expect(second).toEqual(first);
  });

  it('writes the catalogue and the observations idempotently, with the state population 7,982,448', async () => {
    const first = await seedIndicators(database.prisma);
    // Measured, not asserted: timings depend on the machine.
    console.log(`seeded ${first.indicators} indicators and ${first.observations} observations in ${first.milliseconds} ms`);
    const countAfterFirst = await database.prisma.indicatorObservation.count();
    await seedIndicators(database.prisma);
    expect(await database.prisma.indicatorObservation.count()).toBe(countAfterFirst);
    expect(countAfterFirst).toBe(first.observations);
    const state = await database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '03', indicatorCode: 'population', year: 2018 } },
    });
    expect(state?.value).toBe(7_982_448);
    const csv = parseCsvRecords(readFileSync(path.join(DATA_DIR, 'county-population-2018.csv'), 'utf8'));
    const area = csv.reduce((sum, { record }) => sum + Number(record.area_km2), 0);
    const density = await database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '03', indicatorCode: 'population_density', year: 2018 } },
    });
    expect(density?.value).toBeCloseTo(7_982_448 / area, 6);
  });

  it('labels every synthetic indicator as not official and stores its coverage', async () => {
    const synthetic = await database.prisma.indicator.findMany({ where: { official: false } });
    expect(synthetic).toHaveLength(SYNTHETIC_INDICATORS.length);
    expect(synthetic.length).toBeGreaterThanOrEqual(18);
    for (const indicator of synthetic) {
      expect(indicator.sourcePublisher).toMatch(/synthetic/i);
      expect(indicator.coverageYears[0]).toBe(2010);
      expect(indicator.coverageYears.at(-1)).toBe(2023);
      expect(indicator.coverageLevels).toEqual(expect.arrayContaining(['COUNTY', 'MUNICIPALITY']));
    }
    const population = await database.prisma.indicator.findUniqueOrThrow({ where: { code: 'population' } });
    expect(population.official).toBe(true);
    expect(population.coverageYears).toEqual([2018]);
    expect([...population.coverageLevels].sort()).toEqual(['COUNTY', 'DISTRICT', 'STATE']);
  });

  it('never stores 0 in place of a missing value: null values carry a status and a reason', async () => {
    const nulls = await database.prisma.indicatorObservation.findMany({ where: { value: null }, take: 2000 });
    expect(nulls.length).toBeGreaterThan(0);
    for (const row of nulls) {
      expect(['MISSING', 'SUPPRESSED']).toContain(row.status);
      expect(row.missingReason).toBeTruthy();
    }
  });
});
