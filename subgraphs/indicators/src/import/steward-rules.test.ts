import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabaseClient, provideScratchDatabase, type DatabaseClient } from '@regiograph/db';
import { parseCsvRecords, type DatabaseUrlLookup } from '@regiograph/shared';
import { runCli } from './cli';
import { importFiles, prepareImport } from './run';
import { validateCatalogue, validateObservations } from './validate';
import { KNOWN_LICENCES } from './licences';
import { regionDirectory, RegionDirectory } from '../regions';
import { MONITORING_SMALL_PERCENTAGES, monitoringFiles, readMonitoring } from '../seed';

// The rules a county statistician (Landkreis Emsland) met importing her own sheet: who may say official,
// the attribution every licence that requires one asks for, shares written as fractions, German dates
// and AGS where the observations want the ARS. Invented figures throughout.

const TEST_DATABASE: DatabaseUrlLookup = { url: process.env.TEST_DATABASE_URL!, from: 'TEST_DATABASE_URL' };
const HEADER =
  'code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_code,source_licence,source_attribution,official';
/** A catalogue row of HEADER by the county's statistics office. */
const row = (code: string, unit: string, licence: string, attribution: string, official: boolean) =>
  `${code},${code},EDUCATION,${unit},1,HIGHER_IS_BETTER,NONE,Landkreis Emsland,Kita-Bedarfsplanung,KB-1,${licence},${attribution},${official}`;
