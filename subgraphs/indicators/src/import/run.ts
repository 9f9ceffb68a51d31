import { inRawTransaction, Prisma, type BulkWriter, type DatabaseClient, type PrismaClient, type RawExecutor } from '@regiograph/db';
import { lockSeed, recordBulkChanges } from '@regiograph/subgraph-kit';
import { INDICATOR_FEED } from '../change-feed';
import { CsvSyntaxError, IMPORT_ACTOR_PREFIX, parseCsvRecords } from '@regiograph/shared';
import { isSyntheticIndicator, type IndicatorDefinition, type KeepableCatalogueColumn, type ObservationRecord } from '../definitions';
import { regionDirectory, type RegionDirectory } from '../regions';
import { refreshCoverage, upsertIndicators, upsertObservations } from '../store';
import { computeObservations, type LoadReport, type StoredValues } from './compute';
import { validateCatalogue, validateObservations, type CatalogueEntry, type ImportProblem } from './validate';
import { readValueFiles, seriesOfTerm, type SeriesStore } from './values';

export interface ImportInput {
  catalogue?: { file: string; text: string };
  observations?: { file: string; text: string };
  /** Value files (`ags,source_id,series,year,value`) that the catalogue's `series` columns read. */
  values?: { file: string; text: string }[];
}

/** What a valid import will write, with what the loader found on the way. */
export interface PreparedImport {
  definitions: IndicatorDefinition[];
  /** Stored catalogue columns that updates keep, because the catalogue file left them out. */
  keptColumns: KeepableCatalogueColumn[];
  observations: ObservationRecord[];
  report: LoadReport;
  /** Indicators to delete with their observations in the same transaction (the seed's obsolete synthetic series). */
  obsoleteIndicators?: string[];
  /** Synthetic indicators the catalogue gives a real source: their synthetic observations are deleted before the real ones are written. */
  replacedSynthetic?: string[];
}

export type ImportResult =
  | ({
      ok: true;
      indicators: number;
      observations: number;
      milliseconds: number;
    } & WrittenImport &
      LoadReport)
  | { ok: false; problems: ImportProblem[] };

export interface ImportOptions {
  regions?: RegionDirectory;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Who imports, for the change feed; default `import:<file names>`. */
  actor?: string;
  /**
   * Where the values already stored are read from, to complete value files that hold part of a series
   * (a new year, a revision of a few counties): the parents of the regions they give are aggregated
   * over the stored values of the other regions, as they were when the whole series was imported.
   * Without it (the seed, whose files hold every series whole) the files alone are aggregated.
   */
  stored?: DatabaseClient['pool'];
}

/** The change feed's actor of an import: `import:` and the files read. */
export function importActor(input: ImportInput): string {
  const files = [input.catalogue?.file, input.observations?.file, ...(input.values ?? []).map((value) => value.file)].filter(
    (file): file is string => !!file,
  );
  return `${IMPORT_ACTOR_PREFIX}${files.map((file) => file.split(/[\\/]/).at(-1)).join(',')}`;
}

const EMPTY_REPORT: LoadReport = { absentRegions: [], stateChecks: [], unusedSeries: [] };

/**
 * Validates all files completely and computes every observation (value files through the
 * catalogue's series and formulas, plus long-form observations). Nothing is written here.
 */
/**
 * Appends one list to another. `push(...list)` passes every element as an argument, and a file with
 * a few hundred thousand bad lines overflowed the call stack instead of being reported.
 */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

