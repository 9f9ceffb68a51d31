import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type RunningServer } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { createGateway, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-signing';

/**
 * The whole gateway (planning, Apollo's fetch and result shaping) in front of a stand-in for the
 * regions subgraph over real HTTP, which counts the requests that reach it.
 */
describe('the gateway merges identical subgraph queries in flight (GATEWAY_DEDUPE_INFLIGHT)', () => {
  let subgraph: http.Server;
  const received: { authorization: string | undefined; body: string }[] = [];
  const started: { gateway: Gateway; running: RunningServer }[] = [];

  beforeAll(async () => {
    subgraph = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
        // Slow enough that requests sent together overlap on a loaded machine.
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/json' });
          const body = Buffer.concat(chunks).toString('utf8');
          const data = body.includes('project(') ? { project: { id: 'P-2020-001' } } : { region: { code: '03', name: 'Niedersachsen' } };
          response.end(JSON.stringify({ data }));
        }, 300);
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    for (const { gateway } of started) await gateway.close();
    subgraph.closeAllConnections();
    await new Promise((resolve) => subgraph.close(resolve));
  });

  async function start(dedupe: string) {
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const gateway = await createGateway({
      logger: silentLogger,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, url])),
      // The response cache would answer repeats by itself; this is about the requests it cannot.
      env: { NODE_ENV: 'development', AUTH_SECRET: SECRET, RESPONSE_CACHE: 'false', GATEWAY_DEDUPE_INFLIGHT: dedupe },
    });
    const running = await gateway.listen(0, '127.0.0.1');
    started.push({ gateway, running });
    return running.url;
  }

  const REGION = '{ region(code: "03") { code name } }';
  const ask = async (url: string, headers: Record<string, string> = {}, query = REGION) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers eight concurrent identical queries with one subgraph call, and each caller fully', async () => {
    const url = await start('true');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => ask(url, { 'x-request-id': `burst-${index}` })));
    expect(received).toHaveLength(1);
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 200,
        body: {
          data: { region: { code: '03', name: 'Niedersachsen' } },
          extensions: { cost: { estimated: 1, actual: 1, limit: 100_000 } },
        },
      });
    }
  });

  const token = (sub: string) => `Bearer ${testToken({ sub }, { secret: SECRET })}`;

  it('never merges callers with different credentials for a subgraph that verifies callers (projects)', async () => {
    const url = await start('true');
    const alice = token('alice');
    const bob = token('bob');
    const project = '{ project(id: "P-2020-001") { id } }';
    const answers = await Promise.all([
      ask(url, { authorization: alice }, project),
      ask(url, { authorization: bob }, project),
      ask(url, { authorization: alice }, project),
      ask(url, {}, project),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { data: { project: { id: 'P-2020-001' } } } });
    expect(received.map((request) => request.authorization ?? 'anonymous').sort()).toEqual([alice, bob, 'anonymous'].sort());
  });

  it('sends no token to a subgraph that verifies none (regions), so its callers are merged', async () => {
    const url = await start('true');
    const answers = await Promise.all([ask(url, { authorization: token('alice') }), ask(url, { authorization: token('bob') }), ask(url)]);
    for (const answer of answers) expect(answer.status).toBe(200);
    expect(received).toEqual([{ authorization: undefined, body: expect.stringContaining('region(') }]);
  });

  it('sends each query when switched off', async () => {
    const url = await start('false');
    await Promise.all(Array.from({ length: 4 }, () => ask(url)));
    expect(received).toHaveLength(4);
  });
});
