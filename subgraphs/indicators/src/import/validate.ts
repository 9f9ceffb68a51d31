import {
  CsvSyntaxError,
  formerRegionCodeNote,
  isRegionCode,
  MAX_YEAR,
  MIN_YEAR,
  parseCalendarDate,
  parseCsv,
  type CsvDialect,
} from '@regiograph/shared';
import type { IndicatorAggregation, IndicatorPolarity, IndicatorTheme } from '@regiograph/db';
import {
  KEEPABLE_CATALOGUE_COLUMNS,
  NULL_VALUE_STATUSES,
  OBSERVATION_STATUSES,
  type IndicatorDefinition,
  type KeepableCatalogueColumn,
  type ObservationRecord,
} from '../definitions';
import type { RegionDirectory } from '../regions';
import { parseFormula, type Formula } from '../formula';
import { parseSeriesSpec, type SeriesSpec } from './values';
import { regionCellHint, regionCodeOfAgs, regionsByAgs, type RegionKeyColumn } from './region-keys';
import { licenceProblem } from './licences';

export interface ImportProblem {
  file: string;
  /** 1-based line in the file (1 = the header). */
  line: number;
  reason: string;
}

export interface Validated<T> {
  records: T[];
  problems: ImportProblem[];
}

const THEMES: IndicatorTheme[] = [
  'MOBILITY',
  'EDUCATION',
  'RETAIL',
  'MEDICAL_CARE',
  'DEMOGRAPHY',
  'ECONOMY',
  'LABOUR_MARKET',
  'ENVIRONMENT',
  'GEOGRAPHY',
  'HOUSING',
  'PUBLIC_FINANCES',
];
const POLARITIES: IndicatorPolarity[] = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'NEUTRAL'];
const AGGREGATIONS: IndicatorAggregation[] = ['SUM', 'WEIGHTED_MEAN', 'NONE'];

export const CATALOGUE_COLUMNS = {
  required: [
    'code',
    'name',
    'theme',
    'unit',
    'decimals',
    'polarity',
    'aggregation',
    'source_publisher',
    'source_title',
    'source_licence',
    'official',
  ],
  optional: [
    'description',
    'weight_indicator',
    'formula',
    'series',
    'source_url',
    'source_attribution',
    'source_reference_date',
    'source_code',
    'reference_period',
    'break_notes',
  ],
} as const;

export const OBSERVATION_COLUMNS = {
  required: ['region_code', 'indicator_code', 'year', 'value'],
  optional: ['status', 'missing_reason'],
} as const;

export const INDICATOR_CODE_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const NUMBER_PATTERN = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Why a value text is no number the store keeps as written, or null. A plain decimal only; one beyond
 * a double's range would be stored as Infinity (which no answer can carry) or as 0 (a value that was
 * not given), so both are refused rather than rounded.
 */
export function numberProblem(text: string, value: number, file: 'observations' | 'values'): string | null {
  if (!NUMBER_PATTERN.test(text)) return `bad number ${JSON.stringify(text)} (${notANumberHint(text, file)})`;
  if (!Number.isFinite(value)) return `number ${JSON.stringify(text)} is too large to store`;
  if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return `number ${JSON.stringify(text)} is too close to 0 to store`;
  return null;
}
/**
 * The signs the statistics offices write in a table's cell instead of a number (Destatis,
 * "Zeichenerklärung"), which a sheet copied from their tables keeps. "-" is no missing value there
 * but "nothing", exactly 0: the importer cannot tell which of the two the sheet means.
 */
const TABLE_SIGNS: ReadonlyMap<string, string> = new Map([
  ['-', 'nothing (exactly 0)'],
  ['–', 'nothing (exactly 0)'],
  ['.', 'unknown or withheld'],
  ['...', 'not available yet'],
  ['…', 'not available yet'],
  ['x', 'not meaningful'],
  ['X', 'not meaningful'],
  ['/', 'not reliable enough'],
]);

