import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BulkWriter, PrismaClient, RawExecutor } from '@regiograph/db';
import { CsvSyntaxError, decodeCsvFile, SEED_ACTOR, type Logger } from '@regiograph/shared';
import {
  assertStillBehind,
  keysWrittenByPeople,
  recordSeededFingerprint,
  seedIfBehind,
  shippedDataFingerprint,
} from '@regiograph/subgraph-kit';
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
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { generateSyntheticObservations, SYNTHETIC_INDICATORS } from './synthetic';

/** The shipped regional monitoring: its catalogue and the value files its series read (see data/monitoring/). */
/**
 * The shipped indicators in % whose values really all lie below 1 % (INKAR's share of enterprises with
 * 250 employees or more: 0.05–0.94 %, 765 county values 2006–2022), which the importer would otherwise refuse as shares
 * written as fractions; named here, where the shipped files are, for the seed and `--monitoring`.
 */
export const MONITORING_SMALL_PERCENTAGES: ReadonlySet<string> = new Set(['share_large_enterprises']);

export function monitoringFiles(dataDir: string = DATA_DIR): { catalogue: string; values: string[] } {
  const directory = path.join(dataDir, 'monitoring');
  return {
    catalogue: path.join(directory, 'catalogue.csv'),
    values: [path.join(directory, 'values-county.csv'), path.join(directory, 'values-municipality.csv')],
  };
}

export async function readMonitoring(dataDir: string = DATA_DIR): Promise<ImportInput> {
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
  const result = await prepareImport(prisma, await readMonitoring(dataDir), {
    regions: directory,
    log,
    smallPercentages: MONITORING_SMALL_PERCENTAGES,
  });
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
  return {
    definitions,
    // The seed writes the shipped catalogue as it is, every column.
    keptColumns: [],
    observations,
    report: prepared.report,
    fingerprint: shippedDataFingerprint({ definitions, observations }),
  };
}

/** What the seed writes: an import of the shipped data, with its fingerprint. */
export interface ShippedSeed extends PreparedImport {
  /** The fingerprint of the shipped data (the last of SHIPPED_DATA_FINGERPRINTS when in step). */
  fingerprint: string;
}

/**
 * The shipped data as the seed writes it into the database as it is now, read in the write's
 * transaction after the lock imports share: indicators an import wrote since (a corrected series, a
 * catalogue entry of one's own) are left out, so they stay as imported; synthetic series an earlier
 * seed wrote and a real indicator has since replaced (e.g. mean_age_years) are removed, since
 * demonstration data must not outlive its purpose.
 */
async function settleSeed(tx: RawExecutor, shipped: ShippedSeed): Promise<{ prepared: PreparedImport; kept: string[] }> {
  const people = await keysWrittenByPeople(tx, INDICATOR_FEED, 'INDICATOR');
  const codes = shipped.definitions.map((definition) => definition.code);
  const obsolete = await tx.$queryRaw<{ code: string }>`
    SELECT code FROM indicators.indicator
    WHERE NOT official AND source_publisher = ${SYNTHETIC_SOURCE.sourcePublisher} AND code <> ALL(${[...codes, ...people]}::text[])`;
  return {
    prepared: {
      ...shipped,
      definitions: shipped.definitions.filter((definition) => !people.has(definition.code)),
      observations: shipped.observations.filter((observation) => !people.has(observation.indicatorCode)),
      obsoleteIndicators: obsolete.map((row) => row.code),
    },
    kept: codes.filter((code) => people.has(code)),
  };
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
  /** A start's seed: the release's fingerprints; it writes nothing when another replica seeded meanwhile (SeededMeanwhile). */
  onlyIfBehind?: readonly string[],
): Promise<Extract<ImportResult, { ok: true }> & { fingerprint: string; kept: string[] }> {
  const started = Date.now();
  const shipped = await buildSeed(database.prisma, dataDir, log);
  let settled: { prepared: PreparedImport; kept: string[] } = { prepared: shipped, kept: [] };
  const written = await writeImport(database.pool, shipped, SEED_ACTOR, log, {
    settle: async (tx) => {
      await assertStillBehind(tx, INDICATOR_FEED.schema, onlyIfBehind);
      return (settled = await settleSeed(tx, shipped)).prepared;
    },
    finish: (tx) => recordSeededFingerprint(tx, INDICATOR_FEED.schema, shipped.fingerprint),
  });
  const { kept } = settled;
  const result = resultOf(settled.prepared, written, started);
  for (const line of describeReport(result)) log(line);
  if (kept.length > 0) log(`kept ${kept.length} indicator(s) an import wrote since: ${kept.join(', ')}`);
  log(
    `seeded ${result.indicators} indicators and ${result.observations} observations (${result.observationsWritten} new or changed, ` +
      `${result.indicatorsChanged.length} indicator(s) changed) in ${result.milliseconds} ms`,
  );
  return { ...result, fingerprint: shipped.fingerprint, kept };
}

/**
 * Seeds the indicators when the shipped data is not what was last seeded: an empty catalogue, one
 * seeded by an earlier release, or before fingerprints were kept. One lookup on other starts. Its
 * progress goes to `logger` (the service's JSON lines) when given.
 */
export async function seedIndicatorsIfEmpty(database: BulkWriter, logger?: Pick<Logger, 'info' | 'warn'>): Promise<boolean> {
  const seeded = await seedIfBehind(database.prisma, INDICATOR_FEED.schema, SHIPPED_DATA_FINGERPRINTS, logger, (onlyIfBehind) =>
    seedIndicators(database, DATA_DIR, (message) => logger?.info(`indicators seed: ${message}`), onlyIfBehind),
  );
  return seeded !== null;
}
