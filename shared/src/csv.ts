import { CsvError, parse } from 'csv-parse/sync';
import type { Language } from './schema-file';

/** A file that is not well-formed CSV (e.g. a quote that is never closed), with the line it was found at. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Throws a CsvSyntaxError at the first line that holds U+0000. No CSV of text has it (a file saved
 * as UTF-16 is full of it), and PostgreSQL's text types cannot store it: a value with it would fail
 * the import's write instead of its validation.
 */
export function refuseNulCharacter(text: string): void {
  const at = text.indexOf('\u0000');
  if (at === -1) return;
  throw new CsvSyntaxError('the NUL character (U+0000) is not text (a binary file, or one saved as UTF-16?)', lineAt(text, at));
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n|\r|\n/).length;
}

/**
 * A CSV file's bytes as text, refusing any that are not UTF-8 with a CsvSyntaxError at the line of
 * the first bad byte. Decoding them the usual way would turn each into U+FFFD without a word, and a
 * file saved as Windows-1252 or ISO-8859-1 (as German spreadsheets often are) would be imported
 * with its umlauts replaced: "Ärzte" as "�rzte".
 */
export function decodeCsvFile(bytes: Uint8Array): string {
  // Spreadsheets save "Unicode text" as UTF-16 with a byte order mark; its first byte is no UTF-8,
  // and calling it Windows-1252 would send the user to the wrong setting.
  const utf16 = utf16ByteOrder(bytes);
  if (utf16) throw new CsvSyntaxError(`the file is UTF-16 (${utf16}, by its byte order mark): save it as UTF-8`, 1);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const start = firstBadSequence(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, start));
    const byte = bytes[start]!.toString(16).toUpperCase().padStart(2, '0');
    throw new CsvSyntaxError(
      `byte 0x${byte} is not UTF-8 (a file saved as Windows-1252 or ISO-8859-1? save it as UTF-8)`,
      lineAt(before, before.length),
    );
  }
}

function utf16ByteOrder(bytes: Uint8Array): 'little-endian' | 'big-endian' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian';
  return null;
}

function decodes(bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}

/** Where the first byte sequence that is not UTF-8 starts, in bytes that hold one. */
function firstBadSequence(bytes: Uint8Array): number {
  // The longest prefix that may go on as UTF-8 (in streaming mode a character cut at the end is not
  // an error), by bisection; the bad sequence is the character it ends in, of at most four bytes.
  let open = 0;
  let broken = bytes.length;
  while (broken - open > 1) {
    const middle = Math.floor((open + broken) / 2);
    if (decodes(bytes.subarray(0, middle), true)) open = middle;
    else broken = middle;
  }
  let start = open;
  while (start > open - 3 && start > 0 && !decodes(bytes.subarray(0, start), false)) start--;
  return start;
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a byte order mark) with
 * `csv-parse`, its fields separated as the dialect separates them (EXCEL_DE: as Excel with German
 * settings splits a line). Returns the rows with their 1-based line numbers (where the row starts) so
 * validation errors can point at the line in the file; blank lines are skipped, rows may differ in
 * length (the callers report that per line). Malformed quoting or U+0000 throws a CsvSyntaxError.
 * It only splits: a decimal comma and the `'` that csvField writes before a formula-like text in
 * EXCEL_DE stay in the fields (nothing RegioGraph imports is EXCEL_DE).
 */
