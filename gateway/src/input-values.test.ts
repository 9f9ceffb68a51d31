import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@regiograph/shared';
import { createGateway, SUPERGRAPH_PATH, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * Values of Date, DateTime and Cents, and of any other type, are checked by the gateway itself: in
 * front of a stand-in subgraph that checks nothing and answers every call, a refused value shows
 * as an error with its reason and no call. The same on each of the gateway's paths: Apollo's
 * execution, the pass-through of single-subgraph queries, the offload to the worker thread.
 */
describe('input values the gateway checks itself', () => {
  let subgraph: http.Server;
  let calls = 0;
  const started: Gateway[] = [];
  const urls: Record<'apollo' | 'passThrough' | 'worker', string> = { apollo: '', passThrough: '', worker: '' };
  // A copy of the supergraph for the first gateway, which loads a changed one in the last test.
  const folder = mkdtempSync(path.join(tmpdir(), 'regiograph-input-values-'));
  const supergraphPath = path.join(folder, 'supergraph.graphql');
  copyFileSync(SUPERGRAPH_PATH, supergraphPath);

  beforeAll(async () => {
    subgraph = http.createServer((request, response) => {
      calls += 1;
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { cooperations: { nodes: [{ activeOn: true }] } } }));
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const start = async (env: Record<string, string>) => {
      const gateway = await createGateway({
        logger: silentLogger,
        supergraphPath,
        subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, url])),
        env: { NODE_ENV: 'production', AUTH_SECRET: 'a-secret-of-this-test-long-enough-for-hs256', RESPONSE_CACHE: 'false', ...env },
      });
      started.push(gateway);
      return (await gateway.listen(0, '127.0.0.1')).url;
    };
    urls.apollo = await start({ GATEWAY_PASS_THROUGH: 'false', GATEWAY_OFFLOAD_COST: '0' });
    urls.passThrough = await start({ GATEWAY_OFFLOAD_COST: '0' });
    urls.worker = await start({ GATEWAY_OFFLOAD_COST: '1' });
  });

  afterAll(async () => {
    for (const gateway of started) await gateway.close();
    subgraph.closeAllConnections();
    await new Promise((resolve) => subgraph.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  const ask = async (url: string, query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'input-values-test' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  /** The answer of every path, the same on each, and the subgraph calls it took. */
  const answerOfEveryPath = async (query: string, variables?: Record<string, unknown>) => {
    calls = 0;
    const answers = [];
    for (const url of Object.values(urls)) answers.push(await ask(url, query, variables));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    return { ...answers[0]!, calls };
  };

  const refused = (message: string, code: string) => ({ status: 400, body: { errors: [{ message, extensions: { code } }] }, calls: 0 });

  const activeOnVariable = 'query ($d: Date!) { cooperations(first: 1) { nodes { activeOn(date: $d) } } }';

  it('refuses an impossible or malformed Date variable with its reason, before any subgraph call', async () => {
    for (const [value, shown] of [
      ['2023-02-30', '"2023-02-30"'],
      ['2023-2-3', '"2023-2-3"'],
      // ISO 8601's year 0000: PostgreSQL has no such year, and failed the statement (INTERNAL_SERVER_ERROR).
      ['0000-01-01', '"0000-01-01"'],
      [20230203, '20230203'],
    ] as const) {
      expect(await answerOfEveryPath(activeOnVariable, { d: value })).toMatchObject(
        refused(
          `Variable "$d" got invalid value ${shown}; Expected type "Date". Date must be a calendar date, YYYY-MM-DD, of the years 0001–9999`,
          'BAD_USER_INPUT',
        ),
      );
    }
  });

  it('refuses an impossible Date literal in validation', async () => {
    expect(await answerOfEveryPath('{ cooperations(first: 1) { nodes { activeOn(date: "2023-02-30") } } }')).toMatchObject(
      refused(
        'Expected value of type "Date!", found "2023-02-30"; Date must be a calendar date, YYYY-MM-DD, of the years 0001–9999',
        'GRAPHQL_VALIDATION_FAILED',
      ),
    );
  });

  it('refuses a DateTime without a time zone or on an impossible day, and a Cents amount with a fraction', async () => {
    // JavaScript reads 2026-02-30 as 2 March; year 0000 failed in PostgreSQL (INTERNAL_SERVER_ERROR).
    for (const moment of ['2026-12-01T10:00:00', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z'])
      expect(
        await answerOfEveryPath('query ($t: DateTime) { cooperations(first: 1, updatedSince: $t) { nodes { id } } }', { t: moment }),
      ).toMatchObject(
        refused(
          `Variable "$t" got invalid value "${moment}"; Expected type "DateTime". DateTime must be an ISO 8601 moment with a time zone, on a real day of the years 0001–9999, e.g. 2026-12-02T04:30:00Z`,
          'BAD_USER_INPUT',
        ),
      );
    const input = { projectId: 'P-001', programmeCode: 'EFRE', amountCents: 1250.5, coFinancingShare: 0.5, commitmentYear: 2024 };
    expect(
      await answerOfEveryPath('mutation ($i: AddFundingInput!) { addFunding(input: $i) { errors { code } } }', { i: input }),
    ).toMatchObject(
      refused(
        'Variable "$i" got invalid value 1250.5 at "i.amountCents"; Expected type "Cents". Cents must be a whole number of euro cents (a JSON integer, or a string of digits for very large amounts)',
        'BAD_USER_INPUT',
      ),
    );
  });

  it('refuses a variable of a built-in type before any subgraph call as well', async () => {
    expect(await answerOfEveryPath('query ($n: Int) { cooperations(first: $n) { nodes { id } } }', { n: 'ten' })).toMatchObject(
      refused('Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"', 'BAD_USER_INPUT'),
    );
  });

  it('forwards a valid value as the client sent it, on every path (the worker took its query)', async () => {
    const offloadedBefore = (await started[2]!.metrics.offloaded.get()).values[0]?.value ?? 0;
    expect(await answerOfEveryPath(activeOnVariable, { d: '2024-02-29' })).toMatchObject({
      status: 200,
      body: { data: { cooperations: { nodes: [{ activeOn: true }] } } },
      calls: 3,
    });
    expect((await started[2]!.metrics.offloaded.get()).values[0]?.value).toBe(offloadedBefore + 1);
  });

  it('keeps checking with a new supergraph loaded while it runs', async () => {
    appendFileSync(supergraphPath, '\n# reloaded by the test\n');
    for (const gateway of started) expect(await gateway.supergraph.reload()).toEqual({ ok: true, changed: true });
    expect(await answerOfEveryPath(activeOnVariable, { d: '2023-02-30' })).toMatchObject({ status: 400, calls: 0 });
    expect(await answerOfEveryPath('{ cooperations(first: 1) { nodes { activeOn(date: "2023-02-30") } } }')).toMatchObject({
      status: 400,
      calls: 0,
    });
  });
});
