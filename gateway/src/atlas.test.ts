import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { atlasRoutes, registerAtlasOperations } from './atlas';
import type { GatewayContext } from './context';
import { englishWordsIn } from '@regiograph/shared/testing';
import { EXPORT_PATH, exportRoutes, exportVariables, observationsCsv, type ExportRouteOptions } from './export';
import { Safelist, sha256 } from './persisted';
import { MemoryStore } from './store';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'atlas-dist-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function recorder() {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const response = {
    writeHead(status: number, headers: Record<string, string>) {
      sent.status = status;
      sent.headers = headers;
    },
    end(body?: Buffer | string) {
      sent.body = body?.toString();
    },
  } as unknown as ServerResponse;
  return { sent, response };
}

/** A response that keeps the bytes sent, for bodies that are no text (compressed). */
function byteRecorder() {
  const sent: { status?: number; headers?: Record<string, string>; body?: Buffer } = {};
  const response = {
    writeHead(status: number, headers: Record<string, string>) {
      sent.status = status;
      sent.headers = headers;
    },
    end(body?: Buffer | string) {
      sent.body = typeof body === 'string' ? Buffer.from(body) : body;
    },
  } as unknown as ServerResponse;
  return { sent, response };
}

const acceptingBrotli = { headers: { 'accept-encoding': 'gzip, deflate, br' } } as unknown as IncomingMessage;

describe('the Atlas routes', () => {
  it('registers the build’s operations by the hash the browser sends, and refuses a manifest whose hash does not match', async () => {
    const document = 'query AtlasMap { indicators { code } }';
    writeFileSync(path.join(dir, 'operations.json'), JSON.stringify({ [`sha256:${sha256(document)}`]: document }));
    const safelist = new Safelist(new MemoryStore());
    await expect(registerAtlasOperations(safelist, dir)).resolves.toBe(1);
    await expect(safelist.has(sha256(document))).resolves.toBe(true);

    writeFileSync(path.join(dir, 'operations.json'), JSON.stringify({ 'sha256:0000': document }));
    await expect(registerAtlasOperations(new Safelist(new MemoryStore()), dir)).rejects.toThrow('is not the sha256 of its document');
  });

  it('serves index and hashed assets with their caching, and says so when the Atlas is not built', async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Atlas</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const routes = atlasRoutes(dir);
    const page = recorder();
    await routes['/atlas/']!({} as IncomingMessage, page.response);
    expect(page.sent).toMatchObject({
      status: 200,
      body: '<!doctype html><title>Atlas</title>',
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
    });
    const asset = recorder();
    await routes['/atlas/assets/index-abc.js']!({} as IncomingMessage, asset.response);
    expect(asset.sent.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });

    const missing = recorder();
    await atlasRoutes(path.join(dir, 'nothing'))['/atlas/']!({} as IncomingMessage, missing.response);
    expect(missing.sent.status).toBe(503);
    expect(missing.sent.body).toContain('npm run build');
  });

  it('sends a text file compressed to a browser that takes it, compressed once per process; an image as it is', async () => {
    mkdirSync(path.join(dir, 'assets'));
    const script = `export const names = ${JSON.stringify(Array.from({ length: 300 }, (_, index) => `Gemeinde ${index}`))};`;
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Atlas</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc.js'), script);
    writeFileSync(path.join(dir, 'assets', 'map-abc.png'), Buffer.alloc(4096, 7));
    const routes = atlasRoutes(dir, { minBytes: 1024 });
    const first = byteRecorder();
    await routes['/atlas/assets/index-abc.js']!(acceptingBrotli, first.response);
    expect(first.sent.headers).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'accept-encoding',
      'content-encoding': 'br',
      'content-length': String(first.sent.body!.length),
    });
    expect(brotliDecompressSync(first.sent.body!).toString()).toBe(script);
    // As small as brotli makes it (quality 11): paid once per process, saved for every browser.
    const smallest = brotliCompressSync(script, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(script),
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    expect(first.sent.body!.length).toBe(smallest.length);
    const again = byteRecorder();
    await routes['/atlas/assets/index-abc.js']!(acceptingBrotli, again.response);
    expect(again.sent.body).toBe(first.sent.body);
    const gzipped = byteRecorder();
    await routes['/atlas/assets/index-abc.js']!({ headers: { 'accept-encoding': 'gzip' } } as unknown as IncomingMessage, gzipped.response);
    expect(gunzipSync(gzipped.sent.body!).toString()).toBe(script);
    const plain = byteRecorder();
    await routes['/atlas/assets/index-abc.js']!({ headers: {} } as IncomingMessage, plain.response);
    expect({ coding: plain.sent.headers!['content-encoding'], body: plain.sent.body!.toString() }).toEqual({
      coding: undefined,
      body: script,
    });
    for (const [file, reason] of [
      ['/atlas/assets/map-abc.png', 'compressed already'],
      ['/atlas/', 'under minBytes'],
    ]) {
      const sent = byteRecorder();
      await routes[file!]!(acceptingBrotli, sent.response);
      expect({ file, reason, coding: sent.sent.headers!['content-encoding'] }).toEqual({ file, reason, coding: undefined });
    }
  });
});

