import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { seededFingerprint } from '@regiograph/subgraph-kit';
import { INDICATOR_FEED } from './change-feed';
import { SYNTHETIC_SOURCE } from './definitions';
import { readRegionDirectory } from './regions';
import { importFiles } from './import/run';
import { buildSeed, seedIndicators, seedIndicatorsIfEmpty } from './seed';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { SYNTHETIC_INDICATORS, SYNTHETIC_SPECS } from './synthetic';

let database: DatabaseClient;
// One build serves every test that only reads it (a build reads 130,000 value lines); the first
// test proves two builds identical, so reusing one changes nothing that is checked.
let built: ReturnType<typeof buildSeed> | undefined;
const builtSeed = (): ReturnType<typeof buildSeed> => (built ??= buildSeed(database.prisma));

/** Bytes of the heap in use after a full garbage collection. */
function heapAfterFullCollection(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database.close();
});

// Building reads 130,000 value lines and writing 330,000 observations takes tens of seconds on a
// loaded machine: generous bounds, not timing assertions.
jest.setTimeout(300_000);

describe('seed', () => {
  it('is reproducible: two builds give identical observations', async () => {
    const first = await buildSeed(database.prisma);
    const second = await buildSeed(database.prisma);
    built = Promise.resolve(second);
    expect(second.observations.length).toBe(first.observations.length);
    expect(JSON.stringify(second.observations)).toBe(JSON.stringify(first.observations));
  });

  it('loads every region key of the shipped files, and every county total matches the published state value', async () => {
    const { report } = await builtSeed();
    // The shipped files hold only keys of today's region tree (the dissolved counties 03152, 03156,
    // 03201 and 03253 were left out when they were assembled); the importer's tests cover the report.
    expect(report.absentRegions).toEqual([]);
    expect(report.stateChecks.length).toBeGreaterThan(100);
    expect(report.stateChecks.filter((check) => !check.ok)).toEqual([]);
    const population2018 = report.stateChecks.find((check) => check.indicatorCode === 'population' && check.year === 2018);
    expect(population2018).toEqual({ indicatorCode: 'population', year: 2018, stateValue: 7_982_448, countyTotal: 7_982_448, ok: true });
  });

  it("adds each county's municipalities up to its published population from 2017 on, except where the files lack rows", async () => {
    const { observations } = await builtSeed();
    const counties = new Map<string, number>();
    const sums = new Map<string, number>();
    for (const row of observations) {
      if (row.indicatorCode !== 'population' || row.value === null || row.year < 2017) continue;
      if (row.regionCode.length === 5) counties.set(`${row.regionCode} ${row.year}`, Number(row.value));
      if (row.regionCode.length === 12) {
        const key = `${row.regionCode.slice(0, 5)} ${row.year}`;
        sums.set(key, (sums.get(key) ?? 0) + Number(row.value));
      }
    }
    const gaps = [...sums]
      .filter(([key, sum]) => counties.has(key) && counties.get(key) !== sum)
      .map(([key, sum]) => `${key}: ${counties.get(key)! - sum}`)
      .sort();
    expect(sums.size).toBe(45 * 4); // 2017, 2019, 2021, 2023
    // Heidekreis before 2020: Walsrode's key dates from 01.01.2020, its predecessors are not in today's
    // tree. Goslar from 2021: the files have no rows for the merged Stadt Langelsheim (data/monitoring/NOTES.md).
    expect(gaps).toEqual(['03153 2021: 14990', '03153 2023: 14960', '03358 2017: 30044', '03358 2019: 30081']);
  });

  it('says why a Samtgemeinde or county has no value computed from its municipalities, as a district lacking a county does', async () => {
    const { observations } = await builtSeed();
    const reasonOf = (indicatorCode: string, regionCode: string, year: number) =>
      observations
        .filter((row) => row.indicatorCode === indicatorCode && row.regionCode === regionCode && row.year === year)
        .map((row) => [row.value, row.status, row.missingReason]);
    // Goslar: the files have no rows for the merged Stadt Langelsheim (data/monitoring/NOTES.md).
    expect(reasonOf('population_census22', '03153', 2022)).toEqual([
      [null, 'MISSING', { kind: 'notAggregated', lacking: 4, of: 10, members: 'municipalities', orWeight: false }],
    ]);
    expect(reasonOf('population_census22', '031', 2022)).toEqual([
      [null, 'MISSING', { kind: 'notAggregated', lacking: 1, of: 10, members: 'counties', orWeight: false }],
    ]);
    // Samtgemeinde Lutter am Barenberge: three of its four members merged into Langelsheim in 2021.
    expect(reasonOf('population', '031535401', 2021)).toEqual([
      [null, 'MISSING', { kind: 'notAggregated', lacking: 3, of: 3, members: 'municipalities', orWeight: false }],
    ]);
    // A Samtgemeinde whose members all have a value is computed as before.
    expect(reasonOf('population', '034595401', 2021)).toEqual([[23732, 'FINAL', null]]);
  });

  it('generates plausible synthetic values: within range, counts that add up from municipalities to counties', async () => {
    const rows = (await builtSeed()).observations;
    const byKey = new Map(rows.map((row) => [`${row.indicatorCode}|${row.regionCode}|${row.year}`, row]));
    for (const spec of SYNTHETIC_SPECS) {
      const values = rows.filter((row) => row.indicatorCode === spec.definition.code && row.value !== null).map((row) => row.value!);
      expect(values.length).toBeGreaterThan(900 * 14);
      if (spec.min !== undefined) expect(Math.min(...values)).toBeGreaterThanOrEqual(spec.min);
      if (spec.max !== undefined) expect(Math.max(...values)).toBeLessThanOrEqual(spec.max);
      if (spec.kind === 'count') expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
    }
    // Lüneburg's municipalities sum to the county for a SUM indicator, suppressed ones included in the total.
    const municipalities = rows.filter(
      (row) =>
        row.indicatorCode === 'pharmacies' && row.year === 2015 && row.regionCode.startsWith('03355') && row.regionCode.length === 12,
    );
    const county = byKey.get('pharmacies|03355|2015')!.value!;
    expect(municipalities.length).toBeGreaterThan(5);
    expect(municipalities.reduce((sum, row) => sum + (row.value ?? 0), 0)).toBeLessThanOrEqual(county);
    const state = byKey.get('business_registrations|03|2020')!.value!;
    const countySum = rows
      .filter((row) => row.indicatorCode === 'business_registrations' && row.year === 2020 && row.regionCode.length === 5)
      .reduce((sum, row) => sum + row.value!, 0);
    expect(state).toBe(countySum);
    // Indicators that do not aggregate have no district or state values.
    expect(byKey.has('travel_time_motorway_min|03|2020')).toBe(false);
    // Synthetic counts follow the real population: the largest county (Region Hannover) has the most pharmacies.
    const pharmacies = rows.filter((row) => row.indicatorCode === 'pharmacies' && row.year === 2018 && row.regionCode.length === 5);
    expect(pharmacies.reduce((best, row) => (row.value! > best.value! ? row : best)).regionCode).toBe('03241');
  });

  it('gives a synthetic region a row only for the years it existed on 31 December, and keeps the counts adding up', async () => {
    const directory = readRegionDirectory();
    const codes = new Set(SYNTHETIC_INDICATORS.map((indicator) => indicator.code));
    const rows = (await builtSeed()).observations.filter((row) => codes.has(row.indicatorCode));
    expect(rows.length).toBeGreaterThan(100_000);
    const outside = rows.filter((row) => !directory.existedAtEndOf(row.regionCode, row.year));
    expect(outside.map((row) => `${row.indicatorCode}|${row.regionCode}|${row.year}`).slice(0, 5)).toEqual([]);
    const yearsOf = (regionCode: string) =>
      rows.filter((row) => row.indicatorCode === 'pharmacies' && row.regionCode === regionCode).map((row) => row.year);
    // Walsrode (merged with Bomlitz 01.01.2020), today's Göttingen (01.11.2016) and its municipalities.
    expect(yearsOf('033580024024')).toEqual([2020, 2021, 2022, 2023]);
    expect(yearsOf('03159')).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    expect(yearsOf('031590016016')).toEqual(yearsOf('03159'));
    // A county's key is older than the series: Lüneburg's valid_since (2014) is a change inside it.
    expect(yearsOf('03355')[0]).toBe(2010);
    // Without Göttingen the district and the state are not aggregated before 2016.
    const parent = (regionCode: string, year: number) =>
      rows.find((row) => row.indicatorCode === 'pharmacies' && row.regionCode === regionCode && row.year === year);
    expect(parent('031', 2012)).toMatchObject({ value: null, status: 'MISSING' });
    expect(parent('03', 2012)).toMatchObject({ value: null, status: 'MISSING' });
    expect(parent('03', 2018)!.value).toBeGreaterThan(0);

    // Counts: where every municipality of the county existed and none is suppressed, they add up to
    // the county exactly; before a merger the predecessors' share stays in the county.
    const value = new Map(rows.map((row) => [`${row.indicatorCode}|${row.regionCode}|${row.year}`, row]));
    let exact = 0;
    let short = 0;
    for (const spec of SYNTHETIC_SPECS.filter((candidate) => candidate.kind === 'count')) {
      for (const county of directory.ofLevel('COUNTY')) {
        const members = directory.ofLevel('MUNICIPALITY', county.code);
        for (let year = 2010; year <= 2023; year += 1) {
          const total = value.get(`${spec.definition.code}|${county.code}|${year}`);
          if (!directory.existedAtEndOf(county.code, year)) continue;
          const present = members.map((m) => value.get(`${spec.definition.code}|${m.code}|${year}`));
          if (present.some((row) => row?.status === 'SUPPRESSED')) continue;
          const sum = present.reduce((acc, row) => acc + (row?.value ?? 0), 0);
          if (present.every((row) => row !== undefined)) {
            expect([spec.definition.code, county.code, year, sum]).toEqual([spec.definition.code, county.code, year, total!.value]);
            exact += 1;
          } else {
            expect(sum).toBeLessThanOrEqual(total!.value!);
            short += 1;
          }
        }
      }
    }
    expect(exact).toBeGreaterThan(1000);
    expect(short).toBeGreaterThan(10);
    // The state is the sum of its counties wherever it is aggregated.
    for (let year = 2010; year <= 2023; year += 1) {
      const state = value.get(`business_registrations|03|${year}`)!;
      const counties = directory
        .ofLevel('COUNTY')
        .map((county) => value.get(`business_registrations|${county.code}|${year}`)?.value ?? null);
      const present = counties.filter((count): count is number => count !== null);
      if (present.length === counties.length) expect(state.value).toBe(present.reduce((sum, count) => sum + count, 0));
      else expect(state.value).toBeNull();
    }
  });

  it('writes the catalogue and the observations idempotently, with the state population 7,982,448, and keeps none of it in memory', async () => {
    // The first seed: under `npm test` the database is a clone of the run's template, which the
    // same seed code filled once; a lone `npx jest` seeds the empty database here.
    await seedIndicatorsIfEmpty(database);
    const codes = (await builtSeed()).definitions.map((definition) => definition.code);
    // Only the seeded indicators: the importer's tests write others into the same database meanwhile.
    const seeded = { indicatorCode: { in: codes } };
    const countAfterFirst = await database.prisma.indicatorObservation.count({ where: seeded });
    const sample = await database.prisma.indicatorObservation.findMany({
      where: { ...seeded, regionCode: { startsWith: '03355' } },
      orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }],
    });
    const seedChanges = async () =>
      (
        await database.prisma.$queryRaw<{ rows: number }[]>`SELECT count(*)::int AS rows FROM indicators.change_log WHERE actor = 'seed'`
      )[0]!.rows;
    const changesAfterFirst = await seedChanges();
    const heapBefore = heapAfterFullCollection();
    const again = await seedIndicators(database);
    // A process that seeded at its start must not hold the batches' parameters (about 4 MB each)
    // afterwards, as Prisma's debug history did when the seed's transaction went through Prisma.
    const retainedBytes = heapAfterFullCollection() - heapBefore;
    // Measured, not asserted: timings depend on the machine.
    console.log(
      `seeded ${again.indicators} indicators and ${again.observations} observations again in ${again.milliseconds} ms, ${Math.round(retainedBytes / 1e6)} MB retained`,
    );
    expect(retainedBytes).toBeLessThan(8 * 1024 * 1024);
    // Every observation was stored already, exactly so: the second seed rewrote none of them.
    expect(again.observationsWritten).toBe(0);
    // Nor any catalogue entry: the change feed announces no indicator, after the first seed's one per indicator.
    expect(again.indicatorsChanged).toEqual([]);
    expect(changesAfterFirst).toBeGreaterThanOrEqual(codes.length);
    expect(await seedChanges()).toBe(changesAfterFirst);
    expect(await database.prisma.indicatorObservation.count({ where: seeded })).toBe(countAfterFirst);
    expect(
      await database.prisma.indicatorObservation.findMany({
        where: { ...seeded, regionCode: { startsWith: '03355' } },
        orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }],
      }),
    ).toEqual(sample);
    expect(countAfterFirst).toBe(again.observations);
    const value = async (regionCode: string, indicatorCode: string, year: number) =>
      (
        await database.prisma.indicatorObservation.findUnique({
          where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } },
        })
      )?.value;
    expect(await value('03', 'population', 2018)).toBe(7_982_448);
    // Density is derived at every level from that level's own population and area.
    expect(await value('03', 'population_density', 2018)).toBeCloseTo(7_982_448 / (await value('03', 'area_km2', 2018))!, 9);
  });

  it("stores observations in primary-key order: a region's series lie in a few neighbouring heap pages", async () => {
    // Seeded (twice) by the test above. A page holds about a hundred observations: written indicator
    // by indicator, the rows of one county lay one per page, all over the table.
    const [placement] = await database.prisma.$queryRaw<{ rows: number; pages: number }[]>`
      SELECT count(*)::int AS rows, count(DISTINCT (ctid::text::point)[0])::int AS pages
      FROM indicators.observation WHERE region_code = '03355'`;
    expect(placement!.rows).toBeGreaterThan(1000);
    expect(placement!.pages).toBeLessThan(placement!.rows / 20);
  });

  it('labels every synthetic indicator as not official and every official one with source code, licence and attribution', async () => {
    const synthetic = await database.prisma.indicator.findMany({
      where: { code: { in: SYNTHETIC_INDICATORS.map((indicator) => indicator.code) } },
    });
    expect(synthetic).toHaveLength(SYNTHETIC_INDICATORS.length);
    for (const indicator of synthetic) {
      expect(indicator.official).toBe(false);
      expect(indicator.sourcePublisher).toMatch(/synthetic/i);
      expect(indicator.coverageYears[0]).toBe(2010);
      expect(indicator.coverageYears.at(-1)).toBe(2023);
      expect(indicator.coverageLevels).toEqual(expect.arrayContaining(['COUNTY', 'MUNICIPALITY']));
    }
    const official = await database.prisma.indicator.findMany({ where: { official: true, sourceLicence: 'dl-de/by-2-0' } });
    expect(official.length).toBeGreaterThanOrEqual(60);
    for (const indicator of official) {
      expect(indicator.sourceCode).not.toBe('');
      expect(indicator.sourceAttribution).toMatch(/Datenlizenz Deutschland – Namensnennung – Version 2\.0/);
    }
    const population = await database.prisma.indicator.findUniqueOrThrow({ where: { code: 'population' } });
    expect(population.coverageYears[0]).toBe(1983);
    expect([...population.coverageLevels].sort()).toEqual(['COUNTY', 'DISTRICT', 'MUNICIPALITY', 'MUNICIPAL_ASSOCIATION', 'STATE']);
  });

  it('never stores 0 in place of a missing value: null values carry a status and a reason', async () => {
    const nulls = await database.prisma.indicatorObservation.findMany({ where: { value: null }, take: 2000 });
    expect(nulls.length).toBeGreaterThan(0);
    for (const row of nulls) {
      expect(['MISSING', 'SUPPRESSED']).toContain(row.status);
      // A steward's text, or RegioGraph's own reason as its structure.
      expect(row.missingReason ?? row.ownMissingReason).toBeTruthy();
    }
  });

  it('records the fingerprint of the shipped data it seeded', async () => {
    // Seeded by the test above.
    const { fingerprint } = await builtSeed();
    // After a change to the shipped data or its generator, append this value to SHIPPED_DATA_FINGERPRINTS (shipped-data.ts).
    expect(fingerprint).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seededFingerprint(database.prisma, INDICATOR_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedIndicatorsIfEmpty(database)).toBe(false);
  });

  it('seeds again a database seeded before fingerprints were kept, with an indicator missing, removing obsolete synthetic series but nothing imported', async () => {
    // Seeded by the test above. An earlier release kept no fingerprint, and shipped no "cars".
    expect(await seedIndicatorsIfEmpty(database)).toBe(false);
    await database.prisma.indicatorsSeedState.deleteMany();
    await database.prisma.indicator.delete({ where: { code: 'cars' } });
    const common = {
      theme: 'DEMOGRAPHY' as const,
      unit: 'years',
      decimals: 1,
      polarity: 'NEUTRAL' as const,
      aggregation: 'NONE' as const,
      sourceTitle: 'T',
      sourceLicence: 'CC0-1.0',
      sourceAttribution: 'A',
    };
    await database.prisma.indicator.create({
      data: {
        ...common,
        code: 'test_old_synthetic_mean_age',
        name: 'Durchschnittsalter',
        description: 'old',
        sourcePublisher: SYNTHETIC_SOURCE.sourcePublisher,
        official: false,
      },
    });
    await database.prisma.indicator.create({
      data: {
        ...common,
        code: 'test_user_imported',
        name: 'Eigene Reihe',
        description: 'a user import',
        sourcePublisher: 'A user',
        official: false,
      },
    });
    expect(await seedIndicatorsIfEmpty(database)).toBe(true);
    const codes = (
      await database.prisma.indicator.findMany({
        where: { code: { in: ['cars', 'test_old_synthetic_mean_age', 'test_user_imported'] } },
        select: { code: true },
      })
    ).map((row) => row.code);
    expect(codes.sort()).toEqual(['cars', 'test_user_imported']);
    expect(await database.prisma.indicatorObservation.count({ where: { indicatorCode: 'cars' } })).toBeGreaterThan(800);
    await database.prisma.indicator.delete({ where: { code: 'test_user_imported' } });
  });

  it('keeps what an import wrote since, when it seeds again after an earlier release', async () => {
    const { prisma } = database;
    const shipped = await prisma.indicatorObservation.findFirstOrThrow({
      where: { regionCode: '03355', indicatorCode: 'cars', value: { not: null } },
      orderBy: { year: 'desc' },
    });
    const carsKey = { regionCode_indicatorCode_year: { regionCode: '03355', indicatorCode: 'cars', year: shipped.year } };
    const shippedPopulation = await prisma.indicator.findUniqueOrThrow({ where: { code: 'population' } });
    // A correction brought by an import, then the catalogue as an earlier release wrote it.
    const corrected = await importFiles(database, {
      observations: {
        file: 'corrections.csv',
        text: `region_code,indicator_code,year,value,status,missing_reason\n03355,cars,${shipped.year},1,,`,
      },
    });
    expect(corrected.ok).toBe(true);
    await prisma.indicator.update({ where: { code: 'population' }, data: { description: 'An earlier release described it so.' } });
    await prisma.indicatorsSeedState.deleteMany();
    const lines: string[] = [];
    try {
      expect(await seedIndicatorsIfEmpty(database, { info: (line) => lines.push(line), warn: (line) => lines.push(line) })).toBe(true);
      expect((await prisma.indicatorObservation.findUniqueOrThrow({ where: carsKey })).value).toBe(1);
      expect((await prisma.indicator.findUniqueOrThrow({ where: { code: 'population' } })).description).toBe(shippedPopulation.description);
      expect(lines).toContain('indicators seed: kept 1 indicator(s) an import wrote since: cars');
      expect(await seedIndicatorsIfEmpty(database)).toBe(false);
    } finally {
      // The shipped value again, for the files that read this database after this one.
      await prisma.indicatorObservation.update({ where: carsKey, data: { value: shipped.value, status: shipped.status } });
    }
  });

  it('refuses shipped files that are not UTF-8, naming the file and the line, as the importer does', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'indicators-seed-'));
    try {
      const monitoring = path.join(root, 'data', 'monitoring');
      mkdirSync(monitoring, { recursive: true });
      writeFileSync(path.join(monitoring, 'catalogue.csv'), 'code,name\n');
      writeFileSync(path.join(monitoring, 'values-county.csv'), 'ags,source_id,series,year,value\n');
      writeFileSync(path.join(monitoring, 'values-municipality.csv'), Buffer.from('ags,name\n033550001001,Lüneburg\n', 'latin1'));
      await expect(buildSeed(database.prisma, path.join(root, 'data'))).rejects.toThrow(
        'the shipped monitoring data is invalid:\n' +
          'data/monitoring/values-municipality.csv:2: byte 0xFC is not UTF-8 (a file saved as Windows-1252 or ISO-8859-1? save it as UTF-8)',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
