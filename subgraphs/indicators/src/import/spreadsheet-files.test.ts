// A county's statistician imports the county's own figures from the sheet they keep: the files as a
// spreadsheet with German settings writes them (CRLF, a byte order mark, a separator after the last
// cell), with the habits of such sheets in their cells. Invented figures of real municipalities.
import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './cli';
import { importFiles, type ImportResult } from './run';

let database: DatabaseClient;

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database.close();
});

/** A file as a spreadsheet saves it: a byte order mark, CRLF line ends. */
const sheet = (file: string, lines: string[]) => ({ file, text: `\uFEFF${lines.map((line) => `${line}\r\n`).join('')}` });

const CATALOGUE_HEADER =
  'code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,source_reference_date,reference_period,official';
/** A catalogue row of the county's own, not official, with its source and licence. */
const countyRow = (code: string, decimals: number, referenceDate = '2023-12-31') =>
  `${code},Kita-Plätze,EDUCATION,Plätze,${decimals},HIGHER_IS_BETTER,SUM,"Landkreis Emsland, Fachbereich Jugend",Kita-Bedarfsplanung,dl-de/zero-2-0,${referenceDate},31.12.,false`;
const OBSERVATIONS_HEADER = 'region_code,indicator_code,year,value,status,missing_reason';
/** A refused import's problems as the command line prints them; an import that was not refused fails the test. */
const problemLines = (result: ImportResult) => {
  if (result.ok) throw new Error('the import was not refused');
  return result.problems.map(({ file, line, reason }) => `${file}:${line}: ${reason}`);
};
/** An import of the county's row of `code` reading series emsland-kita:places, and a value file of it with the lines given. */
const importSeries = (code: string, decimals: number, lines: string[]) =>
  importFiles(database, {
    catalogue: sheet('kita-catalogue.csv', [`${CATALOGUE_HEADER},series`, `${countyRow(code, decimals)},emsland-kita:places`]),
    values: [sheet('kita-values.csv', ['ags,source_id,series,year,value', ...lines])],
  });

const stored = (code: string) =>
  database.prisma.indicatorObservation.findMany({
    where: { indicatorCode: code },
    select: { regionCode: true, year: true, value: true },
    orderBy: { regionCode: 'asc' },
  });