export function parseCsv(text: string, dialect: CsvDialect = 'RFC4180'): { line: number; fields: string[] }[] {
  refuseNulCharacter(text);
  const rows: { line: number; fields: string[] }[] = [];
  try {
    parse(text, {
      bom: true,
      delimiter: CSV_DIALECT_RULES[dialect].separator,
      relax_column_count: true,
      skip_empty_lines: true,
      // Files mix CRLF and LF in practice (an edited export): every line ending ends a row.
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (fields: string[], context) => {
        // `context.lines` is the line a record ends on; a quoted field may span several lines.
        rows.push({ line: context.lines - fields.reduce((breaks, field) => breaks + lineBreaksIn(field), 0), fields });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(error.message, lineOf(error));
    throw error;
  }
  return rows;
}

/** csv-parse puts the parser's position (`lines`, …) on its errors without declaring it. */
function lineOf(error: CsvError): number {
  const lines: unknown = (error as CsvError & { lines?: unknown }).lines;
  return typeof lines === 'number' ? lines : 1;
}

function lineBreaksIn(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Rows as records keyed by the header line's column names. */
export function parseCsvRecords(text: string, dialect: CsvDialect = 'RFC4180'): { line: number; record: Record<string, string> }[] {
  const [header, ...rows] = parseCsv(text, dialect);
  if (!header) return [];
  return rows.map(({ line, fields }) => ({
    line,
    record: Object.fromEntries(header.fields.map((name, index) => [name.trim(), fields[index] ?? ''])),
  }));
}

/**
 * The CSV_DIALECT enum as every subgraph declares it (as LANGUAGE_ENUM): how a CSV a field returns is
 * written. RFC4180 is what R, pandas and databases read; EXCEL_DE is for Excel with German settings,
 * which opens a file by double-click splitting lines at its list separator (;), reading numbers with a
 * decimal comma, and decoding the bytes as Windows-1252 unless the file starts with a byte order mark
 * (so "Göttingen" shows as "GÃ¶ttingen"): Microsoft documents these settings as Windows' regional ones.
 */
export const CSV_DIALECT_ENUM = {
  description: 'How a CSV is written: separator, decimal mark and encoding mark.',
  values: {
    RFC4180: {
      description:
        'RFC 4180: UTF-8 without a byte order mark, comma-separated, decimal point, CRLF line endings; for R, pandas and databases.',
    },
    EXCEL_DE: {
      description:
        'For Excel with German settings, which opens it by double-click: UTF-8 with a byte order mark, semicolon-separated, decimal ' +
        'comma, CRLF line endings, each note one quoted field. The rows and notes of RFC4180 (its first note says where the table starts ' +
        "and how to keep the region codes' leading 0); every digit of a number, no thousands separators; a text that a spreadsheet " +
        "would run as a formula (starting with =, +, -, @, a tab or a carriage return) with a ' before it, so it is shown as text.",
    },
  },
} as const;

/** A value of the CsvDialect enum. */
export type CsvDialect = keyof (typeof CSV_DIALECT_ENUM)['values'];

/** The dialects' names, the enum's values in order: RFC4180 (the default) first. */
export const CSV_DIALECTS = Object.keys(CSV_DIALECT_ENUM.values) as CsvDialect[];

interface CsvDialectRules {
  /** Written before the first line: the byte order mark (U+FEFF, bytes EF BB BF in UTF-8), or nothing. */
  start: string;
  separator: string;
  /** What a number's decimal point is written as. */
  decimalMark: string;
  /** Whether a note is one quoted field: Excel splits a note at the separator otherwise, as a row. */
  noteAsField: boolean;
  /**
   * Whether a text that a spreadsheet would run as a formula (FORMULA_START) is written with a `'`
   * before it, as OWASP's "CSV Injection" advises: the file is opened by double-click in Excel or
   * LibreOffice, which run `=HYPERLINK(…)` or `=cmd|…` from a catalogue's label, source or region name.
   */
  neutraliseFormulas: boolean;
}

/**
 * What a cell's text starts with when Excel or LibreOffice read it as a formula: `=`, `+`, `-`, `@`,
 * a tab or a carriage return (OWASP, "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const CSV_DIALECT_RULES: Record<CsvDialect, CsvDialectRules> = {
  // RFC4180 is read by programs (R, pandas, databases), for which a `'` would change the data: a
  // release named "-" would read as "'-". Who opens it in a spreadsheet is sent to EXCEL_DE.
  RFC4180: { start: '', separator: ',', decimalMark: '.', noteAsField: false, neutraliseFormulas: false },
  EXCEL_DE: { start: '\uFEFF', separator: ';', decimalMark: ',', noteAsField: true, neutraliseFormulas: true },
};

/** What a CSV of the dialect starts with before its first line: a byte order mark where Excel needs one to read UTF-8. */
export function csvStart(dialect: CsvDialect = 'RFC4180'): string {
  return CSV_DIALECT_RULES[dialect].start;
}

/**
 * One RFC 4180 field: quoted when it holds the dialect's separator, a quote or a line break; null and
 * undefined are empty. A number keeps every digit JavaScript prints (no rounding, no thousands
 * separators), its decimal point written as the dialect's decimal mark. In EXCEL_DE a text that
 * starts like a formula gets a `'` before it, so a spreadsheet shows it as text; a number is never
 * text here, so pass values as numbers: a negative one stays a number (`-0,25`), not `'-0,25`.
 */
export function csvField(value: string | number | null | undefined, dialect: CsvDialect = 'RFC4180'): string {
  if (value === null || value === undefined) return '';
  const rules = CSV_DIALECT_RULES[dialect];
  const text =
    typeof value === 'number'
      ? String(value).replace('.', rules.decimalMark)
      : rules.neutraliseFormulas && FORMULA_START.test(value)
        ? `'${value}`
        : value;
  const quote = text.includes(rules.separator) || /["\r\n]/.test(text);
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line with its CRLF ending (RFC 4180; Excel and R read it). */
export function formatCsvLine(fields: readonly (string | number | null | undefined)[], dialect: CsvDialect = 'RFC4180'): string {
  const { separator } = CSV_DIALECT_RULES[dialect];
  return `${fields.map((field) => csvField(field, dialect)).join(separator)}\r\n`;
}

/** The first note of a CSV that carries notes above its header: how to read past them. */
export const CSV_NOTES_HINT = 'Lines starting with # are notes: read with comment="#" (pandas) or comment.char="#" (R).';

/**
 * The words of the notes above a CSV, per language of the Language enum (schema-file.ts). The column
 * names, codes and the sources' own texts (names, attributions, licences) are the same in every language.
 */
export const CSV_NOTE_WORDING: Record<Language, CsvNoteWording> = {
  EN: {
    hint: CSV_NOTES_HINT,
    excelHint:
      'Lines starting with # are notes; the table starts at its header line (region_code, …). Opened by double-click, Excel reads ' +
      'region codes as numbers and drops their leading 0 (03241 becomes 3241): to keep them, import with Data > From Text/CSV ' +
      'and set region_code to Text. For R and pandas use the default CSV.',
    source: 'source',
    licence: 'licence',
    attribution: 'attribution',
    synthetic: 'SYNTHETIC (generated, not official)',
  },
  DE: {
    hint: 'Zeilen, die mit # beginnen, sind Anmerkungen: mit comment="#" (pandas) oder comment.char="#" (R) einlesen.',
    excelHint:
      'Zeilen, die mit # beginnen, sind Anmerkungen; die Tabelle beginnt mit ihrer Kopfzeile (region_code, …). Per Doppelklick geöffnet, ' +
      'liest Excel Regionalschlüssel als Zahlen und lässt ihre führende 0 weg (aus 03241 wird 3241): um sie zu behalten, über ' +
      'Daten > Aus Text/CSV öffnen und region_code als Text festlegen. Für R und pandas die Standard-CSV verwenden.',
    source: 'Quelle',
    licence: 'Lizenz',
    attribution: 'Namensnennung',
    synthetic: 'SYNTHETISCH (erzeugt, keine amtliche Statistik)',
  },
};

export interface CsvNoteWording {
  /** How to read past the notes (the first note). */
  hint: string;
  /** The first note of a CSV for Excel (EXCEL_DE): where the table starts, and what Excel does to the region codes. */
  excelHint: string;
  source: string;
  licence: string;
  attribution: string;
  /** Beside an indicator whose values are synthetic. */
  synthetic: string;
}

/** The first note's text on the notes, for the dialect: how to read past them, or for Excel where the table starts. */
export function csvNotesHint(language: Language, dialect: CsvDialect = 'RFC4180'): string {
  const words = CSV_NOTE_WORDING[language];
  return dialect === 'RFC4180' ? words.hint : words.excelHint;
}

/**
 * A note line above a CSV's header: "# " and the text, its line breaks made spaces, with the CRLF
 * ending. In a dialect for Excel the note is one field, quoted where it holds the separator or a
 * quote, so Excel shows it whole in the first column, as text.
 */
export function formatCsvNote(text: string, dialect: CsvDialect = 'RFC4180'): string {
  const note = `# ${text.replace(/[\r\n]+/g, ' ')}`;
  return `${CSV_DIALECT_RULES[dialect].noteAsField ? csvField(note, dialect) : note}\r\n`;
}

/** What a CSV's reader must be told about the source of an indicator's values. */
export interface IndicatorSourceNote {
  code: string;
  name: string;
  unit: string;
  synthetic: boolean;
  publisher: string;
  url: string | null;
  licence: string;
  attribution: string;
}

/**
 * The note on one indicator of a CSV: its source, licence and attribution, which licences such as
 * dl-de/by-2-0 require wherever the values are shown, and whether the values are synthetic.
 */
export function indicatorSourceNote(indicator: IndicatorSourceNote, label: string = indicator.code, language: Language = 'EN'): string {
  const words = CSV_NOTE_WORDING[language];
  return (
    `${label}: ${indicator.name} [${indicator.unit}]${indicator.synthetic ? ` ${words.synthetic}` : ''}; ` +
    `${words.source}: ${indicator.publisher}${indicator.url ? ` ${indicator.url}` : ''}; ${words.licence}: ${indicator.licence}; ` +
    `${words.attribution}: ${indicator.attribution}`
  );
}

/** Where region codes and names come from (a directory's source), with the attribution its licence requires. */
export interface RegionSourceNote {
  publisher: string;
  licence: string;
  url: string;
  attribution: string;
}

/** The note above every CSV with region_code and region_name columns: their source, licence and attribution. */
export function regionSourceNote(source: RegionSourceNote, language: Language = 'EN'): string {
  const words = CSV_NOTE_WORDING[language];
  return (
    `region_code, region_name: ${words.source}: ${source.publisher} ${source.url}; ${words.licence}: ${source.licence}; ` +
    `${words.attribution}: ${source.attribution}`
  );
}
