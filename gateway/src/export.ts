import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  CSV_DIALECTS,
  csvNotesHint,
  csvStart,
  formatCsvLine,
  formatCsvNote,
  BKG_SOURCE,
  indicatorSourceNote,
  parseMoment,
  regionSourceNote,
  sendRepresentation,
  type CompressionOptions,
  type CsvDialect,
  type HttpRejection,
  type Language,
  type RegionSourceNote,
  type RouteHandler,
} from '@regiograph/shared';
import type { GatewayContext } from './context';

/**
 * Plain CSV URLs for R, Python and Excel users: the same observation table the API serves, run as a
 * GraphQL operation through the gateway (so limits, safelist and caching apply as to any client), with
 * the attribution each indicator's licence requires in leading `#` lines.
 */
export const EXPORT_PATH = '/export/observations.csv';

/** The one operation behind the export; registered in the safelist at start. */
export const EXPORT_OPERATION = `query ExportObservations($indicators: [ID!]!, $regions: RegionSelection!, $fromYear: Int, $toYear: Int, $importedAfter: DateTime, $long: Boolean!, $language: Language!) {
  observationTable(indicators: $indicators, regions: $regions, fromYear: $fromYear, toYear: $toYear, importedAfter: $importedAfter) {
    indicators { code name unit synthetic attribution(language: $language) breakNotes source { publisher(language: $language) licence url } }
    regions { code name }
    cells @include(if: $long) { regionCode indicatorCode year value status aggregated importedFrom { release importedAt } }
    rows @skip(if: $long) { regionCode year values }
    imports @skip(if: $long) { import { release importedAt } indicatorCodes }
  }
}`;

const LEVELS = ['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY'];
/**
 * What may be a region key: the API checks it and, for a key a partner holds instead of the ARS (a
 * municipality's AGS, a county's NUTS code such as DE929), names the ARS to send, which a refusal
 * here could not.
 */
const CODE = /^[0-9A-Za-z]{2,12}$/;
const INDICATOR = /^[A-Za-z0-9_]{1,64}$/;
/** As many indicators as a table may have columns a spreadsheet user can still read. */
const MAX_INDICATORS = 50;

interface ExportTable {
  indicators: {
    code: string;
    name: string;
    unit: string;
    synthetic: boolean;
    attribution: string;
    /** Rebasing, territorial and method changes; empty when none are known. */
    breakNotes: string;
    source: { publisher: string; licence: string; url?: string | null };
  }[];
  regions: { code: string; name: string }[];
  cells?: {
    regionCode: string;
    indicatorCode: string;
    year: number;
    value?: number | null;
    status: string;
    aggregated: boolean;
    /** The import that last wrote the value; null for the shipped data. */
    importedFrom: { release: string | null; importedAt: string } | null;
  }[];
  rows?: { regionCode: string; year: number; values: (number | null)[] }[];
  /** The wide shape's: the imports that wrote the table's observations, which its rows (values only) cannot name. */
  imports?: { import: { release: string | null; importedAt: string }; indicatorCodes: string[] }[];
}

class ExportRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function year(params: URLSearchParams, name: string, words: RefusalWording): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return null;
  if (!/^\d{4}$/.test(raw)) throw new ExportRequestError(400, words.notAYear(name, raw));
  return Number(raw);
}

/**
 * `importedAfter`, as the API's argument takes it (an ISO 8601 moment with its offset), or null. Only
 * the long shape: a wide row would show the values left out as empty, as if missing.
 */
function importedAfterParameter(params: URLSearchParams, shape: 'long' | 'wide', words: RefusalWording): string | null {
  const raw = params.get('importedAfter');
  if (raw === null) return null;
  if (parseMoment(raw) === null) throw new ExportRequestError(400, words.notAMoment(raw));
  if (shape !== 'long') throw new ExportRequestError(400, words.importedAfterNeedsLong);
  return raw;
}

/** The API's names of the arguments the export's parameters become, as the API's messages name them. */
const API_ARGUMENT_NAMES: readonly (readonly [api: string, parameter: string])[] = [
  ['regions.parentCode', 'parent'],
  ['regions.level', 'level'],
  ['regions.codes', 'regions'],
  ['fromYear', 'from'],
  ['toYear', 'to'],
];

