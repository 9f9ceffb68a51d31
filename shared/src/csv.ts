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
 * `csv-parse`. Returns the rows with their 1-based line numbers (where the row starts) so
 * validation errors can point at the line in the file; blank lines are skipped, rows may differ in
 * length (the callers report that per line). Malformed quoting or U+0000 throws a CsvSyntaxError.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  refuseNulCharacter(text);
  const rows: { line: number; fields: string[] }[] = [];
  try {
    parse(text, {
      bom: true,
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
export function parseCsvRecords(text: string): { line: number; record: Record<string, string> }[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map(({ line, fields }) => ({
    line,
    record: Object.fromEntries(header.fields.map((name, index) => [name.trim(), fields[index] ?? ''])),
  }));
}

/** One RFC 4180 field: quoted when it holds a comma, quote or line break; null and undefined are empty. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line with its CRLF ending (RFC 4180; Excel and R read it). */
export function formatCsvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
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
    source: 'source',
    licence: 'licence',
    attribution: 'attribution',
    synthetic: 'SYNTHETIC (generated, not official)',
  },
  DE: {
    hint: 'Zeilen, die mit # beginnen, sind Anmerkungen: mit comment="#" (pandas) oder comment.char="#" (R) einlesen.',
    source: 'Quelle',
    licence: 'Lizenz',
    attribution: 'Namensnennung',
    synthetic: 'SYNTHETISCH (erzeugt, keine amtliche Statistik)',
  },
};

export interface CsvNoteWording {
  /** How to read past the notes (the first note). */
  hint: string;
  source: string;
  licence: string;
  attribution: string;
  /** Beside an indicator whose values are synthetic. */
  synthetic: string;
}

/** A note line above a CSV's header: "# " and the text, its line breaks made spaces, with the CRLF ending. */
export function formatCsvNote(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}\r\n`;
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
