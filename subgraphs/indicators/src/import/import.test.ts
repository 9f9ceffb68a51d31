import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from '@regiograph/db';
import { holdTransaction, lockSeed, postGraphQL, untilALockIsAwaited } from '@regiograph/subgraph-kit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INDICATOR_FEED } from '../change-feed';
import { createServer } from '../server';
import type { MissingReason } from '../missing-reasons';
import { RELEASE_REQUIRED, runCli } from './cli';
import { describeReport, importFiles } from './run';
import { regionDirectory } from '../regions';
import { SYNTHETIC_SOURCE } from '../definitions';
import { findDatabaseUrl, type DatabaseUrlLookup } from '@regiograph/shared';

/** The header of the test catalogues that read value series, without the optional columns. */
const SERIES_CATALOGUE_HEADER =
  'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,formula,series,source_publisher,source_title,source_code,source_licence,official';
/** A row of SERIES_CATALOGUE_HEADER for an invented indicator named by its code, by a test office. */
const seriesCatalogueRow = (code: string, aggregation: string, weight: string, formula: string, series: string) =>
  `${code},${code},ECONOMY,items,1,NEUTRAL,${aggregation},${weight},${formula},${series},Test office,Test table,T-9,dl-de/zero-2-0,true`;
/** Every county's code, in the directory's order. */
const counties = regionDirectory()
  .ofLevel('COUNTY')
  .map((county) => county.code);
/** Every ArL district's code. */
const districts = regionDirectory()
  .ofLevel('DISTRICT')
  .map((district) => district.code);
/** The counties within a district, or every county for the state. */
const of = (district: string) => (district === '03' ? counties : counties.filter((code) => code.startsWith(district)));
const sum = (codes: string[], value: (code: string) => number) => codes.reduce((total, code) => total + value(code), 0);
/** The invented county figures of the tests of catalogue rows that change a rule: a population, and a rate by year. */
const population = (code: string) => 1000 * (counties.indexOf(code) + 1);
const rate = (code: string, year: number) => (counties.indexOf(code) % 5) + 1 + (year - 2020) / 2;
/** The statements of an import of catalogue rows alone that change nothing, as counted before such rows aggregated anything. */
const STATEMENTS_OF_AN_UNCHANGED_CATALOGUE = 8;
/** A catalogue file of SERIES_CATALOGUE_HEADER rows. */
const seriesCatalogue = (file: string, rows: string[]) => ({ file, text: [SERIES_CATALOGUE_HEADER, ...rows].join('\n') });
/** An observations file of the lines given. */
const observationsFile = (file: string, lines: string[]) => ({
  file,
  text: ['region_code,indicator_code,year,value,status,missing_reason', ...lines].join('\n'),
});
/**
 * Test fixtures: invented figures. Two county counts of series `a` and `b` of `source`, and a value file
 * of every county's in the years given (`a` raised by `plus`).
 */
const countsOf = (source: string) => {
  const a = (code: string, year: number) => 100 * (counties.indexOf(code) + 1) + year;
  const b = (code: string) => 10 * (counties.indexOf(code) + 1);
  const values = (file: string, years: number[], plus = 0) => ({
    file,
    text: [
      'ags,source_id,series,year,value',
      ...years.flatMap((year) =>
        counties.flatMap((code) => [`${code},${source},a,${year},${a(code, year) + plus}`, `${code},${source},b,${year},${b(code)}`]),
      ),
    ].join('\n'),
  });
  return { a, b, values };
};
let database: DatabaseClient;
const TEST_DATABASE: DatabaseUrlLookup = { url: process.env.TEST_DATABASE_URL!, from: 'TEST_DATABASE_URL' };

beforeAll(() => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
});

afterAll(async () => {
  await database.close();
});

const CATALOGUE = [
  'code,name,description,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_licence,source_url,source_reference_date,official',
  'test_import_count,"Testzählung, importiert",A count brought by a user,ECONOMY,items,0,HIGHER_IS_BETTER,SUM,,Test publisher,Test title,dl-de/zero-2-0,https://example.org,2022-12-31,false',
  'test_import_rate,Testquote,A rate brought by a user,ECONOMY,%,1,LOWER_IS_BETTER,WEIGHTED_MEAN,test_import_count,Test publisher,Test title,dl-de/zero-2-0,,,false',
].join('\n');

const OBSERVATIONS = [
  'region_code,indicator_code,year,value,status,missing_reason',
  '03355,test_import_count,2021,12,,',
  '03355,test_import_count,2022,14,PROVISIONAL,',
  '03355,test_import_rate,2022,3.5,,',
  '033550001001,test_import_rate,2022,,SUPPRESSED,confidential',
  '03,test_import_count,2022,1e3,ESTIMATED,',
].join('\n');

async function snapshot() {
  // The stored data, not which import wrote each row: files that change values and then restore them
  // leave the same data, written by the last of them (Observation.importedFrom, tested below).
  const observations = await database.prisma.indicatorObservation.findMany({
    where: { indicatorCode: { startsWith: 'test_import' } },
    omit: { importId: true },
    orderBy: [{ indicatorCode: 'asc' }, { regionCode: 'asc' }, { year: 'asc' }],
  });
  const indicators = await database.prisma.indicator.findMany({ where: { code: { startsWith: 'test_import' } }, orderBy: { code: 'asc' } });
  return { observations, indicators };
}

describe('importer', () => {
  it('reports every bad row with its line and reason, and changes nothing', async () => {
    const before = await snapshot();
    const observations = [
      'region_code,indicator_code,year,value,status,missing_reason',
      '03355,test_import_count,2021,12,,', // line 2: fine
      '03999,test_import_count,2021,12,,', // 3: unknown region
      '03355,no_such_indicator,2021,12,,', // 4: unknown indicator
      '03355,test_import_count,20x1,12,,', // 5: bad year
      '03355,test_import_count,2020,"1.234,5",,', // 6: bad number
      '03355,test_import_count,2021,13,,', // 7: duplicate of line 2
      '03355,test_import_count,2019,,,', // 8: empty value without a status
      '03355,test_import_count,2018,5,MISSING,', // 9: value with a null status
      '03355,test_import_count,2017,5,GUESSED,', // 10: unknown status
      '03355,test_import_count,2016,1e-400,,', // 11: would be stored as 0
      '03355,test_import_count,2015,1e400,,', // 12: would be stored as Infinity
      '03355,test_import_count,2014,0.0e-400,,', // 13: fine, a zero written so
      '03355,test_import_count,2013,5,FINAL,late delivery', // 14: a reason for a value that is there
    ].join('\n');
    const result = await importFiles(database, {
      catalogue: { file: 'cat.csv', text: CATALOGUE },
      observations: { file: 'obs.csv', text: observations },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => [problem.file, problem.line])).toEqual([
      ['obs.csv', 3],
      ['obs.csv', 4],
      ['obs.csv', 5],
      ['obs.csv', 6],
      ['obs.csv', 7],
      ['obs.csv', 8],
      ['obs.csv', 9],
      ['obs.csv', 10],
      ['obs.csv', 11],
      ['obs.csv', 12],
      ['obs.csv', 14],
    ]);
    const reasons = result.problems.map((problem) => problem.reason);
    expect(reasons[0]).toMatch(/unknown region code "03999"/);
    expect(reasons[1]).toMatch(/unknown indicator code "no_such_indicator"/);
    expect(reasons[2]).toMatch(/bad year/);
    expect(reasons[3]).toMatch(/bad number/);
    expect(reasons[4]).toMatch(/duplicate row .* line 2/);
    expect(reasons[5]).toMatch(/empty value needs status/);
    expect(reasons[6]).toMatch(/needs an empty value/);
    expect(reasons[7]).toMatch(/unknown status/);
    expect(reasons[8]).toBe('number "1e-400" is too close to 0 to store');
    expect(reasons[9]).toBe('number "1e400" is too large to store');
    expect(reasons[10]).toBe('missing_reason is only for an empty value (status MISSING or SUPPRESSED)');
    // The valid catalogue was not written either: a file with any error changes nothing.
    expect(await snapshot()).toEqual(before);
  });

  it('reports a file of 120,000 bad lines line by line instead of failing on their number', async () => {
    // A trailing delimiter on every line: each row has one field too many.
    const rows = Array.from({ length: 120_000 }, (_, index) => `03355,test_import_count,${1800 + (index % 200)},1,,,`);
    const result = await importFiles(database, {
      catalogue: { file: 'cat.csv', text: CATALOGUE },
      observations: { file: 'obs.csv', text: ['region_code,indicator_code,year,value,status,missing_reason', ...rows].join('\n') },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const tooLong = result.problems.filter((problem) => problem.reason === 'expected 6 fields, found 7');
    expect(tooLong.map((problem) => problem.line)).toEqual(rows.map((_, index) => index + 2));
  });

  it('refuses a file with the NUL character at its line, before anything is written', async () => {
    const before = await snapshot();
    const catalogue = CATALOGUE.replace('Testquote', 'Test\u0000quote');
    const values = 'ags,source_id,series,year,value\n03355,test-src,people_total,2020,100\u0000\n';
    const result = await importFiles(database, {
      catalogue: { file: 'cat.csv', text: catalogue },
      observations: { file: 'obs.csv', text: OBSERVATIONS.replace('PROVISIONAL', 'PROVISIONAL\u0000') },
      values: [{ file: 'values.csv', text: values }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.reason}`)).toEqual([
      'cat.csv:3: not well-formed CSV: the NUL character (U+0000) is not text (a binary file, or one saved as UTF-16?)',
      'obs.csv:3: not well-formed CSV: the NUL character (U+0000) is not text (a binary file, or one saved as UTF-16?)',
      'values.csv:2: not well-formed CSV: the NUL character (U+0000) is not text (a binary file, or one saved as UTF-16?)',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('reports catalogue problems by line', async () => {
    const catalogue = [
      'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_licence,official',
      'Bad Code,X,ECONOMY,u,0,NEUTRAL,SUM,,P,T,L,false',
      'ok_code,X,WEATHER,u,0,NEUTRAL,WEIGHTED_MEAN,,P,T,L,maybe',
    ].join('\n');
    const result = await importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.line)).toEqual([2, 3, 3, 3]);
    expect(result.problems.map((problem) => problem.reason).join('\n')).toMatch(
      /bad indicator code[\s\S]*unknown theme[\s\S]*needs a weight_indicator[\s\S]*bad official/,
    );
  });

  it('refuses a dl-de/by-2-0 row whose attribution does not name the licence', async () => {
    const before = await snapshot();
    const catalogue = [
      'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_code,source_licence,source_attribution,official',
      'test_import_unattributed,X,ECONOMY,u,0,NEUTRAL,SUM,,Test office,T,T-9,dl-de/by-2-0,© Test office,true',
    ].join('\n');
    const result = await importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { file: 'cat.csv', line: 2, reason: expect.stringMatching(/dl-de\/by-2-0 requires a source_attribution that names the licence/) },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('waits while a seed writes: a seed reads what imports wrote only where no import can commit in between', async () => {
    // The lock as a seed holds it while it writes the shipped data.
    const seed = holdTransaction(database.prisma, (tx) => lockSeed(tx, INDICATOR_FEED.schema));
    await seed.holding;
    let settled = false;
    // An indicator of its own: the other tests count those named test_import_*.
    const catalogue = CATALOGUE.split('\n').slice(0, 2).join('\n').replace('test_import_count', 'test_lock_count');
    const importing = importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue } }).finally(() => (settled = true));
    await untilALockIsAwaited(database.prisma, () => settled);
    const waitedForTheSeed = !settled;
    seed.release();
    await seed.done;
    expect(waitedForTheSeed).toBe(true);
    expect(await importing).toMatchObject({ ok: true, indicators: 1, indicatorsChanged: ['test_lock_count'] });
    await database.prisma.indicator.delete({ where: { code: 'test_lock_count' } });
  });

  it('labels an imported indicator that is not official as what it is: not official, and not synthetic either', async () => {
    // An indicator of its own: the other tests count those named test_import_*.
    const catalogue = CATALOGUE.split('\n').slice(0, 2).join('\n').replace('test_import_count', 'test_survey_count');
    expect(await importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue } })).toMatchObject({ ok: true });
    const server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const { url } = await server.listen(0);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ indicator(code: "test_survey_count") { official synthetic source { publisher } } }' }),
      });
      expect(await response.json()).toEqual({
        data: { indicator: { official: false, synthetic: false, source: { publisher: 'Test publisher' } } },
      });
    } finally {
      await server.close();
      await database.prisma.indicator.delete({ where: { code: 'test_survey_count' } });
    }
  });

  it("says its own reasons in the language asked from their structure, and a steward's reason as written", async () => {
    // Its own: a county lacking makes the district and the state MISSING. The steward's reason is in
    // RegioGraph's own English wording, and is still the steward's: given as written in German too.
    const stewards = 'Not aggregated: 1 of 10 counties lack a value or weight.';
    const catalogue = CATALOGUE.split('\n').slice(0, 2).join('\n').replace('test_import_count', 'test_reason_count');
    const observations = [
      'region_code,indicator_code,year,value,status,missing_reason',
      '03355,test_reason_count,2022,14,,',
      `03159,test_reason_count,2022,,MISSING,${stewards}`,
    ].join('\n');
    const input = { catalogue: { file: 'cat.csv', text: catalogue }, observations: { file: 'obs.csv', text: observations } };
    expect(await importFiles(database, input)).toMatchObject({ ok: true });
    // The importer leaves the district and the state MISSING for the counties they lack, as stored here.
    const notAggregated: MissingReason = { kind: 'notAggregated', lacking: 10, of: 11, members: 'counties', orWeight: false };
    expect(
      await database.prisma.indicatorObservation.findUniqueOrThrow({
        where: { regionCode_indicatorCode_year: { regionCode: '033', indicatorCode: 'test_reason_count', year: 2022 } },
        select: { status: true, ownMissingReason: true },
      }),
    ).toEqual({ status: 'MISSING', ownMissingReason: notAggregated });
    const server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const { url } = await server.listen(0);
      type Cell = { regionCode: string; en: string | null; de: string | null };
      const { data, errors } = await postGraphQL<{ observationTable: { cells: Cell[] } }>(
        url,
        `{ observationTable(indicators: ["test_reason_count"], regions: { codes: ["03", "033", "03159", "033550001001"] }, fromYear: 2022, toYear: 2022) {
             cells { regionCode en: missingReason de: missingReason(language: DE) } } }`,
      );
      expect(errors).toBeUndefined();
      expect(data!.observationTable.cells).toEqual([
        {
          regionCode: '03',
          en: 'Not aggregated: 44 of 45 counties lack a value.',
          de: 'Nicht zusammengefasst: 44 von 45 Kreisen fehlt ein Wert.',
        },
        {
          regionCode: '033',
          en: 'Not aggregated: 10 of 11 counties lack a value.',
          de: 'Nicht zusammengefasst: 10 von 11 Kreisen fehlt ein Wert.',
        },
        { regionCode: '03159', en: stewards, de: stewards },
        {
          regionCode: '033550001001',
          en: 'No observation: test_reason_count has values only at the county level.',
          de: 'Kein Wert: test_reason_count hat nur auf der Ebene Kreis Werte.',
        },
      ]);
    } finally {
      await server.close();
      await database.prisma.indicator.delete({ where: { code: 'test_reason_count' } });
    }
  });

  it('applies a good file in one transaction, idempotently', async () => {
    const input = { catalogue: { file: 'cat.csv', text: CATALOGUE }, observations: { file: 'obs.csv', text: OBSERVATIONS } };
    const messages: string[] = [];
    const first = await importFiles(database, input, { log: (message) => messages.push(message) });
    // The five rows given, and the district and state above the county given (the state given in 2022
    // stands), each MISSING for the counties it lacks: both indicators aggregate.
    expect(first).toMatchObject({
      ok: true,
      indicators: 2,
      observations: 10,
      observationsWritten: 10,
      indicatorsChanged: ['test_import_count', 'test_import_rate'],
      absentRegions: [],
      stateChecks: [],
    });
    expect(messages.some((message) => message.startsWith('written 10 of 10'))).toBe(true);
    const after = await snapshot();
    expect(
      after.indicators.map((row) => [row.code, row.official, row.weightIndicatorCode, row.coverageYears, [...row.coverageLevels].sort()]),
    ).toEqual([
      ['test_import_count', false, null, [2021, 2022], ['COUNTY', 'STATE']],
      ['test_import_rate', false, 'test_import_count', [2022], ['COUNTY', 'MUNICIPALITY']],
    ]);
    expect(after.indicators[0]!.name).toBe('Testzählung, importiert');
    expect(
      after.observations.map((row) => [row.regionCode, row.indicatorCode, row.year, row.value, row.status, row.missingReason]),
    ).toEqual([
      ['03', 'test_import_count', 2021, null, 'MISSING', null],
      ['03', 'test_import_count', 2022, 1000, 'ESTIMATED', null],
      ['033', 'test_import_count', 2021, null, 'MISSING', null],
      ['033', 'test_import_count', 2022, null, 'MISSING', null],
      ['03355', 'test_import_count', 2021, 12, 'FINAL', null],
      ['03355', 'test_import_count', 2022, 14, 'PROVISIONAL', null],
      ['03', 'test_import_rate', 2022, null, 'MISSING', null],
      ['033', 'test_import_rate', 2022, null, 'MISSING', null],
      ['03355', 'test_import_rate', 2022, 3.5, 'FINAL', null],
      ['033550001001', 'test_import_rate', 2022, null, 'SUPPRESSED', 'confidential'],
    ]);
    const lacking = (of: number, orWeight: boolean) => ({ kind: 'notAggregated', lacking: of - 1, of, members: 'counties', orWeight });
    expect(after.observations.filter((row) => row.status === 'MISSING').map((row) => row.ownMissingReason)).toEqual([
      lacking(45, false),
      lacking(11, false),
      lacking(11, false),
      lacking(45, true),
      lacking(11, true),
    ]);
    // The change feed names each indicator an import created or changed, in the import's transaction,
    // by the files that brought it.
    const changes = async () =>
      database.prisma.$queryRaw<{ key: string; operation: string; actor: string }[]>`
        SELECT key, operation, actor FROM indicators.change_log WHERE key LIKE 'test_import%' ORDER BY position`;
    const created = [
      { key: 'test_import_count', operation: 'CREATED', actor: 'import:cat.csv,obs.csv' },
      { key: 'test_import_rate', operation: 'CREATED', actor: 'import:cat.csv,obs.csv' },
    ];
    expect(await changes()).toEqual(created);
    // The same files again: every entry and observation is stored as it is, none is written, and the
    // feed announces nothing, so that partners following it do not re-read unchanged indicators.
    expect(await importFiles(database, input)).toMatchObject({ ok: true, observations: 10, observationsWritten: 0, indicatorsChanged: [] });
    expect(await snapshot()).toEqual(after);
    expect(await changes()).toEqual(created);
    // A value, a status alone and a reason alone changed: exactly those three rows are written, and
    // both indicators they belong to are announced.
    const changed = OBSERVATIONS.replace('2021,12,,', '2021,13,,')
      .replace('2022,14,PROVISIONAL,', '2022,14,FINAL,')
      .replace('SUPPRESSED,confidential', 'SUPPRESSED,not published');
    expect(await importFiles(database, { ...input, observations: { file: 'obs.csv', text: changed } })).toMatchObject({
      ok: true,
      observationsWritten: 3,
      indicatorsChanged: ['test_import_count', 'test_import_rate'],
    });
    // The parents lack the same counties as before: none of them is written again.
    expect((await snapshot()).observations.map((row) => [row.regionCode, row.year, row.value, row.status, row.missingReason])).toEqual([
      ['03', 2021, null, 'MISSING', null],
      ['03', 2022, 1000, 'ESTIMATED', null],
      ['033', 2021, null, 'MISSING', null],
      ['033', 2022, null, 'MISSING', null],
      ['03355', 2021, 13, 'FINAL', null],
      ['03355', 2022, 14, 'FINAL', null],
      ['03', 2022, null, 'MISSING', null],
      ['033', 2022, null, 'MISSING', null],
      ['03355', 2022, 3.5, 'FINAL', null],
      ['033550001001', 2022, null, 'SUPPRESSED', 'not published'],
    ]);
    expect(await importFiles(database, input)).toMatchObject({ ok: true, observationsWritten: 3 });
    expect(await snapshot()).toEqual(after);
    const updatedBoth = [
      { key: 'test_import_count', operation: 'UPDATED', actor: 'import:cat.csv,obs.csv' },
      { key: 'test_import_rate', operation: 'UPDATED', actor: 'import:cat.csv,obs.csv' },
    ];
    expect(await changes()).toEqual([...created, ...updatedBoth, ...updatedBoth]);
    // A definition changed alone, its values as stored: that indicator only.
    const renamed = CATALOGUE.replace('Testzählung, importiert', 'Testzählung, umbenannt');
    expect(renamed).not.toBe(CATALOGUE);
    expect(await importFiles(database, { ...input, catalogue: { file: 'cat.csv', text: renamed } })).toMatchObject({
      ok: true,
      observationsWritten: 0,
      indicatorsChanged: ['test_import_count'],
    });
    expect((await changes()).slice(6)).toEqual([updatedBoth[0]]);
    expect(await importFiles(database, input)).toMatchObject({
      ok: true,
      observationsWritten: 0,
      indicatorsChanged: ['test_import_count'],
    });
    expect(await snapshot()).toEqual(after);
  });

  it('keeps the stored optional columns that a re-imported catalogue leaves out, and clears those it leaves empty', async () => {
    const required = 'code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,official';
    const row = 'test_keep_count,Behalten,ECONOMY,items,0,NEUTRAL,SUM,Test publisher,Test title,dl-de/zero-2-0';
    const full = [
      `${required},description,source_url,source_reference_date,source_code,reference_period,break_notes`,
      `${row},true,What it counts,https://example.org/keep,2023-12-31,T-1,31.12.,Break in 2011`,
    ].join('\n');
    const stored = async () =>
      database.prisma.indicator.findUniqueOrThrow({
        where: { code: 'test_keep_count' },
        select: {
          name: true,
          official: true,
          description: true,
          sourceUrl: true,
          sourceReferenceDate: true,
          sourceCode: true,
          referencePeriod: true,
          breakNotes: true,
        },
      });
    const described = {
      description: 'What it counts',
      sourceUrl: 'https://example.org/keep',
      sourceReferenceDate: new Date('2023-12-31T00:00:00Z'),
      sourceCode: 'T-1',
      referencePeriod: '31.12.',
      breakNotes: 'Break in 2011',
    };
    expect(await importFiles(database, { catalogue: { file: 'full.csv', text: full } })).toMatchObject({ ok: true });
    expect(await stored()).toEqual({ name: 'Behalten', official: true, ...described });
    // Only the required columns, a new name and no longer official: what the file gives is updated,
    // what it leaves out stays as stored.
    const short = [required, `${row.replace('Behalten', 'Umbenannt')},false`].join('\n');
    expect(await importFiles(database, { catalogue: { file: 'short.csv', text: short } })).toMatchObject({
      ok: true,
      indicatorsChanged: ['test_keep_count'],
    });
    expect(await stored()).toEqual({ name: 'Umbenannt', official: false, ...described });
    // The same short file again changes nothing, so the feed announces nothing.
    expect(await importFiles(database, { catalogue: { file: 'short.csv', text: short } })).toMatchObject({
      ok: true,
      indicatorsChanged: [],
    });
    // The columns given but empty: the stored values are cleared.
    const emptied = [
      `${required},description,source_url,source_reference_date,source_code,reference_period,break_notes`,
      `${row.replace('Behalten', 'Umbenannt')},false,,,,,,`,
    ].join('\n');
    expect(await importFiles(database, { catalogue: { file: 'emptied.csv', text: emptied } })).toMatchObject({ ok: true });
    expect(await stored()).toEqual({
      name: 'Umbenannt',
      official: false,
      description: '',
      sourceUrl: null,
      sourceReferenceDate: null,
      sourceCode: '',
      referencePeriod: '',
      breakNotes: '',
    });
  });

  it('exits non-zero from the command line on bad input and zero on good input', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    const bad = path.join(directory, 'bad.csv');
    const good = path.join(directory, 'good.csv');
    writeFileSync(bad, 'region_code,indicator_code,year,value\n03355,test_import_count,2021,abc\n');
    writeFileSync(good, 'region_code,indicator_code,year,value\n03355,test_import_count,2020,11\n');
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await runCli(['--release', 'Testamt, Stand 01.01.2024', '--observations', bad], TEST_DATABASE, output)).toBe(1);
    expect(lines).toContain(`${bad}:2: bad number "abc" (use a decimal point, no thousands separators)`);
    expect(await runCli(['--release', 'Testamt, Stand 01.01.2024', '--observations', good], TEST_DATABASE, output)).toBe(0);
    expect(await runCli(['--bogus'], TEST_DATABASE, output)).toBe(2);
    // A file given twice would have replaced the first one without a word: a usage error instead.
    expect(await runCli(['--observations', bad, '--observations', good], TEST_DATABASE, output)).toBe(2);
    expect(lines).toContainEqual(expect.stringContaining(`--observations given twice (${bad}, ${good})`));
    expect(await runCli(['--catalogue', good, '--catalogue', bad], TEST_DATABASE, output)).toBe(2);
    expect(await runCli(['--catalogue', good, '--monitoring'], TEST_DATABASE, output)).toBe(2);
    expect(lines).toContainEqual(expect.stringContaining('--monitoring brings its own catalogue'));
    rmSync(directory, { recursive: true, force: true });
    const imported = await database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '03355', indicatorCode: 'test_import_count', year: 2020 } },
    });
    expect(imported?.value).toBe(11);
    // The county's value, and its district and the state MISSING for the counties they lack (a SUM).
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^imported 0 indicator\(s\) and 3 observation\(s\) in \d+ ms: 3 new or changed, 0 already stored as they are; 1 indicator\(s\) changed\.$/,
      ),
    );
  });
});