/**
 * A last line naming the export's parameter for each API argument a message names: the messages
 * come from the API, whose names (regions.parentCode) a user of the export (parent) never typed.
 */
function parameterNamesNote(message: string, words: RefusalWording): string {
  const named = API_ARGUMENT_NAMES.filter(([api]) => new RegExp(`(^|[^A-Za-z.])${api.replace('.', '\\.')}\\b`).test(message));
  if (named.length === 0) return '';
  return `\n${words.apiNames(named)}`;
}

/** The export's parameters: any other name is refused, so that a misspelt one (fromYear for from) is not silently ignored. */
const PARAMETERS = ['indicators', 'regions', 'level', 'parent', 'from', 'to', 'shape', 'importedAfter', 'language', 'dialect'];

/** The languages of the notes, the API's Language enum: the notes RegioGraph writes and its own attributions. */
const LANGUAGES: readonly Language[] = ['EN', 'DE'];

type RefusalWording = {
  unknownParameter(name: string): string;
  repeated(name: string): string;
  indicatorsRequired: string;
  tooManyIndicators: string;
  notAnIndicatorCode(code: string): string;
  shapeOneOf: string;
  languageOneOf: string;
  dialectOneOf: string;
  levelOrRegions: string;
  regionsAlongside(alongside: readonly string[]): string;
  levelOneOf: string;
  notARegionCode(code: string): string;
  notAYear(name: string, raw: string): string;
  fromAfterTo: string;
  notAMoment(raw: string): string;
  importedAfterNeedsLong: string;
  apiNames(named: readonly (readonly [api: string, parameter: string])[]): string;
  /** Before the API's own messages, which are English in every language (the Atlas says their codes in German). */
  apiRefused: string;
};

/**
 * The export's refusals per language (`language`): a German page that downloads with language=DE
 * shows its reader German. The parameters' names and values are the same in every language.
 */