export async function prepareImport(
  prisma: PrismaClient,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<{ ok: true; prepared: PreparedImport } | { ok: false; problems: ImportProblem[] }> {
  const regions = options.regions ?? regionDirectory();
  const log = options.log ?? (() => undefined);
  const stored = await prisma.indicator.findMany({ select: { code: true, sourcePublisher: true } });
  const existing = new Set(stored.map((row) => row.code));
  const synthetic = new Set(stored.filter(isSyntheticIndicator).map((row) => row.code));
  const problems: ImportProblem[] = [];
  let entries: CatalogueEntry[] = [];
  let keptColumns: KeepableCatalogueColumn[] = [];
  if (input.catalogue) {
    const validated = validateCatalogue(input.catalogue.text, input.catalogue.file, existing);
    entries = validated.records;
    keptColumns = validated.keptColumns;
    appendAll(problems, validated.problems);
    log(`checked ${input.catalogue.file}: ${entries.length} indicator(s), ${validated.problems.length} problem(s)`);
  }
  let observations: ObservationRecord[] = [];
  if (input.observations) {
    const catalogueFileCodes = input.catalogue ? new Set(catalogueCodes(input.catalogue.text)) : new Set<string>();
    const known = new Set([...existing, ...catalogueFileCodes]);
    // A catalogue row of the same import gives a synthetic indicator a source of its own: its values are then real.
    const staysSynthetic = new Set([...synthetic].filter((code) => !catalogueFileCodes.has(code)));
    const validated = validateObservations(input.observations.text, input.observations.file, known, regions, staysSynthetic);
    observations = validated.records;
    appendAll(problems, validated.problems);
    log(`checked ${observations.length} valid observation row(s), ${validated.problems.length} problem(s)`);
  }
  let report = EMPTY_REPORT;
  if (input.values && input.values.length > 0) {
    if (!input.catalogue) {
      problems.push({
        file: input.values[0]!.file,
        line: 1,
        reason: 'value files need the catalogue (--catalogue) whose series columns read them',
      });
    } else {
      const read = readValueFiles(input.values);
      appendAll(problems, read.problems);
      log(`checked ${input.values.map((file) => file.file).join(', ')}: ${read.store.size} series, ${read.problems.length} problem(s)`);
      if (problems.length === 0) {
        const stored = options.stored ? await readStoredValues(options.stored, entries, read.store) : undefined;
        const computed = computeObservations(entries, read.store, read.keys, regions, input.catalogue.file, stored);
        appendAll(problems, computed.problems);
        report = computed.report;
        const fromFile = new Set(observations.map((row) => `${row.regionCode}|${row.indicatorCode}|${row.year}`));
        for (const row of computed.observations) {
          const key = `${row.regionCode}|${row.indicatorCode}|${row.year}`;
          if (fromFile.has(key))
            problems.push({
              file: input.observations!.file,
              line: 1,
              reason: `${key} is both computed from the value files and given as an observation`,
            });
        }
        observations = observations.concat(computed.observations);
        log(`computed ${computed.observations.length} observation(s) from the value files`);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  // The seed, whose files are whole, computes its dependents itself (the synthetic series after it).
  const notRecomputed = options.stored ? await dependentsLeftAsTheyAre(prisma, entries, observations) : undefined;
  if (notRecomputed) report = { ...report, notRecomputed };
  const definitions: IndicatorDefinition[] = entries.map(
    ({ series: _series, parsedFormula: _formula, line: _line, ...definition }) => definition,
  );
  // A synthetic indicator that the catalogue gives a real source loses its synthetic values: none of
  // them may stay beside real ones under the real source's name.
  const replacedSynthetic = definitions.filter((definition) => synthetic.has(definition.code) && !isSyntheticIndicator(definition));
  return {
    ok: true,
    prepared: {
      definitions,
      keptColumns,
      observations,
      report,
      ...(replacedSynthetic.length > 0 ? { replacedSynthetic: replacedSynthetic.map((definition) => definition.code) } : {}),
    },
  };
}

/**
 * The published values stored for the years the value files give of each catalogue entry's series, and
 * every stored value of the weights the import does not compute: one statement. Published means not computed by RegioGraph
 * (`aggregated` false) at the levels the files hold (the state, counties and municipalities).
 */
async function readStoredValues(pool: DatabaseClient['pool'], entries: CatalogueEntry[], store: SeriesStore): Promise<StoredValues> {
  const codes: string[] = [];
  const years: number[] = [];
  const weights = new Set<string>();
  for (const entry of entries) {
    if (entry.weightIndicatorCode) weights.add(entry.weightIndicatorCode);
    if (!entry.series) continue;
    const given = new Set<number>();
    for (const { terms } of entry.series.alternatives)
      for (const term of terms) for (const key of seriesOfTerm(term, store)) for (const { year } of store.get(key) ?? []) given.add(year);
    for (const year of given) {
      codes.push(entry.code);
      years.push(year);
    }
  }
  // A weight the import computes itself is completed as any entry is, for the years the files give:
  // read in every year, its stored values would be aggregated again where the files say nothing.
  for (const entry of entries) weights.delete(entry.code);
  const { rows } = await pool.query<{ indicator_code: string; region_code: string; year: number; value: number }>(
    `SELECT o.indicator_code, o.region_code, o.year, o.value
       FROM indicators.observation o
      WHERE NOT o.aggregated AND o.value IS NOT NULL AND length(o.region_code) IN (2, 5, 12)
        AND (o.indicator_code = ANY($3::text[])
             OR (o.indicator_code, o.year) IN (SELECT * FROM unnest($1::text[], $2::int[])))`,
    [codes, years, [...weights]],
  );
  const values = new Map<string, Map<string, Map<number, number>>>();
  for (const row of rows) {
    let byRegion = values.get(row.indicator_code);
    if (!byRegion) values.set(row.indicator_code, (byRegion = new Map()));
    let byYear = byRegion.get(row.region_code);
    if (!byYear) byRegion.set(row.region_code, (byYear = new Map()));
    byYear.set(row.year, row.value);
  }
  return values;
}

/**
 * The stored indicators derived from (formula) or weighted by an indicator this import brings values
 * of, which the import leaves as they are because their catalogue rows are not in it. None: undefined.
 */
async function dependentsLeftAsTheyAre(
  prisma: PrismaClient,
  entries: CatalogueEntry[],
  observations: ObservationRecord[],
): Promise<LoadReport['notRecomputed']> {
  const given = [...new Set(observations.map((row) => row.indicatorCode))];
  if (given.length === 0) return undefined;
  const dependents = await prisma.indicator.findMany({
    where: {
      code: { notIn: entries.map((entry) => entry.code) },
      OR: [{ derivedFrom: { hasSome: given } }, { weightIndicatorCode: { in: given } }],
    },
    select: { code: true, derivedFrom: true },
    orderBy: { code: 'asc' },
  });
  if (dependents.length === 0) return undefined;
  const derived = dependents.filter((row) => row.derivedFrom.some((code) => given.includes(code))).map((row) => row.code);
  const weighted = dependents.filter((row) => !derived.includes(row.code)).map((row) => row.code);
  return { derived, weighted };
}

/** What a written import changed. */
export interface WrittenImport {
  /** Observations inserted or changed; the rest were stored already, exactly so, and left as they were. */
  observationsWritten: number;
  /** Codes of the indicators whose definition or values were inserted or changed, sorted: those the change feed announces. */
  indicatorsChanged: string[];
}

/** What a caller does inside the import's transaction besides the import. */
export interface ImportTransactionSteps {
  /**
   * Runs first, after the lock that imports and seeds share, and gives the import as it is to be
   * written (the seed leaves out what imports wrote, which it reads here, where no import can
   * commit in between).
   */
  settle?(tx: RawExecutor): Promise<PreparedImport>;
  /** Runs last (the seed: the fingerprint of what it wrote). */
  finish?(tx: RawExecutor): Promise<void>;
}

/**
 * Writes a prepared import in one transaction, upserting by key: the same input twice gives the same
 * state. Imports and seeds take turns (`lockSeed`). The change feed gets, in the same transaction, one row per indicator whose definition or
 * values this import inserted or changed, and a tombstone per indicator removed, under `actor`: an
 * indicator re-imported exactly as stored is not announced, so partners do not re-read it. The
 * transaction runs on node-postgres, not Prisma (see `inRawTransaction`: Prisma would keep the
 * observations' megabytes after the import).
 */
export async function writeImport(
  pool: DatabaseClient['pool'],
  prepared: PreparedImport,
  actor: string,
  log: (message: string) => void = () => undefined,
  steps: ImportTransactionSteps = {},
): Promise<WrittenImport> {
  return inRawTransaction(pool, async (tx) => {
    await lockSeed(tx, INDICATOR_FEED.schema);
    if (steps.settle) prepared = await steps.settle(tx);
    if (prepared.obsoleteIndicators?.length) {
      await tx.$executeRaw`DELETE FROM indicators.indicator WHERE code = ANY(${prepared.obsoleteIndicators}::text[])`;
    }
    if (prepared.replacedSynthetic?.length) {
      await tx.$executeRaw`DELETE FROM indicators.observation WHERE indicator_code = ANY(${prepared.replacedSynthetic}::text[])`;
    }
    const definitionsWritten = await upsertIndicators(tx, prepared.definitions, prepared.keptColumns);
    const observations = await upsertObservations(tx, prepared.observations, (done, total) =>
      log(`written ${done} of ${total} observations`),
    );
    const indicatorsChanged = [...new Set([...definitionsWritten, ...observations.indicators])].sort();
    // An indicator's coverage follows from its observations alone, and those of the others did not change.
    await refreshCoverage(tx, indicatorsChanged);
    await recordBulkChanges(
      tx,
      INDICATOR_FEED,
      actor,
      'INDICATOR',
      Prisma.sql`SELECT code, NULL::int FROM indicators.indicator WHERE code = ANY(${indicatorsChanged}::text[])`,
      Prisma.sql`SELECT code FROM indicators.indicator`,
    );
    await steps.finish?.(tx);
    return { observationsWritten: observations.written, indicatorsChanged };
  });
}

/**
 * Validates everything first; any problem → nothing is written and every problem is returned
 * (file:line: reason). Otherwise writes everything in one transaction.
 */
export async function importFiles(database: BulkWriter, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const result = await prepareImport(database.prisma, input, { stored: database.pool, ...options });
  if (!result.ok) return result;
  const written = await writeImport(database.pool, result.prepared, options.actor ?? importActor(input), options.log);
  return resultOf(result.prepared, written, started);
}

export function resultOf(prepared: PreparedImport, written: WrittenImport, started: number): Extract<ImportResult, { ok: true }> {
  return {
    ok: true,
    indicators: prepared.definitions.length,
    observations: prepared.observations.length,
    ...written,
    milliseconds: Date.now() - started,
    ...prepared.report,
  };
}

/** What the loader found besides errors: keys it did not load, the state checks, unread series. */
export function describeReport(result: LoadReport): string[] {
  const lines: string[] = [];
  for (const absent of result.absentRegions) {
    lines.push(
      `not loaded: region key ${absent.ags} is absent from the region tree (${absent.rows} row(s), ${absent.years[0]}–${absent.years.at(-1)}, first at ${absent.firstLine})` +
        (absent.formerKeyNote ? `: ${absent.formerKeyNote}` : ''),
    );
  }
  const failed = result.stateChecks.filter((check) => !check.ok);
  lines.push(
    `state checks: ${result.stateChecks.length - failed.length} of ${result.stateChecks.length} county totals match the published state value`,
  );
  for (const check of failed)
    lines.push(`state check FAILED: ${check.indicatorCode} ${check.year}: counties ${check.countyTotal}, state ${check.stateValue}`);
  if (result.notRecomputed?.derived.length)
    lines.push(
      `not recomputed (derived from the indicators imported; give their catalogue rows and inputs to update them): ${result.notRecomputed.derived.join(', ')}`,
    );
  if (result.notRecomputed?.weighted.length)
    lines.push(
      `not recomputed (districts and state weighted by the indicators imported; give their catalogue rows and values to update them): ${result.notRecomputed.weighted.join(', ')}`,
    );
  if (result.unusedSeries.length > 0)
    lines.push(`${result.unusedSeries.length} series of the value files feed no indicator: ${result.unusedSeries.join(', ')}`);
  return lines;
}

/**
 * Codes the catalogue file defines, valid or not: observations then blame the catalogue, not themselves.
 * None when the file is not CSV at all: its own validation reports that.
 */
function catalogueCodes(text: string): string[] {
  try {
    return parseCsvRecords(text)
      .map(({ record }) => (record.code ?? '').trim())
      .filter(Boolean);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return [];
    throw error;
  }
}
