// The gateway's cost estimate follows the years the data hold: an open year range reaches to the
// indicators' first or last year, and an import of a year after the shipped ones (2024) widens it.
// Estimated over the shipped 1983–2023 alone, a table open towards 2024 was priced a year short of
// what it answered: an estimate under the answer, a hole in demand control.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabaseClient } from '@regiograph/db';
import { runImportCli } from '@regiograph/indicators';
import { testBearer } from '@regiograph/shared/testing';
import { startStack, testDatabaseUrl, type Stack } from './harness';

let stack: Stack;
let folder: string;
/** This file's own indicator: the others list the catalogue. */
const code = `test_years_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  stack = await startStack();
  folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-years-'));
});

afterAll(async () => {
  const database = createDatabaseClient({ url: testDatabaseUrl() });
  await database.prisma.indicator.deleteMany({ where: { code } });
  await database.close();
  await stack?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** Imports the indicator's values of these years for Landkreis Göttingen through the importer's CLI, without Redis (the database notice tells the gateway). */
async function importYears(years: number[]): Promise<void> {
  await writeFile(
    path.join(folder, 'catalogue.csv'),
    `code,name,theme,unit,decimals,polarity,aggregation,source_publisher,source_title,source_licence,official\n${code},Jahrestest,ECONOMY,items,0,NEUTRAL,NONE,Testamt,Testtabelle,dl-de/zero-2-0,false\n`,
  );
  await writeFile(
    path.join(folder, 'observations.csv'),
    `region_code,indicator_code,year,value\n${years.map((year) => `03159,${code},${year},${year - 2000}`).join('\n')}\n`,
  );
  const lines: string[] = [];
  const saved = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  try {
    const argv = ['--release', `Testamt, Stand ${years.at(-1)}`, '--catalogue', 'catalogue.csv', '--observations', 'observations.csv'];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect({ exit: await runImportCli(argv, { url: testDatabaseUrl(), from: 'the test database' }, output, folder), lines }).toEqual({
      exit: 0,
      lines: expect.arrayContaining([expect.stringMatching(/^imported 1 indicator/)]),
    });
  } finally {
    if (saved !== undefined) process.env.REDIS_URL = saved;
  }
}

interface Costed {
  data?: { observationTable: { years: number[] } };
  errors?: unknown[];
  extensions?: { cost: { estimated: number; actual: number } };
}

async function table(url: string, args: string): Promise<{ years: number[]; estimated: number; actual: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ observationTable(regions: { codes: ["03159"] }${args}) { years cells { value } } }` }),
  });
  const body = (await response.json()) as Costed;
  expect(body.errors).toBeUndefined();
  const { estimated, actual } = body.extensions!.cost;
  return { years: body.data!.observationTable.years, estimated, actual };
}

/** Asks until the estimate counts `years` years of cells (the notice arrives after the importer's commit), at most 15 s. */
async function tableOnceRead(url: string, args: string, years: number): Promise<{ years: number[]; estimated: number; actual: number }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await table(url, args);
    if (answer.estimated >= 1 + years || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('estimates an open year range up to the years an import brought, past the shipped 2023, and to the series of the indicators named', async () => {
  const env = { REDIS_URL: '', NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000', RESPONSE_CACHE: 'false' };
  const { url, gateway } = await stack.startGateway({ env });
  expect(gateway.dataChanges?.listening).toBe(true);

  await importYears([2021, 2022]);
  const before = await tableOnceRead(url, `, indicators: ["${code}"], fromYear: 2020`, 3);
  expect(before).toMatchObject({ years: [2020, 2021, 2022], actual: 1 + 3 });
  expect(before.estimated).toBeGreaterThanOrEqual(before.actual);

  await importYears([2023, 2024]);
  // From 2020 to the indicator's last year, 2024: five cells, estimated four before (2020–2023), once
  // the database notice has told the gateway of the import.
  expect(await tableOnceRead(url, `, indicators: ["${code}"], fromYear: 2020`, 5)).toEqual({
    years: [2020, 2021, 2022, 2023, 2024],
    estimated: 1 + 5,
    actual: 1 + 5,
  });
  // The indicator's own series, 2021–2024: its open range is four years, not the 41 of 1983–2023.
  expect(await table(url, `, indicators: ["${code}"]`)).toEqual({ years: [2021, 2022, 2023, 2024], estimated: 1 + 4, actual: 1 + 4 });
  // With the shipped population (1983–2023): 42 years of both, 41 estimated before.
  const both = await table(url, `, indicators: ["population", "${code}"]`);
  expect(both.years).toHaveLength(2024 - 1983 + 1);
  expect(both).toMatchObject({ estimated: 1 + 2 * 42, actual: 1 + 2 * 42 });
});

describe('data bounds', () => {
  let cooperationId: string | undefined;

  afterAll(async () => {
    if (!cooperationId) return;
    const database = createDatabaseClient({ url: testDatabaseUrl() });
    await database.prisma.cooperation.delete({ where: { id: cooperationId } });
    await database.close();
  });

  it("prices a cooperation's members by the most members one has, after a partner wrote 120 through the gateway", async () => {
    // No response cache: the write's own bump of the data version tells the estimate to read again.
    const env = {
      REDIS_URL: '',
      NODE_ENV: 'development',
      WATCH_SUPERGRAPH: 'false',
      RATE_LIMIT_REQUESTS: '100000',
      RESPONSE_CACHE: 'false',
    };
    const { url, query } = await stack.startGateway({ env });
    const municipalities = await stack.query<{ regions: { nodes: { code: string }[] } }>(
      '{ regions(filter: { level: MUNICIPALITY }, first: 120) { nodes { code } } }',
    );
    const members = municipalities.data!.regions.nodes.map(({ code }) => ({ regionCode: code, validFrom: '2020-01-01' }));
    expect(members).toHaveLength(120);
    const created = await query<{ createCooperation: { cooperation: { id: string } | null; errors: unknown[] } }>(
      'mutation ($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id } errors { code } } }',
      { input: { name: 'Kostenprobe', kind: 'OTHER', founded: '2020-01-01', members } },
      testBearer({ sub: 'e2e-estimates', name: 'E2E Estimates', scopes: ['cooperations:write'] }),
    );
    expect(created.data!.createCooperation.errors).toEqual([]);
    cooperationId = created.data!.createCooperation.cooperation!.id;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ cooperation(id: "${cooperationId}") { members { regionCode } } }` }),
    });
    const read = (await response.json()) as {
      data: { cooperation: { members: unknown[] } };
      extensions: { cost: { estimated: number; actual: number } };
    };
    expect(read.data.cooperation.members).toHaveLength(120);
    // Estimated 1 + 25 before, under the 1 + 120 it answered (more where another file's cooperation is larger).
    expect(read.extensions.cost.actual).toBe(1 + 120);
    expect(read.extensions.cost.estimated).toBeGreaterThanOrEqual(1 + 120);
  });
});

it("prices a county's descendants of a level by its own regions of that level, what it answers", async () => {
  const { url } = await stack.startGateway({ env: { NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RESPONSE_CACHE: 'false' } });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ region(code: "03241") { descendants(level: MUNICIPALITY) { code } } }' }),
  });
  const body = (await response.json()) as {
    data: { region: { descendants: unknown[] } };
    extensions: { cost: { estimated: number; actual: number } };
  };
  // Region Hannover's 21 municipalities: estimated as all 967 of the state before.
  expect(body.data.region.descendants).toHaveLength(21);
  expect(body.extensions.cost).toMatchObject({ estimated: 1 + 21, actual: 1 + 21 });
});
