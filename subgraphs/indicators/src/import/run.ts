import { inRawTransaction, Prisma, type BulkWriter, type DatabaseClient, type PrismaClient, type RawExecutor } from '@regiograph/db';
import { lockSeed, recordBulkChanges } from '@regiograph/subgraph-kit';
import { INDICATOR_FEED } from '../change-feed';
import { CsvSyntaxError, IMPORT_ACTOR_PREFIX, parseCsvRecords, type CsvDialect } from '@regiograph/shared';
import {
  isSyntheticIndicator,
  type IndicatorDefinition,
  type KeepableCatalogueColumn,
  type ObservationCell,
  type ObservationRecord,
} from '../definitions';
import { REGION_LEVELS, regionDirectory, type RegionDirectory } from '../regions';
import { deleteObservations, noteChanges, refreshCoverage, upsertIndicators, upsertObservations, type ObservationChanges } from '../store';
import {
  computeObservations,
  dependencyOrder,
  type DependentInputs,
  type LoadReport,
  type StoredValues,
  type WithheldCells,
} from './compute';
import { parseFormula } from '../formula';
import { thousandsSeparatorProblem, validateCatalogue, validateObservations, type CatalogueEntry, type ImportProblem } from './validate';
import { readValueFiles, seriesOfTerm, type SeriesStore, type ValueFileLine } from './values';
import type { RegionKeyColumn } from './region-keys';

export interface ImportInput {
  catalogue?: { file: string; text: string };
  observations?: { file: string; text: string };
  /** Value files (`ags,source_id,series,year,value`) that the catalogue's `series` columns read. */
  values?: { file: string; text: string }[];
  /** How every file is separated and writes its numbers (`--dialect`); RFC4180 when not given. */
  dialect?: CsvDialect;
  /** What the observations file's region_code holds (`--region-key`); ARS when not given. */
  regionKey?: RegionKeyColumn;
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
  /** The indicators the catalogue makes official that the database held as not official, or not at all. */
  madeOfficial?: string[];
}

export type ImportResult =
  | ({
      ok: true;
      indicators: number;
      observations: number;
      milliseconds: number;
      /** The indicators the import made official (PreparedImport.madeOfficial). */
      madeOfficial?: string[];
    } & WrittenImport &
      LoadReport)
  | { ok: false; problems: ImportProblem[] };

export interface ImportOptions {
  regions?: RegionDirectory;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Who imports, for the change feed; default `import:<file names>`. */
  actor?: string;
  /** The release of official data the files bring (`--release`), which each value written names (Observation.importedFrom). */
  release?: string;
  /**
   * Where the values already stored are read from, to complete value files that hold part of a series
   * (a new year, a revision of a few counties): the parents of the regions they give are aggregated
   * over the stored values of the other regions, as they were when the whole series was imported.
   * Without it (the seed, whose files hold every series whole) the files alone are aggregated.
   */
  stored?: DatabaseClient['pool'];
  /**
   * Who vouches that the indicators the catalogue makes official are official statistics
   * (`--official-by`), recorded with each in indicators.official_designation. null: nobody, and each
   * catalogue row that makes an indicator official is refused at its line. Left out (the seed, whose
   * catalogue is RegioGraph's own, reviewed where it is kept), not asked and not recorded.
   */
  officialBy?: string | null;
  /** The files read, with the SHA-256 of their bytes, recorded with an official designation. */
  files?: ImportedFile[];
  /**
   * Indicators in % whose values are really all between -1 and 1 (`--small-percentages`): without
   * it, such values are refused as shares written as fractions (0.85 for 85 %).
   */
  smallPercentages?: ReadonlySet<string>;
}