const catalogueOf = (...rows: string[]) => [HEADER, ...rows].join('\n');
const problemTexts = (result: { ok: true } | { ok: false; problems: { file: string; line: number; reason: string }[] }) =>
  result.ok ? [] : result.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.reason}`);

let database: DatabaseClient;
let directory: string;

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
  directory = mkdtempSync(path.join(tmpdir(), 'regiograph-steward-rules-'));
});

afterAll(async () => {
  await database.pool.query(`DELETE FROM indicators.official_designation WHERE indicator_code LIKE 'test_rules_%'`);
  await database.pool.query(`DELETE FROM indicators.observation WHERE indicator_code LIKE 'test_rules_%'`);
  await database.pool.query(`DELETE FROM indicators.indicator WHERE code LIKE 'test_rules_%'`);
  await database.close();
  rmSync(directory, { recursive: true, force: true });
});

/** The CLI run in the test folder: its exit code and what it printed. */
async function cli(argv: string[], target: DatabaseUrlLookup = TEST_DATABASE): Promise<{ exit: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await runCli(argv, target, { out: (line) => out.push(line), err: (line) => err.push(line) }, directory);
  return { exit, out, err };
}

describe('importer: official needs someone who vouches for it', () => {
  const code = 'test_rules_official';
  const attribution = '© Landkreis Emsland; Datenlizenz Deutschland – Namensnennung – Version 2.0';

  it('refuses a catalogue row that makes an indicator official without --official-by, at its line, and writes nothing (seen failing before)', async () => {
    writeFileSync(path.join(directory, 'official.csv'), catalogueOf(row(code, 'Plätze', 'dl-de/by-2-0', attribution, true)));
    for (const argv of [['--check'], ['--release', 'Kita-Bedarfsplanung 2024']]) {
      const { exit, err } = await cli([...argv, '--catalogue', 'official.csv']);
      expect(exit).toBe(1);
      expect(err).toContain(
        `official.csv:2: official true makes ${code} official statistics for every user of the API: give --official-by "<who vouches for it: name, office>", ` +
          'which the import records with the files it read (indicators.official_designation), or write official false',
      );
    }
    expect(await database.prisma.indicator.count({ where: { code } })).toBe(0);
  });

  it('records who vouched, the database role and the hash of each file read; an indicator already official needs no one again (seen failing before)', async () => {
    const { exit, err } = await cli([
      '--release',
      'Kita-Bedarfsplanung 2024',
      '--official-by',
      'A. Muster, Landkreis Emsland, Fachbereich Jugend',
      '--catalogue',
      'official.csv',
    ]);
    expect({ exit, official: err.filter((line) => line.startsWith('official:')) }).toEqual({
      exit: 0,
      official: [
        `official: ${code}, vouched for by A. Muster, Landkreis Emsland, Fachbereich Jugend (recorded in indicators.official_designation)`,
      ],
    });
    const sha256 = createHash('sha256')
      .update(readFileSync(path.join(directory, 'official.csv')))
      .digest('hex');
    const { rows } = await database.pool.query(
      `SELECT indicator_code, official_by, database_user = session_user AS by_session_user, files, release
         FROM indicators.official_designation WHERE indicator_code = $1`,
      [code],
    );
    expect(rows).toEqual([
      {
        indicator_code: code,
        official_by: 'A. Muster, Landkreis Emsland, Fachbereich Jugend',
        by_session_user: true,
        files: [{ file: 'official.csv', sha256 }],
        release: 'Kita-Bedarfsplanung 2024',
      },
    ]);
    expect(await database.prisma.indicator.findUnique({ where: { code }, select: { official: true } })).toEqual({ official: true });
    // The next release of the same indicator: official already, by the act recorded above.
    expect((await cli(['--release', 'Kita-Bedarfsplanung 2025', '--catalogue', 'official.csv'])).exit).toBe(0);
    expect(await database.pool.query(`SELECT 1 FROM indicators.official_designation WHERE indicator_code = $1`, [code])).toMatchObject({
      rowCount: 1,
    });
  });

  it('asks no one of the shipped monitoring (--monitoring), whose catalogue the seed writes as it is (seen failing before)', async () => {
    // A database of its own, migrated and empty (the worker's may hold the seed from another file):
    // none of the shipped indicators is stored yet, so each is one the catalogue makes official.
    const scratch = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL, migrated: true });
    const empty = createDatabaseClient({ url: scratch.url });
    try {
      const shipped = parseCsvRecords(readFileSync(monitoringFiles().catalogue, 'utf8')).map(({ record }) => record.code!);
      expect(await empty.prisma.indicator.count({ where: { code: { in: shipped } } })).toBe(0);
      const { exit, out } = await cli(['--check', '--monitoring'], { url: scratch.url, from: 'TEST_DATABASE_URL' });
      expect({ exit, out }).toEqual({
        exit: 0,
        out: [expect.stringMatching(/^checked 115 indicator\(s\) and \d+ observation\(s\): no problem found/)],
      });
    } finally {
      await empty.close();
      await scratch.stop();
    }
  });

  it('takes a row that is not official without anyone vouching', async () => {
    writeFileSync(path.join(directory, 'own.csv'), catalogueOf(row('test_rules_own', 'Plätze', 'dl-de/zero-2-0', '', false)));
    expect((await cli(['--release', 'Kita-Bedarfsplanung 2024', '--catalogue', 'own.csv'])).exit).toBe(0);
  });

  it('refuses an official indicator under a licence the importer does not know (seen failing before)', () => {
    const { problems } = validateCatalogue(
      catalogueOf(row('test_rules_unknown', 'Plätze', 'Nutzung frei', '', true)),
      'cat.csv',
      new Set(),
    );
    expect(problems).toEqual([
      {
        file: 'cat.csv',
        line: 2,
        reason:
          'an official indicator needs a licence the importer knows (dl-de/by-2-0, dl-de/by-1-0, CC-BY-4.0, dl-de/zero-2-0, CC0-1.0), not "Nutzung frei": ' +
          'give the id of the licence the publisher names, or write official false',
      },
    ]);
    // Data that is not official may name any licence: its terms are then the steward's to keep.
    expect(
      validateCatalogue(catalogueOf(row('test_rules_unknown', 'Plätze', 'Nutzung frei', '', false)), 'cat.csv', new Set()).problems,
    ).toEqual([]);
  });
});

describe('importer: the attribution of every licence that requires one', () => {
  const check = (licence: string, attribution: string) =>
    validateCatalogue(catalogueOf(row('test_rules_licence', 'Plätze', licence, attribution, false)), 'cat.csv', new Set()).problems.map(
      (problem) => problem.reason,
    );

  it('refuses CC BY 4.0 and dl-de/by without an attribution naming the licence, and asks none of dl-de/zero and CC0 (seen failing before)', () => {
    expect(Object.fromEntries([...KNOWN_LICENCES.keys()].map((licence) => [licence, check(licence, '')]))).toEqual({
      'dl-de/by-2-0': [
        'dl-de/by-2-0 requires a source_attribution that names the licence ("Datenlizenz Deutschland – Namensnennung – Version 2.0")',
      ],
      'dl-de/by-1-0': [
        'dl-de/by-1-0 requires a source_attribution that names the licence ("Datenlizenz Deutschland – Namensnennung – Version 1.0")',
      ],
      'CC-BY-4.0': ['CC-BY-4.0 requires a source_attribution that names the licence ("Creative Commons Attribution 4.0")'],
      'dl-de/zero-2-0': [],
      'CC0-1.0': [],
    });
    expect(check('CC-BY-4.0', 'Landkreis Emsland')).toHaveLength(1);
    expect(check('CC-BY-4.0', 'Landkreis Emsland (CC BY 4.0)')).toEqual([]);
    expect(check('dl-de/by-1-0', '© Landkreis Emsland (dl-de/by-1-0)')).toEqual([]);
  });
});

describe('importer: a share written as a fraction', () => {
  const code = 'test_rules_share';
  const catalogue = { file: 'share-catalogue.csv', text: catalogueOf(row(code, '%', 'dl-de/zero-2-0', '', false)) };
  const observations = (values: number[]) => ({
    file: 'share.csv',
    text: ['region_code,indicator_code,year,value', ...values.map((value, index) => `0345${index + 1},${code},2023,${value}`)].join('\n'),
  });

  it('refuses values in % that all lie between -1 and 1 at --check, naming what to write, and takes them when told they are that small (seen failing before)', async () => {
    const fractions = await prepareImport(
      database.prisma,
      { catalogue, observations: observations([0.85, 0.62, 0.91]) },
      { stored: database.pool },
    );
    expect(problemTexts(fractions)).toEqual([
      `share-catalogue.csv:2: ${code} is in %, and every value of it the import reads lies between -1 and 1 (3 value(s), the largest 0.91): ` +
        'shares written as fractions (0.85 for 85 %)? Write them in percent (85), or multiply a value file\'s series in the catalogue\'s series column (" * 100"); ' +
        `if they really are below 1 %, give --small-percentages ${code}`,
    ]);
    const told = await prepareImport(
      database.prisma,
      { catalogue, observations: observations([0.85, 0.62, 0.91]) },
      { stored: database.pool, smallPercentages: new Set([code]) },
    );
    expect(told.ok).toBe(true);
    expect(
      (await prepareImport(database.prisma, { catalogue, observations: observations([85, 62, 0.91]) }, { stored: database.pool })).ok,
    ).toBe(true);
    expect((await prepareImport(database.prisma, { catalogue, observations: observations([0, 0]) }, { stored: database.pool })).ok).toBe(
      true,
    );
  });

  it('refuses fractions of an indicator stored in percent at the first observation row, and takes small values where those stored are small too (seen failing before)', async () => {
    expect((await importFiles(database, { catalogue, observations: observations([85, 62]) })).ok).toBe(true);
    const stored = await prepareImport(database.prisma, { observations: observations([0.85]) }, { stored: database.pool });
    expect(problemTexts(stored)).toEqual([
      expect.stringMatching(/^share\.csv:2: test_rules_share is in %.*the largest 0\.85; its values stored reach 85\)/),
    ]);
    const small = 'test_rules_small_share';
    const smallCatalogue = { file: 'small.csv', text: catalogueOf(row(small, '%', 'dl-de/zero-2-0', '', false)) };
    const smallValues = {
      file: 'small-values.csv',
      text: `region_code,indicator_code,year,value\n03454,${small},2022,0.4\n03455,${small},2022,0.3`,
    };
    expect(
      (await importFiles(database, { catalogue: smallCatalogue, observations: smallValues }, { smallPercentages: new Set([small]) })).ok,
    ).toBe(true);
    const next = { file: 'small-2023.csv', text: `region_code,indicator_code,year,value\n03454,${small},2023,0.5` };
    expect((await prepareImport(database.prisma, { observations: next }, { stored: database.pool })).ok).toBe(true);
  });

  it("refuses none of the shipped monitoring's series in %: only the one named small, which is refused without that name (seen failing before)", async () => {
    const shipped = await readMonitoring();
    const unnamed = await prepareImport(database.prisma, shipped);
    expect(problemTexts(unnamed)).toEqual([
      expect.stringMatching(/:\d+: share_large_enterprises is in %, .*\(765 value\(s\), the largest 0\.94\)/),
    ]);
    expect((await prepareImport(database.prisma, shipped, { smallPercentages: MONITORING_SMALL_PERCENTAGES })).ok).toBe(true);
  });
});

describe('importer: a German date in source_reference_date', () => {
  const dated = (date: string) =>
    [
      'code;name;theme;unit;decimals;polarity;aggregation;source_publisher;source_title;source_licence;source_reference_date;official',
      `test_rules_dated;Kita-Plätze;EDUCATION;Plätze;0;HIGHER_IS_BETTER;SUM;Landkreis Emsland;Kita-Bedarfsplanung;dl-de/zero-2-0;${date};false`,
    ].join('\n');

  it('reads DD.MM.YYYY under --dialect EXCEL_DE, and only that German form (seen failing before)', () => {
    const read = validateCatalogue(dated('31.12.2023'), 'cat.csv', new Set(), 'EXCEL_DE');
    expect({ problems: read.problems, date: read.records[0]?.sourceReferenceDate }).toEqual({
      problems: [],
      date: new Date('2023-12-31T00:00:00Z'),
    });
    expect(validateCatalogue(dated('2023-12-31'), 'cat.csv', new Set(), 'EXCEL_DE').problems).toEqual([]);
    expect(validateCatalogue(dated('1.1.2023'), 'cat.csv', new Set(), 'EXCEL_DE').problems.map((problem) => problem.reason)).toEqual([
      'bad source_reference_date "1.1.2023" (YYYY-MM-DD, or DD.MM.YYYY as --dialect EXCEL_DE reads it: write 2023-01-01)',
    ]);
    expect(validateCatalogue(dated('31.02.2023'), 'cat.csv', new Set(), 'EXCEL_DE').problems.map((problem) => problem.reason)).toEqual([
      'bad source_reference_date "31.02.2023" (YYYY-MM-DD, or DD.MM.YYYY as --dialect EXCEL_DE reads it)',
    ]);
  });

  it('refuses it without the dialect, naming the ISO form', () => {
    const comma = dated('31.12.2023').replace(/;/g, ',');
    expect(validateCatalogue(comma, 'cat.csv', new Set()).problems.map((problem) => problem.reason)).toEqual([
      'bad source_reference_date "31.12.2023" (YYYY-MM-DD: write 2023-12-31)',
    ]);
  });
});

describe('importer: AGS where the observations want the ARS, under --region-key AGS', () => {
  const regions = regionDirectory();
  const file = (...keys: string[]) =>
    ['region_code,indicator_code,year,value', ...keys.map((key, index) => `${key},test_rules_keyed,${2010 + index},${index + 1}`)].join(
      '\n',
    );
  const validate = (text: string, directory: RegionDirectory = regions) =>
    validateObservations(text, 'kita.csv', new Set(['test_rules_keyed']), directory, new Set(), new Map(), 'RFC4180', 'AGS');

  it("takes each AGS as the ARS of the one region that has it: a municipality's 8 digits, a county's 5, the state's 2 (seen failing before)", () => {
    const { records, problems } = validate(file('03454032', '03454', '03'));
    expect({ problems, codes: records.map((record) => record.regionCode) }).toEqual({
      problems: [],
      codes: ['034540032032', '03454', '03'],
    });
  });

  it('refuses an AGS no region has, an ARS, and an AGS several regions have, each at its line and named (seen failing before)', () => {
    const lingen = regions.get('034540032032')!;
    const twice = new RegionDirectory([
      ...['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY'].flatMap((level) =>
        regions.ofLevel(level as Parameters<RegionDirectory['ofLevel']>[0]),
      ),
      { ...lingen, code: '034540032099', name: 'Lingen (Doppel)' },
    ]);
    expect(validate(file('03999001', '034540032032', '0345403'), regions).problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([
      '2: unknown region key 03999001: no municipality of the region catalogue (BKG VG5000, 01.01.2021) has it; a municipality formed by a merger after that day is not in it: leave its rows out',
      '3: 034540032032 is the ARS of Stadt Lingen (Ems), and --region-key AGS reads region_code as AGS: write its AGS, 03454032',
      '4: bad AGS "0345403" (--region-key AGS: 2 digits the state, 5 a county, 8 a municipality)',
    ]);
    expect(validate(file('03454032'), twice).problems.map((p) => p.reason)).toEqual([
      'AGS 03454032 is that of several regions: 034540032032 (Stadt Lingen (Ems)), 034540032099 (Stadt Lingen (Doppel)); give the one meant by its ARS, without --region-key AGS',
    ]);
  });
});

describe("importer: a county's own sheet through the command line, as docs/operations.md walks it", () => {
  const code = 'test_rules_childcare';
  beforeAll(() => {
    writeFileSync(
      path.join(directory, 'emsland-catalogue.csv'),
      [
        'code;name;theme;unit;decimals;polarity;aggregation;source_publisher;source_title;source_licence;source_attribution;source_reference_date;official',
        `${code};Betreuungsquote unter 3;EDUCATION;%;1;HIGHER_IS_BETTER;NONE;Landkreis Emsland;Kita-Bedarfsplanung;CC-BY-4.0;Landkreis Emsland, Kita-Bedarfsplanung (CC BY 4.0);31.12.2023;false`,
      ].join('\n'),
    );
    writeFileSync(
      path.join(directory, 'emsland-values.csv'),
      ['region_code;indicator_code;year;value', `03454032;${code};2023;0,41`, `03454035;${code};2023;0,38`, `03454;${code};2023;0,36`].join(
        '\n',
      ),
    );
  });

  it('reads German dates and AGS when told so, refuses the fractions at --check, and imports the values in percent (seen failing before)', async () => {
    const told = [
      '--dialect',
      'EXCEL_DE',
      '--region-key',
      'AGS',
      '--catalogue',
      'emsland-catalogue.csv',
      '--observations',
      'emsland-values.csv',
    ];
    const fractions = await cli(['--check', ...told]);
    expect({ exit: fractions.exit, refused: fractions.err.filter((line) => line.startsWith('emsland')) }).toEqual({
      exit: 1,
      refused: [
        expect.stringMatching(
          /^emsland-catalogue\.csv:2: test_rules_childcare is in %, .*the largest 0\.41\).*--small-percentages test_rules_childcare$/,
        ),
      ],
    });
    writeFileSync(
      path.join(directory, 'emsland-values.csv'),
      ['region_code;indicator_code;year;value', `03454032;${code};2023;41`, `03454035;${code};2023;38`, `03454;${code};2023;36`].join('\n'),
    );
    expect((await cli(['--check', ...told])).exit).toBe(0);
    expect((await cli(['--release', 'Kita-Bedarfsplanung 2023', ...told])).exit).toBe(0);
    const stored = await database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: code },
      select: { regionCode: true, value: true },
      orderBy: { regionCode: 'asc' },
    });
    expect(stored).toEqual([
      { regionCode: '03454', value: 36 },
      { regionCode: '034540032032', value: 41 },
      { regionCode: '034540035035', value: 38 },
    ]);
    expect(await database.prisma.indicator.findUnique({ where: { code }, select: { sourceReferenceDate: true } })).toEqual({
      sourceReferenceDate: new Date('2023-12-31T00:00:00Z'),
    });
  });
});