/** What to write instead of a value text that is no number: the spreadsheet habit it shows, else the format. */
function notANumberHint(text: string, file: 'observations' | 'values'): string {
  const missing =
    file === 'values'
      ? 'leave the row out where there is no value (never 0)'
      : 'where there is no value leave the value empty with status MISSING (and a missing_reason), or SUPPRESSED where it is withheld';
  const sign = TABLE_SIGNS.get(text);
  if (sign) return `"${text}" is the statistics offices' sign for "${sign}": write 0 if it means 0; ${missing}`;
  // 1,234 is 1.234 with a decimal comma and 1234 with an English thousands separator: no value is suggested for it.
  if (/^[-+]?\d{1,3},\d{3}$/.test(text))
    return `a comma: write a decimal comma as a point (${text.replace(',', '.')}), and leave out a thousands separator (${text.replace(',', '')})`;
  if (/^[-+]?\d{1,3}(\.\d{3})*,\d+$|^[-+]?\d+,\d+$/.test(text))
    return `a decimal comma, as spreadsheets with German settings write it: write ${text.replace(/\./g, '').replace(',', '.')}, with a decimal point and no thousands separators`;
  return `use a decimal point, no thousands separators${file === 'values' ? '; leave out missing values' : ''}`;
}

/**
 * Why a year cell is no year a file may hold a value for, or null: its format, its range, a date or
 * a thousands separator a spreadsheet wrote, a year that has not begun.
 */
export function yearProblem(text: string, now: Date = new Date()): string | null {
  const year = Number(text);
  if (/^\d{4}$/.test(text) && year >= IMPORT_MIN_YEAR && year <= IMPORT_MAX_YEAR) return futureYearProblem(year, now);
  const hint = GERMAN_DATE.test(text)
    ? `: a date; give the year the value describes, and the day in its catalogue row's reference_period (e.g. "31.12.")`
    : /^\d\.\d{3}$/.test(text)
      ? `: a thousands separator (a spreadsheet formatted the year as a number); write ${text.replace('.', '')}`
      : '';
  return `bad year ${JSON.stringify(text)} (${IMPORT_MIN_YEAR}–${IMPORT_MAX_YEAR})${hint}`;
}

/** A date as German settings write it: 31.12.2023. */
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
/** The one German form EXCEL_DE reads as a date: day and month of two digits each (Excel's TT.MM.JJJJ). */
const EXCEL_DE_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;

/**
 * A catalogue's `source_reference_date` as a day, or why it is none. ISO (2023-12-31) always; with
 * --dialect EXCEL_DE also 31.12.2023 as Excel with German settings writes a date, as its numbers are
 * read in that dialect. Without it a German date is refused with the ISO form to write: read as
 * either, a file would be taken on a guess of where it came from.
 */
export function referenceDateOf(text: string, dialect: CsvDialect): { date: Date; problem: null } | { date: null; problem: string } {
  const iso = parseCalendarDate(text);
  if (iso) return { date: iso, problem: null };
  const german = GERMAN_DATE.exec(text);
  const written = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : null;
  const day = written ? parseCalendarDate(written) : null;
  if (dialect === 'EXCEL_DE' && day && EXCEL_DE_DATE.test(text)) return { date: day, problem: null };
  const forms = dialect === 'EXCEL_DE' ? 'YYYY-MM-DD, or DD.MM.YYYY as --dialect EXCEL_DE reads it' : 'YYYY-MM-DD';
  return {
    date: null,
    problem: `bad source_reference_date ${JSON.stringify(text)} (${forms}${day ? `: write ${written}` : ''})`,
  };
}

/** One to three digits, a point and three more: how German settings write a thousand and more (1.234 for 1234). */
export const THOUSANDS_LIKE = /^[-+]?[1-9]\d{0,2}\.\d{3}$/;

/**
 * Why a value text that reads as a number is likely a German thousands separator, or null. "1.234"
 * is 1.234 to the importer and 1234 to a sheet with German settings; an indicator shown with fewer
 * than three decimals gets no such value from a publisher, so it is refused rather than stored a
 * thousand times too small.
 */