/** A file an import read, and the SHA-256 of its bytes (hex), by which its copy can be told later. */
export interface ImportedFile {
  file: string;
  sha256: string;
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

/**
 * The value file lines whose value reads as a German thousands separator (1.234 for 1234) in the
 * series of an indicator shown with fewer than three decimals, at their lines; each line once, though
 * several indicators read its series.
 */
function thousandsSeparatorProblems(
  entries: readonly CatalogueEntry[],
  store: SeriesStore,
  thousandsLike: ReadonlyMap<string, readonly (ValueFileLine & { text: string })[]>,
): ImportProblem[] {
  const problems = new Map<string, ImportProblem>();
  for (const entry of entries) {
    for (const term of entry.series?.alternatives.flatMap((alternative) => alternative.terms) ?? []) {
      for (const series of seriesOfTerm(term, store)) {
        for (const { file, line, text } of thousandsLike.get(series) ?? []) {
          const reason = thousandsSeparatorProblem(text, entry);
          if (reason && !problems.has(`${file}:${line}`)) problems.set(`${file}:${line}`, { file, line, reason });
        }
      }
    }
  }
  return [...problems.values()];
}

export async function prepareImport(
  prisma: PrismaClient,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<{ ok: true; prepared: PreparedImport } | { ok: false; problems: ImportProblem[] }> {
  const regions = options.regions ?? regionDirectory();
  const log = options.log ?? (() => undefined);
  const dialect = input.dialect ?? 'RFC4180';
  const stored = await prisma.indicator.findMany({
    select: {
      code: true,
      sourcePublisher: true,
      aggregation: true,
      weightIndicatorCode: true,
      formula: true,
      decimals: true,
      unit: true,
      official: true,
    },
  });
  const existing = new Set(stored.map((row) => row.code));
  const synthetic = new Set(stored.filter(isSyntheticIndicator).map((row) => row.code));
  const problems: ImportProblem[] = [];
  let entries: CatalogueEntry[] = [];
  let keptColumns: KeepableCatalogueColumn[] = [];
  if (input.catalogue) {
    const validated = validateCatalogue(input.catalogue.text, input.catalogue.file, existing, dialect);
    entries = validated.records;
    keptColumns = validated.keptColumns;
    appendAll(problems, validated.problems);
    // Formulas and weights that read each other are refused whether or not the import computes them:
    // a catalogue alone would store a cycle that the next release of values could not compute.
    if (validated.problems.length === 0) dependencyOrder(entries, () => input.catalogue!.file, problems);
    if (options.officialBy === null) appendAll(problems, unvouchedOfficial(entries, stored, input.catalogue.file));
    log(`checked ${input.catalogue.file}: ${entries.length} indicator(s), ${problems.length} problem(s)`);
  }
  let observations: ObservationRecord[] = [];
  // The indicators the observations file gives values of: formulas of the import's catalogue rows over them are computed with them.
  let observed = new Set<string>();
  let observationLines: ReadonlyMap<string, number> = new Map();
  if (input.observations) {
    const catalogueFileCodes = input.catalogue ? new Set(catalogueCodes(input.catalogue.text, dialect)) : new Set<string>();
    const known = new Set([...existing, ...catalogueFileCodes]);
    // A catalogue row of the same import gives a synthetic indicator a source of its own: its values are then real.
    const staysSynthetic = new Set([...synthetic].filter((code) => !catalogueFileCodes.has(code)));
    const decimalsOf = new Map([...stored, ...entries].map((indicator) => [indicator.code, indicator.decimals]));
    const validated = validateObservations(
      input.observations.text,
      input.observations.file,
      known,
      regions,
      staysSynthetic,
      decimalsOf,
      dialect,
      input.regionKey,
    );
    observations = validated.records;
    observationLines = validated.firstLines;
    observed = new Set(observations.map((row) => row.indicatorCode));
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
      const read = readValueFiles(input.values, regions, dialect);
      appendAll(problems, read.problems);
      appendAll(problems, thousandsSeparatorProblems(entries, read.store, read.thousandsLike));
      log(`checked ${input.values.map((file) => file.file).join(', ')}: ${read.store.size} series, ${read.problems.length} problem(s)`);
      if (problems.length === 0) {
        const stored = options.stored ? await readStoredValues(options.stored, entries, read.store) : undefined;
        const computed = computeObservations(
          entries,
          read.store,
          read.keys,
          regions,
          input.catalogue.file,
          stored?.values,
          undefined,
          stored?.withheld,
        );
        appendAll(problems, computed.problems);
        report = computed.report;
        const fromFile = new Set(observations.map((row) => `${row.regionCode}|${row.indicatorCode}|${row.year}`));
        // A figure the observations file gives of a derived indicator stands where its formula would compute one.
        const computedRows = computed.observations.filter((row) => {
          const key = `${row.regionCode}|${row.indicatorCode}|${row.year}`;
          if (!fromFile.has(key)) return true;
          if (!row.derived)
            problems.push({
              file: input.observations!.file,
              line: 1,
              reason: `${key} is both computed from the value files and given as an observation`,
            });
          return false;
        });
        observations = observations.concat(computedRows);
        log(`computed ${computed.observations.length} observation(s) from the value files`);
      }
    }
  }
  if (problems.length === 0) {
    const where = (code: string): { file: string; line: number } => {
      const entry = entries.find((candidate) => candidate.code === code);
      if (entry) return { file: input.catalogue!.file, line: entry.line };
      return { file: input.observations?.file ?? input.catalogue?.file ?? '', line: observationLines.get(code) ?? 1 };
    };
    const units = new Map<string, string>([...stored, ...entries].map((indicator) => [indicator.code, indicator.unit]));
    appendAll(problems, await fractionProblems(observations, units, options.smallPercentages ?? new Set(), options.stored, where));
  }
  if (problems.length > 0) return { ok: false, problems };
  // The seed, whose files are whole, computes its dependents itself (the synthetic series after it).
  if (options.stored) {
    const reaggregated = rulesChanged(entries, stored);
    const rederived = formulasChanged(entries, stored);
    const dependents = await recomputeDependents(prisma, options.stored, entries, observations, regions, {
      catalogueFile: input.catalogue?.file,
      observed,
      reaggregated: reaggregated.map((entry) => entry.code),
      rederived,
    });
    if (!dependents.ok) return dependents;
    // The parents of an indicator aggregated again by a new rule alone are none of `recomputed`.
    observations = observations.concat(dependents.observations);
    if (dependents.recomputed) {
      report = { ...report, recomputed: dependents.recomputed };
      log(
        `recomputed ${dependents.observations.length} observation(s) of indicators derived from, weighted by or aggregated from those imported (the parents of those that aggregate included)`,
      );
    }
    if (dependents.removed) report = { ...report, removed: dependents.removed };
    if (rederived.length > 0) {
      report = {
        ...report,
        rederived: rederived.map(({ entry }) => {
          const published = dependents.published?.get(entry.code);
          return { code: entry.code, formula: entry.formula, ...(published ? { published } : {}) };
        }),
      };
      log(`computed ${rederived.length} indicator(s) again by the formula their catalogue rows now give, or no longer give`);
    }
    if (dependents.underived) {
      report = { ...report, underived: dependents.underived };
      log(`removing ${dependents.underived.length} stored value(s) that no formula gives any more`);
    }
    if (dependents.notRecomputed) report = { ...report, notRecomputed: dependents.notRecomputed };
    if (reaggregated.length > 0) {
      report = {
        ...report,
        reaggregated: reaggregated.map(({ code, aggregation, weightIndicatorCode }) => ({ code, aggregation, weightIndicatorCode })),
      };
      log(`aggregated the parents of ${reaggregated.length} indicator(s) again by the rule their catalogue rows now give`);
    }
    const unaggregated = (dependents.unaggregated ?? []).concat(await valuesNoRuleGives(options.stored, entries, stored, observations));
    if (unaggregated.length > 0) {
      report = { ...report, unaggregated };
      log(`removing ${unaggregated.length} stored value(s) aggregated by a rule the catalogue no longer gives`);
    }
  }
  const definitions: IndicatorDefinition[] = entries.map(
    ({ series: _series, parsedFormula: _formula, line: _line, ...definition }) => definition,
  );
  // A synthetic indicator that the catalogue gives a real source loses its synthetic values: none of
  // them may stay beside real ones under the real source's name.
  const replacedSynthetic = definitions.filter((definition) => synthetic.has(definition.code) && !isSyntheticIndicator(definition));
  const madeOfficial = newlyOfficial(entries, stored).map((entry) => entry.code);
  return {
    ok: true,
    prepared: {
      definitions,
      keptColumns,
      observations,
      report,
      ...(replacedSynthetic.length > 0 ? { replacedSynthetic: replacedSynthetic.map((definition) => definition.code) } : {}),
      ...(madeOfficial.length > 0 ? { madeOfficial } : {}),
    },
  };
}

/** The catalogue entries that make an indicator official which the database holds as not official, or not at all. */
function newlyOfficial(entries: readonly CatalogueEntry[], stored: readonly { code: string; official: boolean }[]): CatalogueEntry[] {
  const official = new Set(stored.filter((row) => row.official).map((row) => row.code));
  return entries.filter((entry) => entry.official && !official.has(entry.code));
}

/**
 * The catalogue rows that make an indicator official without anyone vouching for it, at their lines.
 * Official is what every user of the API relies on (Indicator.official, the filter by it): the
 * importer's access to the database alone does not say that a statistics office published the data.
 */
function unvouchedOfficial(
  entries: readonly CatalogueEntry[],
  stored: readonly { code: string; official: boolean }[],
  file: string,
): ImportProblem[] {
  return newlyOfficial(entries, stored).map((entry) => ({
    file,
    line: entry.line,
    reason:
      `official true makes ${entry.code} official statistics for every user of the API: give --official-by "<who vouches for it: name, office>", ` +
      'which the import records with the files it read (indicators.official_designation), or write official false',
  }));
}

/** The largest magnitude a share written as a fraction has: 1 for 100 %. */
const FRACTION_MAX = 1;

/**
 * The indicators in % of which every value the import read from its files lies between -1 and 1,
 * refused as shares written as fractions (0.85 for 85 %), at the catalogue row or the first
 * observation row: nothing is rescaled. Not refused: those named in `allowed`, and those whose values
 * stored already (read from `stored`: one statement, only when there is a candidate) all lie within
 * those bounds too, which an import before them was allowed to write. Computed values (aggregated,
 * derived) follow from those read; all 0 says nothing.
 */
async function fractionProblems(
  observations: readonly ObservationRecord[],
  units: ReadonlyMap<string, string>,
  allowed: ReadonlySet<string>,
  stored: DatabaseClient['pool'] | undefined,
  where: (code: string) => { file: string; line: number },
): Promise<ImportProblem[]> {
  const read = new Map<string, { largest: number; count: number }>();
  for (const row of observations) {
    if (row.value === null || row.aggregated || row.derived || units.get(row.indicatorCode) !== '%' || allowed.has(row.indicatorCode))
      continue;
    const seen = read.get(row.indicatorCode) ?? { largest: 0, count: 0 };
    read.set(row.indicatorCode, { largest: Math.max(seen.largest, Math.abs(row.value)), count: seen.count + 1 });
  }
  const candidates = [...read].filter(([, { largest }]) => largest > 0 && largest <= FRACTION_MAX);
  if (candidates.length === 0) return [];
  const storedLargest = new Map<string, number>();
  if (stored) {
    const { rows } = await stored.query<{ indicator_code: string; largest: number }>(
      `SELECT indicator_code, max(abs(value)) AS largest FROM indicators.observation
        WHERE indicator_code = ANY($1::text[]) AND value IS NOT NULL AND NOT aggregated AND NOT derived
        GROUP BY indicator_code`,
      [candidates.map(([code]) => code)],
    );
    for (const row of rows) storedLargest.set(row.indicator_code, row.largest);
  }
  return candidates.flatMap(([code, { largest, count }]) => {
    const before = storedLargest.get(code);
    if (before !== undefined && before <= FRACTION_MAX) return [];
    return [
      {
        ...where(code),
        reason:
          `${code} is in %, and every value of it the import reads lies between -1 and 1 (${count} value(s), the largest ${largest}` +
          `${before === undefined ? '' : `; its values stored reach ${before}`}): shares written as fractions (0.85 for 85 %)? ` +
          'Write them in percent (85), or multiply a value file\'s series in the catalogue\'s series column (" * 100"); ' +
          `if they really are below 1 %, give --small-percentages ${code}`,
      },
    ];
  });
}

/**
 * The published values stored for the years the value files give of each catalogue entry's series, and
 * every stored value of the weights the import does not compute, at the levels the files hold (the
 * state, counties and municipalities); and every published value of the entries with a formula, which
 * it leaves as given, with the statuses their source gave without a value: one statement. Published means
 * not computed by RegioGraph (`aggregated` and `derived` false, no reason of RegioGraph's own).
 */
async function readStoredValues(
  pool: DatabaseClient['pool'],
  entries: CatalogueEntry[],
  store: SeriesStore,
): Promise<{ values: StoredValues; withheld: WithheldCells }> {
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
  const { rows } = await pool.query<{ indicator_code: string; region_code: string; year: number; value: number | null }>(
    `SELECT o.indicator_code, o.region_code, o.year, o.value
       FROM indicators.observation o
      WHERE NOT o.aggregated AND NOT o.derived
        AND ((o.value IS NOT NULL
              AND length(o.region_code) IN (2, 5, 12)
              AND (o.indicator_code = ANY($3::text[]) OR (o.indicator_code, o.year) IN (SELECT * FROM unnest($1::text[], $2::int[]))))
             OR (o.indicator_code = ANY($4::text[]) AND (o.value IS NOT NULL OR o.own_missing_reason IS NULL)))`,
    [codes, years, [...weights], entries.filter((entry) => entry.parsedFormula).map((entry) => entry.code)],
  );
  const values = new Map<string, Map<string, Map<number, number>>>();
  const withheld = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.value === null) {
      let cells = withheld.get(row.indicator_code);
      if (!cells) withheld.set(row.indicator_code, (cells = new Set()));
      cells.add(`${row.region_code}|${row.year}`);
      continue;
    }
    let byRegion = values.get(row.indicator_code);
    if (!byRegion) values.set(row.indicator_code, (byRegion = new Map()));
    let byYear = byRegion.get(row.region_code);
    if (!byYear) byRegion.set(row.region_code, (byYear = new Map()));
    byYear.set(row.year, row.value);
  }
  return { values, withheld };
}