describe('the CSV export’s arguments and lines', () => {
  it('turns the query string into the table’s variables', () => {
    expect(exportVariables('?indicators=population,cars&level=COUNTY&parent=033&from=2010&to=2020&shape=wide')).toEqual({
      shape: 'wide',
      variables: {
        indicators: ['population', 'cars'],
        regions: { level: 'COUNTY', parentCode: '033' },
        fromYear: 2010,
        toYear: 2020,
        long: false,
        language: 'EN',
      },
      language: 'EN',
      dialect: 'RFC4180',
    });
    expect(exportVariables('?indicators=population&level=COUNTY&dialect=EXCEL_DE').dialect).toBe('EXCEL_DE');
    for (const other of ['excel-de', 'excel_de', ''])
      expect(() => exportVariables(`?indicators=population&level=COUNTY&dialect=${other}`)).toThrow(
        'dialect must be one of RFC4180, EXCEL_DE',
      );
    expect(exportVariables('?indicators=population&regions=03241,03459').variables).toMatchObject({
      regions: { codes: ['03241', '03459'] },
      long: true,
      fromYear: null,
    });
    expect(() => exportVariables(`?indicators=${Array.from({ length: 51 }, (_, index) => `i${index}`).join(',')}&level=COUNTY`)).toThrow(
      'At most 50',
    );
    // The API's argument names are not the export's: a misspelt or repeated parameter is refused, not ignored.
    expect(() => exportVariables('?indicators=population&level=COUNTY&fromYear=2020')).toThrow(
      'Unknown parameter "fromYear": the export takes indicators, regions, level, parent, from, to, shape, importedAfter, language, dialect.',
    );
    expect(() => exportVariables('?indicators=population&level=COUNTY&from=2010&from=2020')).toThrow('from is given more than once.');
    // A moment without its offset is refused before the API is asked, in the words of the API's DateTime.
    expect(exportVariables('?indicators=population&level=COUNTY&importedAfter=2024-06-01T12:00:00%2B02:00').variables).toMatchObject({
      importedAfter: '2024-06-01T12:00:00+02:00',
    });
    expect(() => exportVariables('?indicators=population&level=COUNTY&importedAfter=2024-06-01T12:00')).toThrow(
      'importedAfter must be an ISO 8601 moment with its offset',
    );
    expect(() => exportVariables('?indicators=population&level=COUNTY&shape=wide&importedAfter=2024-06-01T12:00:00Z')).toThrow(
      'importedAfter needs shape=long',
    );
  });

  it('refuses regions together with level or parent with 400, as observationTable does, before asking the API', async () => {
    // 03241 (Region Hannover) is not in ArL district 033: answering with it would contradict parent.
    for (const [query, given] of [
      ['regions=03241&parent=033', 'parent'],
      ['regions=03241&level=COUNTY', 'level'],
      ['regions=03241,03459&level=COUNTY&parent=033', 'level and parent'],
    ]) {
      expect(() => exportVariables(`?indicators=population&${query}&from=2020&to=2020`)).toThrow(
        `Give either regions (comma-separated codes), or level with an optional parent, not both: regions was given with ${given}.`,
      );
    }
    const asked: unknown[] = [];
    const route = exportRoutes({
      apollo: {
        executeOperation: (request: unknown) => {
          asked.push(request);
          throw new Error('the export must not run a refused request');
        },
      } as unknown as ExportRouteOptions['apollo'],
      context: () => Promise.resolve({} as GatewayContext),
      admit: () => Promise.resolve(null),
    })[EXPORT_PATH]!;
    const refused = recorder();
    await route(
      { url: `${EXPORT_PATH}?indicators=population&regions=03241&parent=033&from=2020&to=2020` } as IncomingMessage,
      refused.response,
    );
    expect(refused.sent).toMatchObject({
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Give either regions (comma-separated codes), or level with an optional parent, not both: regions was given with parent.\n',
    });
    expect(asked).toEqual([]);
  });

  it('writes notes with the attribution first (the regions’, then each indicator’s), then the breaks in the series, then the table; a missing value stays empty', () => {
    const table = {
      indicators: [
        {
          code: 'population',
          name: 'Bevölkerung',
          unit: 'Personen',
          synthetic: false,
          attribution: '© Destatis, dl-de/by-2-0',
          breakNotes: 'Ab 2011 auf Grundlage des Zensus 2011. ',
          source: { publisher: 'Destatis', licence: 'dl-de/by-2-0', url: null },
        },
      ],
      regions: [{ code: '03241', name: 'Region Hannover' }],
      rows: [{ regionCode: '03241', year: 2021, values: [null] }],
    };
    const regionSource = {
      publisher: 'BKG',
      licence: 'dl-de/by-2-0',
      url: 'https://www.bkg.bund.de',
      attribution: '© GeoBasis-DE / BKG 2021',
    };
    expect(observationsCsv(table, regionSource, 'wide', '/export/observations.csv?x')).toBe(
      '# RegioGraph observations export (/export/observations.csv?x). Lines starting with # are notes: read with comment="#" (pandas) or comment.char="#" (R).\r\n' +
        '# region_code, region_name: source: BKG https://www.bkg.bund.de; licence: dl-de/by-2-0; attribution: © GeoBasis-DE / BKG 2021\r\n' +
        '# population: Bevölkerung [Personen]; source: Destatis; licence: dl-de/by-2-0; attribution: © Destatis, dl-de/by-2-0\r\n' +
        '# population (breaks in the series): Ab 2011 auf Grundlage des Zensus 2011.\r\n' +
        '# Which release each value was imported from: shape=long gives it in its release and imported_at columns.\r\n' +
        'region_code,region_name,year,population\r\n03241,Region Hannover,2021,\r\n',
    );
  });

  it('writes its notes in German for language=DE (the Atlas’s downloads), English by default, and asks the API for German attributions', async () => {
    expect(exportVariables('?indicators=population&level=COUNTY')).toMatchObject({ language: 'EN', variables: { language: 'EN' } });
    expect(exportVariables('?indicators=population&level=COUNTY&language=DE')).toMatchObject({
      language: 'DE',
      variables: { language: 'DE' },
    });
    for (const other of ['de', 'FR', ''])
      expect(() => exportVariables(`?indicators=population&level=COUNTY&language=${other}`)).toThrow('language must be one of EN, DE.');
    const indicator = {
      code: 'pharmacies',
      name: 'Apotheken',
      unit: 'Anzahl',
      synthetic: true,
      attribution: 'Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik',
      breakNotes: 'Ab 2020 mit Walsrode.',
      source: { publisher: 'RegioGraph', licence: 'CC0-1.0', url: null },
    };
    const cell = {
      regionCode: '033',
      indicatorCode: 'pharmacies',
      year: 2021,
      value: 7,
      status: 'FINAL',
      aggregated: true,
      importedFrom: null,
    };
    const table = {
      indicators: [indicator],
      regions: [{ code: '033', name: 'Lüneburg' }],
      cells: [cell],
      rows: [{ regionCode: '033', year: 2021, values: [7] }],
    };
    const regionSource = {
      publisher: 'BKG',
      licence: 'dl-de/by-2-0',
      url: 'https://www.bkg.bund.de',
      attribution: '© GeoBasis-DE / BKG 2021',
    };
    const notes = (csv: string) => csv.split('\r\n').filter((line) => line.startsWith('#'));
    for (const shape of ['long', 'wide'] as const) {
      const german = notes(observationsCsv(table, regionSource, shape, '/export/observations.csv?x', 'DE'));
      const english = notes(observationsCsv(table, regionSource, shape, '/export/observations.csv?x'));
      // The same notes (the aggregated values' among them), each in its language.
      expect(german).toHaveLength(6);
      expect(english).toHaveLength(german.length);
      expect(german.flatMap((line) => englishWordsIn(line).map((word) => `${word}: ${line}`))).toEqual([]);
      // Each note is another in English (the check finds English there: it would find it in the German).
      expect(german.filter((line, index) => line === english[index])).toEqual([]);
      expect(english.filter((line) => englishWordsIn(line).length > 0).length).toBeGreaterThanOrEqual(4);
    }
    // The wide shape's releases (ObservationTable.imports), one of them from before the importer required a name.
    const imports = [
      { import: { release: null, importedAt: '2023-01-10T09:00:00.000Z' }, indicatorCodes: ['pharmacies'] },
      { import: { release: 'Testamt, Stand 15.03.2024', importedAt: '2024-03-20T10:00:00.000Z' }, indicatorCodes: ['pharmacies'] },
    ];
    const germanWide = notes(observationsCsv({ ...table, imports }, regionSource, 'wide', '/export/observations.csv?x', 'DE'));
    expect(germanWide.flatMap((line) => englishWordsIn(line).map((word) => `${word}: ${line}`))).toEqual([]);
    expect(germanWide.slice(5, 7)).toEqual([
      '# Veröffentlichung: Werte von pharmacies in dieser Tabelle wurden aus einer unbenannten Veröffentlichung importiert, am 2023-01-10T09:00:00.000Z.',
      '# Veröffentlichung: Werte von pharmacies in dieser Tabelle wurden aus „Testamt, Stand 15.03.2024“ importiert, am 2024-03-20T10:00:00.000Z.',
    ]);
    expect(notes(observationsCsv({ ...table, imports }, regionSource, 'wide', '/export/observations.csv?x')).slice(5, 7)).toEqual([
      '# release: values of pharmacies in this table were imported from an unnamed release at 2023-01-10T09:00:00.000Z.',
      '# release: values of pharmacies in this table were imported from “Testamt, Stand 15.03.2024” at 2024-03-20T10:00:00.000Z.',
    ]);
    expect(notes(observationsCsv(table, regionSource, 'wide', '/export/observations.csv?x', 'DE'))).toEqual([
      '# RegioGraph-Export von Beobachtungswerten (/export/observations.csv?x). Zeilen, die mit # beginnen, sind Anmerkungen: mit comment="#" (pandas) oder comment.char="#" (R) einlesen.',
      '# region_code, region_name: Quelle: BKG https://www.bkg.bund.de; Lizenz: dl-de/by-2-0; Namensnennung: © GeoBasis-DE / BKG 2021',
      '# pharmacies: Apotheken [Anzahl] SYNTHETISCH (erzeugt, keine amtliche Statistik); Quelle: RegioGraph; Lizenz: CC0-1.0; Namensnennung: Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik',
      '# pharmacies (Brüche in der Zeitreihe): Ab 2020 mit Walsrode.',
      expect.stringMatching(/^# Werte des Landes, der ArL-Bezirke und der Samtgemeinden /),
      '# Aus welcher Veröffentlichung jeder Wert importiert wurde: shape=long nennt sie in den Spalten release und imported_at.',
    ]);

    // The route asks the API in the language of the notes and writes them so.
    const asked: { variables?: Record<string, unknown> }[] = [];
    const route = exportRoutes({
      apollo: {
        executeOperation: (request: { variables?: Record<string, unknown> }) => {
          asked.push(request);
          return Promise.resolve({ body: { kind: 'single', singleResult: { data: { observationTable: table } } } });
        },
      } as unknown as ExportRouteOptions['apollo'],
      context: () => Promise.resolve({} as GatewayContext),
      admit: () => Promise.resolve(null),
    })[EXPORT_PATH]!;
    const answered = recorder();
    await route({ url: `${EXPORT_PATH}?indicators=pharmacies&level=DISTRICT&language=DE` } as IncomingMessage, answered.response);
    expect(answered.sent.status).toBe(200);
    expect(asked.map((request) => request.variables?.language)).toEqual(['DE']);
    expect(answered.sent.body).toContain('\r\n# pharmacies: Apotheken [Anzahl] SYNTHETISCH');
  });
});
