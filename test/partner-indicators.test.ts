// A partner keeping a copy of indicator values through the gateway: the indicators change feed names
// the release an import brought and the years and levels it changed, and observationTable's
// importedAfter (and the CSV export's) gives only the values written since the last import it read.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabaseClient } from '@regiograph/db';
import { runImportCli } from '@regiograph/indicators';
import { levelOfCode } from '@regiograph/shared';
import { startStack, testDatabaseUrl, type Stack } from './harness';

let stack: Stack;
/** An indicator of this file's own, so that nothing else writes its values. */
const code = `test_partner_${randomUUID().slice(0, 8)}`;
/** A county count of this file's own and a formula over it, whose values an import can remove. */
const counted = `${code}_count`;
const doubled = `${code}_doubled`;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  const database = createDatabaseClient({ url: testDatabaseUrl() });
  await database.prisma.indicator.deleteMany({ where: { code: { in: [code, counted, doubled] } } });
  await database.close();
  await stack?.stop();
});

/** Runs the importer's command line on these files (flag → file name → content), as a steward would. */
async function runImport(release: string, files: { flag: string; name: string; text: string }[], done: RegExp): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-partner-'));
  try {
    for (const file of files) await writeFile(path.join(folder, file.name), file.text);
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const argv = ['--release', release, ...files.flatMap((file) => [file.flag, file.name])];
    const exit = await runImportCli(argv, { url: testDatabaseUrl(), from: 'the test database' }, output, folder);
    expect({ exit, lines }).toEqual({ exit: 0, lines: expect.arrayContaining([expect.stringMatching(done)]) });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Runs the importer's command line on a catalogue of `code` and these observations (region,year,value lines). */
async function importRelease(release: string, observations: string[]): Promise<void> {
  await runImport(
    release,
    [
      {
        flag: '--catalogue',
        name: 'catalogue.csv',
        text:
          'code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,official\n' +
          `${code},Partnertest,ECONOMY,items,0,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false\n`,
      },
      {
        flag: '--observations',
        name: 'observations.csv',
        text: `region_code,indicator_code,year,value\n${observations.map((line) => line.replace(',', `,${code},`)).join('\n')}\n`,
      },
    ],
    /^imported 1 indicator/,
  );
}

interface Imported {
  importedAt: string;
  years: number[];
  levels: string[];
  valuesWritten: number;
  valuesRemoved: number;
  definitionChanged: boolean;
}
interface Change {
  key: string;
  operation: string;
  actor: string | null;
  release: string | null;
  imported: Imported | null;
}
type Feed = { indicatorChanges: { changes: Change[]; endCursor: string; hasMore: boolean } };
const FEED = `query ($after: String, $first: Int) {
  indicatorChanges(after: $after, first: $first) {
    changes { key operation actor release imported { importedAt years levels valuesWritten valuesRemoved definitionChanged } }
    endCursor hasMore
  }
}`;

interface Cell {
  regionCode: string;
  year: number;
  value: number | null;
  importedFrom: { release: string | null; importedAt: string } | null;
}

/** One operation reading the values of one imported change: a table per level it names, each narrowed by importedAfter. */
function rereadOperation(levels: string[]): string {
  const tables = levels.map(
    (level) =>
      `${level.toLowerCase()}: observationTable(indicators: [$code], regions: { level: ${level} }, fromYear: $from, toYear: $to, importedAfter: $after) {
         cells { regionCode year value importedFrom { release importedAt } } }`,
  );
  return `query ($code: ID!, $from: Int!, $to: Int!, $after: DateTime) { ${tables.join('\n')} }`;
}

describe('a partner syncing indicator values by the change feed and importedAfter', () => {
  it('re-reads exactly the values each import changed, at a constant number of SQL statements', async () => {
    const head = await stack.query<Feed>(FEED, { first: 0 });
    expect(head.errors).toBeUndefined();
    let cursor = head.data!.indicatorChanges.endCursor;
    // The partner's copy holds the shipped data, which no import wrote: every imported value is new to it.
    let mark = '1970-01-01T00:00:00Z';
    const mirror = new Map<string, number | null>();
    let reread = 0;
    const statementsPerReread: Record<string, number>[] = [];

    const sync = async (): Promise<Change[]> => {
      const page = await stack.countStatements<Feed>(FEED, { after: cursor, first: 100 });
      expect(page.result.errors).toBeUndefined();
      // One statement reads the page with what each import changed: no lookup per change.
      expect(page.statements.indicators).toBe(1);
      const changes = page.result.data!.indicatorChanges.changes.filter((change) => change.key === code);
      cursor = page.result.data!.indicatorChanges.endCursor;
      let latest = mark;
      for (const change of changes) {
        const imported = change.imported!;
        const years = imported.years;
        const { result, statements } = await stack.countStatements<Record<string, { cells: Cell[] }>>(rereadOperation(imported.levels), {
          code,
          from: years[0],
          to: years.at(-1),
          after: mark,
        });
        expect(result.errors).toBeUndefined();
        // The filter is part of the table's one statement: the same read of every value costs as many.
        const unfiltered = await stack.countStatements(rereadOperation(imported.levels), { code, from: years[0], to: years.at(-1) });
        expect(statements).toEqual(unfiltered.statements);
        statementsPerReread.push(statements);
        for (const table of Object.values(result.data!)) {
          for (const cell of table.cells) {
            mirror.set(`${cell.regionCode}|${cell.year}`, cell.value);
            reread += 1;
          }
        }
        if (Date.parse(imported.importedAt) > Date.parse(latest)) latest = imported.importedAt;
      }
      mark = latest;
      return changes;
    };

    await importRelease('Testamt, Stand 15.03.2024', ['03355,2020,10', '03355,2021,11', '03101,2020,20', '03,2020,100']);
    const first = await sync();
    expect(first).toEqual([
      {
        key: code,
        operation: 'CREATED',
        actor: 'import:catalogue.csv,observations.csv',
        release: 'Testamt, Stand 15.03.2024',
        imported: {
          importedAt: expect.any(String),
          years: [2020, 2021],
          levels: ['STATE', 'COUNTY'],
          valuesWritten: 4,
          valuesRemoved: 0,
          definitionChanged: true,
        },
      },
    ]);
    expect(reread).toBe(4);

    // The next release revises one value, repeats two, and brings a new year of one county.
    reread = 0;
    await importRelease('Testamt, Stand 01.06.2024', ['03355,2020,10', '03355,2021,12', '03101,2020,20', '03101,2022,21', '03,2020,100']);
    const second = await sync();
    expect(second.map((change) => [change.operation, change.release, change.imported])).toEqual([
      [
        'UPDATED',
        'Testamt, Stand 01.06.2024',
        {
          importedAt: expect.any(String),
          years: [2021, 2022],
          levels: ['COUNTY'],
          valuesWritten: 2,
          valuesRemoved: 0,
          definitionChanged: false,
        },
      ],
    ]);
    expect(Date.parse(second[0]!.imported!.importedAt)).toBeGreaterThan(Date.parse(first[0]!.imported!.importedAt));
    // Exactly the two values it wrote, not the four of the indicator's series.
    expect(reread).toBe(2);
    // However many values an import brought, its re-read costs the same few statements per table (two tables, then one).
    const [two, one] = statementsPerReread.map((statements) => statements.indicators!);
    expect(two! - one!).toBeLessThanOrEqual(one!);

    // The mirror equals the source.
    const full = await stack.query<{ observationTable: { cells: Cell[] } }>(
      `{ observationTable(indicators: ["${code}"], regions: { codes: ["03", "03101", "03355"] }, fromYear: 2020, toYear: 2022) { cells { regionCode year value } } }`,
    );
    const stored = new Map(
      full
        .data!.observationTable.cells.filter((cell) => cell.value !== null)
        .map((cell) => [`${cell.regionCode}|${cell.year}`, cell.value]),
    );
    expect(new Map([...mirror].sort())).toEqual(new Map([...stored].sort()));

    // Nothing imported since: nothing to re-read.
    expect(await sync()).toEqual([]);
    const none = await stack.query<{ observationTable: { cells: Cell[] } }>(
      `query ($after: DateTime) { observationTable(indicators: ["${code}"], regions: { level: COUNTY }, importedAfter: $after) { cells { regionCode } } }`,
      { after: mark },
    );
    expect(none.data!.observationTable.cells).toEqual([]);

    // The long CSV export takes the same parameter and lists the same two values.
    const earlier = new Date(Date.parse(mark) - 1).toISOString();
    const response = await fetch(
      `${stack.gatewayUrl.replace(/\/graphql$/, '')}/export/observations.csv?indicators=${code}&level=COUNTY&shape=long&importedAfter=${encodeURIComponent(earlier)}`,
    );
    expect(response.status).toBe(200);
    const rows = (await response.text()).split('\r\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(rows.slice(1).map((line) => line.split(',').slice(0, 1).concat(line.split(',').slice(3, 5)))).toEqual([
      ['03101', '2022', '21'],
      ['03355', '2021', '12'],
    ]);
  });

  it('refuses a malformed importedAfter with a message that says what it takes', async () => {
    const bad = await stack.query(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03355"] }, importedAfter: "2024-06-01 12:00") { cells { value } } }`,
    );
    expect(bad.errors?.[0]?.message).toMatch(/DateTime must be an ISO 8601 moment with a time zone/);
    const asVariable = await stack.query(
      `query ($after: DateTime) { observationTable(indicators: ["population"], regions: { codes: ["03355"] }, importedAfter: $after) { cells { value } } }`,
      { after: 'yesterday' },
    );
    expect(asVariable.errors?.[0]?.message).toMatch(/DateTime must be an ISO 8601 moment with a time zone/);
    const rows = await stack.query(
      `{ observationTable(indicators: ["population"], regions: { codes: ["03355"] }, importedAfter: "2024-06-01T12:00:00Z") { rows { values } } }`,
    );
    expect(rows.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'importedAfter' });
    const base = `${stack.gatewayUrl.replace(/\/graphql$/, '')}/export/observations.csv?indicators=population&level=COUNTY`;
    const malformed = await fetch(`${base}&importedAfter=2024-06-01`);
    expect({ status: malformed.status, text: await malformed.text() }).toEqual({
      status: 400,
      text: expect.stringMatching(/^importedAfter must be an ISO 8601 moment with its offset, .* got "2024-06-01"\.\n$/),
    });
    const wide = await fetch(`${base}&shape=wide&importedAfter=2024-06-01T12:00:00Z`);
    expect(wide.status).toBe(400);
  });

  it('follows an import that removes values: re-reads the years and levels it names without importedAfter, and its copy loses them', async () => {
    const counties = readFileSync(path.join(__dirname, '..', 'shared', 'data', 'regions.csv'), 'utf8')
      .split('\n')
      .map((line) => line.split(','))
      .filter((fields) => fields[4] === 'county')
      .map((fields) => fields[0]!);
    // A county count (summed to the districts and the state) and its double, a formula: a county
    // withholding its count removes the double there and above, which importedAfter cannot show.
    await runImport(
      'Testamt, Stand 01.02.2025',
      [
        {
          flag: '--catalogue',
          name: 'catalogue.csv',
          text:
            'code,name,theme,unit,decimals,polarity,aggregation,weight_indicator,formula,series,source_publisher,source_title,source_licence,official\n' +
            `${counted},Partnerzählung,ECONOMY,items,0,NEUTRAL,SUM,,,test-partner:count,Testamt,Testtabelle,dl-de/zero-2-0,false\n` +
            `${doubled},Partnerzählung doppelt,ECONOMY,items,0,NEUTRAL,SUM,,${counted} * 2,,Testamt,Testtabelle,dl-de/zero-2-0,false\n`,
        },
        {
          flag: '--values',
          name: 'values.csv',
          text: `ags,source_id,series,year,value\n${[2020, 2021]
            .flatMap((year) => counties.map((county, index) => `${county},test-partner,count,${year},${index + year}`))
            .join('\n')}\n`,
        },
      ],
      /^imported 2 indicator/,
    );
    // The partner starts from the feed's head with an empty copy of the two indicators.
    const head = await stack.query<Feed>(FEED, { first: 0 });
    expect(head.errors).toBeUndefined();
    let cursor = head.data!.indicatorChanges.endCursor;
    const start = await stack.query<Record<string, { cells: Cell[] }>>(
      `{ ${[counted, doubled].map((indicator, index) => `t${index}: observationTable(indicators: ["${indicator}"], regions: { codes: ["03", "031", "032", "033", "034", ${counties.map((county) => `"${county}"`).join(', ')}] }, fromYear: 2020, toYear: 2021) { cells { regionCode year value importedFrom { importedAt } } }`).join('\n')} }`,
    );
    expect(start.errors).toBeUndefined();
    const mirror = new Map<string, number>();
    let mark = '1970-01-01T00:00:00Z';
    for (const [alias, table] of Object.entries(start.data!))
      for (const cell of table.cells) {
        if (cell.value !== null) mirror.set(`${[counted, doubled][Number(alias.slice(1))]}|${cell.regionCode}|${cell.year}`, cell.value);
        if (cell.importedFrom && Date.parse(cell.importedFrom.importedAt) > Date.parse(mark)) mark = cell.importedFrom.importedAt;
      }
    expect(mirror.size).toBe(2 * 2 * (counties.length + 5));

    // The next release withholds one county's count for 2020: its double there is gone.
    await runImport(
      'Testamt, Stand 01.03.2025',
      [
        {
          flag: '--observations',
          name: 'observations.csv',
          text: `region_code,indicator_code,year,value,status,missing_reason\n03101,${counted},2020,,SUPPRESSED,Geheimhaltung\n`,
        },
      ],
      /^imported/,
    );

    // The documented path: each import's change names its years and levels; values written since the
    // mark are read with importedAfter, and where it removed values or changed the definition, those
    // years and levels are read without it and replace the copy's.
    const page = await stack.countStatements<Feed>(FEED, { after: cursor, first: 100 });
    expect(page.result.errors).toBeUndefined();
    let requests = 1;
    const statements = [page.statements.indicators!];
    const changes = page.result.data!.indicatorChanges.changes.filter((change) => change.key === counted || change.key === doubled);
    cursor = page.result.data!.indicatorChanges.endCursor;
    // The count's change wrote the withheld value; the double's removed one value and wrote none: only
    // the removal branch can show it.
    expect(changes.map((change) => [change.key, change.imported])).toEqual([
      [
        counted,
        expect.objectContaining({
          years: [2020],
          levels: ['STATE', 'DISTRICT', 'COUNTY'],
          valuesWritten: 3,
          valuesRemoved: 0,
          definitionChanged: false,
        }),
      ],
      [
        doubled,
        expect.objectContaining({
          years: [2020],
          levels: ['STATE', 'DISTRICT', 'COUNTY'],
          valuesWritten: 0,
          valuesRemoved: 3,
          definitionChanged: false,
        }),
      ],
    ]);
    let latest = mark;
    const tablesRead: number[] = [];
    for (const change of changes) {
      const imported = change.imported!;
      const whole = imported.valuesRemoved > 0 || imported.definitionChanged;
      const { result, statements: spent } = await stack.countStatements<Record<string, { cells: Cell[] }>>(
        rereadOperation(imported.levels),
        { code: change.key, from: imported.years[0], to: imported.years.at(-1), ...(whole ? {} : { after: mark }) },
      );
      requests += 1;
      statements.push(spent.indicators!);
      tablesRead.push(imported.levels.length);
      expect(result.errors).toBeUndefined();
      if (whole)
        // What the read covers replaces the copy's: a value it lacks is gone.
        for (const key of [...mirror.keys()]) {
          const [indicator, region, year] = key.split('|');
          if (
            indicator === change.key &&
            imported.levels.includes(levelOfCode(region!) ?? '') &&
            Number(year) >= imported.years[0]! &&
            Number(year) <= imported.years.at(-1)!
          )
            mirror.delete(key);
        }
      for (const table of Object.values(result.data!))
        for (const cell of table.cells) {
          const key = `${change.key}|${cell.regionCode}|${cell.year}`;
          if (cell.value === null) mirror.delete(key);
          else mirror.set(key, cell.value);
        }
      if (Date.parse(imported.importedAt) > Date.parse(latest)) latest = imported.importedAt;
    }
    mark = latest;
    // One page and one read per changed indicator; a read is one table per level named (the county, and
    // the district and state summed from it), a few statements each (at most 3 for one table, one more
    // per further table), however many values it holds.
    expect({ requests, page: statements[0], reads: statements.length - 1 }).toEqual({ requests: 3, page: 1, reads: 2 });
    expect(tablesRead).toEqual([3, 3]);
    statements.slice(1).forEach((spent, read) => expect(spent).toBeLessThanOrEqual(2 + tablesRead[read]!));

    // The copy equals the source: the withheld count and the removed doubles are absent from both.
    const full = await stack.query<Record<string, { cells: Cell[] }>>(
      `{ ${[counted, doubled].map((indicator, index) => `t${index}: observationTable(indicators: ["${indicator}"], regions: { codes: ["03", "031", "032", "033", "034", ${counties.map((county) => `"${county}"`).join(', ')}] }, fromYear: 2020, toYear: 2021) { cells { regionCode year value } }`).join('\n')} }`,
    );
    const stored = new Map<string, number>();
    for (const [alias, table] of Object.entries(full.data!))
      for (const cell of table.cells)
        if (cell.value !== null) stored.set(`${[counted, doubled][Number(alias.slice(1))]}|${cell.regionCode}|${cell.year}`, cell.value);
    expect(stored.has(`${doubled}|03101|2020`)).toBe(false);
    // The district and the state lack the withheld count: no sum that still counts it, and no double of one.
    for (const indicator of [counted, doubled])
      for (const region of ['031', '03']) expect(stored.has(`${indicator}|${region}|2020`)).toBe(false);
    expect(stored.has(`${counted}|031|2021`)).toBe(true);
    expect(new Map([...mirror].sort())).toEqual(new Map([...stored].sort()));
  });
});
