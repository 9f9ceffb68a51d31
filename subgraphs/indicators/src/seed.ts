import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '@regiograph/db';
import { describeReport, prepareImport, resultOf, writeImport, type ImportInput, type ImportResult, type PreparedImport } from './import/run';
import { DATA_DIR, readRegionDirectory } from './regions';
import { generateSyntheticObservations, SYNTHETIC_INDICATORS } from './synthetic';

/** The shipped regional monitoring: its catalogue and the value files its series read (see data/monitoring/). */
export function monitoringFiles(dataDir: string = DATA_DIR): { catalogue: string; values: string[] } {
  const directory = path.join(dataDir, 'monitoring');
  return {
    catalogue: path.join(directory, 'catalogue.csv'),
    values: [path.join(directory, 'values-county.csv'), path.join(directory, 'values-municipality.csv')],
  };
}

async function readMonitoring(dataDir: string): Promise<ImportInput> {
  const files = monitoringFiles(dataDir);
  // File names relative to the package: problems and reports name them the same on every machine.
  const named = async (file: string) => ({ file: path.relative(path.join(dataDir, '..'), file), text: await readFile(file, 'utf8') });
  return { catalogue: await named(files.catalogue), values: await Promise.all(files.values.map(named)) };
}

/**
 * Everything the seed writes: the official monitoring exactly as the importer prepares it from the
 * shipped files, plus the synthetic indicators no official source covers, sized by the real population.
 */
export async function buildSeed(prisma: PrismaClient, dataDir: string = DATA_DIR, log: (message: string) => void = () => undefined): Promise<PreparedImport> {
  const directory = readRegionDirectory(dataDir);
  const result = await prepareImport(prisma, await readMonitoring(dataDir), { regions: directory, log });
  if (!result.ok) {
    throw new Error(`the shipped monitoring data is invalid:\n${result.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n')}`);
  }
  const { prepared } = result;
  const population = prepared.observations.filter((row) => row.indicatorCode === 'population' && row.value !== null);
  const synthetic = generateSyntheticObservations(directory, population);
  return {
    definitions: [...prepared.definitions, ...SYNTHETIC_INDICATORS],
    observations: [...prepared.observations, ...synthetic],
    report: prepared.report,
  };
}

/**
 * Writes the catalogue and all observations in one transaction. Idempotent: catalogue entries and
 * observations are upserted by key, so a second run leaves the same state.
 */
export async function seedIndicators(prisma: PrismaClient, dataDir: string = DATA_DIR, log: (message: string) => void = () => undefined): Promise<Extract<ImportResult, { ok: true }>> {
  const started = Date.now();
  const prepared = await buildSeed(prisma, dataDir, log);
  await writeImport(prisma, prepared, log);
  const result = resultOf(prepared, started) as Extract<ImportResult, { ok: true }>;
  for (const line of describeReport(result)) log(line);
  log(`seeded ${result.indicators} indicators and ${result.observations} observations in ${result.milliseconds} ms`);
  return result;
}

/** Seeds only an empty catalogue: what a first start needs, at no cost on later starts. */
export async function seedIndicatorsIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.indicator.count()) > 0) return false;
  await seedIndicators(prisma, DATA_DIR, (message) => process.stderr.write(`indicators seed: ${message}\n`));
  return true;
}
