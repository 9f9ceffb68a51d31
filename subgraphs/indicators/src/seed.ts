import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BulkWriter, PrismaClient } from '@regiograph/db';
import { CsvSyntaxError, decodeCsvFile, parseCsvRecords, type Logger } from '@regiograph/shared';
import { SYNTHETIC_SOURCE } from './definitions';
import {
  describeReport,
  prepareImport,
  resultOf,
  writeImport,
  type ImportInput,
  type ImportResult,
  type PreparedImport,
} from './import/run';
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
  const named = async (file: string) => {
    // File names relative to the package: problems and reports name them the same on every machine.
    const name = path.relative(path.join(dataDir, '..'), file);
    try {
      // Decoded as the importer's command line decodes files: a byte that is not UTF-8 is an error.
      return { file: name, text: decodeCsvFile(await readFile(file)) };
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw new Error(`the shipped monitoring data is invalid:\n${name}:${error.line}: ${error.message}`);
      throw error;
    }
  };
  return { catalogue: await named(files.catalogue), values: await Promise.all(files.values.map(named)) };
}

/**
 * Everything the seed writes: the official monitoring exactly as the importer prepares it from the
 * shipped files, plus the synthetic indicators no official source covers, sized by the real population.
 */
export async function buildSeed(
  prisma: PrismaClient,
  dataDir: string = DATA_DIR,
  log: (message: string) => void = () => undefined,
): Promise<PreparedImport> {
  const directory = readRegionDirectory();
  const result = await prepareImport(prisma, await readMonitoring(dataDir), { regions: directory, log });
  if (!result.ok) {
    throw new Error(
      `the shipped monitoring data is invalid:\n${result.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n')}`,
    );
  }
  const { prepared } = result;
  const population = prepared.observations.filter((row) => row.indicatorCode === 'population' && row.value !== null);
  const synthetic = generateSyntheticObservations(directory, population);
  const definitions = [...prepared.definitions, ...SYNTHETIC_INDICATORS];
  // Synthetic series an earlier seed wrote and a real indicator has since replaced (e.g.
  // mean_age_years): demonstration data must not outlive its purpose. Imported indicators stay.
  const obsolete = await prisma.indicator.findMany({
    where: {
      official: false,
      sourcePublisher: SYNTHETIC_SOURCE.sourcePublisher,
      code: { notIn: definitions.map((definition) => definition.code) },
    },
    select: { code: true },
  });
  return {
    definitions,
    // The seed writes the shipped catalogue as it is, every column.
    keptColumns: [],
    observations: [...prepared.observations, ...synthetic],
    report: prepared.report,
    obsoleteIndicators: obsolete.map((row) => row.code),
  };
}

/**
 * Writes the catalogue and all observations in one transaction. Idempotent: catalogue entries and
 * observations are upserted by key, so a second run leaves the same state.
 */
export async function seedIndicators(
  database: BulkWriter,
  dataDir: string = DATA_DIR,
  log: (message: string) => void = () => undefined,
): Promise<Extract<ImportResult, { ok: true }>> {
  const started = Date.now();
  const prepared = await buildSeed(database.prisma, dataDir, log);
  const result = resultOf(prepared, await writeImport(database.pool, prepared, 'seed', log), started);
  for (const line of describeReport(result)) log(line);
  log(
    `seeded ${result.indicators} indicators and ${result.observations} observations (${result.observationsWritten} new or changed, ` +
      `${result.indicatorsChanged.length} indicator(s) changed) in ${result.milliseconds} ms`,
  );
  return result;
}

/**
 * Seeds an empty catalogue, or one an earlier version of the seed wrote (a shipped indicator is
 * missing): what a first start or an upgrade needs, at the cost of one count on later starts. Its
 * progress goes to `logger` (the service's JSON lines) when given.
 */
export async function seedIndicatorsIfEmpty(database: BulkWriter, logger?: Pick<Logger, 'info'>): Promise<boolean> {
  const catalogue = parseCsvRecords(await readFile(monitoringFiles().catalogue, 'utf8'));
  const codes = [...catalogue.map(({ record }) => record.code ?? ''), ...SYNTHETIC_INDICATORS.map((indicator) => indicator.code)];
  if ((await database.prisma.indicator.count({ where: { code: { in: codes } } })) === codes.length) return false;
  await seedIndicators(database, DATA_DIR, (message) => logger?.info(`indicators seed: ${message}`));
  return true;
}
