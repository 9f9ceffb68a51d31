// The CSV export as plain URLs (for R, Python and Excel): the API's table with the attribution,
// 400 on bad arguments and 413 on oversized requests, as the API refuses them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createDatabaseClient } from '@regiograph/db';
import { runImportCli } from '@regiograph/indicators';
import { parseCsv } from '@regiograph/shared';
import { englishWordsIn, rawRequest } from '@regiograph/shared/testing';
import { startStack, testDatabaseUrl, type Stack } from './harness';

let stack: Stack;
let base: string;
/** An indicator of this file's own, imported with a release: the others list the catalogue. */
const imported = `test_export_${randomUUID().slice(0, 8)}`;
/** Another, with a decimal value and a release whose name holds ";" and quotes. */
const importedDecimal = `test_export_${randomUUID().slice(0, 8)}`;
/** Two more, each imported from a release of its own, for the wide shape's notes on its releases. */
const importedWide = [`test_export_${randomUUID().slice(0, 8)}`, `test_export_${randomUUID().slice(0, 8)}`] as const;
/** Another, with a negative value and a release whose name a spreadsheet would run as a formula. */
const importedFormula = `test_export_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  stack = await startStack();
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
});

afterAll(async () => {
  const database = createDatabaseClient({ url: testDatabaseUrl() });
  await database.prisma.indicator.deleteMany({ where: { code: { in: [imported, importedDecimal, importedFormula, ...importedWide] } } });
  await database.close();
  await stack?.stop();
});

async function csv(query: string): Promise<{ status: number; type: string | null; notes: string[]; rows: string[][]; text: string }> {
  const response = await fetch(`${base}/export/observations.csv?${query}`);
  const text = await response.text();
  const lines = text.split('\r\n');
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    notes: lines.filter((line) => line.startsWith('#')),
    // Refusals are plain-text messages, not CSV (a strict parser rejects their quotes).
    rows: response.ok ? parseCsv(lines.filter((line) => !line.startsWith('#')).join('\r\n')).map((row) => row.fields) : [],
    text,
  };
}

interface Table {
  indicators: { code: string; attribution: string; source: { licence: string } }[];
  regions: { code: string; name: string }[];
  cells: { regionCode: string; indicatorCode: string; year: number; value: number | null; status: string; aggregated: boolean }[];
  rows: { regionCode: string; year: number; values: (number | null)[] }[];
}

async function apiTable(indicators: string[], parentCode: string, fromYear: number, toYear: number): Promise<Table> {
  const { data, errors } = await stack.query<{ observationTable: Table }>(
    `query ($indicators: [ID!]!, $parentCode: ID!, $fromYear: Int, $toYear: Int) {
      observationTable(indicators: $indicators, regions: { level: COUNTY, parentCode: $parentCode }, fromYear: $fromYear, toYear: $toYear) {
        indicators { code attribution source { licence } } regions { code name }
        cells { regionCode indicatorCode year value status aggregated } rows { regionCode year values }
      }
    }`,
    { indicators, parentCode, fromYear, toYear },
  );
  expect(errors).toBeUndefined();
  return data!.observationTable;
}

/** Imports one indicator's catalogue line and one value of it as the release named, as a data steward does. */
async function importOneValue(release: string, catalogueLine: string, observationLine: string): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-export-'));
  try {
    await writeFile(
      path.join(folder, 'catalogue.csv'),
      `code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,official\n${catalogueLine}\n`,
    );
    await writeFile(path.join(folder, 'observations.csv'), `region_code,indicator_code,year,value\n${observationLine}\n`);
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const argv = ['--release', release, '--catalogue', 'catalogue.csv', '--observations', 'observations.csv'];
    expect({ exit: await runImportCli(argv, { url: testDatabaseUrl(), from: 'the test database' }, output, folder), lines }).toEqual({
      exit: 0,
      lines: expect.arrayContaining([expect.stringMatching(/^imported 1 indicator/)]),
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Queries the export itself refuses with 400, before it asks the API. */
const REFUSED_BY_THE_EXPORT = [
  'level=COUNTY',
  'indicators=population',
  'indicators=population&level=PLANET',
  'indicators=population&level=COUNTY&from=20x0',
  'indicators=population&level=COUNTY&shape=tall',
  'indicators=population&level=COUNTY&from=2020&to=2010',
  'indicators=population&level=COUNTY&fromYear=2020',
  'indicators=population&level=COUNTY&to=2020&to=2021',
  'indicators=population&regions=03159&level=COUNTY',
  'indicators=population&level=COUNTY&shape=wide&importedAfter=2026-12-02T04:30:00Z',
  'indicators=population&level=COUNTY&importedAfter=yesterday',
  'indicators=population&level=COUNTY&dialect=excel',
];

/** Splits as Excel with German settings does on opening: at its list separator ";". */
const readAsGermanExcel = (text: string): string[][] => parseCsv(text, 'EXCEL_DE').map((row) => row.fields);

const number = (field: string | undefined) => (field === '' || field === undefined ? null : Number(field));

describe('/export/observations.csv', () => {
  it('names the source, licence and attribution of the region codes and names it lists, as the API does', async () => {
    const { data, errors } = await stack.query<{
      region: { source: { publisher: string; url: string; licence: string; attribution: string } };
    }>('{ region(code: "03") { source { publisher url licence attribution } } }');
    expect(errors).toBeUndefined();
    const { publisher, url, licence, attribution } = data!.region.source;
    expect(attribution).toMatch(/GeoBasis-DE \/ BKG/);
    for (const shape of ['long', 'wide']) {
      const result = await csv(`indicators=population&level=MUNICIPALITY&parent=03241&from=2021&to=2021&shape=${shape}`);
      expect(result.status).toBe(200);
      expect(result.notes).toContain(
        `# region_code, region_name: source: ${publisher} ${url}; licence: ${licence}; attribution: ${attribution}`,
      );
    }
  });

  it('serves the long table of the API with every indicator’s source, licence and attribution', async () => {
    const table = await apiTable(['population', 'motor_vehicles'], '033', 2010, 2020);
    const result = await csv('indicators=population,motor_vehicles&level=COUNTY&parent=033&from=2010&to=2020&shape=long');
    expect(result.status).toBe(200);
    expect(result.type).toContain('text/csv');
    for (const indicator of table.indicators) {
      const note = result.notes.find((line) => line.startsWith(`# ${indicator.code}:`));
      expect(note).toContain(`licence: ${indicator.source.licence}`);
      expect(note).toContain(`attribution: ${indicator.attribution}`);
    }
    const [header, ...rows] = result.rows;
    expect(header?.join(',')).toBe('region_code,region_name,indicator_code,year,value,status,aggregated,release,imported_at');
    expect(table.cells.length).toBeGreaterThan(100);
    const names = new Map(table.regions.map((region) => [region.code, region.name]));
    expect(rows).toEqual(
      table.cells.map((cell) => [
        cell.regionCode,
        names.get(cell.regionCode),
        cell.indicatorCode,
        String(cell.year),
        cell.value === null ? '' : String(cell.value),
        cell.status,
        String(cell.aggregated),
        // The shipped data name no release.
        '',
        '',
      ]),
    );
  });

  it('names the release each value was imported from, and when, as the API’s importedFrom does', async () => {
    // A warehouse loading the export could not tell which of the office's releases a value came from,
    // nor a revised value from a stale one: the API served it, the export left it out.
    const release = 'Testamt 12411-01-01-4, Stand 15.03.2024';
    await importOneValue(
      release,
      `${imported},Exporttest,ECONOMY,items,0,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false`,
      `03355,${imported},2020,11`,
    );
    const { data, errors } = await stack.query<{
      observationTable: { cells: { importedFrom: { release: string; importedAt: string } | null }[] };
    }>(
      `{ observationTable(indicators: ["${imported}"], regions: { codes: ["03355"] }, fromYear: 2020, toYear: 2020) {
          cells { importedFrom { release importedAt } } } }`,
    );
    expect(errors).toBeUndefined();
    const importedAt = data!.observationTable.cells[0]!.importedFrom!.importedAt;
    const result = await csv(`indicators=${imported},population&regions=03355&from=2020&to=2020&shape=long`);
    expect(result.status).toBe(200);
    expect(result.rows.map((row) => [row[2], row[4], row[7], row[8]])).toEqual([
      ['indicator_code', 'value', 'release', 'imported_at'],
      [imported, '11', release, importedAt],
      // The shipped population names none.
      ['population', expect.stringMatching(/^\d+$/), '', ''],
    ]);
    expect(result.notes).toContainEqual(
      expect.stringMatching(/^# release, imported_at: the release of official data the value was imported from/),
    );
    const wide = await csv(`indicators=${imported}&regions=03355&from=2020&to=2020&shape=wide`);
    expect(wide.notes).toContain(
      '# Which release each value was imported from: shape=long gives it in its release and imported_at columns.',
    );
  });

  it('writes the EXCEL_DE dialect for German Excel: byte order mark, ";", decimal comma, notes as one field, the same rows', async () => {
    // German Excel opened the default file by double-click as one column per line (its list separator
    // is ";"), its decimal points as text or dates, and its UTF-8 as Windows-1252 ("GÃ¶ttingen").
    const query = 'indicators=unemployment_rate,population&level=COUNTY&parent=031&from=2018&to=2018&shape=wide&language=DE';
    const [plain, excel] = await Promise.all([
      fetch(`${base}/export/observations.csv?${query}`),
      // As it is (fetch asks for gzip by default), so that the declared length is the file's.
      fetch(`${base}/export/observations.csv?${query}&dialect=EXCEL_DE`, { headers: { 'accept-encoding': 'identity' } }),
    ]);
    expect([plain.status, excel.status]).toEqual([200, 200]);
    expect(excel.headers.get('content-disposition')).toBe('attachment; filename="observations-wide-excel.csv"');
    expect(plain.headers.get('content-disposition')).toBe('attachment; filename="observations-wide.csv"');
    const bytes = Buffer.from(await excel.arrayBuffer());
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...plainBytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    // Göttingen (03159) in UTF-8, its "ö" the two bytes C3 B6, on a line of its own fields.
    expect(bytes.includes(Buffer.from('\r\n03159;Göttingen;2018;', 'utf8'))).toBe(true);
    expect(excel.headers.get('content-length')).toBe(String(bytes.length));
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n').at(-1)).toBe('');
    const rows = readAsGermanExcel(text);
    const plainLines = plainBytes.toString('utf8').split('\r\n');
    // Every note is one field: Excel shows it whole in the first column, as text.
    const notes = rows.filter((row) => row[0]!.startsWith('#'));
    expect(notes.every((row) => row.length === 1)).toBe(true);
    expect(notes.map((row) => row[0])).toEqual(
      plainLines.filter((line) => line.startsWith('#')).map((line, index) => (index === 0 ? notes[0]![0] : line)),
    );
    expect(notes[0]![0]).toContain('Daten > Aus Text/CSV');
    // The same table: each number with a decimal comma for its decimal point, every digit kept.
    const table = rows.filter((row) => !row[0]!.startsWith('#'));
    const plainTable = parseCsv(plainLines.filter((line) => !line.startsWith('#')).join('\r\n')).map((row) => row.fields);
    expect(table).toEqual(plainTable.map((row) => row.map((field) => (/^-?\d+\.\d+$/.test(field) ? field.replace('.', ',') : field))));
    const rate = plainTable.find((row) => row[0] === '03159')![3]!;
    expect(rate).toMatch(/^\d+\.\d+$/);
    expect(table.find((row) => row[0] === '03159')![3]).toBe(rate.replace('.', ','));
  });

  it('sends the file compressed to a client that takes brotli or gzip, the same bytes once unpacked', async () => {
    const query = 'indicators=unemployment_rate,population&level=MUNICIPALITY&from=2018&to=2019&shape=long';
    const url = `${base}/export/observations.csv?${query}`;
    const plain = await rawRequest(url);
    const brotli = await rawRequest(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gzipped = await rawRequest(url, { headers: { 'accept-encoding': 'gzip' } });
    expect([plain.status, brotli.status, gzipped.status]).toEqual([200, 200, 200]);
    expect([plain.headers['content-encoding'], brotli.headers['content-encoding'], gzipped.headers['content-encoding']]).toEqual([
      undefined,
      'br',
      'gzip',
    ]);
    expect(brotli.headers.vary).toContain('accept-encoding');
    expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length);
    // Every byte of the file arrives, whichever way: the export names its own URL and no time, so the files are equal.
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 5);
  });

  it('quotes a field that holds ";" or quotes in the EXCEL_DE dialect', async () => {
    const release = 'Testamt "Kreiszahlen"; Stand 15.03.2024';
    await importOneValue(
      release,
      `${importedDecimal},Exporttest Ärzte,ECONOMY,items,2,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false`,
      `03159,${importedDecimal},2020,1.5`,
    );
    const long = await fetch(
      `${base}/export/observations.csv?indicators=${importedDecimal}&regions=03159&from=2020&to=2020&dialect=EXCEL_DE`,
    );
    expect(long.status).toBe(200);
    const longText = Buffer.from(await long.arrayBuffer()).toString('utf8');
    const row = longText.split('\r\n').find((line) => line.startsWith('03159;'))!;
    expect(row).toMatch(
      new RegExp(
        `^03159;Göttingen;${importedDecimal};2020;1,5;FINAL;false;"Testamt ""Kreiszahlen""; Stand 15\\.03\\.2024";\\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
  });

  it('names in the wide shape the releases its values came from, from one list of the table’s imports', async () => {
    const releases = ['Testamt "Kreiszahlen"; Stand 15.03.2024', 'Testamt Kreiszahlen, Stand 01.06.2024'] as const;
    for (const [index, code] of importedWide.entries())
      await importOneValue(
        releases[index]!,
        `${code},Exporttest ${index},ECONOMY,items,0,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false`,
        `0315${5 + index * 4},${code},2020,${index + 1}`,
      );
    const indicators = [importedWide[1], 'population', importedWide[0]];
    type Imports = { import: { release: string; importedAt: string }; indicatorCodes: string[] }[];
    const table = (codes: readonly string[]) =>
      stack.countStatements<{ observationTable: { imports: Imports; rows: { values: (number | null)[] }[] } }>(
        `query ($indicators: [ID!]!, $codes: [ID!]) { observationTable(indicators: $indicators, regions: { codes: $codes }, fromYear: 2019, toYear: 2020) {
          imports { import { release importedAt } indicatorCodes } rows { values } } }`,
        { indicators, codes },
      );
    const two = await table(['03155', '03159']);
    const one = await table(['03155']);
    expect(two.result.errors).toBeUndefined();
    expect(one.result.errors).toBeUndefined();
    const imports = two.result.data!.observationTable.imports;
    // Oldest first, each with the indicators whose values it wrote; the shipped population names none.
    expect(imports).toEqual([
      { import: { release: releases[0], importedAt: expect.any(String) }, indicatorCodes: [importedWide[0]] },
      { import: { release: releases[1], importedAt: expect.any(String) }, indicatorCodes: [importedWide[1]] },
    ]);
    expect(one.result.data!.observationTable.imports).toEqual([imports[0]]);
    // The catalogue, the observations and the imports: one statement each, for one import as for two.
    expect(two.statements.indicators).toBe(3);
    expect(one.statements.indicators).toBe(3);
    const [first, second] = imports.map((entry) => entry.import.importedAt);
    for (const [dialect, quote] of [
      ['RFC4180', (note: string) => `# ${note}`],
      // One field, quoted where it holds ";" or a quote.
      ['EXCEL_DE', (note: string) => (/[;"]/.test(note) ? `"# ${note.replace(/"/g, '""')}"` : `# ${note}`)],
    ] as const) {
      const wide = await csv(`indicators=${indicators.join(',')}&regions=03155,03159&from=2020&to=2020&shape=wide&dialect=${dialect}`);
      expect(wide.status).toBe(200);
      expect(wide.text.split('\r\n').filter((line) => line.includes('release: values of'))).toEqual([
        quote(`release: values of ${importedWide[0]} in this table were imported from “${releases[0]}” at ${first}.`),
        quote(`release: values of ${importedWide[1]} in this table were imported from “${releases[1]}” at ${second}.`),
      ]);
    }
    // None where no value of the table came from a release, nor in the long shape, which names them in its columns.
    const shipped = await csv('indicators=population&regions=03159&from=2020&to=2020&shape=wide');
    expect(shipped.notes.filter((line) => line.includes('release: values of'))).toEqual([]);
    const long = await csv(`indicators=${importedWide[0]}&regions=03155&from=2020&to=2020`);
    expect(long.notes.filter((line) => line.includes('release: values of'))).toEqual([]);
  });

  it("writes a text a spreadsheet would run as a formula with a ' before it in the EXCEL_DE dialect, and a negative value as a number", async () => {
    const release = '=HYPERLINK("https://example.org/";"Stand 2024")';
    await importOneValue(
      release,
      `${importedFormula},Exporttest Saldo,ECONOMY,items,2,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false`,
      `03159,${importedFormula},2020,-1.5`,
    );
    const query = `indicators=${importedFormula}&regions=03159&from=2020&to=2020`;
    const excel = await fetch(`${base}/export/observations.csv?${query}&dialect=EXCEL_DE`);
    expect(excel.status).toBe(200);
    const excelText = Buffer.from(await excel.arrayBuffer()).toString('utf8');
    expect(excelText.split('\r\n').find((line) => line.startsWith('03159;'))).toMatch(
      new RegExp(
        `^03159;Göttingen;${importedFormula};2020;-1,5;FINAL;false;"'=HYPERLINK\\(""https://example\\.org/"";""Stand 2024""\\)";\\d{4}-`,
      ),
    );
    expect(readAsGermanExcel(excelText.slice(1)).find((fields) => fields[0] === '03159')![7]).toBe(`'${release}`);
    // The default dialect, read by programs, keeps the release's name as the data steward gave it.
    const plain = await csv(query);
    expect(plain.rows.find((fields) => fields[0] === '03159')!.slice(4, 8)).toEqual(['-1.5', 'FINAL', 'false', release]);
  });

  it('names the breaks in each indicator’s series, as the API’s breakNotes do, in both shapes', async () => {
    // 2010 to 2011 spans the Zensus 2011 rebasing: read in R without the note, the change looks like a loss of people.
    const { data, errors } = await stack.query<{ population: { breakNotes: string }; cars: { breakNotes: string } }>(
      '{ population: indicator(code: "population") { breakNotes } cars: indicator(code: "cars") { breakNotes } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.population.breakNotes).toMatch(/^Ab 2011 auf Grundlage des Zensus 2011/);
    for (const shape of ['long', 'wide']) {
      const result = await csv(`indicators=population,cars&level=COUNTY&parent=031&from=2010&to=2011&shape=${shape}`);
      expect(result.status).toBe(200);
      expect(result.notes).toContain(`# population (breaks in the series): ${data!.population.breakNotes.trim()}`);
      expect(result.notes.filter((line) => line.startsWith('# cars (breaks in the series): '))).toHaveLength(
        data!.cars.breakNotes.trim() ? 1 : 0,
      );
    }
  });

  it('marks the values RegioGraph computed from the regions within, which carry the source’s attribution too', async () => {
    // The state's unemployment rate is a population-weighted mean of INKAR's county values, not a
    // published figure; it used to be exported exactly like the county values.
    const long = await csv('indicators=unemployment_rate&regions=03,031,03159&from=2018&to=2018&shape=long');
    expect(long.status).toBe(200);
    expect(long.rows.map((row) => [row[0], row[5], row[6]])).toEqual([
      ['region_code', 'status', 'aggregated'],
      ['03', 'FINAL', 'true'],
      ['031', 'FINAL', 'true'],
      ['03159', 'FINAL', 'false'],
    ]);
    expect(long.notes).toContain(
      '# aggregated: true where RegioGraph computed the value from the regions within (e.g. a population-weighted mean of county rates), not a figure the source publishes for that region.',
    );
    const wide = await csv('indicators=unemployment_rate&level=DISTRICT&from=2018&to=2018&shape=wide');
    expect(wide.notes.filter((line) => line.includes('shape=long marks each in its aggregated column'))).toHaveLength(1);
    // Only county values, all published: no such note.
    const counties = await csv('indicators=unemployment_rate&level=COUNTY&parent=031&from=2018&to=2018&shape=long');
    expect(counties.notes.some((line) => line.includes('aggregated'))).toBe(false);
    expect(counties.rows.slice(1).every((row) => row[6] === 'false')).toBe(true);
  });

  it('serves the wide table: one column per indicator, missing values empty', async () => {
    // ArL Braunschweig (031): Göttingen (03159) has no vehicle stock before 2019.
    const table = await apiTable(['population', 'motor_vehicles'], '031', 2010, 2020);
    const result = await csv('indicators=population,motor_vehicles&level=COUNTY&parent=031&from=2010&to=2020&shape=wide');
    expect(result.status).toBe(200);
    const [header, ...rows] = result.rows;
    expect(header).toEqual(['region_code', 'region_name', 'year', 'population', 'motor_vehicles']);
    expect(rows.map((row) => [row[0], Number(row[2]), number(row[3]), number(row[4])])).toEqual(
      table.rows.map((row) => [row.regionCode, row.year, row.values[0], row.values[1]]),
    );
    // A missing value is an empty field, never 0.
    const missing = table.rows.filter((row) => row.values[1] === null);
    expect(missing.map((row) => row.regionCode)).toContain('03159');
    for (const row of missing) expect(rows.find((line) => line[0] === row.regionCode && line[2] === String(row.year))?.[4]).toBe('');
  });

  it('refuses bad arguments with 400 and a message', async () => {
    // A parent that is no ARS is refused by the API, in its words.
    for (const query of [...REFUSED_BY_THE_EXPORT, 'indicators=population&level=COUNTY&parent=abc']) {
      const result = await csv(query);
      expect({ query, status: result.status }).toEqual({ query, status: 400 });
      expect(result.type).toContain('text/plain');
    }
    const unknown = await csv('indicators=no_such_indicator&level=COUNTY');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('UNKNOWN_INDICATOR_CODES');
  });

  it('words its refusals in German for language=DE, the parameters’ names and values as they are typed', async () => {
    // The Atlas's downloads ask language=DE: a German page showed the English refusals. (A refusal
    // the API words, such as of a parent that is no ARS, is quoted as the API gives it: below.)
    for (const query of REFUSED_BY_THE_EXPORT) {
      const [english, german] = await Promise.all([csv(query), csv(`${query}&language=DE`)]);
      expect({ query, status: german.status }).toEqual({ query, status: english.status });
      expect({ query, german: german.text, english: englishWordsIn(german.text) }).toEqual({ query, german: german.text, english: [] });
      expect(german.text).not.toBe(english.text);
    }
    expect((await csv('indicators=population&level=COUNTY&from=2020&to=2010&language=DE')).text).toBe(
      '`from` darf nicht nach `to` liegen.\n',
    );
    // The API's own message is quoted as the API gives it, in English, after a German sentence.
    const refused = await csv('indicators=population&level=MUNICIPAL_ASSOCIATION&parent=03101&language=DE');
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/^Die API lehnt den Export ab; ihre Meldung \(englisch\):\nBAD_USER_INPUT: regions\.parentCode: 03101 /);
    expect(refused.text).toMatch(
      /\n\(So nennt die API die Parameter: `regions\.parentCode` ist der Parameter `parent` dieses Exports\.\)\n$/,
    );
  });

  it('names the synthetic data’s publisher in German in the notes for language=DE', async () => {
    const [english, german] = await Promise.all([
      csv('indicators=pharmacies&level=COUNTY&from=2020&to=2020'),
      csv('indicators=pharmacies&level=COUNTY&from=2020&to=2020&language=DE'),
    ]);
    expect(english.notes.some((line) => line.includes('source: RegioGraph (synthetic demonstration data)'))).toBe(true);
    expect(german.notes.some((line) => line.includes('Quelle: RegioGraph (synthetische Demonstrationsdaten)'))).toBe(true);
    expect(german.text).not.toContain('synthetic demonstration data');
  });

  it("names the export's parameter beside the API's argument in a refusal the API words", async () => {
    // Braunschweig, a kreisfreie Stadt, has no Samtgemeinde: the indicators subgraph refuses the
    // parent as `regions.parentCode`, which the export's user wrote as `parent`.
    const result = await csv('indicators=population&level=MUNICIPAL_ASSOCIATION&parent=03101');
    expect({ status: result.status, text: result.text }).toEqual({
      status: 400,
      text:
        'BAD_USER_INPUT: regions.parentCode: 03101 (Braunschweig) has no region of the level MUNICIPAL_ASSOCIATION below it; ' +
        "the levels below it are MUNICIPALITY.\n(These are the API's names: regions.parentCode is this export's parent.)\n",
    });
  });

  it('names the ARS of a county’s NUTS code given in regions or parent, as the API does', async () => {
    // A warehouse keyed by NUTS-3 was told only "Not a region code (ARS)", not which key to send.
    for (const [query, parameter] of [
      ['indicators=population&regions=DE929', "regions.codes is this export's regions"],
      ['indicators=population&level=MUNICIPALITY&parent=DE929', "regions.parentCode is this export's parent"],
    ] as const) {
      const result = await csv(query);
      expect({ query, status: result.status }).toEqual({ query, status: 400 });
      expect(result.text).toContain('"DE929" is a NUTS code, not an ARS: Region Hannover has the ARS "03241".');
      expect(result.text).toContain(parameter);
    }
  });

  it('exports every year of one county’s municipalities: the estimate counts the regions below the parent, not the level', async () => {
    // The Atlas's "alle Jahre" download of a county's table: estimated as one of all 967 municipalities, it was refused with 413.
    const result = await csv('indicators=population,births_per_1000&level=MUNICIPALITY&parent=03155&shape=wide');
    expect(result.status).toBe(200);
    const regionCodes = new Set(result.rows.slice(1).map((row) => row[0]));
    expect(regionCodes.size).toBe(12);
    expect([...regionCodes].every((code) => code!.startsWith('03155'))).toBe(true);
  });

  it('refuses an oversized export with 413 as the API does', async () => {
    const { data } = await stack.query<{ indicators: { code: string }[] }>('{ indicators(level: MUNICIPALITY) { code } }');
    const codes = data!.indicators.map((indicator) => indicator.code).slice(0, 12);
    const api = await stack.query(`{ observationTable(indicators: ${JSON.stringify(codes)}, regions: { level: MUNICIPALITY }) { years } }`);
    expect(api.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ITEMS');
    const result = await csv(`indicators=${codes.join(',')}&level=MUNICIPALITY`);
    expect(result.status).toBe(413);
    // The export asks for the cells too: the gateway's cost estimate refuses it before the subgraph's cell limit would.
    expect(result.text).toContain('QUERY_TOO_COSTLY');
  });
});