export function thousandsSeparatorProblem(text: string, indicator: { code: string; decimals: number }): string | null {
  if (indicator.decimals >= 3 || !THOUSANDS_LIKE.test(text)) return null;
  const whole = text.replace('.', '');
  return (
    `${JSON.stringify(text)} has three decimals, and ${indicator.code} is shown with ${indicator.decimals}: is the point a thousands separator ` +
    `(German settings write 1234 as 1.234)? Write ${whole} for that; if ${text} is meant, give ${indicator.code} 3 decimals in its catalogue row`
  );
}

/** The years a file may hold: those the API's year arguments accept. */
export const IMPORT_MIN_YEAR = MIN_YEAR;
export const IMPORT_MAX_YEAR = MAX_YEAR;

/**
 * Why a well-formed year is not one a file may hold a value for, or null. A year after the current
 * one describes nothing yet: it is a slip of the keyboard (2201 for 2021, 2032 for 2023) that would
 * become every region's "latest" value and the Atlas's default year.
 */
export function futureYearProblem(year: number, now: Date = new Date()): string | null {
  const current = now.getUTCFullYear();
  return year > current ? `year ${year} is in the future (it is ${current}): a release holds values of years that have begun` : null;
}

/**
 * Why a header line is not separated as the dialect separates it, or null. Spreadsheets with German
 * settings save CSV separated by semicolons (and with decimal commas): read as RFC 4180 the header is
 * then one column, which the checks of the columns would report as every column missing and one unknown.
 */
export function separatorProblem(fields: readonly string[], dialect: CsvDialect): string | null {
  if (fields.length !== 1) return null;
  if (dialect === 'RFC4180' && fields[0]!.includes(';'))
    return (
      'the file is separated by semicolons (as spreadsheets with German settings save CSV): save it comma-separated, with decimal points, ' +
      'or give --dialect EXCEL_DE to read it as they write it (semicolons, decimal commas, points between thousands)'
    );
  if (dialect === 'EXCEL_DE' && fields[0]!.includes(','))
    return 'the file is comma-separated, and --dialect EXCEL_DE reads files separated by semicolons: leave --dialect out';
  return null;
}

/** A number as Excel with German settings writes it: a decimal comma, points only between groups of three digits. */
const GERMAN_NUMBER = /^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?([eE][-+]?\d+)?$/;

/**
 * A value cell of a file in `dialect` as the importer reads numbers (decimal point, no thousands
 * separators), or why it is no number of that dialect. In EXCEL_DE a point is a thousands separator,
 * and one anywhere else (12.5) is refused, not read either way. Other texts (the offices' signs) are
 * passed on for numberProblem to name.
 */
export function readValueCell(
  text: string,
  dialect: CsvDialect,
  file: 'observations' | 'values',
): { value: number; problem: null } | { value: null; problem: string } {
  let read = text;
  if (dialect === 'EXCEL_DE') {
    if (GERMAN_NUMBER.test(text)) read = text.replace(/\./g, '').replace(',', '.');
    else if (text.includes('.') && /\d/.test(text))
      return {
        value: null,
        problem:
          `bad number ${JSON.stringify(text)} (--dialect EXCEL_DE reads numbers as Excel with German settings writes them: ` +
          'a decimal comma (12,5), points only between groups of three digits (1.234,5))',
      };
  }
  const value = Number(read);
  const problem = numberProblem(read, value, file);
  return problem ? { value: null, problem } : { value, problem: null };
}

/**
 * The rows without the nameless columns at the header's end that are empty on every line: a sheet
 * saved with a separator after its last cell, or a column emptied but not deleted. A nameless column
 * that holds anything stays, and is refused as unknown.
 */
export function withoutEmptyTrailingColumns(rows: { line: number; fields: string[] }[]): { line: number; fields: string[] }[] {
  const [header] = rows;
  if (!header) return rows;
  let width = header.fields.length;
  while (width > 1 && header.fields[width - 1]!.trim() === '' && rows.every(({ fields }) => (fields[width - 1] ?? '').trim() === ''))
    width--;
  if (width === header.fields.length) return rows;
  // Rows shorter than the header keep their length: the count of their fields is checked against the named columns.
  return rows.map(({ line, fields }) => ({ line, fields: fields.slice(0, width) }));
}

