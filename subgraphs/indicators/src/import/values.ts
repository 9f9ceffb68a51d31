import { CsvSyntaxError, parseCsv, refuseNulCharacter, type CsvDialect } from '@regiograph/shared';
import type { ImportProblem } from './validate';
import { readValueCell, separatorProblem, THOUSANDS_LIKE, withoutEmptyTrailingColumns, yearProblem } from './validate';
import type { RegionDirectory } from '../regions';
import { regionCellHint, regionKeyRefusal } from './region-keys';

/**
 * Value files hold the publishers' series as delivered, one value per line:
 * `ags,source_id,series,year,value` (AGS: 2 digits the state, 5 a county, 8 a municipality).
 * The catalogue's `series` column says which series make up an indicator.
 */
export const VALUE_COLUMNS = ['ags', 'source_id', 'series', 'year', 'value'] as const;

export interface SeriesValue {
  ags: string;
  year: number;
  value: number;
}

/** All values of the value files, by `source_id:series`. */
export type SeriesStore = Map<string, SeriesValue[]>;

export interface ValueFileLine {
  file: string;
  line: number;
}

/** Where a region key occurs in the value files: its first line, how many rows, which years. */
export interface KeyOccurrence {
  first: ValueFileLine;
  rows: number;
  years: Set<number>;
}

const AGS_PATTERN = /^03(\d{3}|\d{6})?$/;

/**
 * Value files are large (130,000 lines ship with the package) and rarely quoted: without a quote
 * character a line split is exact and several times faster than the general RFC 4180 parser.
 */
function splitCsv(text: string, dialect: CsvDialect): { line: number; fields: string[] }[] {
  if (text.includes('"')) return parseCsv(text, dialect);
  const separator = dialect === 'EXCEL_DE' ? ';' : ',';
  refuseNulCharacter(text);
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: { line: number; fields: string[] }[] = [];
  source.split('\n').forEach((raw, index) => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content !== '') rows.push({ line: index + 1, fields: content.split(separator) });
  });
  return rows;
}

/**
 * Reads value files; every bad line is a problem (file:line: reason), nothing is half-read. With the
 * region directory, a key it lacks is refused at its line, but for the rows `regionKeyRefusal` lets through.
 */
export function readValueFiles(
  files: { file: string; text: string }[],
  directory?: RegionDirectory,
  dialect: CsvDialect = 'RFC4180',
): {
  store: SeriesStore;
  problems: ImportProblem[];
  keys: Map<string, KeyOccurrence>;
  /** Per series, the lines whose value a German thousands separator may have written (1.234): the catalogue's decimals tell. */
  thousandsLike: Map<string, (ValueFileLine & { text: string })[]>;
} {
  const store: SeriesStore = new Map();
  const problems: ImportProblem[] = [];
  // Where each key was first seen: duplicates name the first line.
  const firstSeen = new Map<string, ValueFileLine>();
  // Per region key, so the loader can say where keys absent from the region tree occur.
  const keys = new Map<string, KeyOccurrence>();
  const thousandsLike = new Map<string, (ValueFileLine & { text: string })[]>();
  for (const { file, text } of files) {
    let parsed: { line: number; fields: string[] }[];
    try {
      parsed = withoutEmptyTrailingColumns(splitCsv(text, dialect));
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      problems.push({ file, line: error.line, reason: `not well-formed CSV: ${error.message}` });
      continue;
    }
    const [header, ...rows] = parsed;
    if (!header) {
      problems.push({ file, line: 1, reason: `the file is empty (a header line ${VALUE_COLUMNS.join(',')} is required)` });
      continue;
    }
    const names = header.fields.map((name) => name.trim());
    if (names.join(',') !== VALUE_COLUMNS.join(',')) {
      const reason = separatorProblem(header.fields, dialect) ?? `the header must be exactly ${VALUE_COLUMNS.join(',')}`;
      problems.push({ file, line: header.line, reason });
      continue;
    }
    for (const { line, fields } of rows) {
      const reasons: string[] = [];
      if (fields.length !== VALUE_COLUMNS.length) reasons.push(`expected ${VALUE_COLUMNS.length} fields, found ${fields.length}`);
      const [ags = '', sourceId = '', series = '', yearText = '', valueText = ''] = fields.map((field) => field.trim());
      if (!AGS_PATTERN.test(ags))
        reasons.push(
          `bad ags ${JSON.stringify(ags)} (03, a 5-digit county or an 8-digit municipality key of Lower Saxony)${directory ? regionCellHint(ags, 'ags', directory) : ''}`,
        );
      if (!sourceId) reasons.push('empty source_id');
      if (!series) reasons.push('empty series');
      const year = Number(yearText);
      const badYear = yearProblem(yearText);
      if (badYear) reasons.push(badYear);
      const { value, problem } = readValueCell(valueText, dialect, 'values');
      if (problem) reasons.push(problem);
      const key = `${sourceId}:${series}`;
      const rowKey = `${key}|${ags}|${yearText}`;
      const first = firstSeen.get(rowKey);
      if (first) reasons.push(`duplicate value for ${ags}, ${key}, ${yearText} (first in ${first.file}:${first.line})`);
      else firstSeen.set(rowKey, { file, line });
      if (reasons.length === 0 && directory) {
        const refusal = regionKeyRefusal(ags, year, directory);
        if (refusal) reasons.push(refusal);
      }
      if (reasons.length > 0 || value === null) {
        for (const reason of reasons) problems.push({ file, line, reason });
        continue;
      }
      let values = store.get(key);
      if (!values) store.set(key, (values = []));
      values.push({ ags, year, value });
      // With EXCEL_DE the point was read as the thousands separator it is there.
      if (dialect === 'RFC4180' && THOUSANDS_LIKE.test(valueText)) {
        const lines = thousandsLike.get(key);
        if (lines) lines.push({ file, line, text: valueText });
        else thousandsLike.set(key, [{ file, line, text: valueText }]);
      }
      const occurrence = keys.get(ags);
      if (occurrence) {
        occurrence.rows += 1;
        occurrence.years.add(year);
      } else keys.set(ags, { first: { file, line }, rows: 1, years: new Set([year]) });
    }
  }
  return { store, problems, keys, thousandsLike };
}