/** Where problems found in the stored catalogue rows are said to be. */
const STORED_CATALOGUE = 'indicators.indicator';

/** Whether an indicator's parents are computed from the regions within: it aggregates, read from a source, not derived or synthetic. */
function aggregatesItsParents(indicator: { aggregation: string; formula: string | null; sourcePublisher: string }): boolean {
  return indicator.aggregation !== 'NONE' && indicator.formula === null && !isSyntheticIndicator(indicator);
}

/**
 * The catalogue entries that give a stored indicator, not derived before or now, another rule for its
 * parents: SUM and WEIGHTED_MEAN swapped, another weight, or an aggregation where the stored row said
 * NONE. Their parents stored stand by the old rule, or are none, until the import aggregates them again.
 * Read from the rows read already: an import that changes no rule costs no statement for it.
 */
function rulesChanged(
  entries: readonly CatalogueEntry[],
  stored: readonly {
    code: string;
    sourcePublisher: string;
    aggregation: string;
    weightIndicatorCode: string | null;
    formula: string | null;
  }[],
): (CatalogueEntry & { aggregation: 'SUM' | 'WEIGHTED_MEAN' })[] {
  // Synthetic values that a real source replaces are deleted, not aggregated (replacedSynthetic).
  const before = new Map(stored.filter((row) => !isSyntheticIndicator(row)).map((row) => [row.code, row]));
  return entries.filter((entry): entry is CatalogueEntry & { aggregation: 'SUM' | 'WEIGHTED_MEAN' } => {
    const row = before.get(entry.code);
    return (
      !!row &&
      row.formula === null &&
      aggregatesItsParents(entry) &&
      (row.aggregation !== entry.aggregation || row.weightIndicatorCode !== entry.weightIndicatorCode)
    );
  });
}

