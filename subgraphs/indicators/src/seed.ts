import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '@regiograph/db';
import { parseCsvRecords } from '@regiograph/shared';
import { aggregateCountiesUpward } from './aggregate';
import { OFFICIAL_INDICATORS, type ObservationRecord } from './definitions';
import { DATA_DIR, readRegionDirectory, type RegionDirectory } from './regions';
import { refreshCoverage, upsertIndicators, upsertObservations } from './store';
import { generateSyntheticObservations, SYNTHETIC_INDICATORS } from './synthetic';

export const OFFICIAL_YEAR = 2018;

/** The real 2018 county figures (Destatis GV-ISys) as observations; density derived as population / area. */
export async function readCountyObservations(directory: RegionDirectory, dataDir: string = DATA_DIR): Promise<ObservationRecord[]> {
  const text = await readFile(path.join(dataDir, 'county-population-2018.csv'), 'utf8');
  const rows: ObservationRecord[] = [];
  for (const { line, record } of parseCsvRecords(text)) {
    const code = record.ags ?? '';
    if (directory.get(code)?.level !== 'COUNTY') throw new Error(`county-population-2018.csv line ${line}: ${code} is not a county`);
    const numbers = {
      population: Number(record.population),
      population_male: Number(record.population_male),
      population_female: Number(record.population_female),
      area_km2: Number(record.area_km2),
    };
    for (const [indicator, value] of Object.entries(numbers)) {
      if (!Number.isFinite(value) || value <= 0) throw new Error(`county-population-2018.csv line ${line}: bad ${indicator}`);
    }
    const observation = (indicatorCode: string, value: number): ObservationRecord => ({
      indicatorCode,
      regionCode: code,
      year: OFFICIAL_YEAR,
      value,
      status: 'FINAL',
      missingReason: null,
    });
    for (const [indicator, value] of Object.entries(numbers)) rows.push(observation(indicator, value));
    rows.push(observation('population_density', numbers.population / numbers.area_km2));
  }
  return rows;
}

export interface SeedResult {
  indicators: number;
  observations: number;
  milliseconds: number;
}

/** Every observation the seed writes: official 2018 figures and the synthetic series, all levels. */
export async function buildSeedObservations(dataDir: string = DATA_DIR): Promise<ObservationRecord[]> {
  const directory = readRegionDirectory(dataDir);
  const counties = await readCountyObservations(directory, dataDir);
  const official = [...counties, ...aggregateCountiesUpward(OFFICIAL_INDICATORS, counties, directory)];
  const population = new Map(counties.filter((row) => row.indicatorCode === 'population').map((row) => [row.regionCode, row.value!]));
  const synthetic = generateSyntheticObservations(directory, population, counties);
  return [...official, ...synthetic];
}

/**
 * Writes the catalogue and all observations in one transaction. Idempotent: catalogue entries and
 * observations are upserted by key, so a second run leaves the same state.
 */
export async function seedIndicators(prisma: PrismaClient, dataDir: string = DATA_DIR): Promise<SeedResult> {
  const started = Date.now();
  const definitions = [...OFFICIAL_INDICATORS, ...SYNTHETIC_INDICATORS];
  const observations = await buildSeedObservations(dataDir);
  await prisma.$transaction(
    async (tx) => {
      await upsertIndicators(tx, definitions);
      await upsertObservations(tx, observations);
      await refreshCoverage(tx, definitions.map((definition) => definition.code));
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return { indicators: definitions.length, observations: observations.length, milliseconds: Date.now() - started };
}

/** Seeds only an empty catalogue: what a first start needs, at no cost on later starts. */
export async function seedIndicatorsIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.indicator.count()) > 0) return false;
  await seedIndicators(prisma);
  return true;
}
