import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BulkWriter, PrismaClient } from '@regiograph/db';
import { CsvSyntaxError, decodeCsvFile, type Logger } from '@regiograph/shared';
import { keysWrittenByPeople, needsSeed, recordSeededFingerprint, SEED_ACTOR, shippedDataFingerprint } from '@regiograph/subgraph-kit';
import { INDICATOR_FEED } from './change-feed';
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
import { SHIPPED_DATA_FINGERPRINT } from './shipped-data';
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
): Promise<ShippedSeed> {
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
  const observations = [...prepared.observations, ...synthetic];
  const fingerprint = shippedDataFingerprint({ definitions, observations });
  // Indicators an import wrote since (a corrected series, a catalogue entry of one's own) stay as
  // imported, whatever the shipped data now says of them.
  const people = await keysWrittenByPeople(prisma, INDICATOR_FEED, 'INDICATOR');
  // Synthetic series an earlier seed wrote and a real indicator has since replaced (e.g.
  // mean_age_years): demonstration data must not outlive its purpose. Imported indicators stay.
  const obsolete = await prisma.indicator.findMany({
    where: {
      official: false,
      sourcePublisher: SYNTHETIC_SOURCE.sourcePublisher,
      code: { notIn: [...definitions.map((definition) => definition.code), ...people] },
    },
    select: { code: true },
  });
  return {
    definitions: definitions.filter((definition) => !people.has(definition.code)),
    // The seed writes the shipped catalogue as it is, every column.
    keptColumns: [],
    observations: observations.filter((observation) => !people.has(observation.indicatorCode)),
    report: prepared.report,
    obsoleteIndicators: obsolete.map((row) => row.code),
    fingerprint,
    kept: definitions.map((definition) => definition.code).filter((code) => people.has(code)),
  };
}

/** What the seed writes: an import of the shipped data, with its fingerprint. */
export interface ShippedSeed extends PreparedImport {
  /** The fingerprint of the whole shipped data (SHIPPED_DATA_FINGERPRINT when in step), kept indicators included. */
  fingerprint: string;
  /** Shipped indicators an import wrote since: left out, so they stay as imported. */
  kept: string[];
}

/**
 * Writes the catalogue and all observations in one transaction, with the fingerprint of what it
 * wrote. Idempotent: catalogue entries and observations are upserted by key, so a second run leaves
 * the same state and reports no change; indicators an import wrote since are left as they are.
 */
export async function seedIndicators(
  database: BulkWriter,
  dataDir: string = DATA_DIR,
  log: (message: string) => void = () => undefined,
): Promise<Extract<ImportResult, { ok: true }> & Pick<ShippedSeed, 'fingerprint' | 'kept'>> {
  const started = Date.now();
  const prepared = await buildSeed(database.prisma, dataDir, log);
  const written = await writeImport(database.pool, prepared, SEED_ACTOR, log, (tx) =>
    recordSeededFingerprint(tx, INDICATOR_FEED.schema, prepared.fingerprint),
  );
  const result = resultOf(prepared, written, started);
  for (const line of describeReport(result)) log(line);
  if (prepared.kept.length > 0) log(`kept ${prepared.kept.length} indicator(s) an import wrote since: ${prepared.kept.join(', ')}`);
  log(
    `seeded ${result.indicators} indicators and ${result.observations} observations (${result.observationsWritten} new or changed, ` +
      `${result.indicatorsChanged.length} indicator(s) changed) in ${result.milliseconds} ms`,
  );
  return { ...result, fingerprint: prepared.fingerprint, kept: prepared.kept };
}

/**
 * Seeds the indicators when the shipped data is not what was last seeded: an empty catalogue, one
 * seeded by an earlier release, or before fingerprints were kept. One lookup on other starts. Its
 * progress goes to `logger` (the service's JSON lines) when given.
 */
export async function seedIndicatorsIfEmpty(database: BulkWriter, logger?: Pick<Logger, 'info'>): Promise<boolean> {
  if (!(await needsSeed(database.prisma, INDICATOR_FEED.schema, SHIPPED_DATA_FINGERPRINT))) return false;
  await seedIndicators(database, DATA_DIR, (message) => logger?.info(`indicators seed: ${message}`));
  return true;
}