/** A catalogue entry that gives a stored indicator a formula, another formula, or none any more, with the stored one. */
interface FormulaChange {
  entry: CatalogueEntry;
  /** The stored row's formula; null where it had none. */
  before: string | null;
}

/**
 * The catalogue entries whose formula differs from the stored row's (not synthetic): an indicator
 * becoming derived, derived by another formula, or no longer derived. The values stored were computed
 * by the old formula, or not at all, until the import computes them again. Read from the rows read
 * already: an import that changes no formula costs no statement for it.
 */
function formulasChanged(
  entries: readonly CatalogueEntry[],
  stored: readonly { code: string; sourcePublisher: string; formula: string | null }[],
): FormulaChange[] {
  const before = new Map(stored.filter((row) => !isSyntheticIndicator(row)).map((row) => [row.code, row.formula]));
  return entries.flatMap((entry) => {
    const formula = before.get(entry.code);
    return formula === undefined || formula === entry.formula ? [] : [{ entry, before: formula }];
  });
}

/** A stored observation as the dependents of an import read it. */
interface StoredCell {
  indicator_code: string;
  region_code: string;
  year: number;
  value: number | null;
  status: ObservationRecord['status'];
  aggregated: boolean;
  /** Computed by the indicator's formula; with `aggregated` false too, the source published it. */
  derived: boolean;
  /** Left MISSING by RegioGraph for lack of the regions within. */
  not_aggregated: boolean;
}

/**
 * Computes again what stored indicators whose catalogue rows are not in the import derive from what it
 * writes (their formulas) or weight by it (their districts, Samtgemeinden, counties without a value
 * of their own, and the state): in the regions and years that follow from a cell it writes, from the
 * import's values, else the stored ones. Otherwise a revised population would leave the population
 * density, the age shares and every rate's districts as computed from the old one. And aggregates the
 * parents of the values it writes of an indicator that aggregates, new or stored, and those of every
 * stored year of one whose catalogue row it gives another rule (`reaggregated`); computes every stored
 * year of one whose row gives it a formula or another (`rederived`), and takes the values of one
 * whose row takes its formula away; and, of the entries of the import itself, computes again those
 * derived from or weighted by what these change, which no value of the import renews.
 */
async function recomputeDependents(
  prisma: PrismaClient,
  pool: DatabaseClient['pool'],
  entries: CatalogueEntry[],
  imported: ObservationRecord[],
  regions: RegionDirectory,
  catalogue: {
    /** The import's catalogue file, which problems of its entries name. */
    catalogueFile: string | undefined;
    /** The indicators the import's observations file gives values of (not those computed from its value files, which compute their formulas). */
    observed: ReadonlySet<string>;
    /** Entries whose rule for their parents the import changes: those of every stored year are aggregated again. */
    reaggregated: readonly string[];
    /** Entries whose formula the import gives, changes or takes away. */
    rederived: readonly FormulaChange[];
  },
): Promise<
  | {
      ok: true;
      observations: ObservationRecord[];
      recomputed?: LoadReport['recomputed'];
      notRecomputed?: string[];
      removed?: ObservationCell[];
      unaggregated?: ObservationCell[];
      underived?: ObservationCell[];
      /** Per indicator whose formula the import gives, changes or takes away: the cells its source published, which stand as given. */
      published?: ReadonlyMap<string, number>;
    }
  | { ok: false; problems: ImportProblem[] }