const REFUSAL_WORDING: Record<Language, RefusalWording> = {
  EN: {
    unknownParameter: (name) => `Unknown parameter ${JSON.stringify(name)}: the export takes ${PARAMETERS.join(', ')}.`,
    repeated: (name) => `${name} is given more than once.`,
    indicatorsRequired: 'indicators is required: comma-separated indicator codes, e.g. indicators=population.',
    tooManyIndicators: `At most ${MAX_INDICATORS} indicators per export.`,
    notAnIndicatorCode: (code) => `Not an indicator code: ${JSON.stringify(code)}.`,
    shapeOneOf: 'shape must be long or wide.',
    languageOneOf: `language must be one of ${LANGUAGES.join(', ')}.`,
    dialectOneOf: `dialect must be one of ${CSV_DIALECTS.join(', ')} (EXCEL_DE: for Excel with German settings).`,
    levelOrRegions: 'Give level (with an optional parent) or regions (comma-separated codes).',
    regionsAlongside: (alongside) =>
      `Give either regions (comma-separated codes), or level with an optional parent, not both: regions was given with ${alongside.join(' and ')}.`,
    levelOneOf: `level must be one of ${LEVELS.join(', ')}.`,
    notARegionCode: (code) => `Not a region code (ARS): ${JSON.stringify(code)}.`,
    notAYear: (name, raw) => `${name} must be a year (four digits), got ${JSON.stringify(raw)}.`,
    fromAfterTo: 'from must not be after to.',
    notAMoment: (raw) =>
      `importedAfter must be an ISO 8601 moment with its offset, e.g. 2026-12-02T04:30:00Z or 2026-12-02T05:30:00+01:00, got ${JSON.stringify(raw)}.`,
    importedAfterNeedsLong: 'importedAfter needs shape=long: a wide row would show the values it leaves out as empty.',
    apiNames: (named) =>
      `(These are the API's names: ${named.map(([api, parameter]) => `${api} is this export's ${parameter}`).join(', ')}.)`,
    apiRefused: '',
  },
  DE: {
    unknownParameter: (name) => `Unbekannter Parameter ${JSON.stringify(name)}: der Export nimmt ${PARAMETERS.map(quoted).join(', ')}.`,
    repeated: (name) => `${quoted(name)} ist mehr als einmal angegeben.`,
    indicatorsRequired: 'Es fehlt `indicators`: Indikatorcodes, durch Kommas getrennt, z. B. `indicators=population`.',
    tooManyIndicators: `Höchstens ${MAX_INDICATORS} Indikatoren je Export.`,
    notAnIndicatorCode: (code) => `Kein Indikatorcode: ${JSON.stringify(code)}.`,
    shapeOneOf: '`shape` muss `long` oder `wide` sein.',
    languageOneOf: `\`language\` muss einer der Werte ${LANGUAGES.join(', ')} sein.`,
    dialectOneOf: `\`dialect\` muss einer der Werte ${CSV_DIALECTS.join(', ')} sein (EXCEL_DE: für Excel mit deutschen Einstellungen).`,
    levelOrRegions: 'Bitte `level` (mit oder ohne `parent`) oder `regions` (Regionalschlüssel, durch Kommas getrennt) angeben.',
    regionsAlongside: (alongside) =>
      'Bitte entweder `regions` (Regionalschlüssel, durch Kommas getrennt) oder `level` mit oder ohne `parent` angeben, nicht beides: ' +
      `\`regions\` kam zusammen mit ${alongside.map(quoted).join(' und ')}.`,
    levelOneOf: `\`level\` muss einer der Werte ${LEVELS.join(', ')} sein.`,
    notARegionCode: (code) => `Kein Regionalschlüssel (ARS): ${JSON.stringify(code)}.`,
    notAYear: (name, raw) => `${quoted(name)} muss eine Jahreszahl (vier Ziffern) sein, angegeben war ${JSON.stringify(raw)}.`,
    fromAfterTo: '`from` darf nicht nach `to` liegen.',
    notAMoment: (raw) =>
      '`importedAfter` muss ein Zeitpunkt nach ISO 8601 mit Zeitzonenversatz sein, z. B. 2026-12-02T04:30:00Z oder 2026-12-02T05:30:00+01:00, ' +
      `angegeben war ${JSON.stringify(raw)}.`,
    importedAfterNeedsLong: '`importedAfter` braucht `shape=long`: eine Zeile im Format `wide` zeigte die ausgelassenen Werte als leer.',
    apiNames: (named) =>
      `(So nennt die API die Parameter: ${named.map(([api, parameter]) => `${quoted(api)} ist der Parameter ${quoted(parameter)} dieses Exports`).join(', ')}.)`,
    apiRefused: 'Die API lehnt den Export ab; ihre Meldung (englisch):\n',
  },
};

/** A parameter's name inside a German sentence: as code, so that `from` and `to` read as names, not words. */
function quoted(name: string): string {
  return `\`${name}\``;
}

/** The language the export's refusals are in: the one asked for where it is one, else English. */
function refusalLanguage(params: URLSearchParams): Language {
  const asked = params.get('language');
  return LANGUAGES.includes(asked as Language) ? (asked as Language) : 'EN';
}