describe('importer: the command line', () => {
  /** The stored observation of test_import_count for Landkreis Lüneburg in a year, to see that nothing was written. */
  const storedCount = (year: number) =>
    database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '03355', indicatorCode: 'test_import_count', year } },
    });

  it('finds the database npm start runs as the API keys command does, and says what to do when there is none', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    const started = path.join(directory, 'database-url');
    // An indicator of its own: the other tests count those named test_import_*.
    writeFileSync(
      path.join(directory, 'cat.csv'),
      CATALOGUE.split('\n').slice(0, 2).join('\n').replace('test_import_count', 'test_found_count'),
    );
    writeFileSync(path.join(directory, 'found.csv'), 'region_code,indicator_code,year,value\n03355,test_found_count,2018,19\n');
    const argv = ['--release', 'Testamt, Stand 01.01.2024', '--catalogue', 'cat.csv', '--observations', 'found.csv'];
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    try {
      // No DATABASE_URL: the address npm start wrote.
      writeFileSync(started, `${process.env.TEST_DATABASE_URL}\n`);
      expect(await runCli(argv, findDatabaseUrl(['DATABASE_URL'], {}, started), output, directory)).toBe(0);
      expect(lines).toContain('database: from npm start (.data/database-url)');
      // Neither: exit code 2 and what to do, before any file is read.
      rmSync(started);
      lines.length = 0;
      expect(await runCli(argv, findDatabaseUrl(['DATABASE_URL'], {}, started), output, directory)).toBe(2);
      expect(lines[0]?.split('\n')[0]).toBe(
        'DATABASE_URL is not set, and npm start is not running (it writes the address of its database to .data/database-url): ' +
          "start it in another terminal, or set DATABASE_URL to the database's address (postgresql://…).",
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    const imported = await database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '03355', indicatorCode: 'test_found_count', year: 2018 } },
      include: { import: true },
    });
    expect(imported?.value).toBe(19);
    expect(imported?.import?.release).toBe('Testamt, Stand 01.01.2024');
    await database.prisma.indicator.delete({ where: { code: 'test_found_count' } });
  });

  it('reads relative file names from where the steward stands, not from the package that npm runs it in', async () => {
    // `npm run import -w @regiograph/indicators -- --values new.csv` runs in subgraphs/indicators; npm's INIT_CWD is the folder the steward named new.csv from.
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    writeFileSync(path.join(directory, 'relative.csv'), 'region_code,indicator_code,year,value\n03355,test_import_count,2019,17\n');
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    try {
      expect({
        exit: await runCli(['--release', 'Testamt, Stand 01.01.2024', '--observations', 'relative.csv'], TEST_DATABASE, output, directory),
        lines,
      }).toEqual({
        exit: 0,
        // The county's value, its district's and the state's (a SUM).
        lines: expect.arrayContaining([expect.stringMatching(/^imported 0 indicator\(s\) and 3 observation\(s\)/)]),
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses to write without --release, which every value written names, and checks without one', async () => {
    // An unnamed import's values served importedFrom { release: null }: a partner could not tell which of
    // the office's releases they came from, nor reconcile them with it.
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    writeFileSync(path.join(directory, 'unnamed.csv'), 'region_code,indicator_code,year,value\n03355,test_import_count,2011,29\n');
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const before = await storedCount(2011);
    try {
      for (const argv of [['--observations', 'unnamed.csv'], ['--monitoring'], ['--release', ' ', '--observations', 'unnamed.csv']]) {
        lines.length = 0;
        const exit = await runCli(argv, TEST_DATABASE, output, directory);
        expect({ argv, exit, first: lines[0]?.split('\n')[0] }).toEqual({
          argv,
          exit: 2,
          first: argv.includes(' ') ? 'unexpected argument "--release"' : RELEASE_REQUIRED,
        });
      }
      // (--check without one: the next test.)
      expect(await storedCount(2011)).toEqual(before);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('checks files without writing them (--check), with the report of an import', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    writeFileSync(path.join(directory, 'check.csv'), 'region_code,indicator_code,year,value\n03355,test_import_count,2012,23\n');
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const before = await storedCount(2012);
    try {
      const exit = await runCli(['--check', '--observations', 'check.csv'], TEST_DATABASE, output, directory);
      expect({ exit, lines }).toEqual({
        exit: 0,
        lines: expect.arrayContaining([
          'checked 0 indicator(s) and 3 observation(s): no problem found; nothing was written (run it again without --check to import).',
        ]),
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    expect(await storedCount(2012)).toEqual(before);
  });
});

describe('importer: files that are not UTF-8', () => {
  it('refuses them at the line of their first bad byte and writes nothing, though the other files are fine', async () => {
    const before = await snapshot();
    const directory = mkdtempSync(path.join(tmpdir(), 'indicators-import-'));
    try {
      // A spreadsheet saved as Windows-1252: "Testzählung" would have been imported as "Testz�hlung".
      const catalogue = path.join(directory, 'catalogue.csv');
      const observations = path.join(directory, 'observations.csv');
      writeFileSync(catalogue, Buffer.from(CATALOGUE, 'latin1'));
      writeFileSync(observations, OBSERVATIONS);
      const lines: string[] = [];
      const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      expect(
        await runCli(
          ['--release', 'Testamt, Stand 01.01.2024', '--catalogue', catalogue, '--observations', observations],
          TEST_DATABASE,
          output,
        ),
      ).toBe(1);
      expect(lines).toEqual([
        `${catalogue}:2: byte 0xE4 is not UTF-8 (a file saved as Windows-1252 or ISO-8859-1? save it as UTF-8)`,
        '1 problem(s) found; nothing was imported.',
      ]);
      expect(await snapshot()).toEqual(before);
      // The same catalogue saved as UTF-8 goes in, its name as written.
      writeFileSync(catalogue, CATALOGUE);
      expect(
        await runCli(
          ['--release', 'Testamt, Stand 01.01.2024', '--catalogue', catalogue, '--observations', observations],
          TEST_DATABASE,
          output,
        ),
      ).toBe(0);
      const imported = await database.prisma.indicator.findUnique({ where: { code: 'test_import_count' } });
      expect(imported?.name).toBe('Testzählung, importiert');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

const SERIES_CATALOGUE = [
  'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,formula,series,source_publisher,source_title,source_code,source_licence,source_attribution,reference_period,break_notes,official',
  'test_series_people,Testpersonen,DEMOGRAPHY,persons,0,NEUTRAL,SUM,,,test-src:people_a + test-src:people_b | test-src:people_total,Test office,Test table,T-1,dl-de/by-2-0,© Test office; Datenlizenz Deutschland – Namensnennung – Version 2.0,31.12.,Break in 2011,true',
  'test_series_area,Testfläche,GEOGRAPHY,km²,2,NEUTRAL,SUM,,,test-src:area * 100,Test office,Test table,T-2,dl-de/by-2-0,© Test office; Datenlizenz Deutschland – Namensnennung – Version 2.0,31.12.,,true',
  'test_series_density,Testdichte,DEMOGRAPHY,per km²,1,NEUTRAL,WEIGHTED_MEAN,test_series_area,test_series_people / test_series_area,,Test office,Test table,"T-1, T-2",dl-de/by-2-0,© Test office; Datenlizenz Deutschland – Namensnennung – Version 2.0,31.12.,,true',
].join('\n');

describe('importer: value files through the catalogue', () => {
  const seriesRows = () => database.prisma.indicatorObservation.count({ where: { indicatorCode: { startsWith: 'test_series' } } });
  const importSeries = (values: string, catalogue = SERIES_CATALOGUE) =>
    importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue }, values: [{ file: 'values.csv', text: values }] });
  it('reports every bad value line and bad catalogue series, and changes nothing', async () => {
    const before = await snapshot();
    const values = [
      'ags,source_id,series,year,value',
      '03355,test-src,people_total,2020,100', // fine
      '3355,test-src,people_total,2020,100', // 3: bad key
      '03355,test-src,people_total,20x0,100', // 4: bad year
      '03355,test-src,people_total,2021,"1.234,5"', // 5: bad number
      '03355,test-src,people_total,2020,101', // 6: duplicate of line 2
      '03355,test-src,area,2020,', // 7: an empty value (missing values are left out)
    ].join('\n');
    const catalogue = SERIES_CATALOGUE + '\ntest_series_bad,X,ECONOMY,u,0,NEUTRAL,SUM,,,nonsense,P,T,T-3,dl-de/zero-2-0,A,,,true';
    const result = await importSeries(values, catalogue);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}`)).toEqual([
      'cat.csv:5',
      'values.csv:3',
      'values.csv:4',
      'values.csv:5',
      'values.csv:6',
      'values.csv:7',
    ]);
    expect(result.problems[0]!.reason).toMatch(/bad series term "nonsense"/);
    expect(result.problems[4]!.reason).toMatch(/duplicate value .* \(first in values.csv:2\)/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a computed value that overflows a number, at its catalogue line, and writes nothing', async () => {
    // Each value is finite, but the Samtgemeinde Amelinghausen (033555401) sums its five members to Infinity,
    // which GraphQL's Float cannot carry: every read of the cell would fail.
    const members = ['03355002', '03355008', '03355027', '03355029', '03355034'];
    const values = [
      'ags,source_id,series,year,value',
      ...members.map((ags) => `${ags},test-src,people_total,2019,1e308`),
      // Every series the catalogue names must be in the value files.
      '03355,test-src,people_a,2018,1',
      '03355,test-src,people_b,2018,1',
      '03355,test-src,area,2018,1',
    ].join('\n');
    const before = await seriesRows();
    const result = await importSeries(values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'cat.csv',
        reason: 'test_series_people computes to Infinity for 033555401 in 2019: its inputs overflow a number',
      }),
    );
    expect(await seriesRows()).toBe(before);
  });

  it('computes sums, factors, fallbacks, formulas and all levels, reports absent keys, idempotently', async () => {
    const values = [
      'ags,source_id,series,year,value',
      // Lüneburg county: the sum of two series in 2020; only the total in 2021 (the fallback).
      '03355,test-src,people_a,2020,60',
      '03355,test-src,people_b,2020,40',
      '03355,test-src,people_total,2021,110',
      '03355,test-src,area,2020,13.2575',
      // Samtgemeinde Amelinghausen (033555401): people for two of its five members, area for all.
      '03355002,test-src,people_total,2020,4',
      '03355008,test-src,people_total,2020,6',
      '03355002,test-src,area,2020,0.5',
      '03355008,test-src,area,2020,0.25',
      '03355027,test-src,area,2020,0.125',
      '03355029,test-src,area,2020,0.25',
      '03355034,test-src,area,2020,1',
      // The key of the Landkreis Göttingen before its merger with Osterode am Harz (03159 since 01.11.2016).
      '03152,test-src,people_total,2015,8',
    ].join('\n');
    const input = { catalogue: { file: 'cat.csv', text: SERIES_CATALOGUE }, values: [{ file: 'values.csv', text: values }] };
    const messages: string[] = [];
    const result = await importFiles(database, input, { log: (message) => messages.push(message) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.absentRegions).toEqual([
      {
        ags: '03152',
        rows: 1,
        years: [2015],
        firstLine: 'values.csv:13',
        formerKeyNote: expect.stringContaining('since 2016-11-01 its area belongs to 03159'),
      },
    ]);
    expect(describeReport(result)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^not loaded: region key 03152 .*: 03152 was the key of Landkreis Göttingen, dissolved by a merger/),
      ]),
    );
    expect(messages.some((message) => message.startsWith('computed '))).toBe(true);
    const value = async (regionCode: string, indicatorCode: string, year: number) =>
      (
        await database.prisma.indicatorObservation.findUnique({
          where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } },
        })
      )?.value;
    expect(await value('03355', 'test_series_people', 2020)).toBe(100);
    expect(await value('03355', 'test_series_people', 2021)).toBe(110);
    expect(await value('03355', 'test_series_area', 2020)).toBe(1325.75);
    expect(await value('03355', 'test_series_density', 2020)).toBeCloseTo(100 / 1325.75, 10);
    // The municipalities are stored under their ARS; the Samtgemeinde only when all its members have values.
    const amelinghausen = await database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: 'test_series_people', regionCode: { startsWith: '033555401' } },
    });
    const membersWithValues = amelinghausen.filter((row) => row.regionCode.length === 12).map((row) => row.regionCode);
    expect(membersWithValues.sort()).toEqual(['033555401002', '033555401008']);
    // Amelinghausen has five members: no partial sum poses as its population, which is MISSING with
    // the reason (as a district lacking a county is), while its area is complete.
    expect(
      amelinghausen
        .filter((row) => row.regionCode === '033555401')
        .map((row) => [row.year, row.value, row.status, row.missingReason, row.ownMissingReason]),
    ).toEqual([[2020, null, 'MISSING', null, { kind: 'notAggregated', lacking: 3, of: 5, members: 'municipalities', orWeight: false }]]);
    expect(await value('033555401', 'test_series_area', 2020)).toBe((0.5 + 0.25 + 0.125 + 0.25 + 1) * 100);
    expect(await value('033555401002', 'test_series_density', 2020)).toBe(4 / 50);
    // The other counties have no value: the district and the state are MISSING with the reason.
    const district = await database.prisma.indicatorObservation.findUnique({
      where: { regionCode_indicatorCode_year: { regionCode: '033', indicatorCode: 'test_series_people', year: 2020 } },
    });
    expect(district).toMatchObject({
      value: null,
      status: 'MISSING',
      missingReason: null,
      ownMissingReason: { kind: 'notAggregated', members: 'counties' },
    });
    const density = await database.prisma.indicator.findUniqueOrThrow({ where: { code: 'test_series_density' } });
    expect(density).toMatchObject({
      formula: 'test_series_people / test_series_area',
      derivedFrom: ['test_series_people', 'test_series_area'],
      sourceCode: 'T-1, T-2',
      official: true,
    });
    const people = await database.prisma.indicator.findUniqueOrThrow({ where: { code: 'test_series_people' } });
    expect(people).toMatchObject({ breakNotes: 'Break in 2011', referencePeriod: '31.12.', formula: null, derivedFrom: [] });
    const after = await database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: { startsWith: 'test_series' } },
      orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }],
    });
    await importFiles(database, input);
    expect(
      await database.prisma.indicatorObservation.findMany({
        where: { indicatorCode: { startsWith: 'test_series' } },
        orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }],
      }),
    ).toEqual(after);
  });

  it('refuses a region key the catalogue lacks at its line, with the key one slip away, and writes nothing', async () => {
    const values = [
      'ags,source_id,series,year,value',
      '03355,test-src,people_total,2019,100', // 2: fine
      '03335,test-src,people_total,2019,7', // 3: Lüneburg's key with one digit typed wrong
      '03399999,test-src,people_total,2019,7', // 4: no municipality has it
      '03152,test-src,people_total,2015,8', // 5: Göttingen before its merger: the official series keep it, left out and reported
      '03152,test-src,people_total,2017,9', // 6: after the merger: the new Göttingen's value under the old key
      '03535,test-src,people_total,2019,7', // 7: Lüneburg's with two digits swapped
    ].join('\n');
    const catalogue = SERIES_CATALOGUE.split('\n').slice(0, 2).join('\n');
    const before = await seriesRows();
    const result = await importSeries(values, catalogue);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.reason}`)).toEqual([
      'values.csv:3: unknown region key 03335: no county of the region catalogue (BKG VG5000, 01.01.2021) has it; did you mean 03353 (Harburg) or 03355 (Lüneburg)?',
      'values.csv:4: unknown region key 03399999: no municipality of the region catalogue (BKG VG5000, 01.01.2021) has it; a municipality formed by a merger after that day is not in it: leave its rows out',
      expect.stringMatching(
        /^values\.csv:6: region key 03152 in 2017, after its merger: 03152 was the key of Landkreis Göttingen, dissolved .* give it as 03159, or leave the row out$/,
      ),
      'values.csv:7: unknown region key 03535: no county of the region catalogue (BKG VG5000, 01.01.2021) has it; did you mean 03355 (Lüneburg)?',
    ]);
    expect(await seriesRows()).toBe(before);
  });

  it('refuses official indicators without a source code and formulas over unknown inputs', async () => {
    const catalogue = [
      'code,name,theme,unit,decimals,polarity,aggregation,formula,source_publisher,source_title,source_licence,official',
      'test_no_code,X,ECONOMY,u,0,NEUTRAL,SUM,,P,T,dl-de/zero-2-0,true',
      'test_bad_formula,X,ECONOMY,u,0,NEUTRAL,NONE,nope / 2,P,T,L,false',
    ].join('\n');
    const result = await importFiles(database, { catalogue: { file: 'cat.csv', text: catalogue } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.line}: ${problem.reason}`)).toEqual([
      '2: an official indicator needs a source_code (table or variable code)',
      '3: formula input nope is not defined in this catalogue file',
    ]);
  });
});

describe('importer: a release that brings part of a series (a new year, a revision of a few counties)', () => {
  // Test fixtures: invented figures, no statistics office's.
  const HEADER =
    'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,series,source_publisher,source_title,source_code,source_licence,official';
  const ROWS = {
    count:
      'test_release_count,Testzahl,LABOUR_MARKET,Personen,0,LOWER_IS_BETTER,SUM,,test-release:count,Test office,Test table,T-9,dl-de/zero-2-0,true',
    people:
      'test_release_people,Testbevölkerung,DEMOGRAPHY,Personen,0,NEUTRAL,SUM,,test-release:people,Test office,Test table,T-9,dl-de/zero-2-0,true',
    rate: 'test_release_rate,Testquote,LABOUR_MARKET,%,1,LOWER_IS_BETTER,WEIGHTED_MEAN,test_release_people,test-release:rate,Test office,Test table,T-9,dl-de/zero-2-0,true',
  };
  const catalogue = (...rows: (keyof typeof ROWS)[]) => ({
    file: 'catalogue.csv',
    text: [HEADER, ...rows.map((row) => ROWS[row])].join('\n'),
  });
  const values = (file: string, lines: string[]) => [{ file, text: ['ags,source_id,series,year,value', ...lines].join('\n') }];
  const count = (index: number, year: number) => 100 * (index + 1) + year - 2019;
  const people = (index: number) => 1000 * (index + 1);
  const rate = (index: number) => 5 + index / 10;
  const stored = async (regionCode: string, indicatorCode: string, year: number) =>
    database.prisma.indicatorObservation.findUniqueOrThrow({
      where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } },
      select: { value: true, status: true, aggregated: true },
    });
  const braunschweig = counties.filter((code) => code.startsWith('031'));

  beforeAll(async () => {
    const lines: string[] = [];
    for (const year of [2019, 2020]) {
      counties.forEach((code, index) => {
        lines.push(`${code},test-release,count,${year},${count(index, year)}`);
        lines.push(`${code},test-release,people,${year},${people(index)}`);
        lines.push(`${code},test-release,rate,${year},${rate(index)}`);
      });
      lines.push(`03,test-release,count,${year},${counties.reduce((sum, _code, index) => sum + count(index, year), 0)}`);
    }
    const result = await importFiles(database, { catalogue: catalogue('count', 'people', 'rate'), values: values('release-1.csv', lines) });
    expect(result.ok).toBe(true);
  });

  it('aggregates a revised county over the stored values of the others, not as a district lacking them', async () => {
    const first = counties.indexOf('03101');
    const state2019 = counties.reduce((sum, _code, index) => sum + count(index, 2019), 0);
    const district2019 = braunschweig.reduce((sum, code) => sum + count(counties.indexOf(code), 2019), 0);
    const result = await importFiles(database, {
      catalogue: catalogue('count'),
      values: values('revision-2019.csv', [
        `03101,test-release,count,2019,${count(first, 2019) + 50}`,
        `03,test-release,count,2019,${state2019 + 50}`,
      ]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The county, its district and the state: nothing else was rewritten.
    expect(result.observationsWritten).toBe(3);
    expect(result.stateChecks).toEqual([expect.objectContaining({ indicatorCode: 'test_release_count', year: 2019, ok: true })]);
    expect(await stored('03101', 'test_release_count', 2019)).toEqual({
      value: count(first, 2019) + 50,
      status: 'FINAL',
      aggregated: false,
    });
    expect(await stored('031', 'test_release_count', 2019)).toEqual({ value: district2019 + 50, status: 'FINAL', aggregated: true });
    expect(await stored('03', 'test_release_count', 2019)).toEqual({ value: state2019 + 50, status: 'FINAL', aggregated: false });
    const otherDistrict = counties
      .filter((code) => code.startsWith('032'))
      .reduce((sum, code) => sum + count(counties.indexOf(code), 2019), 0);
    expect(await stored('032', 'test_release_count', 2019)).toEqual({ value: otherDistrict, status: 'FINAL', aggregated: true });
  });

  it('weights a revised rate by the stored weights, so its district follows the revision', async () => {
    const result = await importFiles(database, {
      catalogue: catalogue('rate'),
      values: values('revision-rate.csv', ['03101,test-release,rate,2020,9.9']),
    });
    expect(result.ok).toBe(true);
    const revised = (code: string) => (code === '03101' ? 9.9 : rate(counties.indexOf(code)));
    const expected =
      braunschweig.reduce((sum, code) => sum + revised(code) * people(counties.indexOf(code)), 0) /
      braunschweig.reduce((sum, code) => sum + people(counties.indexOf(code)), 0);
    const district = await stored('031', 'test_release_rate', 2020);
    expect(district).toMatchObject({ status: 'FINAL', aggregated: true });
    expect(district.value).toBeCloseTo(expected, 9);
  });

  it('completes a weight that the import brings for the years the files give only', async () => {
    // The population weights the rate; both rows are in the import, with values of 2019 alone. The
    // stored population of 2020 is no business of this import: its districts are not computed again.
    const result = await importFiles(database, {
      catalogue: catalogue('people', 'rate'),
      values: values('revision-2019.csv', [
        `03101,test-release,people,2019,${people(counties.indexOf('03101')) + 10}`,
        '03101,test-release,rate,2019,5.5',
      ]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Per indicator the county, the four districts and the state, of 2019.
    expect(result.observations).toBe(12);
  });

  it('refuses a value for a year that has not begun, at its line, and writes nothing', async () => {
    // A slip of the keyboard (2032 for 2023) would otherwise become every region's latest value.
    const next = new Date().getUTCFullYear() + 1;
    const before = await database.prisma.indicatorObservation.count({ where: { indicatorCode: { startsWith: 'test_release' } } });
    const result = await importFiles(database, {
      catalogue: catalogue('count'),
      values: values('typo.csv', [`03101,test-release,count,2020,1`, `03102,test-release,count,${next},1`]),
      observations: {
        file: 'typo-observations.csv',
        text: ['region_code,indicator_code,year,value', `03103,test_release_count,${next},1`, '03103,test_release_count,2018,1'].join('\n'),
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { file: 'typo-observations.csv', line: 2, reason: expect.stringMatching(new RegExp(`^year ${next} is in the future`)) },
      { file: 'typo.csv', line: 3, reason: expect.stringMatching(new RegExp(`^year ${next} is in the future`)) },
    ]);
    expect(await database.prisma.indicatorObservation.count({ where: { indicatorCode: { startsWith: 'test_release' } } })).toBe(before);
  });

  it('names what is wrong with files as spreadsheets and statistics offices save them, and writes nothing', async () => {
    const before = await database.prisma.indicatorObservation.count({ where: { indicatorCode: { startsWith: 'test_release' } } });
    const result = await importFiles(database, {
      catalogue: catalogue('count'),
      values: [
        { file: 'semicolons.csv', text: 'ags;source_id;series;year;value\n03101;test-release;count;2019;1,5\n' },
        { file: 'empty.csv', text: '' },
      ],
      observations: {
        file: 'observations.csv',
        text: 'region_code,indicator_code,year,value\n03152,test_release_count,2015,1\n',
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        file: 'observations.csv',
        line: 2,
        reason: expect.stringMatching(/^unknown region code "03152": 03152 was the key of Landkreis Göttingen, .* belongs to 03159/),
      },
      {
        file: 'semicolons.csv',
        line: 1,
        reason:
          'the file is separated by semicolons (as spreadsheets with German settings save CSV): save it comma-separated, with decimal points, ' +
          'or give --dialect EXCEL_DE to read it as they write it (semicolons, decimal commas, points between thousands)',
      },
      { file: 'empty.csv', line: 1, reason: 'the file is empty (a header line ags,source_id,series,year,value is required)' },
    ]);
    const observations = await importFiles(database, {
      observations: { file: 'semicolons.csv', text: 'region_code;indicator_code;year;value\n03101;test_release_count;2019;1,5\n' },
    });
    expect(observations).toEqual({
      ok: false,
      problems: [{ file: 'semicolons.csv', line: 1, reason: expect.stringMatching(/^the file is separated by semicolons/) }],
    });
    expect(await database.prisma.indicatorObservation.count({ where: { indicatorCode: { startsWith: 'test_release' } } })).toBe(before);
  });

  it('refuses a real value among synthetic ones, and replaces them all when the catalogue names a real source', async () => {
    const synthetic = `test_release_synthetic,Testapotheken,MEDICAL_CARE,Apotheken,0,HIGHER_IS_BETTER,SUM,,,${SYNTHETIC_SOURCE.sourcePublisher},Generated,,CC0-1.0,false`;
    const generated = await importFiles(database, {
      catalogue: { file: 'synthetic.csv', text: [HEADER, synthetic].join('\n') },
      observations: {
        file: 'generated.csv',
        text: [
          'region_code,indicator_code,year,value',
          '03101,test_release_synthetic,2020,40',
          '03102,test_release_synthetic,2020,30',
        ].join('\n'),
      },
    });
    expect(generated.ok).toBe(true);
    const real = await importFiles(database, {
      observations: { file: 'real.csv', text: 'region_code,indicator_code,year,value\n03101,test_release_synthetic,2020,52\n' },
    });
    expect(real).toEqual({
      ok: false,
      problems: [
        {
          file: 'real.csv',
          line: 2,
          reason: expect.stringMatching(/^test_release_synthetic is RegioGraph's synthetic demonstration data/),
        },
      ],
    });
    const official = `test_release_synthetic,Testapotheken,MEDICAL_CARE,Apotheken,0,HIGHER_IS_BETTER,SUM,,test-release:pharmacies,Test chamber,Test register,T-10,dl-de/zero-2-0,true`;
    const replaced = await importFiles(database, {
      catalogue: { file: 'catalogue.csv', text: [HEADER, official].join('\n') },
      values: values('pharmacies.csv', ['03101,test-release,pharmacies,2020,52']),
    });
    expect(replaced.ok).toBe(true);
    const rows = await database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: 'test_release_synthetic', value: { not: null } },
      select: { regionCode: true, value: true },
    });
    // Only the real value is left: no generated value of 03102 stays under the chamber's name.
    expect(rows).toEqual([{ regionCode: '03101', value: 52 }]);
  });

  it('adds a new year whose counties are all given, and re-importing it writes nothing', async () => {
    const lines = counties.map((code, index) => `${code},test-release,count,2021,${count(index, 2021)}`);
    const input = { catalogue: catalogue('count'), values: values('new-year-2021.csv', lines) };
    const result = await importFiles(database, input);
    expect(result.ok).toBe(true);
    const state = counties.reduce((sum, _code, index) => sum + count(index, 2021), 0);
    expect(await stored('03', 'test_release_count', 2021)).toEqual({ value: state, status: 'FINAL', aggregated: true });
    const again = await importFiles(database, input);
    expect(again).toMatchObject({ ok: true, observationsWritten: 0, indicatorsChanged: [] });
  });
});

describe('importer: a revision of an input recomputes the stored indicators derived from it or weighted by it', () => {
  // Test fixtures: invented figures. Density and share are derived (their formulas stored), the rate is
  // weighted by the population; a revision brings the population alone, without their catalogue rows.
  const ROWS = {
    population: 'test_derive_population,Testbevölkerung,DEMOGRAPHY,Personen,0,NEUTRAL,SUM,,,test-derive:population',
    young: 'test_derive_young,Testjunge,DEMOGRAPHY,Personen,0,NEUTRAL,SUM,,,test-derive:young',
    area: 'test_derive_area,Testfläche,GEOGRAPHY,km²,2,NEUTRAL,SUM,,,test-derive:area',
    density:
      'test_derive_density,Testdichte,GEOGRAPHY,Personen je km²,1,NEUTRAL,WEIGHTED_MEAN,test_derive_area,test_derive_population / test_derive_area,',
    share:
      'test_derive_share,Testanteil,DEMOGRAPHY,%,1,NEUTRAL,WEIGHTED_MEAN,test_derive_population,test_derive_young / test_derive_population * 100,',
    rate: 'test_derive_rate,Testquote,LABOUR_MARKET,%,1,LOWER_IS_BETTER,WEIGHTED_MEAN,test_derive_population,,test-derive:rate',
  };
  const catalogue = (...rows: (keyof typeof ROWS)[]) => ({
    file: 'catalogue.csv',
    text: [SERIES_CATALOGUE_HEADER, ...rows.map((row) => `${ROWS[row]},Test office,Test table,T-9,dl-de/zero-2-0,true`)].join('\n'),
  });
  const values = (file: string, lines: string[]) => [{ file, text: ['ags,source_id,series,year,value', ...lines].join('\n') }];
  const braunschweig = counties.filter((code) => code.startsWith('031'));
  const figures = (index: number, year: number) => ({
    population: 1000 * (index + 1) + year,
    young: 100 * (index + 1),
    area: 10 + index,
    rate: 5 + index / 10,
  });
  const REVISED = 50_000;
  const value = async (regionCode: string, indicatorCode: string, year: number) =>
    (
      await database.prisma.indicatorObservation.findUniqueOrThrow({
        where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } },
        select: { value: true },
      })
    ).value!;
  const everything = async () =>
    database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: { startsWith: 'test_derive' } },
      select: { indicatorCode: true, regionCode: true, year: true, value: true, status: true, aggregated: true },
      orderBy: [{ indicatorCode: 'asc' }, { regionCode: 'asc' }, { year: 'asc' }],
    });

  beforeAll(async () => {
    const lines: string[] = [];
    for (const year of [2019, 2020])
      counties.forEach((code, index) => {
        for (const [series, figure] of Object.entries(figures(index, year))) lines.push(`${code},test-derive,${series},${year},${figure}`);
      });
    const result = await importFiles(database, {
      catalogue: catalogue('population', 'young', 'area', 'density', 'share', 'rate'),
      values: values('release.csv', lines),
    });
    expect(result.ok).toBe(true);
  });

  it('computes density, share and the rate of the revised county, district and state anew, and nothing else (seen failing before)', async () => {
    const before = await everything();
    const input = {
      catalogue: catalogue('population'),
      values: values('population-2020.csv', [`03101,test-derive,population,2020,${REVISED}`]),
    };
    const result = await importFiles(database, input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Population, density and share of the county, its district and the state; the rate's district and state.
    expect(result.observationsWritten).toBe(11);
    expect(result.recomputed).toEqual({ derived: ['test_derive_density', 'test_derive_share'], weighted: ['test_derive_rate'] });
    expect(describeReport(result)).toEqual(
      expect.arrayContaining([
        'recomputed from their stored formulas over the values imported: test_derive_density, test_derive_share',
        expect.stringMatching(/^recomputed \(districts, .* weighted by the indicators imported\): test_derive_rate$/),
      ]),
    );
    expect(describeReport(result).some((line) => line.startsWith('not recomputed'))).toBe(false);
    for (const region of ['03101', '031', '03']) {
      const population = await value(region, 'test_derive_population', 2020);
      expect(await value(region, 'test_derive_density', 2020)).toBeCloseTo(population / (await value(region, 'test_derive_area', 2020)), 9);
      expect(await value(region, 'test_derive_share', 2020)).toBeCloseTo(
        ((await value(region, 'test_derive_young', 2020)) / population) * 100,
        9,
      );
    }
    expect(await value('03101', 'test_derive_density', 2020)).toBeCloseTo(REVISED / figures(counties.indexOf('03101'), 2020).area, 9);
    const people = (code: string) => (code === '03101' ? REVISED : figures(counties.indexOf(code), 2020).population);
    const weightedRate = (of: string[]) =>
      of.reduce((sum, code) => sum + figures(counties.indexOf(code), 2020).rate * people(code), 0) /
      of.reduce((sum, code) => sum + people(code), 0);
    expect(await value('031', 'test_derive_rate', 2020)).toBeCloseTo(weightedRate(braunschweig), 9);
    expect(await value('03', 'test_derive_rate', 2020)).toBeCloseTo(weightedRate(counties), 9);
    // Every other cell is as it was: other years, other regions, the inputs not imported.
    const changed = (await everything()).filter(
      (row) =>
        JSON.stringify(row) !==
        JSON.stringify(
          before.find((old) => old.indicatorCode === row.indicatorCode && old.regionCode === row.regionCode && old.year === row.year),
        ),
    );
    expect(changed.map((row) => `${row.indicatorCode} ${row.regionCode} ${row.year}`).sort()).toEqual(
      [
        'test_derive_density 03 2020',
        'test_derive_density 031 2020',
        'test_derive_density 03101 2020',
        'test_derive_population 03 2020',
        'test_derive_population 031 2020',
        'test_derive_population 03101 2020',
        'test_derive_rate 03 2020',
        'test_derive_rate 031 2020',
        'test_derive_share 03 2020',
        'test_derive_share 031 2020',
        'test_derive_share 03101 2020',
      ].sort(),
    );
    expect(await importFiles(database, input)).toMatchObject({ ok: true, observationsWritten: 0, indicatorsChanged: [] });
  });

  it('deletes the derived values of a county whose revised population has no value, in the same transaction, and says so', async () => {
    const stored = async (regionCode: string, indicatorCode: string, year: number) =>
      database.prisma.indicatorObservation.findUnique({ where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } } });
    expect(await stored('03102', 'test_derive_density', 2019)).not.toBeNull();
    const input = {
      observations: {
        file: 'suppressed.csv',
        text: [
          'region_code,indicator_code,year,value,status,missing_reason',
          '03102,test_derive_population,2019,,SUPPRESSED,Geheimhaltung',
        ].join('\n'),
      },
    };
    const result = await importFiles(database, input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The county's district and the state lack its population too (MISSING): their density and share go with it.
    expect(result.removed).toEqual(
      ['test_derive_density', 'test_derive_share'].flatMap((indicatorCode) =>
        ['03102', '031', '03'].map((regionCode) => ({ indicatorCode, regionCode, year: 2019 })),
      ),
    );
    expect(result.observationsRemoved).toBe(6);
    expect(await value('031', 'test_derive_population', 2019)).toBeNull();
    expect(result.indicatorsChanged).toEqual(
      expect.arrayContaining(['test_derive_density', 'test_derive_population', 'test_derive_share']),
    );
    expect(describeReport(result)).toEqual(
      expect.arrayContaining([
        'removed 3 stored value(s) of test_derive_density, whose formula has an input the import leaves without a value: 03102 2019, 031 2019, 03 2019',
        'removed 3 stored value(s) of test_derive_share, whose formula has an input the import leaves without a value: 03102 2019, 031 2019, 03 2019',
      ]),
    );
    expect(await stored('03102', 'test_derive_density', 2019)).toBeNull();
    expect(await stored('03102', 'test_derive_share', 2019)).toBeNull();
    expect(await stored('03102', 'test_derive_density', 2020)).not.toBeNull();
    // The state a first import of the revised figures leaves: nothing to remove again, nothing announced.
    const again = await importFiles(database, input);
    expect(again).toMatchObject({ ok: true, observationsWritten: 0, observationsRemoved: 0, indicatorsChanged: [] });
    if (again.ok) expect(again.removed).toBeUndefined();
  });

  it('names the values it removed in its change-feed entry, which importedAfter cannot show a partner', async () => {
    const result = await importFiles(
      database,
      {
        observations: {
          file: 'suppressed-2020.csv',
          text: [
            'region_code,indicator_code,year,value,status,missing_reason',
            '03103,test_derive_population,2020,,SUPPRESSED,Geheimhaltung',
          ].join('\n'),
        },
      },
      { release: 'Testamt, Stand 01.07.2024' },
    );
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.removed).toEqual(expect.arrayContaining([{ indicatorCode: 'test_derive_density', regionCode: '03103', year: 2020 }]));
    const [change] = await database.prisma.$queryRaw<{ release: string; years: number[]; levels: string[]; removed: number }[]>`
      SELECT summary.release, summary.years, summary.levels, summary.values_removed AS removed
      FROM indicators.import_change summary JOIN indicators.change_log feed USING (position)
      WHERE feed.key = 'test_derive_density' ORDER BY summary.position DESC LIMIT 1`;
    expect(change).toMatchObject({ release: 'Testamt, Stand 01.07.2024', years: [2020] });
    expect(change!.removed).toBeGreaterThanOrEqual(1);
    expect(change!.levels).toContain('COUNTY');
  });

  it('stamps each value it writes with the release named on import, and keeps it where a later release repeats the value', async () => {
    const server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const { url } = await server.listen(0);
      const imported = async (indicator: string) => {
        const { data } = await postGraphQL<{
          _entities: { value: { importedFrom: { release: string | null; importedAt: string } | null } }[];
        }>(
          url,
          `query ($representations: [_Any!]!) { _entities(representations: $representations) {
             ... on Region { value(indicator: "${indicator}", year: 2019) { importedFrom { release importedAt } } } } }`,
          { representations: [{ __typename: 'Region', code: '03103' }] },
        );
        return data!._entities[0]!.value.importedFrom;
      };
      // Written by the describe's first import, which named no release: recorded all the same, with its time.
      expect(await imported('test_derive_population')).toEqual({ release: null, importedAt: expect.any(String) });
      const revision = (population: number) => ({
        catalogue: catalogue('population'),
        values: values('population-2019.csv', [`03103,test-derive,population,2019,${population}`]),
      });
      const started = Date.now();
      expect(await importFiles(database, revision(REVISED), { release: 'Testamt, Stand 15.03.2024' })).toMatchObject({ ok: true });
      const first = await imported('test_derive_population');
      expect(first).toEqual({ release: 'Testamt, Stand 15.03.2024', importedAt: expect.any(String) });
      expect(Date.parse(first!.importedAt)).toBeGreaterThanOrEqual(started - 1000);
      // The density computed again from it names the same import.
      expect(await imported('test_derive_density')).toEqual(first);
      // A later release repeating the value writes nothing: the value keeps the release it came with, and no import is recorded.
      const imports = await database.prisma.indicatorImport.count();
      expect(await importFiles(database, revision(REVISED), { release: 'Testamt, Stand 01.06.2024' })).toMatchObject({
        ok: true,
        observationsWritten: 0,
      });
      expect(await imported('test_derive_population')).toEqual(first);
      expect(await database.prisma.indicatorImport.count()).toBe(imports);
      // One that changes it names itself.
      expect(await importFiles(database, revision(REVISED + 1), { release: 'Testamt, Stand 01.06.2024' })).toMatchObject({ ok: true });
      expect((await imported('test_derive_population'))?.release).toBe('Testamt, Stand 01.06.2024');
    } finally {
      await server.close();
    }
  });
});

describe('importer: observations within an indicator whose parents are aggregated recompute those parents', () => {
  // Test fixtures: invented figures. A county count summed to the districts and the state, whose state
  // the files publish for 2021 only; later releases bring observations of it without its catalogue row.
  const CODE = 'test_own_count';
  const catalogue = {
    file: 'own-catalogue.csv',
    text:
      `${SERIES_CATALOGUE_HEADER}\n` +
      `${CODE},Testeigenzahl,ECONOMY,items,0,NEUTRAL,SUM,,,test-own:count,Test office,Test table,T-9,dl-de/zero-2-0,true\n`,
  };
  const braunschweig = counties.filter((code) => code.startsWith('031'));
  const municipalities = regionDirectory()
    .ofLevel('MUNICIPALITY')
    .filter((municipality) => municipality.code.startsWith('03101'))
    .map((municipality) => municipality.ags);
  const count = (code: string, year: number) => 10 * (counties.indexOf(code) + 1) + year - 2020;
  const total = (codes: string[], year: number) => codes.reduce((sum, code) => sum + count(code, year), 0);
  const observations = (lines: string[]) => ({
    file: 'own-observations.csv',
    text: ['region_code,indicator_code,year,value,status,missing_reason', ...lines.map((line) => line.replace(',', `,${CODE},`))].join(
      '\n',
    ),
  });
  const stored = async (regionCode: string, year: number) =>
    database.prisma.indicatorObservation.findUniqueOrThrow({
      where: { regionCode_indicatorCode_year: { regionCode, indicatorCode: CODE, year } },
      select: { value: true, status: true, missingReason: true, ownMissingReason: true, aggregated: true },
    });
  const lastChange = async () =>
    (
      await database.prisma.$queryRaw<{ years: number[]; levels: string[]; written: number; removed: number }[]>`
        SELECT summary.years, summary.levels, summary.values_written AS written, summary.values_removed AS removed
        FROM indicators.import_change summary JOIN indicators.change_log feed USING (position)
        WHERE feed.key = ${CODE} ORDER BY summary.position DESC LIMIT 1`
    )[0];

  beforeAll(async () => {
    const lines = [2020, 2021].flatMap((year) => counties.map((code) => `${code},test-own,count,${year},${count(code, year)}`));
    lines.push(`03,test-own,count,2021,${total(counties, 2021)}`);
    // 03101's municipalities too, in 2021: a county withheld is not summed from them.
    expect(municipalities.length).toBeGreaterThan(0);
    for (const municipality of municipalities) lines.push(`${municipality},test-own,count,2021,1`);
    const result = await importFiles(database, {
      catalogue,
      values: [{ file: 'own-values.csv', text: ['ags,source_id,series,year,value', ...lines].join('\n') }],
    });
    expect(result).toMatchObject({ ok: true });
    expect(await stored('031', 2020)).toMatchObject({ value: total(braunschweig, 2020), aggregated: true });
  });

  it('sums a changed county value into its district and the state, and names them (seen failing before)', async () => {
    const result = await importFiles(
      database,
      { observations: observations(['03101,2020,5000,FINAL,']) },
      { release: 'Testamt, Stand 01.04.2025' },
    );
    expect(result).toMatchObject({ ok: true, observationsWritten: 3 });
    if (!result.ok) return;
    const delta = 5000 - count('03101', 2020);
    expect(await stored('031', 2020)).toEqual({
      value: total(braunschweig, 2020) + delta,
      status: 'FINAL',
      missingReason: null,
      ownMissingReason: null,
      aggregated: true,
    });
    expect(await stored('03', 2020)).toEqual({
      value: total(counties, 2020) + delta,
      status: 'FINAL',
      missingReason: null,
      ownMissingReason: null,
      aggregated: true,
    });
    // Another district, and the other year, follow nothing the import wrote.
    const lueneburg = counties.filter((code) => code.startsWith('033'));
    expect(await stored('033', 2020)).toMatchObject({ value: total(lueneburg, 2020), aggregated: true });
    expect(await stored('031', 2021)).toMatchObject({ value: total(braunschweig, 2021), aggregated: true });
    expect(result.recomputed).toEqual({ derived: [], weighted: [], aggregated: [CODE] });
    expect(describeReport(result)).toContain(
      `recomputed (districts, Samtgemeinden, counties and state aggregated from the values imported within): ${CODE}`,
    );
    expect(await lastChange()).toEqual({ years: [2020], levels: ['STATE', 'DISTRICT', 'COUNTY'], written: 3, removed: 0 });
  });

  it('makes the district and state lacking a withheld county value MISSING with the reason, and keeps a published state (seen failing before)', async () => {
    const input = { observations: observations(['03101,2021,,SUPPRESSED,Geheimhaltung']) };
    const result = await importFiles(database, input, { release: 'Testamt, Stand 01.05.2025' });
    expect(result).toMatchObject({ ok: true, observationsWritten: 2 });
    expect(await stored('03101', 2021)).toEqual({
      value: null,
      status: 'SUPPRESSED',
      missingReason: 'Geheimhaltung',
      ownMissingReason: null,
      aggregated: false,
    });
    expect(await stored('031', 2021)).toEqual({
      value: null,
      status: 'MISSING',
      missingReason: null,
      ownMissingReason: { kind: 'notAggregated', lacking: 1, of: braunschweig.length, members: 'counties', orWeight: false },
      aggregated: false,
    });
    // The state the files publish stands as published: it is no sum of the counties.
    expect(await stored('03', 2021)).toEqual({
      value: total(counties, 2021),
      status: 'FINAL',
      missingReason: null,
      ownMissingReason: null,
      aggregated: false,
    });
    expect(await lastChange()).toEqual({ years: [2021], levels: ['DISTRICT', 'COUNTY'], written: 2, removed: 0 });
    // The state that import leaves: the same release again writes nothing.
    expect(await importFiles(database, input)).toMatchObject({ ok: true, observationsWritten: 0, indicatorsChanged: [] });
    // A value given again is summed again.
    const restored = await importFiles(database, { observations: observations([`03101,2021,${count('03101', 2021)},FINAL,`]) });
    expect(restored).toMatchObject({ ok: true, observationsWritten: 2 });
    expect(await stored('031', 2021)).toEqual({
      value: total(braunschweig, 2021),
      status: 'FINAL',
      missingReason: null,
      ownMissingReason: null,
      aggregated: true,
    });
  });
});

describe('importer: an indicator whose every parent a release left MISSING is summed again when its values come back', () => {
  // Test fixtures: invented figures. One year, no published state: withholding one county in each ArL
  // district leaves no parent computed from the counties, only parents MISSING for the lack of one.
  const CODE = 'test_own_single';
  const catalogue = {
    file: 'single-catalogue.csv',
    text:
      `${SERIES_CATALOGUE_HEADER}\n` +
      `${CODE},Testeinzelzahl,ECONOMY,items,0,NEUTRAL,SUM,,,test-single:count,Test office,Test table,T-8,dl-de/zero-2-0,true\n`,
  };
  const firstCountyOf = districts.map((district) => counties.find((county) => county.startsWith(district))!);
  const count = (code: string) => counties.indexOf(code) + 1;
  const observations = (lines: string[]) => ({
    file: 'single-observations.csv',
    text: ['region_code,indicator_code,year,value,status,missing_reason', ...lines.map((line) => line.replace(',', `,${CODE},`))].join(
      '\n',
    ),
  });
  const parents = async () =>
    database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: CODE, regionCode: { in: ['03', ...districts] } },
      select: { regionCode: true, value: true, status: true, aggregated: true },
      orderBy: { regionCode: 'asc' },
    });

  it('sums the districts and the state again (seen failing before)', async () => {
    const lines = counties.map((code) => `${code},test-single,count,2020,${count(code)}`);
    const first = await importFiles(database, {
      catalogue,
      values: [{ file: 'single-values.csv', text: ['ags,source_id,series,year,value', ...lines].join('\n') }],
    });
    expect(first).toMatchObject({ ok: true });
    const summed = await parents();
    expect(summed).toHaveLength(districts.length + 1);
    expect(summed.every((row) => row.aggregated && row.status === 'FINAL')).toBe(true);

    const withheld = await importFiles(database, { observations: observations(firstCountyOf.map((code) => `${code},2020,,SUPPRESSED,`)) });
    expect(withheld).toMatchObject({ ok: true });
    expect((await parents()).map((row) => [row.value, row.status, row.aggregated])).toEqual(
      Array.from({ length: districts.length + 1 }, () => [null, 'MISSING', false]),
    );

    const restored = await importFiles(database, {
      observations: observations(firstCountyOf.map((code) => `${code},2020,${count(code)},FINAL,`)),
    });
    expect(restored).toMatchObject({ ok: true, observationsWritten: firstCountyOf.length + districts.length + 1 });
    expect(await parents()).toEqual([
      { regionCode: '03', value: counties.reduce((sum, code) => sum + count(code), 0), status: 'FINAL', aggregated: true },
      ...districts.map((district) => ({
        regionCode: district,
        value: counties.filter((code) => code.startsWith(district)).reduce((sum, code) => sum + count(code), 0),
        status: 'FINAL',
        aggregated: true,
      })),
    ]);
  });
});

describe('importer: a catalogue row that stops an indicator aggregating removes what was aggregated', () => {
  // Test fixtures: invented figures. A count summed from every county to the districts and the state,
  // then declared not aggregatable (aggregation NONE) by a later release's catalogue row alone.
  const CODE = 'test_unsummed';
  const count = (code: string) => counties.indexOf(code) + 2;
  /** The later release: the same catalogue row, aggregation NONE, no series. */
  const withdrawal = {
    catalogue: {
      file: 'unsummed-none.csv',
      text: `${SERIES_CATALOGUE_HEADER}\n${CODE},Testsumme,ECONOMY,items,0,NEUTRAL,NONE,,,,Test office,Test table,T-9,dl-de/zero-2-0,true\n`,
    },
  };
  const stored = async () =>
    database.prisma.indicatorObservation.findMany({
      where: { indicatorCode: CODE },
      select: { regionCode: true, value: true, aggregated: true },
      orderBy: { regionCode: 'asc' },
    });

  it('deletes the districts and the state summed by the rule withdrawn, keeps the counties, and says so (seen failing before)', async () => {
    const summed = await importFiles(database, {
      catalogue: {
        file: 'unsummed-catalogue.csv',
        text: `${SERIES_CATALOGUE_HEADER}\n${CODE},Testsumme,ECONOMY,items,0,NEUTRAL,SUM,,,test-unsummed:count,Test office,Test table,T-9,dl-de/zero-2-0,true\n`,
      },
      values: [
        {
          file: 'unsummed-values.csv',
          text: ['ags,source_id,series,year,value', ...counties.map((code) => `${code},test-unsummed,count,2020,${count(code)}`)].join(
            '\n',
          ),
        },
      ],
    });
    expect(summed).toMatchObject({ ok: true });
    expect((await stored()).filter((row) => row.aggregated).map((row) => row.regionCode)).toEqual(['03', '031', '032', '033', '034']);

    const withdrawn = await importFiles(database, withdrawal);
    expect(withdrawn).toMatchObject({ ok: true, observationsRemoved: 5, indicatorsChanged: [CODE] });
    if (!withdrawn.ok) return;
    expect(withdrawn.unaggregated).toEqual(
      ['03', '031', '032', '033', '034'].map((regionCode) => ({ indicatorCode: CODE, regionCode, year: 2020 })),
    );
    expect(describeReport(withdrawn)).toContain(
      `removed 5 value(s) of ${CODE} aggregated from the regions within, which its catalogue row no longer aggregates (NONE): 03 2020, 031 2020, 032 2020, 033 2020, 034 2020`,
    );
    expect(await stored()).toEqual(counties.map((regionCode) => ({ regionCode, value: count(regionCode), aggregated: false })));
    // Nothing is left to remove: the same catalogue again changes nothing.
    const again = await importFiles(database, withdrawal);
    expect(again).toMatchObject({ ok: true, observationsRemoved: 0, indicatorsChanged: [] });
    if (again.ok) expect(again.unaggregated).toBeUndefined();
  });
});

describe('importer: a catalogue row that changes how an indicator aggregates aggregates its parents again', () => {
  // Test fixtures: invented figures. Per county a population, a workforce and a rate first summed; a
  // count first not aggregated; an indicator without values; the rate's product with the population,
  // whose stored row the later releases leave out. They bring catalogue rows alone that change the
  // rate's and the count's rules.
  const POPULATION = 'test_switch_population';
  const WORKFORCE = 'test_switch_workforce';
  const RATE = 'test_switch_rate';
  const COUNT = 'test_switch_count';
  const UNMEASURED = 'test_switch_unmeasured';
  const PRODUCT = 'test_switch_product';
  const YEARS = [2020, 2021];
  const workforce = (code: string) => 100 + 7 * (counties.indexOf(code) % 4);
  const count = (code: string) => 3 * counties.indexOf(code) + 1;
  const row = (code: string, aggregation: string, weight: string, series: string) =>
    `${code},${code},ECONOMY,items,1,NEUTRAL,${aggregation},${weight},,${series},Test office,Test table,T-9,dl-de/zero-2-0,true`;
  const catalogue = (file: string, rate: [string, string], count = 'NONE', extra: string[] = []) => ({
    catalogue: {
      file,
      text: [
        SERIES_CATALOGUE_HEADER,
        row(POPULATION, 'SUM', '', 'test-switch:population'),
        row(WORKFORCE, 'SUM', '', 'test-switch:workforce'),
        row(RATE, rate[0], rate[1], 'test-switch:rate'),
        row(COUNT, count, '', 'test-switch:count'),
        row(UNMEASURED, 'SUM', '', ''),
        ...extra,
      ].join('\n'),
    },
  });
  const parents = async (indicatorCode: string) =>
    database.prisma.indicatorObservation.findMany({
      where: { indicatorCode, regionCode: { in: ['03', ...districts] } },
      select: { regionCode: true, year: true, value: true, status: true, aggregated: true },
      orderBy: [{ year: 'asc' }, { regionCode: 'asc' }],
    });
  /** The parents' rows by the hand-computed figures, `null` where no row is to be. */
  const expected = (figure: (district: string, year: number) => number | null) =>
    YEARS.flatMap((year) =>
      ['03', ...districts].flatMap((regionCode) => {
        const value = figure(regionCode, year);
        return value === null ? [] : [{ regionCode, year, value: expect.closeTo(value, 9), status: 'FINAL', aggregated: true }];
      }),
    );
  const counter = new SqlStatementCounter();
  let counted: DatabaseClient;

  beforeAll(async () => {
    counted = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
    const lines = YEARS.flatMap((year) =>
      counties.flatMap((code) => [
        `${code},test-switch,population,${year},${population(code)}`,
        `${code},test-switch,workforce,${year},${workforce(code)}`,
        `${code},test-switch,rate,${year},${rate(code, year)}`,
        `${code},test-switch,count,${year},${count(code)}`,
      ]),
    );
    const product = `${PRODUCT},${PRODUCT},ECONOMY,items,1,NEUTRAL,NONE,,${RATE} * ${POPULATION},,Test office,Test table,T-9,dl-de/zero-2-0,true`;
    const first = await importFiles(database, {
      ...catalogue('switch-catalogue.csv', ['SUM', ''], 'NONE', [product]),
      values: [{ file: 'switch-values.csv', text: ['ags,source_id,series,year,value', ...lines].join('\n') }],
    });
    expect(first).toMatchObject({ ok: true });
    expect(await parents(RATE)).toEqual(expected((district, year) => sum(of(district), (code) => rate(code, year))));
    expect(await parents(COUNT)).toEqual([]);
  });

  afterAll(async () => {
    await counted.close();
  });

  it('a catalogue row unchanged costs the statements it did and changes nothing', async () => {
    counter.reset();
    const again = await importFiles(counted, catalogue('switch-catalogue.csv', ['SUM', '']));
    expect(again).toMatchObject({ ok: true, observationsWritten: 0, observationsRemoved: 0, indicatorsChanged: [] });
    // Counted before catalogue rows that change a rule aggregated anything: they may cost no statement more.
    expect(counter.count).toBe(STATEMENTS_OF_AN_UNCHANGED_CATALOGUE);
    if (again.ok) expect(again.reaggregated).toBeUndefined();
  });

  it('weights the parents of every stored year by the weight its row names, from the stored counties (seen failing before)', async () => {
    const switched = await importFiles(database, catalogue('switch-mean.csv', ['WEIGHTED_MEAN', POPULATION]));
    // The rate's parents and the product's, in both years.
    expect(switched).toMatchObject({ ok: true, observationsWritten: 4 * (districts.length + 1), indicatorsChanged: [PRODUCT, RATE] });
    if (!switched.ok) return;
    // A district's mean by population from its counties, by hand.
    const mean = (district: string, year: number) =>
      sum(of(district), (code) => rate(code, year) * population(code)) / sum(of(district), population);
    expect(await parents(RATE)).toEqual(expected(mean));
    // What is derived from it follows, though its row is not in the import: the rate's mean times the population's sum.
    expect((await parents(PRODUCT)).map((row) => row.value)).toEqual(
      YEARS.flatMap((year) =>
        ['03', ...districts].map((district) => expect.closeTo(mean(district, year) * sum(of(district), population), 6)),
      ),
    );
    expect(switched.recomputed).toEqual({ derived: [PRODUCT], weighted: [] });
    expect(switched.reaggregated).toEqual([{ code: RATE, aggregation: 'WEIGHTED_MEAN', weightIndicatorCode: POPULATION }]);
    expect(describeReport(switched)).toContain(
      `aggregated again from the stored values within, by the rule its catalogue row now gives: ${RATE} (WEIGHTED_MEAN by ${POPULATION})`,
    );
    // The state the import leaves: the same catalogue again writes nothing.
    expect(await importFiles(database, catalogue('switch-mean.csv', ['WEIGHTED_MEAN', POPULATION]))).toMatchObject({
      ok: true,
      observationsWritten: 0,
      indicatorsChanged: [],
    });
  });

  it('weights them by another weight, removes those a weight without values cannot give, and sums them again (seen failing before)', async () => {
    const reweighted = await importFiles(database, catalogue('switch-workforce.csv', ['WEIGHTED_MEAN', WORKFORCE]));
    expect(reweighted).toMatchObject({ ok: true, observationsWritten: 4 * (districts.length + 1), indicatorsChanged: [PRODUCT, RATE] });
    const mean = (district: string, year: number) =>
      sum(of(district), (code) => rate(code, year) * workforce(code)) / sum(of(district), workforce);
    expect(await parents(RATE)).toEqual(expected(mean));

    const unweighted = await importFiles(database, catalogue('switch-unmeasured.csv', ['WEIGHTED_MEAN', UNMEASURED]));
    // The rate's parents, and the product's that nothing gives without them.
    expect(unweighted).toMatchObject({ ok: true, observationsWritten: 0, observationsRemoved: 20, indicatorsChanged: [PRODUCT, RATE] });
    if (!unweighted.ok) return;
    expect(await parents(RATE)).toEqual([]);
    expect(await parents(PRODUCT)).toEqual([]);
    expect(unweighted.unaggregated).toEqual(
      YEARS.flatMap((year) => ['03', ...districts].map((regionCode) => ({ indicatorCode: RATE, regionCode, year }))),
    );
    expect(describeReport(unweighted)).toContain(
      `removed 10 value(s) of ${RATE} aggregated from the regions within, which the rule its catalogue row now gives (WEIGHTED_MEAN by ${UNMEASURED}) does not give: 03 2020, 031 2020, 032 2020, 033 2020, 034 2020, 03 2021, 031 2021, 032 2021, 033 2021, 034 2021`,
    );

    const summed = await importFiles(database, catalogue('switch-sum.csv', ['SUM', '']));
    expect(summed).toMatchObject({ ok: true, indicatorsChanged: [PRODUCT, RATE] });
    expect(await parents(RATE)).toEqual(expected((district, year) => sum(of(district), (code) => rate(code, year))));
  });

  it('aggregates the parents of an indicator its row no longer leaves unaggregated (seen failing before)', async () => {
    // A release withheld one county's 2021 count while the count was not aggregated.
    const WITHHELD = counties[0]!;
    const withheld = await importFiles(database, {
      observations: {
        file: 'switch-withheld.csv',
        text: `region_code,indicator_code,year,value,status,missing_reason\n${WITHHELD},${COUNT},2021,,SUPPRESSED,Geheimhaltung\n`,
      },
    });
    expect(withheld).toMatchObject({ ok: true, observationsWritten: 1 });
    const result = await importFiles(database, catalogue('switch-count.csv', ['SUM', ''], 'SUM'));
    // Both years' parents, but the district and state that lack the county withheld, MISSING instead.
    expect(result).toMatchObject({ ok: true, observationsWritten: 2 * (districts.length + 1), indicatorsChanged: [COUNT] });
    const lacking = (district: string, year: number) => year === 2021 && (district === '03' || WITHHELD.startsWith(district));
    const missing = ['03', WITHHELD.slice(0, 3)].map((regionCode) => ({
      regionCode,
      year: 2021,
      value: null,
      status: 'MISSING',
      aggregated: false,
    }));
    expect(await parents(COUNT)).toEqual(
      [...expected((district, year) => (lacking(district, year) ? null : sum(of(district), count))), ...missing].sort(
        (a, b) => a.year - b.year || a.regionCode.localeCompare(b.regionCode),
      ),
    );
    if (result.ok) expect(result.reaggregated).toEqual([{ code: COUNT, aggregation: 'SUM', weightIndicatorCode: null }]);
  });
});

describe('importer: a catalogue row that changes a formula, or a rule that a formula of the same file reads, computes the values again', () => {
  // Test fixtures: invented figures. Per county a population and a rate, first summed; formulas over
  // them stored; an indicator planned without values. Later releases bring catalogue rows alone.
  const POPULATION = 'test_rederive_population';
  const RATE = 'test_rederive_rate';
  const PRODUCT = 'test_rederive_product';
  const SCALED = 'test_rederive_scaled';
  const DOUBLED = 'test_rederive_doubled';
  const CHAINED = 'test_rederive_chained';
  const RESCALED = 'test_rederive_rescaled';
  const PLANNED = 'test_rederive_planned';
  const PUBLISHED = 'test_rederive_published';
  const YEARS = [2020, 2021];
  const PARENTS = ['03', ...districts];
  const row = seriesCatalogueRow;
  const ROWS: Record<string, string> = {
    [POPULATION]: row(POPULATION, 'SUM', '', '', 'test-rederive:population'),
    [RATE]: row(RATE, 'SUM', '', '', 'test-rederive:rate'),
    [PRODUCT]: row(PRODUCT, 'NONE', '', `${RATE} * ${POPULATION}`, ''),
    [SCALED]: row(SCALED, 'NONE', '', `${POPULATION} / 1000`, ''),
    [DOUBLED]: row(DOUBLED, 'NONE', '', `${POPULATION} * 2`, ''),
    [PLANNED]: row(PLANNED, 'SUM', '', '', ''),
    [PUBLISHED]: row(PUBLISHED, 'SUM', '', '', 'test-rederive:published'),
  };
  /**
   * The catalogue rows of every indicator but the two stored ones derived from derived ones, some of them changed: the releases
   * follow one another, so each keeps the rows the one before changed (but a release refused).
   */
  const catalogue = (file: string, changed: Record<string, string> = {}, kept = true) => {
    if (kept) Object.assign(ROWS, changed);
    return { catalogue: { file, text: [SERIES_CATALOGUE_HEADER, ...Object.values({ ...ROWS, ...changed })].join('\n') } };
  };
  /** An indicator's rows, `null` where there is none, by level and year. */
  const stored = async (indicatorCode: string) =>
    database.prisma.indicatorObservation.findMany({
      where: { indicatorCode },
      select: { regionCode: true, year: true, value: true, aggregated: true },
      orderBy: [{ year: 'asc' }, { regionCode: 'asc' }],
    });
  /** Every county and parent in both years, by the hand-computed figures, as `stored` orders them. */
  const expected = (county: (code: string, year: number) => number, parent: (district: string, year: number) => number) =>
    YEARS.flatMap((year) =>
      [
        ...counties.map((regionCode) => ({ regionCode, value: county(regionCode, year), aggregated: false })),
        ...PARENTS.map((regionCode) => ({ regionCode, value: parent(regionCode, year), aggregated: true })),
      ]
        .sort((a, b) => a.regionCode.localeCompare(b.regionCode))
        .map(({ regionCode, value, aggregated }) => ({ regionCode, year, value: expect.closeTo(value, 6), aggregated })),
    );
  const counter = new SqlStatementCounter();
  let counted: DatabaseClient;

  beforeAll(async () => {
    counted = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
    const lines = YEARS.flatMap((year) =>
      counties.flatMap((code) => [
        `${code},test-rederive,population,${year},${population(code)}`,
        `${code},test-rederive,rate,${year},${rate(code, year)}`,
        `${code},test-rederive,published,${year},${counties.indexOf(code)}`,
      ]),
    );
    const first = await importFiles(database, {
      ...catalogue(
        'rederive-catalogue.csv',
        { [CHAINED]: row(CHAINED, 'NONE', '', `${DOUBLED} + 1`, ''), [RESCALED]: row(RESCALED, 'NONE', '', `${SCALED} * 2`, '') },
        false,
      ),
      values: [{ file: 'rederive-values.csv', text: ['ags,source_id,series,year,value', ...lines].join('\n') }],
    });
    expect(first).toMatchObject({ ok: true });
    expect(await stored(DOUBLED)).toEqual(
      expected(
        (code) => 2 * population(code),
        (district) => 2 * sum(of(district), population),
      ),
    );
    expect(await stored(CHAINED)).toHaveLength(YEARS.length * (counties.length + PARENTS.length));
  });

  afterAll(async () => {
    await counted.close();
  });

  it('a catalogue with formulas unchanged costs the statements it did and changes nothing', async () => {
    counter.reset();
    const again = await importFiles(counted, catalogue('rederive-catalogue.csv'));
    expect(again).toMatchObject({ ok: true, observationsWritten: 0, observationsRemoved: 0, indicatorsChanged: [] });
    expect(counter.count).toBe(STATEMENTS_OF_AN_UNCHANGED_CATALOGUE);
  });

  it('computes a formula of the same file again over the parents a new rule gives, reading the rule’s values once (seen failing before)', async () => {
    counter.reset();
    const switched = await importFiles(
      counted,
      catalogue('rederive-mean.csv', { [RATE]: row(RATE, 'WEIGHTED_MEAN', POPULATION, '', 'test-rederive:rate') }),
      { release: 'Testamt, Katalog 2024' },
    );
    // Those of an unchanged catalogue, the dependents found in two rounds, everything they and the rate
    // read in one statement (the rate's values once; before, two statements more read them again), and
    // the parents written.
    expect(counter.count).toBe(STATEMENTS_OF_AN_UNCHANGED_CATALOGUE + 5);
    // The rate's parents and the product's, in both years.
    expect(switched).toMatchObject({ ok: true, observationsWritten: 4 * PARENTS.length, indicatorsChanged: [PRODUCT, RATE] });
    if (!switched.ok) return;
    const mean = (district: string, year: number) =>
      sum(of(district), (code) => rate(code, year) * population(code)) / sum(of(district), population);
    expect(await stored(PRODUCT)).toEqual(
      expected(
        (code, year) => rate(code, year) * population(code),
        (district, year) => mean(district, year) * sum(of(district), population),
      ),
    );
    expect(switched.recomputed).toEqual({ derived: [PRODUCT], weighted: [] });
    expect(describeReport(switched)).toContain(`recomputed from their stored formulas over the values imported: ${PRODUCT}`);
    // The change feed's entry of the product names the parents' years, levels and number.
    const [change] = await database.prisma.indicatorImportChange.findMany({
      where: { change: { key: PRODUCT }, release: 'Testamt, Katalog 2024' },
      select: { years: true, levels: true, valuesWritten: true, valuesRemoved: true, definitionChanged: true },
    });
    expect(change).toEqual({
      years: YEARS,
      levels: ['STATE', 'DISTRICT'],
      valuesWritten: 2 * PARENTS.length,
      valuesRemoved: 0,
      definitionChanged: false,
    });
  });

  it('computes every year of a changed formula again, and the stored formula over it (seen failing before)', async () => {
    const changed = await importFiles(
      database,
      catalogue('rederive-scaled.csv', { [SCALED]: row(SCALED, 'NONE', '', `${POPULATION} / 100`, '') }),
    );
    // Every county and parent of both years, the scaled ones' and the rescaled ones'.
    expect(changed).toMatchObject({
      ok: true,
      observationsWritten: 2 * YEARS.length * (counties.length + PARENTS.length),
      observationsRemoved: 0,
      indicatorsChanged: [RESCALED, SCALED],
    });
    if (!changed.ok) return;
    expect(await stored(SCALED)).toEqual(
      expected(
        (code) => population(code) / 100,
        (district) => sum(of(district), population) / 100,
      ),
    );
    expect(await stored(RESCALED)).toEqual(
      expected(
        (code) => (population(code) / 100) * 2,
        (district) => (sum(of(district), population) / 100) * 2,
      ),
    );
    expect(changed.rederived).toEqual([{ code: SCALED, formula: `${POPULATION} / 100` }]);
    expect(changed.recomputed).toEqual({ derived: [RESCALED], weighted: [] });
    expect(describeReport(changed)).toContain(
      `computed again in every stored year by the formula its catalogue row now gives: ${SCALED} (${POPULATION} / 100)`,
    );
  });

  it('computes an indicator without values that becomes derived in every year its inputs have (seen failing before)', async () => {
    const derived = await importFiles(
      database,
      catalogue('rederive-planned.csv', { [PLANNED]: row(PLANNED, 'NONE', '', `${POPULATION} / 1000`, '') }),
    );
    expect(derived).toMatchObject({
      ok: true,
      observationsWritten: YEARS.length * (counties.length + PARENTS.length),
      indicatorsChanged: [PLANNED],
    });
    expect(await stored(PLANNED)).toEqual(
      expected(
        (code) => population(code) / 1000,
        (district) => sum(of(district), population) / 1000,
      ),
    );
  });

  it('gives a formula to an indicator whose source published values, and computes only what it did not publish (seen failing before)', async () => {
    // Refused before: the formula would have computed values in place of the published ones.
    const formula = `${POPULATION} * 3`;
    const derived = await importFiles(
      database,
      catalogue('rederive-published.csv', { [PUBLISHED]: row(PUBLISHED, 'SUM', '', formula, '') }),
    );
    expect(derived).toMatchObject({ ok: true, rederived: [{ code: PUBLISHED, formula, published: YEARS.length * counties.length }] });
    // The counties as published; their parents, summed by the rule before, computed by the formula now.
    expect(await stored(PUBLISHED)).toEqual(
      expected(
        (code) => counties.indexOf(code),
        (district) => 3 * sum(of(district), population),
      ),
    );
  });

  it('removes every value of an indicator that is no longer derived, and what is derived from it, and says so (seen failing before)', async () => {
    const plain = await importFiles(database, catalogue('rederive-doubled.csv', { [DOUBLED]: row(DOUBLED, 'NONE', '', '', '') }));
    const cells = YEARS.length * (counties.length + PARENTS.length);
    expect(plain).toMatchObject({
      ok: true,
      observationsWritten: 0,
      observationsRemoved: 2 * cells,
      indicatorsChanged: [CHAINED, DOUBLED],
    });
    if (!plain.ok) return;
    expect(await stored(DOUBLED)).toEqual([]);
    expect(await stored(CHAINED)).toEqual([]);
    expect(plain.underived).toHaveLength(cells);
    expect(plain.removed).toHaveLength(cells);
    // The change feed's entries count them as removed, on every level they were.
    const changes = await database.prisma.indicatorImportChange.findMany({
      where: { change: { key: { in: [CHAINED, DOUBLED] } }, valuesRemoved: { gt: 0 } },
      select: { change: { select: { key: true } }, years: true, levels: true, valuesWritten: true, valuesRemoved: true },
      orderBy: { position: 'asc' },
    });
    expect(changes).toEqual(
      [CHAINED, DOUBLED].map((key) => ({
        change: { key },
        years: YEARS,
        levels: ['STATE', 'DISTRICT', 'COUNTY'],
        valuesWritten: 0,
        valuesRemoved: cells,
      })),
    );
    expect(describeReport(plain)).toContain(
      `removed ${cells} value(s) of ${DOUBLED} computed by the formula its catalogue row no longer gives: 03 2020, 031 2020, 03101 2020, 03102 2020, 03103 2020, 03151 2020, 03153 2020, 03154 2020, 03155 2020, 03157 2020, …`,
    );
    // Nothing is left to remove: the same catalogue again changes nothing.
    expect(await importFiles(database, catalogue('rederive-doubled.csv', { [DOUBLED]: row(DOUBLED, 'NONE', '', '', '') }))).toMatchObject({
      ok: true,
      observationsRemoved: 0,
      indicatorsChanged: [],
    });
  });

  it('refuses formulas that read each other, at the file and line, and writes nothing (seen failing before)', async () => {
    const refused = await importFiles(database, {
      catalogue: {
        file: 'rederive-loop.csv',
        text: [
          SERIES_CATALOGUE_HEADER,
          row('test_rederive_loop_a', 'NONE', '', 'test_rederive_loop_b + 1', ''),
          row('test_rederive_loop_b', 'NONE', '', 'test_rederive_loop_a * 2', ''),
        ].join('\n'),
      },
    });
    expect(refused).toEqual({
      ok: false,
      problems: [{ file: 'rederive-loop.csv', line: 2, reason: 'test_rederive_loop_a depends on itself through weights or formulas' }],
    });
    expect(await database.prisma.indicator.count({ where: { code: { startsWith: 'test_rederive_loop' } } })).toBe(0);
  });
});

describe('importer: a new indicator whose catalogue row comes with its observations has its parents aggregated', () => {
  // Test fixtures: invented figures. A count and a rate weighted by it, new, given by a release for
  // every inhabited municipality in 2021 and 2022; the release publishes one county's 2021 value of its
  // own and withholds another county's in 2022.
  const COUNT = 'test_new_count';
  const RATE = 'test_new_rate';
  const catalogue = {
    file: 'new-catalogue.csv',
    text:
      'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_code,source_licence,official\n' +
      `${COUNT},Neuzahl,ECONOMY,items,0,NEUTRAL,SUM,,Test office,Test table,T-7,dl-de/zero-2-0,true\n` +
      `${RATE},Neuquote,ECONOMY,%,1,NEUTRAL,WEIGHTED_MEAN,${COUNT},Test office,Test table,T-7,dl-de/zero-2-0,true\n`,
  };
  const directory = regionDirectory();
  const municipalities = directory
    .ofLevel('MUNICIPALITY')
    .filter((municipality) => municipality.officialType !== 'Gemeindefreies Gebiet')
    .map((municipality) => municipality.code);
  const braunschweig = counties.filter((code) => code.startsWith('031'));
  const hannover = counties.filter((code) => code.startsWith('032'));
  const PUBLISHED_COUNTY = '03101';
  const WITHHELD_COUNTY = '03102';
  const count = (code: string, year: number) => municipalities.indexOf(code) + 1 + (year - 2021) * 3;
  const rate = (code: string) => (municipalities.indexOf(code) % 7) + 1;
  const within = (parent: string) => municipalities.filter((code) => code.startsWith(parent));
  const countyCount = (county: string, year: number) =>
    county === PUBLISHED_COUNTY && year === 2021 ? 5000 : sum(within(county), (code) => count(code, year));
  // A weighted mean of parts (value, weight).
  const mean = (parts: [number, number][]) =>
    sum(
      parts.map((_, index) => String(index)),
      (index) => parts[Number(index)]![0] * parts[Number(index)]![1],
    ) /
    sum(
      parts.map((_, index) => String(index)),
      (index) => parts[Number(index)]![1],
    );
  const countyRate = (county: string) => mean(within(county).map((code) => [rate(code), count(code, 2021)]));
  const lines = [
    ...[2021, 2022].flatMap((year) => municipalities.map((code) => `${code},${COUNT},${year},${count(code, year)},,`)),
    ...municipalities.map((code) => `${code},${RATE},2021,${rate(code)},,`),
    `${PUBLISHED_COUNTY},${COUNT},2021,5000,,`,
    `${WITHHELD_COUNTY},${COUNT},2022,,SUPPRESSED,Geheimhaltung`,
  ];
  const input = {
    catalogue,
    observations: {
      file: 'new-observations.csv',
      text: ['region_code,indicator_code,year,value,status,missing_reason', ...lines].join('\n'),
    },
  };
  const stored = async (indicatorCode: string, regionCode: string, year: number) =>
    database.prisma.indicatorObservation.findUniqueOrThrow({
      where: { regionCode_indicatorCode_year: { regionCode, indicatorCode, year } },
      select: { value: true, status: true, missingReason: true, ownMissingReason: true, aggregated: true },
    });
  const summed = (value: number) => ({ value, status: 'FINAL', missingReason: null, ownMissingReason: null, aggregated: true });

  it('sums and weights the Samtgemeinden, counties, districts and state, keeps what the release gives, and records them as imported (seen failing before)', async () => {
    const result = await importFiles(database, input, { release: 'Testamt, Stand 01.07.2025' });
    expect(result).toMatchObject({ ok: true, indicatorsChanged: [COUNT, RATE] });
    if (!result.ok) return;
    expect(result.recomputed).toEqual({ derived: [], weighted: [], aggregated: [COUNT, RATE] });

    // A Samtgemeinde and a county from their municipalities, by the indicator's rule.
    const association = directory.ofLevel('MUNICIPAL_ASSOCIATION').find((region) => within(region.code).length > 1)!.code;
    expect(await stored(COUNT, association, 2021)).toEqual(summed(sum(within(association), (code) => count(code, 2021))));
    expect((await stored(RATE, association, 2021)).value).toBeCloseTo(
      mean(within(association).map((code) => [rate(code), count(code, 2021)])),
      9,
    );
    const county = '03254';
    expect(await stored(COUNT, county, 2021)).toEqual(summed(countyCount(county, 2021)));
    // The county the release gives stands as given, and its district and the state add it up.
    expect(await stored(COUNT, PUBLISHED_COUNTY, 2021)).toEqual({ ...summed(5000), aggregated: false });
    expect(await stored(COUNT, '031', 2021)).toEqual(summed(sum(braunschweig, (code) => countyCount(code, 2021))));
    expect(await stored(COUNT, '03', 2021)).toEqual(summed(sum(counties, (code) => countyCount(code, 2021))));
    const state = await stored(RATE, '03', 2021);
    expect({ ...state, value: null }).toEqual({ ...summed(0), value: null });
    expect(state.value).toBeCloseTo(mean(counties.map((code) => [countyRate(code), countyCount(code, 2021)])), 9);
    // The county withheld stays withheld, not summed from its municipalities; its district and the
    // state lack it, and another district is summed.
    expect(await stored(COUNT, WITHHELD_COUNTY, 2022)).toEqual({
      value: null,
      status: 'SUPPRESSED',
      missingReason: 'Geheimhaltung',
      ownMissingReason: null,
      aggregated: false,
    });
    expect(await stored(COUNT, '031', 2022)).toEqual({
      value: null,
      status: 'MISSING',
      missingReason: null,
      ownMissingReason: { kind: 'notAggregated', lacking: 1, of: braunschweig.length, members: 'counties', orWeight: false },
      aggregated: false,
    });
    expect((await stored(COUNT, '03', 2022)).ownMissingReason).toEqual({
      kind: 'notAggregated',
      lacking: 1,
      of: counties.length,
      members: 'counties',
      orWeight: false,
    });
    expect(await stored(COUNT, '032', 2022)).toEqual(summed(sum(hannover, (code) => countyCount(code, 2022))));

    // Every value written names the release, the parents too, and the change feed names their levels.
    const [named] = await database.prisma.$queryRaw<{ unnamed: number; written: number }[]>`
      SELECT count(*) FILTER (WHERE i.release IS DISTINCT FROM 'Testamt, Stand 01.07.2025')::int AS unnamed, count(*)::int AS written
      FROM indicators.observation o LEFT JOIN indicators.import i ON i.id = o.import_id WHERE o.indicator_code = ${COUNT}`;
    expect(named).toEqual({ unnamed: 0, written: expect.any(Number) });
    const [change] = await database.prisma.$queryRaw<{ years: number[]; levels: string[]; written: number; definition: boolean }[]>`
      SELECT summary.years, summary.levels, summary.values_written AS written, summary.definition_changed AS definition
      FROM indicators.import_change summary JOIN indicators.change_log feed USING (position)
      WHERE feed.key = ${COUNT} ORDER BY summary.position DESC LIMIT 1`;
    expect(change).toEqual({
      years: [2021, 2022],
      levels: ['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY'],
      written: named!.written,
      definition: true,
    });

    // The same release again writes nothing.
    expect(await importFiles(database, input)).toMatchObject({ ok: true, observationsWritten: 0, indicatorsChanged: [] });
  });
});

describe('importer: a new indicator whose observations compute to no number', () => {
  it('is refused at its line of the catalogue file, not of the stored catalogue (seen failing before)', async () => {
    // Test fixtures: invented figures. Each county's value is finite; their sum, the state's, is not.
    const CODE = 'test_overflow_count';
    const result = await importFiles(database, {
      catalogue: {
        file: 'overflow-catalogue.csv',
        text: `${SERIES_CATALOGUE_HEADER}\n${CODE},Testüberlauf,ECONOMY,items,0,NEUTRAL,SUM,,,,Test office,Test table,T-9,dl-de/zero-2-0,true\n`,
      },
      observations: {
        file: 'overflow-observations.csv',
        text: [
          'region_code,indicator_code,year,value,status,missing_reason',
          ...counties.map((code) => `${code},${CODE},2020,1e308,,`),
        ].join('\n'),
      },
    });
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.problems).toContainEqual({
      file: 'overflow-catalogue.csv',
      line: 2,
      reason: `${CODE} computes to Infinity for 03 in 2020: its inputs overflow a number`,
    });
    expect(await database.prisma.indicator.count({ where: { code: CODE } })).toBe(0);
  });
});

describe('importer: the change feed names the release and what an import changed', () => {
  const CODE = 'test_feed_release';
  const catalogue = {
    file: 'feed-catalogue.csv',
    text:
      'code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,official\n' +
      `${CODE},Feedtest,ECONOMY,items,0,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false\n`,
  };
  const observations = (lines: string[]) => ({
    file: 'feed-observations.csv',
    text: `region_code,indicator_code,year,value\n${lines.map((line) => line.replace(',', `,${CODE},`)).join('\n')}\n`,
  });
  type Change = { key: string; release: string | null; imported: Record<string, unknown> | null };
  type Feed = { indicatorChanges: { changes: Change[]; endCursor: string } };
  const FEED = `query ($after: String, $first: Int) { indicatorChanges(after: $after, first: $first) {
    changes { key release imported { importedAt years levels valuesWritten valuesRemoved definitionChanged } } endCursor } }`;

  // The indicator stays, as the other tests' imports do: deleted behind the feed's back, it would get
  // its tombstone from whichever write comes next, a seed running in another test file included.
  it('gives each import’s change its release, the years and levels of the values it wrote, and how many', async () => {
    const server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const { url } = await server.listen(0);
      const feed = async (variables: Record<string, unknown>) => (await postGraphQL<Feed>(url, FEED, variables)).data!.indicatorChanges;
      const { endCursor: head } = await feed({ first: 0 });
      const first = await importFiles(
        database,
        { catalogue, observations: observations(['03355,2020,1', '033550001001,2021,2', '03,2020,3']) },
        { release: 'Testamt, Stand 15.03.2024' },
      );
      expect(first).toMatchObject({ ok: true, observationsWritten: 3 });
      const afterFirst = await feed({ after: head, first: 100 });
      expect(afterFirst.changes).toEqual([
        {
          key: CODE,
          release: 'Testamt, Stand 15.03.2024',
          imported: {
            importedAt: expect.any(String),
            years: [2020, 2021],
            levels: ['STATE', 'COUNTY', 'MUNICIPALITY'],
            valuesWritten: 3,
            valuesRemoved: 0,
            definitionChanged: true,
          },
        },
      ]);
      // A revision of one value names only its year and level.
      const second = await importFiles(
        database,
        { catalogue, observations: observations(['03355,2020,1', '033550001001,2021,5', '03,2020,3']) },
        { release: 'Testamt, Stand 01.06.2024' },
      );
      expect(second).toMatchObject({ ok: true, observationsWritten: 1 });
      const afterSecond = await feed({ after: afterFirst.endCursor, first: 100 });
      expect(afterSecond.changes.map((change) => [change.release, change.imported])).toEqual([
        [
          'Testamt, Stand 01.06.2024',
          {
            importedAt: expect.any(String),
            years: [2021],
            levels: ['MUNICIPALITY'],
            valuesWritten: 1,
            valuesRemoved: 0,
            definitionChanged: false,
          },
        ],
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('importer: a figure a source published of a derived indicator stands beside the computed ones', () => {
  // Test fixtures: invented figures. Two county counts summed to their parents; a quotient of them, a
  // formula over the quotient and a sum of both counts, computed; then a publisher's own quotient for
  // one county and year, given by an observations file alone.
  const A = 'test_pubder_a';
  const B = 'test_pubder_b';
  const RATIO = 'test_pubder_ratio';
  const TWICE = 'test_pubder_twice';
  const TOTAL = 'test_pubder_total';
  const PRODUCT = 'test_pubder_product';
  const YEARS = [2020, 2021];
  const PARENTS = ['03', ...districts];
  const OWN = { regionCode: '03101', year: 2021, value: 7.5 };
  const { a, b, values } = countsOf('test-pubder');
  const row = (code: string, aggregation: string, formula: string, series: string) =>
    seriesCatalogueRow(code, aggregation, '', formula, series);
  const ROWS: Record<string, string> = {
    [A]: row(A, 'SUM', '', 'test-pubder:a'),
    [B]: row(B, 'SUM', '', 'test-pubder:b'),
    [RATIO]: row(RATIO, 'NONE', `${A} / ${B}`, ''),
    [TWICE]: row(TWICE, 'NONE', `${RATIO} * 2`, ''),
    [TOTAL]: row(TOTAL, 'NONE', `${A} + ${B}`, ''),
  };
  const catalogue = (file: string, changed: Record<string, string> = {}) => seriesCatalogue(file, Object.values({ ...ROWS, ...changed }));
  /** An indicator's values by "region year", with whether RegioGraph computed them by its formula. */
  const stored = async (indicatorCode: string) =>
    Object.fromEntries(
      (
        await database.prisma.indicatorObservation.findMany({
          where: { indicatorCode },
          select: { regionCode: true, year: true, value: true, derived: true },
        })
      ).map((cell) => [`${cell.regionCode} ${cell.year}`, { value: cell.value, derived: cell.derived }]),
    );
  /** Every county and parent of both years by the hand-computed figures, computed by a formula, but the cell of `OWN` as `own` says. */
  const expected = (
    county: (code: string, year: number) => number,
    parent: (of: string[], year: number) => number,
    own: { value: number; derived: boolean },
  ) =>
    Object.fromEntries(
      YEARS.flatMap((year) => [
        ...counties.map((code) => [`${code} ${year}`, { value: expect.closeTo(county(code, year), 9), derived: true }] as const),
        ...PARENTS.map((code) => [`${code} ${year}`, { value: expect.closeTo(parent(of(code), year), 9), derived: true }] as const),
      ]).map(([cell, value]) => (cell === `${OWN.regionCode} ${OWN.year}` ? [cell, own] : [cell, value])),
    );
  const sumA = (codes: string[], year: number) => sum(codes, (code) => a(code, year));
  const sumB = (codes: string[]) => sum(codes, b);
  const counter = new SqlStatementCounter();
  let counted: DatabaseClient;

  beforeAll(async () => {
    counted = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
    const first = await importFiles(database, {
      catalogue: catalogue('pubder-catalogue.csv'),
      values: [values('pubder-values.csv', YEARS)],
    });
    expect(first).toMatchObject({ ok: true });
    // The publisher's own quotient, by an observations file alone: what reads it follows.
    const own = await importFiles(database, {
      observations: observationsFile('pubder-own.csv', [`${OWN.regionCode},${RATIO},${OWN.year},${OWN.value},,`]),
    });
    expect(own).toMatchObject({ ok: true, observationsWritten: 2, recomputed: { derived: [TWICE], weighted: [] } });
  });

  afterAll(async () => {
    await counted.close();
  });

  it('stores the publisher’s figure as not derived, and the API tells it from the computed ones (seen failing before)', async () => {
    expect(await stored(RATIO)).toEqual(
      expected(
        (code, year) => a(code, year) / b(code),
        (codes, year) => sumA(codes, year) / sumB(codes),
        { value: OWN.value, derived: false },
      ),
    );
    // A formula over the publisher's figure reads it.
    expect(await stored(TWICE)).toEqual(
      expected(
        (code, year) => (2 * a(code, year)) / b(code),
        (codes, year) => (2 * sumA(codes, year)) / sumB(codes),
        { value: 2 * OWN.value, derived: true },
      ),
    );
    const server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const { url } = await server.listen(0);
      const { data } = await postGraphQL<{
        _entities: { value: { value: number; derived: boolean; aggregated: boolean; attribution: string } }[];
      }>(
        url,
        `query ($representations: [_Any!]!) { _entities(representations: $representations) {
           ... on Region { value(indicator: "${RATIO}", year: ${OWN.year}) { value derived aggregated attribution } } } }`,
        { representations: ['03101', '03102', '031'].map((code) => ({ __typename: 'Region', code })) },
      );
      expect(data!._entities.map((entity) => entity.value)).toEqual([
        { value: OWN.value, derived: false, aggregated: false, attribution: 'Test office' },
        {
          value: expect.closeTo(a('03102', OWN.year) / b('03102'), 9),
          derived: true,
          aggregated: false,
          attribution: `Test office; Daten verändert: von RegioGraph berechnet als ${A} / ${B}`,
        },
        {
          value: expect.closeTo(sumA(of('031'), OWN.year) / sumB(of('031')), 9),
          derived: true,
          aggregated: true,
          attribution: `Test office; Daten verändert: von RegioGraph aus den Werten der enthaltenen Regionen berechnet als ${A} / ${B}`,
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('leaves the publisher’s figure as given when an input of the formula is revised (seen failing before)', async () => {
    const revised = await importFiles(database, {
      observations: observationsFile('pubder-revision.csv', [`${OWN.regionCode},${A},${OWN.year},5000,,`]),
    });
    expect(revised).toMatchObject({ ok: true });
    if (!revised.ok) return;
    const ratio = await stored(RATIO);
    expect(ratio[`${OWN.regionCode} ${OWN.year}`]).toEqual({ value: OWN.value, derived: false });
    expect((await stored(TWICE))[`${OWN.regionCode} ${OWN.year}`]).toEqual({ value: 2 * OWN.value, derived: true });
    // The district and the state are computed over the revised count.
    const revisedA = (codes: string[]) => sumA(codes, OWN.year) - a(OWN.regionCode, OWN.year) + 5000;
    expect(ratio[`031 ${OWN.year}`]).toEqual({ value: expect.closeTo(revisedA(of('031')) / sumB(of('031')), 9), derived: true });
    expect((await stored(TOTAL))[`${OWN.regionCode} ${OWN.year}`]).toEqual({ value: 5000 + b(OWN.regionCode), derived: true });
    expect(revised.recomputed?.derived.sort()).toEqual([RATIO, TOTAL, TWICE]);
    // Restored, the figures are as before.
    expect(
      await importFiles(database, {
        observations: observationsFile('pubder-restored.csv', [`${OWN.regionCode},${A},${OWN.year},${a(OWN.regionCode, OWN.year)},,`]),
      }),
    ).toMatchObject({ ok: true });
    // A release of value files computes the catalogue's formulas from them, and leaves the figure as well.
    const release = (plus: number) => ({ catalogue: catalogue('pubder-catalogue.csv'), values: [values('pubder-2021.csv', [2021], plus)] });
    expect(await importFiles(database, release(1))).toMatchObject({ ok: true });
    const released = await stored(RATIO);
    expect(released[`${OWN.regionCode} ${OWN.year}`]).toEqual({ value: OWN.value, derived: false });
    expect(released['03102 2021']).toEqual({ value: expect.closeTo((a('03102', 2021) + 1) / b('03102'), 9), derived: true });
    expect(await importFiles(database, release(0))).toMatchObject({ ok: true });
  });

  it('computes a changed formula everywhere but over the publisher’s figure (seen failing before)', async () => {
    const formula = `${A} / ${B} * 100`;
    const changed = await importFiles(database, {
      catalogue: catalogue('pubder-percent.csv', { [RATIO]: row(RATIO, 'NONE', formula, '') }),
    });
    expect(changed).toMatchObject({
      ok: true,
      rederived: [{ code: RATIO, formula }],
      recomputed: { derived: [TWICE], weighted: [] },
    });
    if (!changed.ok) return;
    expect(changed.underived).toBeUndefined();
    expect(await stored(RATIO)).toEqual(
      expected(
        (code, year) => (a(code, year) / b(code)) * 100,
        (codes, year) => (sumA(codes, year) / sumB(codes)) * 100,
        { value: OWN.value, derived: false },
      ),
    );
    expect(await stored(TWICE)).toEqual(
      expected(
        (code, year) => ((2 * a(code, year)) / b(code)) * 100,
        (codes, year) => ((2 * sumA(codes, year)) / sumB(codes)) * 100,
        { value: 2 * OWN.value, derived: true },
      ),
    );
    Object.assign(ROWS, { [RATIO]: row(RATIO, 'NONE', formula, '') });
  });

  it('deletes what a formula taken away computed, and keeps the publisher’s figure and what reads it (seen failing before)', async () => {
    const plain = await importFiles(database, { catalogue: catalogue('pubder-plain.csv', { [RATIO]: row(RATIO, 'NONE', '', '') }) });
    const cells = YEARS.length * (counties.length + PARENTS.length);
    expect(plain).toMatchObject({ ok: true, observationsWritten: 0, observationsRemoved: 2 * (cells - 1) });
    if (!plain.ok) return;
    expect(plain.underived).toHaveLength(cells - 1);
    expect(plain.underived).not.toContainEqual({ indicatorCode: RATIO, regionCode: OWN.regionCode, year: OWN.year });
    expect(await stored(RATIO)).toEqual({ [`${OWN.regionCode} ${OWN.year}`]: { value: OWN.value, derived: false } });
    expect(await stored(TWICE)).toEqual({ [`${OWN.regionCode} ${OWN.year}`]: { value: 2 * OWN.value, derived: true } });
    Object.assign(ROWS, { [RATIO]: row(RATIO, 'NONE', '', '') });
  });

  it('computes a formula of the catalogue over the inputs its observations file brings, in the same import (seen failing before)', async () => {
    const given = (year: number, codes: string[]) =>
      codes.flatMap((code) => [`${code},${A},${year},${a(code, year)},,`, `${code},${B},${year},${b(code)},,`]);
    const release = (year: number, codes: string[]) => ({
      catalogue: catalogue(`pubder-${year}-catalogue.csv`, { [PRODUCT]: row(PRODUCT, 'NONE', `${A} * ${B}`, '') }),
      observations: observationsFile(`pubder-${year}.csv`, given(year, codes)),
    });
    counter.reset();
    const two = await importFiles(counted, release(2022, ['03102', '03103']));
    // As counted: those of an unchanged catalogue and five more (among them the dependents found in
    // two rounds, the formulas then stored over the quotient no more, and what they read in one statement).
    expect(counter.count).toBe(STATEMENTS_OF_AN_UNCHANGED_CATALOGUE + 5);
    expect(two).toMatchObject({ ok: true });
    if (!two.ok) return;
    expect(two.recomputed?.derived.sort()).toEqual([PRODUCT, TOTAL]);
    for (const code of ['03102', '03103']) {
      expect((await stored(TOTAL))[`${code} 2022`]).toEqual({ value: a(code, 2022) + b(code), derived: true });
      expect((await stored(PRODUCT))[`${code} 2022`]).toEqual({ value: a(code, 2022) * b(code), derived: true });
    }
    // Their district and the state lack the other counties: no value to compute with.
    expect(Object.keys(await stored(PRODUCT)).sort()).toEqual(['03102 2022', '03103 2022']);
    // Every county of a year, their parents summed: the same statements.
    counter.reset();
    const every = await importFiles(counted, release(2023, counties));
    expect(counter.count).toBe(STATEMENTS_OF_AN_UNCHANGED_CATALOGUE + 5);
    expect(every).toMatchObject({ ok: true });
    const product = await stored(PRODUCT);
    for (const code of [...counties, ...PARENTS])
      expect(product[`${code} 2023`]).toEqual({
        value: expect.closeTo(sumA(code.length === 5 ? [code] : of(code), 2023) * sumB(code.length === 5 ? [code] : of(code)), 9),
        derived: true,
      });
    // An observations file alone computes the stored formulas over what it brings.
    const alone = await importFiles(database, { observations: observationsFile('pubder-2022-more.csv', given(2022, ['03151'])) });
    expect(alone).toMatchObject({ ok: true });
    if (!alone.ok) return;
    expect(alone.recomputed?.derived.sort()).toEqual([PRODUCT, TOTAL]);
    expect((await stored(PRODUCT))['03151 2022']).toEqual({ value: a('03151', 2022) * b('03151'), derived: true });
  });
});

describe('importer: a status a source gave without a value of a derived indicator stands as its figures do', () => {
  // Test fixtures: invented figures. Two county counts summed to their parents, a quotient of them and a
  // formula over the quotient, computed; then the publisher's own cells of the quotient, by an
  // observations file alone: one it withheld (SUPPRESSED) and one figure.
  const A = 'test_pubsup_a';
  const B = 'test_pubsup_b';
  const RATIO = 'test_pubsup_ratio';
  const TWICE = 'test_pubsup_twice';
  const YEARS = [2020, 2021];
  const PARENTS = ['03', ...districts];
  const WITHHELD = { regionCode: '03101', year: 2021 };
  /** The statements of an observations file revising two counts that formulas read, as counted before statuses were kept. */
  const STATEMENTS_OF_A_REVISION = 14;
  /** The statements of a catalogue that changes one formula, as counted before statuses were kept (a rule change's, above). */
  const STATEMENTS_OF_A_FORMULA_CHANGE = STATEMENTS_OF_AN_UNCHANGED_CATALOGUE + 5;
  const OWN = { regionCode: '03103', year: 2020, value: 7.5 };
  const { a, b, values } = countsOf('test-pubsup');
  const row = (code: string, aggregation: string, formula: string, series: string) =>
    seriesCatalogueRow(code, aggregation, '', formula, series);
  const ROWS: Record<string, string> = {
    [A]: row(A, 'SUM', '', 'test-pubsup:a'),
    [B]: row(B, 'SUM', '', 'test-pubsup:b'),
    [RATIO]: row(RATIO, 'NONE', `${A} / ${B}`, ''),
    [TWICE]: row(TWICE, 'NONE', `${RATIO} * 2`, ''),
  };
  const catalogue = (file: string, changed: Record<string, string> = {}) => seriesCatalogue(file, Object.values({ ...ROWS, ...changed }));
  const release = (plus: number) => ({ catalogue: catalogue('pubsup-catalogue.csv'), values: [values('pubsup-2021.csv', [2021], plus)] });
  /** An indicator's rows by "region year": value, status and whether RegioGraph computed it by its formula. */
  const stored = async (indicatorCode: string) =>
    Object.fromEntries(
      (
        await database.prisma.indicatorObservation.findMany({
          where: { indicatorCode },
          select: { regionCode: true, year: true, value: true, status: true, derived: true },
        })
      ).map((cell) => [`${cell.regionCode} ${cell.year}`, { value: cell.value, status: cell.status, derived: cell.derived }]),
    );
  const at = ({ regionCode, year }: { regionCode: string; year: number }) => `${regionCode} ${year}`;
  const SUPPRESSED = { value: null, status: 'SUPPRESSED', derived: false };
  const FIGURE = { value: OWN.value, status: 'FINAL', derived: false };
  /** Every county and parent of both years computed by `formula` from the sums of A and B, but the publisher's two cells. */
  const expected = (formula: (a: number, b: number) => number) =>
    Object.fromEntries(
      YEARS.flatMap((year) =>
        [...counties, ...PARENTS].map((code) => {
          const within = code.length === 5 ? [code] : of(code);
          const computed = formula(
            sum(within, (county) => a(county, year)),
            sum(within, b),
          );
          return [`${code} ${year}`, { value: expect.closeTo(computed, 9), status: 'FINAL', derived: true }] as const;
        }),
      ).map(([cell, value]) => [cell, cell === at(WITHHELD) ? SUPPRESSED : cell === at(OWN) ? FIGURE : value]),
    );
  const counter = new SqlStatementCounter();
  let counted: DatabaseClient;

  beforeAll(async () => {
    counted = createDatabaseClient({ url: process.env.TEST_DATABASE_URL!, counter });
    const first = await importFiles(database, {
      catalogue: catalogue('pubsup-catalogue.csv'),
      values: [values('pubsup-values.csv', YEARS)],
    });
    expect(first).toMatchObject({ ok: true });
    const own = await importFiles(database, {
      observations: observationsFile('pubsup-own.csv', [
        `${WITHHELD.regionCode},${RATIO},${WITHHELD.year},,SUPPRESSED,Geheimhaltung`,
        `${OWN.regionCode},${RATIO},${OWN.year},${OWN.value},,`,
      ]),
    });
    // What reads the withheld cell has no value there; what reads the figure reads it.
    expect(own).toMatchObject({ ok: true, removed: [{ indicatorCode: TWICE, ...WITHHELD }] });
    expect(await stored(RATIO)).toEqual(expected((x, y) => x / y));
  });

  afterAll(async () => {
    await counted.close();
  });

  it('leaves the withheld cell as given when an input is revised, by observations or value files (seen failing before)', async () => {
    counter.reset();
    const revised = await importFiles(counted, {
      observations: observationsFile('pubsup-revision.csv', [
        `${WITHHELD.regionCode},${A},${WITHHELD.year},5000,,`,
        `${OWN.regionCode},${A},${OWN.year},6000,,`,
      ]),
    });
    // As many as a revision of a stored input costs without a status of a derived indicator to keep.
    expect(counter.count).toBe(STATEMENTS_OF_A_REVISION);
    expect(revised).toMatchObject({ ok: true, recomputed: { derived: [RATIO, TWICE] } });
    let ratio = await stored(RATIO);
    expect(ratio[at(WITHHELD)]).toEqual(SUPPRESSED);
    expect(ratio[at(OWN)]).toEqual(FIGURE);
    expect((await stored(TWICE))[at(WITHHELD)]).toBeUndefined();
    // The district is computed over the revised count.
    const revisedA = sum(of('031'), (code) => a(code, WITHHELD.year)) - a(WITHHELD.regionCode, WITHHELD.year) + 5000;
    expect(ratio[`031 ${WITHHELD.year}`]).toEqual({
      value: expect.closeTo(revisedA / sum(of('031'), b), 9),
      status: 'FINAL',
      derived: true,
    });
    const restored = await importFiles(database, {
      observations: observationsFile('pubsup-restored.csv', [
        `${WITHHELD.regionCode},${A},${WITHHELD.year},${a(WITHHELD.regionCode, WITHHELD.year)},,`,
        `${OWN.regionCode},${A},${OWN.year},${a(OWN.regionCode, OWN.year)},,`,
      ]),
    });
    expect(restored).toMatchObject({ ok: true });
    // A release of value files computes the catalogue's formulas from them, and leaves the withheld cell as well.
    expect(await importFiles(database, release(1))).toMatchObject({ ok: true });
    ratio = await stored(RATIO);
    expect(ratio[at(WITHHELD)]).toEqual(SUPPRESSED);
    expect(ratio['03102 2021']).toEqual({ value: expect.closeTo((a('03102', 2021) + 1) / b('03102'), 9), status: 'FINAL', derived: true });
    expect((await stored(TWICE))[at(WITHHELD)]).toBeUndefined();
    expect(await importFiles(database, release(0))).toMatchObject({ ok: true });
    expect(await stored(RATIO)).toEqual(expected((x, y) => x / y));
  });

  it('leaves a derived cell without a row where an input is withheld, as a first import would', async () => {
    const input = { observations: observationsFile('pubsup-input.csv', [`03102,${A},2020,,SUPPRESSED,Geheimhaltung`]) };
    const withheld = await importFiles(database, input);
    expect(withheld).toMatchObject({ ok: true });
    if (!withheld.ok) return;
    // Its district and the state lack the county's count (MISSING): what is derived there goes with it.
    const cells = ['03102', '031', '03'];
    expect(withheld.removed).toHaveLength(2 * cells.length);
    expect(withheld.removed).toEqual(
      expect.arrayContaining(
        [RATIO, TWICE].flatMap((indicatorCode) => cells.map((regionCode) => ({ indicatorCode, regionCode, year: 2020 }))),
      ),
    );
    for (const code of [RATIO, TWICE]) {
      const rows = await stored(code);
      for (const regionCode of cells) expect(rows[`${regionCode} 2020`]).toBeUndefined();
    }
    expect(
      await importFiles(database, {
        observations: observationsFile('pubsup-input-restored.csv', [`03102,${A},2020,${a('03102', 2020)},,`]),
      }),
    ).toMatchObject({ ok: true });
    expect(await stored(RATIO)).toEqual(expected((x, y) => x / y));
  });

  it('computes a changed formula everywhere but over the cells its source gave, and counts them (seen failing before)', async () => {
    const formula = `${A} / ${B} * 100`;
    counter.reset();
    const changed = await importFiles(counted, {
      catalogue: catalogue('pubsup-percent.csv', { [RATIO]: row(RATIO, 'NONE', formula, '') }),
    });
    expect(counter.count).toBe(STATEMENTS_OF_A_FORMULA_CHANGE);
    expect(changed).toMatchObject({ ok: true, rederived: [{ code: RATIO, formula, published: 2 }], recomputed: { derived: [TWICE] } });
    if (!changed.ok) return;
    expect(changed.underived).toBeUndefined();
    expect(await stored(RATIO)).toEqual(expected((x, y) => (x / y) * 100));
    expect((await stored(TWICE))[at(WITHHELD)]).toBeUndefined();
    expect(describeReport(changed)).toContain(
      `computed again in every stored year by the formula its catalogue row now gives: ${RATIO} (${formula}; 2 cell(s) its source published left as given)`,
    );
    Object.assign(ROWS, { [RATIO]: row(RATIO, 'NONE', formula, '') });
  });

  it('gives a formula back after taking it away, and computes only the cells its source gave nothing of (seen failing before)', async () => {
    const plain = await importFiles(database, { catalogue: catalogue('pubsup-plain.csv', { [RATIO]: row(RATIO, 'NONE', '', '') }) });
    expect(plain).toMatchObject({ ok: true, rederived: [{ code: RATIO, formula: null, published: 2 }] });
    expect(await stored(RATIO)).toEqual({ [at(WITHHELD)]: SUPPRESSED, [at(OWN)]: FIGURE });
    const formula = `${A} / ${B}`;
    counter.reset();
    const back = await importFiles(counted, { catalogue: catalogue('pubsup-back.csv', { [RATIO]: row(RATIO, 'NONE', formula, '') }) });
    // As many as a formula changed costs.
    expect(counter.count).toBe(STATEMENTS_OF_A_FORMULA_CHANGE);
    expect(back).toMatchObject({ ok: true, rederived: [{ code: RATIO, formula, published: 2 }], recomputed: { derived: [TWICE] } });
    expect(await stored(RATIO)).toEqual(expected((x, y) => x / y));
    const twice = await stored(TWICE);
    expect(twice[at(WITHHELD)]).toBeUndefined();
    expect(twice[at(OWN)]).toEqual({ value: 2 * OWN.value, status: 'FINAL', derived: true });
    expect(twice['03102 2021']).toEqual({ value: expect.closeTo((2 * a('03102', 2021)) / b('03102'), 9), status: 'FINAL', derived: true });
    Object.assign(ROWS, { [RATIO]: row(RATIO, 'NONE', formula, '') });
  });

  it('withholds what reads a cell the same import withholds beside the inputs it gives there (seen failing before)', async () => {
    // A year of its own, so that the tests above keep their cells.
    const year = 2022;
    const given = await importFiles(database, {
      observations: observationsFile('pubsup-2022.csv', [
        `03102,${A},${year},${a('03102', year)},,`,
        `03102,${B},${year},${b('03102')},,`,
        `03102,${RATIO},${year},,SUPPRESSED,Geheimhaltung`,
      ]),
    });
    expect(given).toMatchObject({ ok: true });
    expect((await stored(RATIO))[`03102 ${year}`]).toEqual(SUPPRESSED);
    // Before, the quotient was computed beside the status given, and what reads it read the computed one.
    expect((await stored(TWICE))[`03102 ${year}`]).toBeUndefined();
  });
});