describe('importer: a county’s sheet as a spreadsheet with German settings saves it', () => {
  it('refuses a value whose point a German thousands separator wrote (1.234 places), at its line, and writes nothing (seen failing before)', async () => {
    const observations = await importFiles(database, {
      catalogue: sheet('kita-catalogue.csv', [CATALOGUE_HEADER, countyRow('test_county_places', 0)]),
      observations: sheet('kita.csv', [
        OBSERVATIONS_HEADER,
        '034540032032,test_county_places,2023,812,,', // Lingen (Ems): fine
        '034540035035,test_county_places,2023,1.234,,', // Meppen: 1234 places, read as 1.234
        '034540041041,test_county_places,2023,-2.500,,', // a negative one likewise
        '034540044044,test_county_places,2023,12.5,,', // one decimal: no thousands separator writes it
      ]),
    });
    expect(observations).toEqual({
      ok: false,
      problems: [3, 4].map((line) => ({
        file: 'kita.csv',
        line,
        reason: expect.stringContaining('is shown with 0: is the point a thousands separator'),
      })),
    });
    if (observations.ok) return;
    expect(observations.problems[0]!.reason).toBe(
      '"1.234" has three decimals, and test_county_places is shown with 0: is the point a thousands separator (German settings write 1234 as 1.234)? ' +
        'Write 1234 for that; if 1.234 is meant, give test_county_places 3 decimals in its catalogue row',
    );
    // The same in a value file, through the series its catalogue row reads.
    const values = await importSeries('test_county_places', 0, [
      '03454032,emsland-kita,places,2023,812',
      '03454035,emsland-kita,places,2023,1.234',
    ]);
    expect(values).toEqual({
      ok: false,
      problems: [
        {
          file: 'kita-values.csv',
          line: 3,
          reason: expect.stringMatching(/^"1\.234" has three decimals, and test_county_places is shown with 0/),
        },
      ],
    });
    expect(await database.prisma.indicator.count({ where: { code: 'test_county_places' } })).toBe(0);
    // An indicator shown with three decimals takes 1.234 as written.
    const precise = await importFiles(
      database,
      {
        catalogue: sheet('kita-catalogue.csv', [CATALOGUE_HEADER, countyRow('test_county_ratio', 3)]),
        observations: sheet('kita.csv', [OBSERVATIONS_HEADER, '034540035035,test_county_ratio,2023,1.234,,']),
      },
      { release: 'Kita-Bedarfsplanung 2023' },
    );
    expect(precise).toMatchObject({ ok: true });
    expect(await stored('test_county_ratio')).toEqual(expect.arrayContaining([{ regionCode: '034540035035', year: 2023, value: 1.234 }]));
  });

  it('names the habit behind a cell it cannot read, and what to write instead (seen failing before)', async () => {
    const result = await importFiles(database, {
      catalogue: sheet('kita-catalogue.csv', [CATALOGUE_HEADER, countyRow('test_county_habits', 1, '31.12.2023')]),
      observations: sheet('kita.csv', [
        OBSERVATIONS_HEADER,
        '034540032032,test_county_habits,2023,-,,', // 2: the offices' sign for "nothing"
        '034540032032,test_county_habits,2022,.,,', // 3: … for "unknown or withheld"
        '034540032032,test_county_habits,2021,"97,5",,', // 4: a decimal comma
        '034540032032,test_county_habits,2020,"1,234",,', // 5: a comma that may be either
        '034540032032,test_county_habits,31.12.2019,5,,', // 6: a date for the year
        '034540032032,test_county_habits,2.018,5,,', // 7: a year written with a thousands separator
        '03454032,test_county_habits,2023,5,,', // 8: the municipality's AGS for its ARS
        '34540032032,test_county_habits,2022,5,,', // 9: the ARS without its leading 0
        'Papenburg,test_county_habits,2023,5,,', // 10: a name
        'Aurich,test_county_habits,2023,5,,', // 11: a name of two regions
      ]),
    });
    expect(problemLines(result)).toEqual([
      'kita-catalogue.csv:2: bad source_reference_date "31.12.2023" (YYYY-MM-DD: write 2023-12-31)',
      'kita.csv:2: bad number "-" ("-" is the statistics offices\' sign for "nothing (exactly 0)": write 0 if it means 0; where there is no value leave the value empty with status MISSING (and a missing_reason), or SUPPRESSED where it is withheld)',
      'kita.csv:3: bad number "." ("." is the statistics offices\' sign for "unknown or withheld": write 0 if it means 0; where there is no value leave the value empty with status MISSING (and a missing_reason), or SUPPRESSED where it is withheld)',
      'kita.csv:4: bad number "97,5" (a decimal comma, as spreadsheets with German settings write it: write 97.5, with a decimal point and no thousands separators)',
      'kita.csv:5: bad number "1,234" (a comma: write a decimal comma as a point (1.234), and leave out a thousands separator (1234))',
      'kita.csv:6: bad year "31.12.2019" (1900–2100): a date; give the year the value describes, and the day in its catalogue row\'s reference_period (e.g. "31.12.")',
      'kita.csv:7: bad year "2.018" (1900–2100): a thousands separator (a spreadsheet formatted the year as a number); write 2018',
      'kita.csv:8: unknown region code "03454032"; that is the AGS of Stadt Lingen (Ems): region_code is its ARS, 034540032032 (or give --region-key AGS, which reads every region_code as an AGS)',
      'kita.csv:9: unknown region code "34540032032"; it lost its leading 0 (a spreadsheet read the key as a number: format the column as text): 034540032032 (Stadt Lingen (Ems))',
      'kita.csv:10: unknown region code "Papenburg"; a name, not a key: 034540041041 (Stadt Papenburg)',
      'kita.csv:11: unknown region code "Aurich"; a name, not a key: 03452 (Landkreis Aurich) or 034520001001 (Stadt Aurich)',
    ]);
    const values = await importSeries('test_county_habits', 1, [
      '3454032,emsland-kita,places,2023,5', // the AGS without its leading 0
      '034540032032,emsland-kita,places,2023,5', // the ARS for the AGS
      'Lingen,emsland-kita,places,2022,5', // a name, without its "(Ems)"
      '03454035,emsland-kita,places,2023,x', // the offices' sign for "not meaningful"
    ]);
    expect(problemLines(values)).toEqual([
      'kita-values.csv:2: bad ags "3454032" (03, a 5-digit county or an 8-digit municipality key of Lower Saxony); it lost its leading 0 (a spreadsheet read the key as a number: format the column as text): 03454032 (Stadt Lingen (Ems))',
      'kita-values.csv:3: bad ags "034540032032" (03, a 5-digit county or an 8-digit municipality key of Lower Saxony); that is the ARS of Stadt Lingen (Ems): ags is its AGS, 03454032',
      'kita-values.csv:4: bad ags "Lingen" (03, a 5-digit county or an 8-digit municipality key of Lower Saxony); a name, not a key: 03454032 (Stadt Lingen (Ems))',
      'kita-values.csv:5: bad number "x" ("x" is the statistics offices\' sign for "not meaningful": write 0 if it means 0; leave the row out where there is no value (never 0))',
    ]);
    expect(await database.prisma.indicator.count({ where: { code: 'test_county_habits' } })).toBe(0);
  });

  it('reads a sheet saved with a separator after its last cell, and refuses a column without a name that holds values (seen failing before)', async () => {
    const result = await importFiles(
      database,
      {
        catalogue: sheet('kita-catalogue.csv', [`${CATALOGUE_HEADER},`, `${countyRow('test_county_trailing', 0)},`]),
        observations: sheet('kita.csv', [
          `${OBSERVATIONS_HEADER},,`,
          '034540032032,test_county_trailing,2023,812,,,',
          '034540035035,test_county_trailing,2023,,MISSING,nicht gemeldet,,',
        ]),
      },
      { release: 'Kita-Bedarfsplanung 2023' },
    );
    expect(result).toMatchObject({ ok: true });
    expect(await stored('test_county_trailing')).toEqual(
      expect.arrayContaining([
        { regionCode: '034540032032', year: 2023, value: 812 },
        { regionCode: '034540035035', year: 2023, value: null },
      ]),
    );
    const named = await importFiles(database, {
      observations: sheet('kita.csv', [
        `${OBSERVATIONS_HEADER},`,
        '034540032032,test_county_trailing,2023,812,,,',
        '034540035035,test_county_trailing,2023,,MISSING,,Meppen',
      ]),
    });
    expect(named).toEqual({
      ok: false,
      problems: [{ file: 'kita.csv', line: 1, reason: 'a column without a name: name it, or delete it' }],
    });
  });

  it('reads a sheet saved with semicolons, decimal commas and points between thousands when told so (--dialect EXCEL_DE), and only then (seen failing before)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-spreadsheet-'));
    const save = (file: string, lines: string[]) => writeFileSync(path.join(directory, file), sheet(file, lines).text);
    save('kita-catalogue.csv', [
      `${CATALOGUE_HEADER.replaceAll(',', ';')};`,
      'test_county_de;Kita-Plätze;EDUCATION;Plätze;0;HIGHER_IS_BETTER;SUM;Landkreis Emsland, Fachbereich Jugend;Kita-Bedarfsplanung;dl-de/zero-2-0;2023-12-31;31.12.;false;',
      'test_county_de_share;Betreuungsquote;EDUCATION;%;1;HIGHER_IS_BETTER;NONE;Landkreis Emsland, Fachbereich Jugend;Kita-Bedarfsplanung;dl-de/zero-2-0;2023-12-31;31.12.;false;',
    ]);
    save('kita.csv', [
      `${OBSERVATIONS_HEADER.replaceAll(',', ';')};`,
      '034540032032;test_county_de;2023;1.234;;;',
      '034540035035;test_county_de;2023;812;;;',
      '034540041041;test_county_de;2023;;MISSING;nicht gemeldet;',
      '034540032032;test_county_de_share;2023;97,5;;;',
      '034540035035;test_county_de_share;2023;1.001,25;;;',
    ]);
    save('kita-point.csv', [OBSERVATIONS_HEADER.replaceAll(',', ';'), '034540032032;test_county_de_share;2022;12.5;;']);
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const run = (...argv: string[]) =>
      runCli(
        [...argv, '--catalogue', 'kita-catalogue.csv'],
        { url: process.env.TEST_DATABASE_URL!, from: 'TEST_DATABASE_URL' },
        output,
        directory,
      );
    try {
      expect(await run('--check', '--observations', 'kita.csv')).toBe(1);
      expect(lines).toContain(
        'kita.csv:1: the file is separated by semicolons (as spreadsheets with German settings save CSV): save it comma-separated, with decimal points, ' +
          'or give --dialect EXCEL_DE to read it as they write it (semicolons, decimal commas, points between thousands)',
      );
      lines.length = 0;
      expect(await run('--check', '--dialect', 'EXCEL_DE', '--observations', 'kita-point.csv')).toBe(1);
      expect(lines).toContain(
        'kita-point.csv:2: bad number "12.5" (--dialect EXCEL_DE reads numbers as Excel with German settings writes them: a decimal comma (12,5), points only between groups of three digits (1.234,5))',
      );
      expect(await run('--check', '--dialect', 'EXCEL', '--observations', 'kita.csv')).toBe(2);
      lines.length = 0;
      expect(await run('--dialect', 'EXCEL_DE', '--release', 'Kita-Bedarfsplanung 2023', '--observations', 'kita.csv')).toBe(0);
      expect(lines).toContainEqual(expect.stringMatching(/^imported 2 indicator\(s\)/));
      expect(await stored('test_county_de')).toEqual(
        expect.arrayContaining([
          { regionCode: '034540032032', year: 2023, value: 1234 },
          { regionCode: '034540035035', year: 2023, value: 812 },
          { regionCode: '034540041041', year: 2023, value: null },
        ]),
      );
      expect(await stored('test_county_de_share')).toEqual([
        { regionCode: '034540032032', year: 2023, value: 97.5 },
        { regionCode: '034540035035', year: 2023, value: 1001.25 },
      ]);
      // Value files the same way, through the series the catalogue row reads.
      const values = await importFiles(
        database,
        {
          dialect: 'EXCEL_DE',
          catalogue: sheet('kita-catalogue.csv', [
            `${CATALOGUE_HEADER.replaceAll(',', ';')};series`,
            'test_county_de_values;Kita-Plätze;EDUCATION;Plätze;0;HIGHER_IS_BETTER;NONE;Landkreis Emsland;Kita-Bedarfsplanung;dl-de/zero-2-0;2023-12-31;31.12.;false;emsland-kita:places',
          ]),
          values: [sheet('kita-values.csv', ['ags;source_id;series;year;value;', '03454032;emsland-kita;places;2023;1.234;'])],
        },
        { release: 'Kita-Bedarfsplanung 2023' },
      );
      expect(values).toMatchObject({ ok: true });
      expect(await stored('test_county_de_values')).toEqual([{ regionCode: '034540032032', year: 2023, value: 1234 }]);
      const indicator = await database.prisma.indicator.findUniqueOrThrow({ where: { code: 'test_county_de' } });
      expect({ official: indicator.official, publisher: indicator.sourcePublisher, licence: indicator.sourceLicence }).toEqual({
        official: false,
        publisher: 'Landkreis Emsland, Fachbereich Jugend',
        licence: 'dl-de/zero-2-0',
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