/** The export's query string, checked before anything is asked of a subgraph. */
export function exportVariables(search: string): {
  variables: Record<string, unknown>;
  shape: 'long' | 'wide';
  language: Language;
  dialect: CsvDialect;
} {
  const params = new URLSearchParams(search);
  const words = REFUSAL_WORDING[refusalLanguage(params)];
  for (const name of new Set(params.keys())) {
    if (!PARAMETERS.includes(name)) throw new ExportRequestError(400, words.unknownParameter(name));
    if (params.getAll(name).length > 1) throw new ExportRequestError(400, words.repeated(name));
  }
  const indicators = list(params.get('indicators'));
  if (indicators.length === 0) throw new ExportRequestError(400, words.indicatorsRequired);
  if (indicators.length > MAX_INDICATORS) throw new ExportRequestError(413, words.tooManyIndicators);
  const badIndicator = indicators.find((code) => !INDICATOR.test(code));
  if (badIndicator) throw new ExportRequestError(400, words.notAnIndicatorCode(badIndicator));
  const shape = params.get('shape') ?? 'long';
  if (shape !== 'long' && shape !== 'wide') throw new ExportRequestError(400, words.shapeOneOf);
  const language = params.get('language') ?? 'EN';
  if (!LANGUAGES.includes(language as Language)) throw new ExportRequestError(400, words.languageOneOf);
  const dialect = params.get('dialect') ?? 'RFC4180';
  if (!CSV_DIALECTS.includes(dialect as CsvDialect)) throw new ExportRequestError(400, words.dialectOneOf);
  const codes = list(params.get('regions'));
  const level = params.get('level');
  const parent = params.get('parent');
  if (codes.length === 0 && !level) throw new ExportRequestError(400, words.levelOrRegions);
  // Named regions need not lie at the level or below the parent; answering with them alone would
  // pass off a table the caller did not ask for, so the export refuses as observationTable does.
  const alongside = [...(level ? ['level'] : []), ...(parent ? ['parent'] : [])];
  if (codes.length > 0 && alongside.length > 0) throw new ExportRequestError(400, words.regionsAlongside(alongside));
  if (level && !LEVELS.includes(level)) throw new ExportRequestError(400, words.levelOneOf);
  const badCode = [...codes, ...(parent ? [parent] : [])].find((code) => !CODE.test(code));
  if (badCode) throw new ExportRequestError(400, words.notARegionCode(badCode));
  const fromYear = year(params, 'from', words);
  const toYear = year(params, 'to', words);
  if (fromYear !== null && toYear !== null && fromYear > toYear) throw new ExportRequestError(400, words.fromAfterTo);
  const importedAfter = importedAfterParameter(params, shape, words);
  const regions = codes.length > 0 ? { codes } : { level, ...(parent ? { parentCode: parent } : {}) };
  return {
    variables: {
      indicators,
      regions,
      fromYear,
      toYear,
      ...(importedAfter === null ? {} : { importedAfter }),
      long: shape === 'long',
      language,
    },
    shape,
    language: language as Language,
    dialect: dialect as CsvDialect,
  };
}

/**
 * ARS lengths of the levels whose values RegioGraph may compute from the regions within: the state
 * (where its source publishes none), the ArL districts and the Samtgemeinden.
 */
const AGGREGATED_LEVEL_CODE_LENGTHS = new Set([2, 3, 9]);

/**
 * The attribution lines: the regions', then one per indicator, with its source, licence and whether it is synthetic,
 * then the breaks in each indicator's series. A
 * computed value carries its source's attribution too, so the notes say where a value is not a
 * published figure: the long shape marks each in its aggregated column, the wide shape (values only)
 * says which of its regions may hold such values.
 */
function preamble(
  table: ExportTable,
  regionSource: RegionSourceNote,
  shape: 'long' | 'wide',
  url: string,
  language: Language,
  dialect: CsvDialect,
): string {
  const words = NOTE_WORDING[language];
  const note = (text: string) => formatCsvNote(text, dialect);
  const computed =
    shape === 'long'
      ? (table.cells ?? []).some((cell) => cell.aggregated)
      : table.regions.some((region) => AGGREGATED_LEVEL_CODE_LENGTHS.has(region.code.length));
  return [
    note(`${words.title} (${url}). ${csvNotesHint(language, dialect)}`),
    note(regionSourceNote(regionSource, language)),
    ...table.indicators.map((indicator) =>
      note(
        indicatorSourceNote(
          {
            ...indicator,
            publisher: indicator.source.publisher,
            url: indicator.source.url ?? null,
            licence: indicator.source.licence,
          },
          indicator.code,
          language,
        ),
      ),
    ),
    // A table read in R or Excel shows no Indicator.breakNotes: without them a change from 2010 to
    // 2011 reads as growth or loss where the Zensus 2011 rebased the population.
    ...table.indicators.flatMap((indicator) =>
      indicator.breakNotes.trim() ? [note(`${indicator.code} (${words.breaks}): ${indicator.breakNotes.trim()}`)] : [],
    ),
    ...(computed ? [note(words.aggregated[shape])] : []),
    ...(table.imports ?? []).map((entry) => note(words.wideImport(entry.import.release, entry.import.importedAt, entry.indicatorCodes))),
    note(words.release[shape]),
  ].join('');
}