/**
 * Which series make up an indicator, in the catalogue's `series` column:
 * - alternatives separated by ` | `, tried in order for each region and year (the first with a value wins);
 * - an alternative is one term or a sum of terms separated by ` + `, optionally followed by ` * <factor>`;
 * - a term is `source_id:series`; a series ending in `*` stands for every series of that source
 *   starting with the text before it. A sum has a value only where every term has one.
 * Example: `destatis-12411-0018:population_male_age_* | destatis-gv-isys:population_male`.
 */
export interface SeriesSpec {
  text: string;
  alternatives: { terms: string[]; factor: number }[];
}

const TERM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9+._-]*:[^\s:|]+$/;

/** Parses a `series` cell; throws an Error saying what is wrong. */
export function parseSeriesSpec(text: string): SeriesSpec {
  const alternatives = text.split(/\s+\|\s+/).map((alternative) => {
    const factorMatch = /^(.*\S)\s+\*\s+(\d+(?:\.\d+)?)$/.exec(alternative.trim());
    const body = factorMatch ? factorMatch[1]! : alternative.trim();
    const factor = factorMatch ? Number(factorMatch[2]) : 1;
    const terms = body.split(/\s+\+\s+/).map((term) => term.trim());
    for (const term of terms) {
      if (!TERM_PATTERN.test(term))
        throw new Error(`bad series term ${JSON.stringify(term)} (source_id:series, alternatives separated by " | ", sums by " + ")`);
    }
    return { terms, factor };
  });
  return { text, alternatives };
}

/** The series a term stands for (a trailing `*` matches by prefix); empty when none exists. */
export function seriesOfTerm(term: string, store: SeriesStore): string[] {
  if (!term.endsWith('*')) return store.has(term) ? [term] : [];
  const prefix = term.slice(0, -1);
  return [...store.keys()].filter((key) => key.startsWith(prefix)).sort();
}

/** An indicator's values by `ags|year` from its series spec: first alternative with a value wins. */
export function resolveSeries(spec: SeriesSpec, store: SeriesStore): Map<string, { ags: string; year: number; value: number }> {
  const result = new Map<string, { ags: string; year: number; value: number }>();
  for (const { terms, factor } of spec.alternatives) {
    const series = terms.flatMap((term) => seriesOfTerm(term, store));
    const sums = new Map<string, { ags: string; year: number; value: number; count: number }>();
    for (const key of series) {
      for (const { ags, year, value } of store.get(key) ?? []) {
        const cell = `${ags}|${year}`;
        const sum = sums.get(cell);
        if (sum) {
          sum.value += value;
          sum.count += 1;
        } else sums.set(cell, { ags, year, value, count: 1 });
      }
    }
    for (const [cell, sum] of sums) {
      if (sum.count !== series.length || result.has(cell)) continue;
      // Rounded to 12 significant digits: sums and unit factors must not add binary noise (6.5 × 10 = 65).
      result.set(cell, { ags: sum.ags, year: sum.year, value: Number((sum.value * factor).toPrecision(12)) });
    }
  }
  return result;
}