> {
  const reaggregated = new Set(catalogue.reaggregated);
  const rederived = new Map(catalogue.rederived.map((change) => [change.entry.code, change]));
  // The indicators whose stored values the catalogue rows alone change: all of their values are read,
  // in the one statement that reads what the dependents read.
  const changed = new Set([...reaggregated, ...rederived.keys()]);
  const yearsOf = new Map<string, Set<number>>();
  for (const row of imported) {
    let years = yearsOf.get(row.indicatorCode);
    if (!years) yearsOf.set(row.indicatorCode, (years = new Set()));
    years.add(row.year);
  }
  if (yearsOf.size === 0 && changed.size === 0) return { ok: true, observations: [] };
  // Dependents of dependents too (a formula over a derived indicator), found round by round.
  const dependents: CatalogueEntry[] = [];
  const synthetic: string[] = [];
  const excluded = new Set(entries.map((entry) => entry.code));
  // One rule for every import's values of an indicator that aggregates (SUM or WEIGHTED_MEAN, read from
  // a source, not synthetic), whether its catalogue row comes along or is stored: its Samtgemeinden,
  // counties without a value of their own, districts and state are computed from the regions within
  // where the import writes or withholds a value within them. Otherwise a withheld county would leave
  // its district holding a sum that still counts it, and a new indicator's parents would have no value.
  // Entries read from value files are aggregated as computed (computeObservations), not here; those
  // the observations file gives values of are aggregated here, a series column or none (with no value
  // files, nothing reads it). Value files leave an entry's parents aggregated in the years they give
  // only: one whose rule changes is aggregated here.
  const ownAggregates = new Set<string>();
  for (const entry of entries)
    if (
      (reaggregated.has(entry.code) || ((!entry.series || catalogue.observed.has(entry.code)) && yearsOf.has(entry.code))) &&
      aggregatesItsParents(entry)
    ) {
      ownAggregates.add(entry.code);
      // Its series are the value files', read already: here it is aggregated from the values given and stored.
      dependents.push({ ...entry, series: null });
    }
  // A formula given anew is computed in every year of its inputs.
  for (const { entry } of rederived.values()) if (entry.parsedFormula) dependents.push({ ...entry, series: null });
  const storedCodes = [...yearsOf.keys()].filter((code) => !excluded.has(code));
  const storedAggregates =
    storedCodes.length === 0
      ? []
      : await prisma.indicator.findMany({
          where: { code: { in: storedCodes }, aggregation: { not: 'NONE' }, formula: null },
          orderBy: { code: 'asc' },
        });
  for (const { coverageLevels: _levels, coverageYears: _years, ...row } of storedAggregates) {
    if (!aggregatesItsParents(row)) continue;
    excluded.add(row.code);
    ownAggregates.add(row.code);
    dependents.push({ ...row, series: null, parsedFormula: null, line: 0 });
  }
  const reads = (
    entry: { formula: string | null; derivedFrom: string[]; weightIndicatorCode: string | null },
    codes: ReadonlySet<string>,
  ) =>
    entry.derivedFrom.some((code) => codes.has(code)) ||
    (entry.formula === null && entry.weightIndicatorCode !== null && codes.has(entry.weightIndicatorCode));
  // The import's own entries that nothing of it computes (a catalogue row repeated beside the one
  // whose rule changes, a formula over what the observations file gives): derived from or weighted by
  // what the catalogue rows change or the observations file gives, they follow too.
  const followers = entries.filter((entry) => !ownAggregates.has(entry.code) && !rederived.has(entry.code) && !isSyntheticIndicator(entry));
  const following = new Set<string>();
  for (let given = [...new Set([...yearsOf.keys(), ...changed])], moved = new Set([...changed, ...catalogue.observed]); given.length > 0;) {
    const rows = await prisma.indicator.findMany({
      where: {
        code: { notIn: [...excluded] },
        OR: [{ derivedFrom: { hasSome: given } }, { weightIndicatorCode: { in: given }, formula: null }],
      },
      orderBy: { code: 'asc' },
    });
    const next: string[] = [];
    for (const { coverageLevels: _levels, coverageYears: _years, ...row } of rows) {
      excluded.add(row.code);
      // Demonstration data is generated with its districts and state by the seed, by rules of its own.
      if (isSyntheticIndicator(row)) {
        synthetic.push(row.code);
        continue;
      }
      dependents.push({ ...row, series: null, parsedFormula: row.formula ? parseFormula(row.formula) : null, line: 0 });
      next.push(row.code);
    }
    for (const entry of followers) {
      if (following.has(entry.code) || !reads(entry, moved)) continue;
      following.add(entry.code);
      dependents.push({ ...entry, series: null });
      next.push(entry.code);
    }
    given = next;
    moved = new Set(next);
  }
  const notRecomputed = synthetic.length > 0 ? { notRecomputed: synthetic.sort() } : {};
  if (dependents.length === 0 && rederived.size === 0) return { ok: true, observations: [], ...notRecomputed };
  // A dependent is computed again in the years of what it reads; those of a chain settle in as many rounds as it is long.
  const readBy = (entry: CatalogueEntry): string[] =>
    entry.parsedFormula ? entry.parsedFormula.inputs : entry.weightIndicatorCode ? [entry.weightIndicatorCode] : [];
  for (let round = 0; round < dependents.length; round += 1)
    for (const entry of dependents) {
      const years = yearsOf.get(entry.code) ?? new Set<number>();
      for (const code of readBy(entry)) for (const year of yearsOf.get(code) ?? []) years.add(year);
      yearsOf.set(entry.code, years);
    }
  // What follows from a changed indicator is computed in every stored year: it and what it reads are
  // read in every year, as are weights (a county lacking one in a year is weighted by its nearest year's).
  const everyYear = new Set([...changed, ...dependents.flatMap((entry) => (entry.parsedFormula ? [] : readBy(entry)))]);
  const spread = new Set(changed);
  const widened = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of dependents) {
      if (widened.has(entry.code) || !(spread.has(entry.code) || readBy(entry).some((code) => spread.has(code)))) continue;
      widened.add(entry.code);
      spread.add(entry.code);
      for (const code of [entry.code, ...readBy(entry)]) everyYear.add(code);
      grew = true;
    }
  }
  const codes: string[] = [];
  const years: number[] = [];
  const dependentCodes = new Set(dependents.map((entry) => entry.code));
  const derivedDependents = new Set(dependents.filter((entry) => entry.parsedFormula).map((entry) => entry.code));
  // What each dependent reads, and its own values, in its years (the pairs repeat, which the IN list absorbs).
  for (const entry of dependents)
    for (const code of [...readBy(entry), entry.code])
      if (!everyYear.has(code))
        for (const year of yearsOf.get(entry.code)!) {
          codes.push(code);
          years.push(year);
        }
  // The changed indicators' rows without a value too: statuses the sources gave, and parents left MISSING
  // by the old rule; and the statuses the sources gave of the derived dependents, which their formulas leave as given.
  const { rows } = await pool.query<StoredCell>(
    `SELECT o.indicator_code, o.region_code, o.year, o.value, o.status, o.aggregated, o.derived,
            o.own_missing_reason->>'kind' IS NOT DISTINCT FROM 'notAggregated' AS not_aggregated
       FROM indicators.observation o
      WHERE (o.value IS NOT NULL OR o.indicator_code = ANY($4::text[])
             OR (o.indicator_code = ANY($5::text[]) AND NOT o.aggregated AND NOT o.derived AND o.own_missing_reason IS NULL))
        AND ((o.indicator_code, o.year) IN (SELECT * FROM unnest($1::text[], $2::int[])) OR o.indicator_code = ANY($3::text[]))`,
    [codes, years, [...everyYear], [...changed], [...derivedDependents]],
  );
  const cellKey = (row: { indicatorCode: string; regionCode: string; year: number }) =>
    `${row.indicatorCode}|${row.regionCode}|${row.year}`;
  const storedKey = (row: StoredCell) => `${row.indicator_code}|${row.region_code}|${row.year}`;
  const importedCells = new Set(imported.map(cellKey));
  const fromImport = new Set(entries.map((entry) => entry.code));
  const fileOf = (code: string): string => (catalogue.catalogueFile && fromImport.has(code) ? catalogue.catalogueFile : STORED_CATALOGUE);
  // A source's figure: neither aggregated nor left MISSING by RegioGraph, nor computed by a formula.
  const publishedRow = (row: StoredCell) => !row.aggregated && !row.not_aggregated && !row.derived;
  // Published values and statuses are never computed over, whatever the formula, given first, again or
  // anew: they stand as given, and what each rederived indicator keeps so is counted for the report.
  const publishedCells = new Map<string, Set<string>>();
  for (const cell of [
    ...rows.filter(publishedRow).map(storedKey),
    ...imported.filter((row) => !row.aggregated && !row.derived).map(cellKey),
  ]) {
    const code = cell.slice(0, cell.indexOf('|'));
    if (!rederived.has(code)) continue;
    let cells = publishedCells.get(code);
    if (!cells) publishedCells.set(code, (cells = new Set()));
    cells.add(cell);
  }
  const publishedCounts = new Map([...publishedCells].map(([code, cells]) => [code, cells.size]));
  // The values stand as if the import gave them once more: the published ones of an indicator
  // aggregated again, so that its parents, and what reads them, follow as from a release of them; and
  // none in every cell of one no longer derived, so that what reads it follows as from a withdrawal.
  // None of them is written.
  const observations = imported.slice();
  for (const row of rows) {
    if (importedCells.has(storedKey(row))) continue;
    const change = rederived.get(row.indicator_code);
    const base = { indicatorCode: row.indicator_code, regionCode: row.region_code, year: row.year, missingReason: null };
    if (reaggregated.has(row.indicator_code) && publishedRow(row)) observations.push({ ...base, value: row.value, status: row.status });
    else if (change && !change.entry.parsedFormula && !publishedRow(row)) observations.push({ ...base, value: null, status: 'MISSING' });
  }
  const inputs = {
    values: new Map(),
    renewed: new Map(),
    aggregated: new Map(),
    superseded: new Map(),
    // A formula given anew is computed in every cell of its inputs, stored cells of its own or none.
    rederived: new Map([...rederived.keys()].map((code) => [code, new Set<string>()])),
  } satisfies DependentInputs;
  // A dependent's own values as published (not aggregated, not derived): what its parents are aggregated
  // from, and parents published so are kept, never computed over; a derived one's, its formula leaves as given.
  const published = new Map<string, Map<string, Map<number, number>>>();
  const put = (
    target: Map<string, Map<string, Map<number, number>>>,
    code: string,
    region: string,
    year: number,
    value: number | null,
  ): void => {
    let byRegion = target.get(code);
    if (!byRegion) target.set(code, (byRegion = new Map()));
    let byYear = byRegion.get(region);
    if (!byYear) byRegion.set(region, (byYear = new Map()));
    if (value === null) byYear.delete(year);
    else byYear.set(year, value);
  };
  const mark = (target: Map<string, Set<string>>, code: string, cell: string, on: boolean): void => {
    let cells = target.get(code);
    if (!cells) target.set(code, (cells = new Set()));
    if (on) cells.add(cell);
    else cells.delete(cell);
  };
  // The dependents' cells stored with a value: those a revision leaves without one are deleted.
  const storedDependentCells = new Set<string>();
  // The statuses without a value the sources gave of the derived dependents: their formulas leave them as given.
  const withheld = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.value === null) {
      if (derivedDependents.has(row.indicator_code) && publishedRow(row))
        mark(withheld, row.indicator_code, `${row.region_code}|${row.year}`, true);
      continue;
    }
    const cell = `${row.region_code}|${row.year}`;
    if (dependentCodes.has(row.indicator_code)) {
      storedDependentCells.add(storedKey(row));
      if (publishedRow(row)) put(published, row.indicator_code, row.region_code, row.year, row.value);
      else if (rederived.has(row.indicator_code)) mark(inputs.rederived, row.indicator_code, cell, true);
      else if (reaggregated.has(row.indicator_code)) mark(inputs.superseded, row.indicator_code, cell, true);
      continue;
    }
    put(inputs.values, row.indicator_code, row.region_code, row.year, row.value);
    mark(inputs.aggregated, row.indicator_code, cell, row.aggregated);
  }
  // What the import writes replaces what is stored; a cell it leaves without a value has none to compute with.
  for (const row of observations) {
    const cell = `${row.regionCode}|${row.year}`;
    put(inputs.values, row.indicatorCode, row.regionCode, row.year, row.value);
    mark(inputs.aggregated, row.indicatorCode, cell, row.aggregated ?? false);
    mark(inputs.renewed, row.indicatorCode, cell, true);
    if ((ownAggregates.has(row.indicatorCode) || following.has(row.indicatorCode)) && !row.aggregated && !row.derived)
      put(published, row.indicatorCode, row.regionCode, row.year, row.value);
    // What the import gives of a derived dependent stands as a stored figure or status does, for what reads it too.
    if (derivedDependents.has(row.indicatorCode) && !row.aggregated && !row.derived) {
      put(published, row.indicatorCode, row.regionCode, row.year, row.value);
      mark(withheld, row.indicatorCode, cell, row.value === null);
    }
  }
  const computed = computeObservations(dependents, new Map(), new Map(), regions, fileOf, published, inputs, withheld);
  if (computed.problems.length > 0) return { ok: false, problems: computed.problems };
  // What the import gives a cell stands, a status without a value included: it is not computed over.
  const written = new Set(observations.map(cellKey));
  const recomputedObservations = computed.observations.filter((row) => !written.has(cellKey(row)));
  // Named are those with a value that follows from the import: a rate without values in its years has none.
  const computedCodes = new Set(recomputedObservations.map((row) => row.indicatorCode));
  const named = (which: (entry: CatalogueEntry) => boolean) =>
    dependents.filter((entry) => which(entry) && computedCodes.has(entry.code)).map((entry) => entry.code);
  // An indicator computed again for its new formula alone is reported as such (LoadReport.rederived).
  const derived = named((entry) => !!entry.parsedFormula && !rederived.has(entry.code));
  const weighted = named((entry) => !entry.parsedFormula && !ownAggregates.has(entry.code));
  // An indicator aggregated again for its new rule alone is reported as such (LoadReport.reaggregated).
  const importedCodes = new Set(imported.map((row) => row.indicatorCode));
  const aggregated = named((entry) => ownAggregates.has(entry.code) && importedCodes.has(entry.code));
  const recomputed =
    derived.length + weighted.length + aggregated.length > 0
      ? { recomputed: { derived, weighted, ...(aggregated.length > 0 ? { aggregated } : {}) } }
      : {};
  const unset = computed.unset.filter((cell) => storedDependentCells.has(cellKey(cell)));
  const removed = unset.filter((cell) => !rederived.has(cell.indicatorCode));
  // What no rule or formula gives any more of the changed indicators: the parents the old rule
  // aggregated, the cells the new formula leaves without a value, every value of one no longer derived.
  const given = new Set([...importedCells, ...recomputedObservations.map(cellKey)]);
  const stale = rows.filter(
    (row) => reaggregated.has(row.indicator_code) && (row.aggregated || row.not_aggregated) && !given.has(storedKey(row)),
  );
  // A source's figure stands, whatever the formula: it was never computed by one.
  const underived = rows.filter((row) => rederived.has(row.indicator_code) && !given.has(storedKey(row)) && !publishedRow(row));
  const cellOf = (row: StoredCell): ObservationCell => ({ indicatorCode: row.indicator_code, regionCode: row.region_code, year: row.year });
  const byCell = (a: ObservationCell, b: ObservationCell) =>
    a.indicatorCode.localeCompare(b.indicatorCode) || a.year - b.year || a.regionCode.localeCompare(b.regionCode);
  return {
    ok: true,
    observations: recomputedObservations,
    ...recomputed,
    ...notRecomputed,
    ...(removed.length > 0 ? { removed } : {}),
    ...(stale.length > 0 ? { unaggregated: stale.map(cellOf).sort(byCell) } : {}),
    ...(underived.length > 0 ? { underived: underived.map(cellOf).sort(byCell) } : {}),
    ...(publishedCounts.size > 0 ? { published: publishedCounts } : {}),
  };
}