interface NoteWording {
  /** The first note's start, before the URL. */
  title: string;
  /** Beside an indicator's code, before the breaks in its series. */
  breaks: string;
  /**
   * That some values are computed by RegioGraph: the long shape marks each in its aggregated column,
   * the wide shape (values only) says which of its regions may hold such values.
   */
  aggregated: Record<'long' | 'wide', string>;
  /**
   * Where each value came from, which a warehouse loading the export needs to reconcile it with the
   * office's tables and to tell a revised value from a stale one (Observation.importedFrom).
   */
  release: Record<'long' | 'wide', string>;
  /**
   * In the wide shape, per import that wrote its observations (ObservationTable.imports): the release,
   * when it was imported, and the indicators of those observations. Null release: an import run before
   * the importer required its name.
   */
  wideImport(release: string | null, importedAt: string, indicators: readonly string[]): string;
}

/** The export's own notes per language (`language`); the column names are the same in every language. */
const NOTE_WORDING: Record<Language, NoteWording> = {
  EN: {
    title: 'RegioGraph observations export',
    breaks: 'breaks in the series',
    aggregated: {
      long: 'aggregated: true where RegioGraph computed the value from the regions within (e.g. a population-weighted mean of county rates), not a figure the source publishes for that region.',
      wide: 'Values of the state, ArL districts and Samtgemeinden in this table may be computed by RegioGraph from the regions within (e.g. a population-weighted mean of county rates) rather than published by the source: shape=long marks each in its aggregated column.',
    },
    release: {
      long:
        'release, imported_at: the release of official data the value was imported from, as the data steward named it, and when it was imported; ' +
        "both empty for the data shipped with RegioGraph (see each indicator's source above). A value a later release repeats unchanged keeps its release.",
      wide: 'Which release each value was imported from: shape=long gives it in its release and imported_at columns.',
    },
    wideImport: (release, importedAt, indicators) =>
      `release: values of ${indicators.join(', ')} in this table were imported from ${release === null ? 'an unnamed release' : `“${release}”`} at ${importedAt}.`,
  },
  DE: {
    title: 'RegioGraph-Export von Beobachtungswerten',
    breaks: 'Brüche in der Zeitreihe',
    aggregated: {
      long:
        'aggregated: true, wo RegioGraph den Wert aus den enthaltenen Regionen berechnet hat (z. B. als bevölkerungsgewichtetes ' +
        'Mittel der Quoten der Kreise), statt eine Zahl, die die Quelle für diese Region veröffentlicht.',
      wide:
        'Werte des Landes, der ArL-Bezirke und der Samtgemeinden in dieser Tabelle können von RegioGraph aus den enthaltenen Regionen ' +
        'berechnet sein (z. B. als bevölkerungsgewichtetes Mittel der Quoten der Kreise), statt von der Quelle veröffentlicht: ' +
        'shape=long kennzeichnet jeden solchen Wert in der Spalte aggregated.',
    },
    release: {
      long:
        'release, imported_at: die Veröffentlichung amtlicher Daten, aus der der Wert importiert wurde, wie die Datenverantwortlichen ' +
        'sie benannten, und wann er importiert wurde; beide leer für die mit RegioGraph ausgelieferten Daten (siehe die Quelle ' +
        'jedes Indikators oben). Ein Wert, den eine spätere Veröffentlichung unverändert wiederholt, behält seine Veröffentlichung.',
      wide: 'Aus welcher Veröffentlichung jeder Wert importiert wurde: shape=long nennt sie in den Spalten release und imported_at.',
    },
    wideImport: (release, importedAt, indicators) =>
      `Veröffentlichung: Werte von ${indicators.join(', ')} in dieser Tabelle wurden aus ${release === null ? 'einer unbenannten Veröffentlichung' : `„${release}“`} importiert, am ${importedAt}.`,
  },
};