interface Table {
  /** The header's column names. */
  columns: string[];
  rows: { line: number; record: Record<string, string> }[];
  problems: ImportProblem[];
}

/** Parses a CSV with a header; missing required or unknown columns are problems of line 1. */
function readTable(
  text: string,
  file: string,
  columns: { required: readonly string[]; optional: readonly string[] },
  dialect: CsvDialect,
): Table {
  let parsed: { line: number; fields: string[] }[];
  try {
    parsed = withoutEmptyTrailingColumns(parseCsv(text, dialect));
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { columns: [], rows: [], problems: [{ file, line: error.line, reason: `not well-formed CSV: ${error.message}` }] };
  }
  const [header, ...rows] = parsed;
  if (!header) return { columns: [], rows: [], problems: [{ file, line: 1, reason: 'the file is empty (a header line is required)' }] };
  const separated = separatorProblem(header.fields, dialect);
  if (separated) return { columns: [], rows: [], problems: [{ file, line: header.line, reason: separated }] };
  const names = header.fields.map((name) => name.trim());
  const problems: ImportProblem[] = [];
  for (const name of columns.required)
    if (!names.includes(name)) problems.push({ file, line: header.line, reason: `missing column "${name}"` });
  const known = new Set<string>([...columns.required, ...columns.optional]);
  for (const name of names)
    if (!known.has(name))
      problems.push({
        file,
        line: header.line,
        reason: name === '' ? 'a column without a name: name it, or delete it' : `unknown column "${name}"`,
      });
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push({ file, line: header.line, reason: `column "${name}" appears twice` });
    seen.add(name);
  }
  const records = rows.map(({ line, fields }) => {
    if (fields.length !== names.length) problems.push({ file, line, reason: `expected ${names.length} fields, found ${fields.length}` });
    return { line, record: Object.fromEntries(names.map((name, index) => [name, (fields[index] ?? '').trim()])) };
  });
  return { columns: names, rows: records, problems };
}

/**
 * Validates an indicator catalogue file. Weight indicators may be defined in the same file or
 * already exist (`existingCodes`).
 */
/** A catalogue row: the definition as stored, and how the loader computes its values. */
export interface CatalogueEntry extends IndicatorDefinition {
  /** Where the values come from in the value files; null for derived or externally imported indicators. */
  series: SeriesSpec | null;
  parsedFormula: Formula | null;
  /** The catalogue file line, for problems found later (e.g. a series missing from the value files). */
  line: number;
}

/** A validated catalogue file, with the stored columns that its updates keep because it left them out. */
export interface ValidatedCatalogue extends Validated<CatalogueEntry> {
  keptColumns: KeepableCatalogueColumn[];
}