/**
 * The stored values RegioGraph aggregated (or left MISSING for lack of the regions within) of the
 * indicators whose catalogue row now says they are not aggregated (aggregation NONE, no formula)
 * where the stored row, not derived, said they were. Nothing gives them any more: left, the API would
 * serve sums by a rule the data steward withdrew. Asked only where a row switches, so other imports
 * cost no statement. (A formula taken away takes all values computed by it: `underived`.)
 */
async function valuesNoRuleGives(
  pool: DatabaseClient['pool'],
  entries: readonly CatalogueEntry[],
  stored: readonly { code: string; aggregation: string; formula: string | null }[],
  observations: readonly ObservationRecord[],
): Promise<ObservationCell[]> {
  const aggregatedBefore = new Set(stored.filter((row) => row.aggregation !== 'NONE' && row.formula === null).map((row) => row.code));
  const codes = entries
    .filter((entry) => entry.aggregation === 'NONE' && entry.formula === null && aggregatedBefore.has(entry.code))
    .map((entry) => entry.code);
  if (codes.length === 0) return [];
  const { rows } = await pool.query<{ indicator_code: string; region_code: string; year: number }>(
    `SELECT indicator_code, region_code, year
       FROM indicators.observation
      WHERE indicator_code = ANY($1::text[])
        AND (aggregated OR own_missing_reason->>'kind' = 'notAggregated')
      ORDER BY indicator_code, year, region_code`,
    [codes],
  );
  const written = new Set(observations.map((row) => `${row.indicatorCode}|${row.regionCode}|${row.year}`));
  return rows
    .filter((row) => !written.has(`${row.indicator_code}|${row.region_code}|${row.year}`))
    .map((row) => ({ indicatorCode: row.indicator_code, regionCode: row.region_code, year: row.year }));
}

