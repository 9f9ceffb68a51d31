import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { parseCsvRecords } from '@regiograph/shared';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './regions';
import { buildSeedObservations, seedIndicators } from './seed';
import { OFFICIAL_INDICATORS } from './definitions';
import { SYNTHETIC_INDICATORS, SYNTHETIC_SPECS } from './synthetic';

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
    expect(second.length).toBe(first.length);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('generates plausible synthetic values: within range, counts that add up from municipalities to counties', async () => {
    const rows = await buildSeedObservations();
    const byKey = new Map(rows.map((row) => [`${row.indicatorCode}|${row.regionCode}|${row.year}`, row]));
    for (const spec of SYNTHETIC_SPECS) {
      const values = rows.filter((row) => row.indicatorCode === spec.definition.code && row.value !== null).map((row) => row.value!);
      expect(values.length).toBeGreaterThan(900 * 14);
      if (spec.min !== undefined) expect(Math.min(...values)).toBeGreaterThanOrEqual(spec.min);
      if (spec.max !== undefined) expect(Math.max(...values)).toBeLessThanOrEqual(spec.max);
      if (spec.kind === 'count') expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
    }
    // Lüneburg's municipalities sum to the county for a SUM indicator, suppressed ones included in the total.
    const municipalities = rows.filter((row) => row.indicatorCode === 'pharmacies' && row.year === 2015 && row.regionCode.startsWith('03355') && row.regionCode.length === 12);
    const county = byKey.get('pharmacies|03355|2015')!.value!;
    expect(municipalities.length).toBeGreaterThan(5);
    expect(municipalities.reduce((sum, row) => sum + (row.value ?? 0), 0)).toBeLessThanOrEqual(county);
    const state = byKey.get('employees_social_security|03|2020')!.value!;
    const countySum = rows.filter((row) => row.indicatorCode === 'employees_social_security' && row.year === 2020 && row.regionCode.length === 5).reduce((sum, row) => sum + row.value!, 0);
    expect(state).toBe(countySum);
    // Indicators that do not aggregate have no district or state values.
    expect(byKey.has('travel_time_motorway_min|03|2020')).toBe(false);
  });

  it('writes the catalogue and the observations idempotently, with the state population 7,982,448', async () => {
    const first = await seedIndicators(database.prisma);
    // Measured, not asserted: timings depend on the machine.
    console.log(`seeded ${first.indicators} indicators and ${first.observations} observations in ${first.milliseconds} ms`);
    // Only the seeded indicators: the importer's tests write others into the same database meanwhile.
    const seeded = { indicatorCode: { in: [...OFFICIAL_INDICATORS, ...SYNTHETIC_INDICATORS].map((indicator) => indicator.code) } };
    const countAfterFirst = await database.prisma.indicatorObservation.count({ where: seeded });
    const sample = await database.prisma.indicatorObservation.findMany({ where: { ...seeded, regionCode: { startsWith: '03355' } }, orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }] });
    await seedIndicators(database.prisma);
    expect(await database.prisma.indicatorObservation.count({ where: seeded })).toBe(countAfterFirst);
    expect(await database.prisma.indicatorObservation.findMany({ where: { ...seeded, regionCode: { startsWith: '03355' } }, orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }] })).toEqual(sample);
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
    const synthetic = await database.prisma.indicator.findMany({ where: { code: { in: SYNTHETIC_INDICATORS.map((indicator) => indicator.code) } } });
    expect(synthetic).toHaveLength(SYNTHETIC_INDICATORS.length);
    expect(synthetic.every((indicator) => !indicator.official)).toBe(true);
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