export function validateCatalogue(
  text: string,
  file: string,
  existingCodes: ReadonlySet<string>,
  dialect: CsvDialect = 'RFC4180',
): ValidatedCatalogue {
  const { columns, rows, problems } = readTable(text, file, CATALOGUE_COLUMNS, dialect);
  const keptColumns = KEEPABLE_CATALOGUE_COLUMNS.filter((name) => !columns.includes(name));
  if (problems.some((problem) => problem.line === 1)) return { records: [], problems, keptColumns };
  const records: CatalogueEntry[] = [];
  const firstLine = new Map<string, number>();
  const fileCodes = new Set(rows.map(({ record }) => record.code ?? ''));
  for (const { line, record } of rows) {
    const reasons: string[] = [];
    const code = record.code ?? '';
    if (!INDICATOR_CODE_PATTERN.test(code))
      reasons.push(`bad indicator code ${JSON.stringify(code)} (lower-case letters, digits and _, starting with a letter)`);
    else if (firstLine.has(code)) reasons.push(`duplicate indicator code ${code} (first on line ${firstLine.get(code)})`);
    else firstLine.set(code, line);
    for (const column of CATALOGUE_COLUMNS.required) if (!record[column]) reasons.push(`empty ${column}`);
    const theme = record.theme as IndicatorTheme;
    if (record.theme && !THEMES.includes(theme))
      reasons.push(`unknown theme ${JSON.stringify(record.theme)} (one of ${THEMES.join(', ')})`);
    const polarity = record.polarity as IndicatorPolarity;
    if (record.polarity && !POLARITIES.includes(polarity))
      reasons.push(`unknown polarity ${JSON.stringify(record.polarity)} (one of ${POLARITIES.join(', ')})`);
    const aggregation = record.aggregation as IndicatorAggregation;
    if (record.aggregation && !AGGREGATIONS.includes(aggregation)) {
      reasons.push(`unknown aggregation ${JSON.stringify(record.aggregation)} (one of ${AGGREGATIONS.join(', ')})`);
    }
    const decimals = Number(record.decimals);
    if (record.decimals && (!/^\d+$/.test(record.decimals) || decimals > 10))
      reasons.push(`bad decimals ${JSON.stringify(record.decimals)} (an integer 0–10)`);
    const weight = record.weight_indicator || null;
    if (aggregation === 'WEIGHTED_MEAN' && !weight) reasons.push('WEIGHTED_MEAN needs a weight_indicator');
    if (aggregation !== 'WEIGHTED_MEAN' && weight) reasons.push(`weight_indicator is only allowed with WEIGHTED_MEAN`);
    if (weight && !fileCodes.has(weight) && !existingCodes.has(weight)) reasons.push(`unknown weight indicator ${weight}`);
    if (weight && weight === code) reasons.push('an indicator cannot weight itself');
    if (record.official && !['true', 'false'].includes(record.official))
      reasons.push(`bad official ${JSON.stringify(record.official)} (true or false)`);
    const date = record.source_reference_date || null;
    const dated = date ? referenceDateOf(date, dialect) : null;
    if (dated?.problem) reasons.push(dated.problem);
    const referenceDate = dated?.date ?? null;
    let series: SeriesSpec | null = null;
    let parsedFormula: Formula | null = null;
    try {
      if (record.series) series = parseSeriesSpec(record.series);
      if (record.formula) parsedFormula = parseFormula(record.formula);
    } catch (error) {
      reasons.push((error as Error).message);
    }
    if (series && parsedFormula) reasons.push('give either series or formula, not both');
    for (const input of parsedFormula?.inputs ?? []) {
      // Derived values are computed from the inputs' values of the same load.
      if (!fileCodes.has(input)) reasons.push(`formula input ${input} is not defined in this catalogue file`);
      if (input === code) reasons.push('a formula cannot read its own indicator');
    }
    if (record.official === 'true' && !record.source_code)
      reasons.push('an official indicator needs a source_code (table or variable code)');
    // The licence itself demands the attribution: publisher and licence name travel with every value.
    const licence = record.source_licence
      ? licenceProblem(record.source_licence, record.source_attribution ?? '', record.official === 'true')
      : null;
    if (licence) reasons.push(licence);
    if (reasons.length > 0) {
      for (const reason of reasons) problems.push({ file, line, reason });
      continue;
    }
    records.push({
      line,
      series,
      parsedFormula,
      sourceCode: record.source_code ?? '',
      referencePeriod: record.reference_period ?? '',
      breakNotes: record.break_notes ?? '',
      formula: parsedFormula?.text ?? null,
      derivedFrom: parsedFormula?.inputs ?? [],
      code,
      name: record.name!,
      description: record.description ?? '',
      theme,
      unit: record.unit!,
      decimals,
      polarity,
      aggregation,
      weightIndicatorCode: weight,
      sourcePublisher: record.source_publisher!,
      sourceTitle: record.source_title!,
      sourceLicence: record.source_licence!,
      sourceUrl: record.source_url || null,
      sourceAttribution: record.source_attribution || record.source_publisher!,
      sourceReferenceDate: referenceDate,
      official: record.official === 'true',
    });
  }
  return { records, problems, keptColumns };
}