/** What a written import changed. */
export interface WrittenImport {
  /** Observations inserted or changed; the rest were stored already, exactly so, and left as they were. */
  observationsWritten: number;
  /** Stored values of derived indicators deleted because a revision left an input of theirs without a value (LoadReport.removed). */
  observationsRemoved: number;
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
  /**
   * Records the import (indicators.import: the release it brings, the actor, the time) and stamps the
   * observations it writes with it, so each value says which release it was published in; the seed
   * records none (its data's provenance is data/monitoring/NOTES.md).
   */
  record?: {
    release: string | null;
    /** Who vouches for the indicators the import makes official (PreparedImport.madeOfficial), with the files read. */
    official?: { by: string; files: ImportedFile[] };
  };
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
    // Imports take turns (lockSeed, held to commit), and each is stamped later than every one before
    // it, not at its transaction's start: one that waited for the lock would otherwise carry a moment
    // older than an import committed before it, and a partner asking for values imported after the
    // last import it read (importedAfter) would never see its values.
    const [recorded] = steps.record
      ? await tx.$queryRaw<{ id: number; imported_at: string }>`
          INSERT INTO indicators.import (release, actor, imported_at)
          VALUES (${steps.record.release}, ${actor},
                  GREATEST(clock_timestamp(), (SELECT max(imported_at) + interval '1 millisecond' FROM indicators.import)))
          RETURNING id, imported_at::text`
      : [];
    const observations = await upsertObservations(
      tx,
      prepared.observations,
      (done, total) => log(`written ${done} of ${total} observations`),
      recorded?.id ?? null,
    );
    if (steps.record?.official && prepared.madeOfficial?.length) {
      const { by, files } = steps.record.official;
      await tx.$executeRaw`
        INSERT INTO indicators.official_designation (indicator_code, official_by, files, release)
        SELECT code, ${by}, ${JSON.stringify(files)}::jsonb, ${steps.record.release} FROM unnest(${prepared.madeOfficial}::text[]) AS code`;
    }
    // An import that wrote no value is no release of any: nothing would name it.
    if (recorded && observations.written === 0) await tx.$executeRaw`DELETE FROM indicators.import WHERE id = ${recorded.id}`;
    const removed = await deleteObservations(tx, [
      ...(prepared.report.removed ?? []),
      ...(prepared.report.unaggregated ?? []),
      ...(prepared.report.underived ?? []),
    ]);
    const indicatorsChanged = [...new Set([...definitionsWritten, ...observations.indicators, ...removed.indicators])].sort();
    // An indicator's coverage follows from its observations alone, and those of the others did not change.
    await refreshCoverage(tx, indicatorsChanged);
    const changes = await recordBulkChanges(
      tx,
      INDICATOR_FEED,
      actor,
      'INDICATOR',
      Prisma.sql`SELECT code, NULL::int FROM indicators.indicator WHERE code = ANY(${indicatorsChanged}::text[])`,
      Prisma.sql`SELECT code FROM indicators.indicator`,
    );
    if (steps.record && recorded) {
      const changed: ObservationChanges = new Map(observations.changed);
      for (const [code, gone] of removed.changed) noteChanges(changed, code, [...gone.years], [...gone.levels]).removed += gone.removed;
      await recordImportChanges(tx, changes, changed, new Set(definitionsWritten), steps.record.release, recorded.imported_at);
    }
    await steps.finish?.(tx);
    return { observationsWritten: observations.written, observationsRemoved: removed.removed, indicatorsChanged };
  });
}