/** The table as CSV text: long (one line per observation) or wide (one column per indicator). */
export function observationsCsv(
  table: ExportTable,
  regionSource: RegionSourceNote,
  shape: 'long' | 'wide',
  url: string,
  language: Language = 'EN',
  dialect: CsvDialect = 'RFC4180',
): string {
  const line = (fields: readonly (string | number | null | undefined)[]) => formatCsvLine(fields, dialect);
  const names = new Map(table.regions.map((region) => [region.code, region.name]));
  let body: string;
  if (shape === 'long') {
    // The release columns come last: a warehouse reading the columns by position keeps reading the others.
    body = line(['region_code', 'region_name', 'indicator_code', 'year', 'value', 'status', 'aggregated', 'release', 'imported_at']);
    for (const cell of table.cells ?? [])
      body += line([
        cell.regionCode,
        names.get(cell.regionCode),
        cell.indicatorCode,
        cell.year,
        cell.value,
        cell.status,
        cell.aggregated ? 'true' : 'false',
        cell.importedFrom?.release,
        cell.importedFrom?.importedAt,
      ]);
  } else {
    body = line(['region_code', 'region_name', 'year', ...table.indicators.map((indicator) => indicator.code)]);
    for (const row of table.rows ?? []) body += line([row.regionCode, names.get(row.regionCode), row.year, ...row.values]);
  }
  return csvStart(dialect) + preamble(table, regionSource, shape, url, language, dialect) + body;
}

/** HTTP status of a GraphQL error code: oversized → 413, the caller's mistake → 400. */
function statusOf(code: unknown): number {
  if (code === 'TOO_MANY_ITEMS' || code === 'QUERY_TOO_COSTLY' || code === 'PAYLOAD_TOO_LARGE') return 413;
  if (code === 'OPERATION_NOT_REGISTERED') return 403;
  if (code === 'RATE_LIMITED') return 429;
  if (code === 'INTERNAL_SERVER_ERROR' || code === 'SUBGRAPH_UNAVAILABLE' || code === undefined) return 502;
  return 400;
}

function sendText(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(`${message}\n`);
}

export interface ExportRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  context(request: IncomingMessage): Promise<GatewayContext>;
  /** The gateway's admission (rate limit): the export counts like any request. */
  admit(request: IncomingMessage): Promise<HttpRejection | null>;
  /** The gateway's compression of what it sends (a CSV shrinks to about a tenth); none when absent. */
  compression?: CompressionOptions | null;
}

export function exportRoutes(options: ExportRouteOptions): Record<string, RouteHandler> {
  const handler: RouteHandler = async (request, response) => {
    const rejection = await options.admit(request);
    if (rejection) {
      sendText(response, rejection.status, rejection.message, rejection.headers);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    let parsed: ReturnType<typeof exportVariables>;
    try {
      parsed = exportVariables(url.search);
    } catch (error) {
      if (error instanceof ExportRequestError) return sendText(response, error.status, error.message);
      throw error;
    }
    let contextValue: GatewayContext;
    try {
      contextValue = await options.context(request);
    } catch (error) {
      return sendText(response, 401, error instanceof Error ? error.message : 'The access token is not valid.');
    }
    const result = await options.apollo.executeOperation<{ observationTable: ExportTable }>(
      { query: EXPORT_OPERATION, variables: parsed.variables },
      { contextValue },
    );
    if (result.body.kind !== 'single') return sendText(response, 502, 'Unexpected incremental answer.');
    const { data, errors } = result.body.singleResult;
    if (errors?.length || !data) {
      const code = errors?.[0]?.extensions?.code;
      const text = errors?.map((error) => `${String(error.extensions?.code ?? 'ERROR')}: ${error.message}`).join('\n') ?? 'No data.';
      const words = REFUSAL_WORDING[parsed.language];
      return sendText(response, statusOf(code), words.apiRefused + text + parameterNamesNote(text, words));
    }
    // The region codes and names are the directory's (BKG VG5000, dl-de/by-2-0), whose source and
    // attribution shared holds for the regions subgraph's seed too: the export needs no call for them.
    const csv = observationsCsv(
      data.observationTable,
      BKG_SOURCE,
      parsed.shape,
      `${url.pathname}${url.search}`,
      parsed.language,
      parsed.dialect,
    );
    // The dialect in the name: a planner who saved both can tell the Excel file from the one for R.
    const fileName = `observations-${parsed.shape}${parsed.dialect === 'EXCEL_DE' ? '-excel' : ''}.csv`;
    const headers = {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-cache',
    };
    await sendRepresentation(request, response, 200, headers, csv, options.compression ?? null);
  };
  return { [EXPORT_PATH]: handler };
}