/** Validates a long-form observations file against the region directory and the known indicator codes. */
export function validateObservations(
  text: string,
  file: string,
  indicatorCodes: ReadonlySet<string>,
  regions: RegionDirectory,
  syntheticCodes: ReadonlySet<string> = new Set(),
  decimalsOf: ReadonlyMap<string, number> = new Map(),
  dialect: CsvDialect = 'RFC4180',
  regionKey: RegionKeyColumn = 'ARS',
): Validated<ObservationRecord> & { firstLines: Map<string, number> } {
  const { rows, problems } = readTable(text, file, OBSERVATION_COLUMNS, dialect);
  // Per indicator, its first row: a refusal of all its values together names it.
  const firstLines = new Map<string, number>();
  if (problems.some((problem) => problem.line === 1)) return { records: [], problems, firstLines };
  const records: ObservationRecord[] = [];
  const firstLine = new Map<string, number>();
  const byAgs = regionKey === 'AGS' ? regionsByAgs(regions) : undefined;
  for (const { line, record } of rows) {
    const reasons: string[] = [];
    let regionCode = record.region_code ?? '';
    if (byAgs) {
      const mapped = regionCodeOfAgs(regionCode, byAgs, regions);
      if (mapped.problem === null) regionCode = mapped.code;
      else reasons.push(mapped.problem);
    } else if (!isRegionCode(regionCode) || !regions.has(regionCode)) {
      // A county key a merger dissolved is named with its successor, as the API and the value files name it.
      const former = formerRegionCodeNote(regionCode);
      reasons.push(
        `unknown region code ${JSON.stringify(regionCode)}${former ? `: ${former}` : regionCellHint(regionCode, 'region_code', regions)}`,
      );
    }
    const indicatorCode = record.indicator_code ?? '';
    if (!indicatorCodes.has(indicatorCode)) reasons.push(`unknown indicator code ${JSON.stringify(indicatorCode)}`);
    else if (syntheticCodes.has(indicatorCode))
      reasons.push(
        `${indicatorCode} is RegioGraph's synthetic demonstration data: a real value would be labelled synthetic and sit among generated ones; ` +
          'import it with a catalogue row naming its real source, which replaces the synthetic values',
      );
    const yearText = record.year ?? '';
    const year = Number(yearText);
    const badYear = yearProblem(yearText);
    if (badYear) reasons.push(badYear);
    const valueText = record.value ?? '';
    let value: number | null = null;
    if (valueText !== '') {
      const read = readValueCell(valueText, dialect, 'observations');
      value = read.value;
      const decimals = decimalsOf.get(indicatorCode);
      // With EXCEL_DE the point was read as the thousands separator it is there.
      const problem =
        read.problem ??
        (decimals === undefined || dialect !== 'RFC4180' ? null : thousandsSeparatorProblem(valueText, { code: indicatorCode, decimals }));
      if (problem) reasons.push(problem);
    }
    const statusText = record.status ?? '';
    const status = (statusText || (valueText === '' ? '' : 'FINAL')) as ObservationRecord['status'];
    if (statusText && !(OBSERVATION_STATUSES as readonly string[]).includes(statusText)) {
      reasons.push(`unknown status ${JSON.stringify(statusText)} (one of ${OBSERVATION_STATUSES.join(', ')})`);
    } else if (valueText === '' && !NULL_VALUE_STATUSES.has(status)) {
      reasons.push('an empty value needs status MISSING or SUPPRESSED (a missing value is never 0)');
    } else if (valueText !== '' && NULL_VALUE_STATUSES.has(status)) {
      reasons.push(`status ${status} needs an empty value`);
    } else if (valueText !== '' && record.missing_reason) {
      reasons.push('missing_reason is only for an empty value (status MISSING or SUPPRESSED)');
    }
    const key = `${regionCode}|${indicatorCode}|${yearText}`;
    if (firstLine.has(key))
      reasons.push(`duplicate row for ${regionCode}, ${indicatorCode}, ${yearText} (first on line ${firstLine.get(key)})`);
    else firstLine.set(key, line);
    if (reasons.length > 0) {
      for (const reason of reasons) problems.push({ file, line, reason });
      continue;
    }
    if (!firstLines.has(indicatorCode)) firstLines.set(indicatorCode, line);
    records.push({
      regionCode,
      indicatorCode,
      year,
      value,
      status,
      missingReason: record.missing_reason ? { kind: 'given', text: record.missing_reason } : null,
    });
  }
  return { records, problems, firstLines };
}