/**
 * Stores beside each change-feed row of an import what it changed in that indicator (the feed's
 * IndicatorChange.release and .imported): its release and moment, the years and levels of the values
 * written or removed, how many, and whether the definition changed. One statement.
 */
async function recordImportChanges(
  tx: RawExecutor,
  feedRows: { key: string; position: string }[],
  changed: ObservationChanges,
  definitions: Set<string>,
  release: string | null,
  importedAt: string,
): Promise<void> {
  if (feedRows.length === 0) return;
  const rows = feedRows.map(({ key, position }) => {
    const values = changed.get(key);
    return {
      position,
      years: [...(values?.years ?? [])].sort((a, b) => a - b),
      levels: REGION_LEVELS.filter((level) => values?.levels.has(level)),
      written: values?.written ?? 0,
      removed: values?.removed ?? 0,
      definition: definitions.has(key),
    };
  });
  await tx.$executeRaw`
    INSERT INTO indicators.import_change (position, release, imported_at, years, levels, values_written, values_removed, definition_changed)
    SELECT change.position, ${release}, ${importedAt}::timestamptz, change.years, change.levels, change.written, change.removed, change.definition
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS change(position bigint, years int[], levels text[], written int, removed int, definition boolean)`;
}

/**
 * Validates everything first; any problem → nothing is written and every problem is returned
 * (file:line: reason). Otherwise writes everything in one transaction.
 */
export async function importFiles(database: BulkWriter, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const result = await prepareImport(database.prisma, input, { stored: database.pool, ...options });
  if (!result.ok) return result;
  const written = await writeImport(database.pool, result.prepared, options.actor ?? importActor(input), options.log, {
    record: {
      release: options.release ?? null,
      ...(options.officialBy ? { official: { by: options.officialBy, files: options.files ?? [] } } : {}),
    },
  });
  return resultOf(result.prepared, written, started);
}

export function resultOf(prepared: PreparedImport, written: WrittenImport, started: number): Extract<ImportResult, { ok: true }> {
  return {
    ok: true,
    indicators: prepared.definitions.length,
    observations: prepared.observations.length,
    ...written,
    milliseconds: Date.now() - started,
    ...(prepared.madeOfficial ? { madeOfficial: prepared.madeOfficial } : {}),
    ...prepared.report,
  };
}

/** Per indicator, how many cells and the first ten as the report names them ("03102 2019, 031 2019"). */
function cellsByIndicator(cells: readonly ObservationCell[]): { code: string; count: number; named: string }[] {
  const byIndicator = new Map<string, string[]>();
  for (const cell of cells)
    byIndicator.set(cell.indicatorCode, [...(byIndicator.get(cell.indicatorCode) ?? []), `${cell.regionCode} ${cell.year}`]);
  return [...byIndicator].map(([code, all]) => ({
    code,
    count: all.length,
    named: `${all.slice(0, 10).join(', ')}${all.length > 10 ? ', …' : ''}`,
  }));
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
  if (result.recomputed?.derived.length)
    lines.push(`recomputed from their stored formulas over the values imported: ${result.recomputed.derived.join(', ')}`);
  if (result.recomputed?.aggregated?.length)
    lines.push(
      `recomputed (districts, Samtgemeinden, counties and state aggregated from the values imported within): ${result.recomputed.aggregated.join(', ')}`,
    );
  if (result.recomputed?.weighted.length)
    lines.push(
      `recomputed (districts, Samtgemeinden, counties and state weighted by the indicators imported): ${result.recomputed.weighted.join(', ')}`,
    );
  for (const { code, count, named } of cellsByIndicator(result.removed ?? []))
    lines.push(`removed ${count} stored value(s) of ${code}, whose formula has an input the import leaves without a value: ${named}`);
  const rules = new Map(
    (result.reaggregated ?? []).map(({ code, aggregation, weightIndicatorCode }) => [
      code,
      weightIndicatorCode ? `${aggregation} by ${weightIndicatorCode}` : aggregation,
    ]),
  );
  if (rules.size > 0)
    lines.push(
      `aggregated again from the stored values within, by the rule its catalogue row now gives: ${[...rules].map(([code, rule]) => `${code} (${rule})`).join(', ')}`,
    );
  for (const { code, count, named } of cellsByIndicator(result.unaggregated ?? []))
    lines.push(
      rules.has(code)
        ? `removed ${count} value(s) of ${code} aggregated from the regions within, which the rule its catalogue row now gives (${rules.get(code)}) does not give: ${named}`
        : `removed ${count} value(s) of ${code} aggregated from the regions within, which its catalogue row no longer aggregates (NONE): ${named}`,
    );
  const formulas = new Map((result.rederived ?? []).map(({ code, formula }) => [code, formula]));
  const derivedAnew = (result.rederived ?? []).filter(({ formula }) => formula !== null);
  if (derivedAnew.length > 0)
    lines.push(
      `computed again in every stored year by the formula its catalogue row now gives: ${derivedAnew
        .map(
          ({ code, formula, published }) =>
            `${code} (${formula}${published ? `; ${published} cell(s) its source published left as given` : ''})`,
        )
        .join(', ')}`,
    );
  for (const { code, count, named } of cellsByIndicator(result.underived ?? []))
    lines.push(
      formulas.get(code)
        ? `removed ${count} stored value(s) of ${code} which the formula its catalogue row now gives (${formulas.get(code)}) does not give: ${named}`
        : `removed ${count} value(s) of ${code} computed by the formula its catalogue row no longer gives: ${named}`,
    );
  if (result.notRecomputed?.length)
    lines.push(
      `not recomputed (synthetic demonstration data weighted by the indicators imported, generated again with its districts by the next seed): ${result.notRecomputed.join(', ')}`,
    );
  if (result.unusedSeries.length > 0)
    lines.push(`${result.unusedSeries.length} series of the value files feed no indicator: ${result.unusedSeries.join(', ')}`);
  return lines;
}

/**
 * Codes the catalogue file defines, valid or not: observations then blame the catalogue, not themselves.
 * None when the file is not CSV at all: its own validation reports that.
 */
function catalogueCodes(text: string, dialect: CsvDialect): string[] {
  try {
    return parseCsvRecords(text, dialect)
      .map(({ record }) => (record.code ?? '').trim())
      .filter(Boolean);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return [];
    throw error;
  }
}
