// The gateway when parts of the platform fail: a subgraph killed or too slow, a bad or a new
// supergraph, a shutdown with requests in flight.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraphOf } from '@regiograph/dev-tools';
import { createServer as createCooperationsServer } from '@regiograph/cooperations';
import { sha256 } from '@regiograph/gateway';
import { createLogger, SUBGRAPHS } from '@regiograph/shared';
import { describeWithOwnRedis, metricsOf, metricValue, startOwnRedis, startStack, type ExtraGateway, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

/** Supergraph folders of the tests below, removed once the gateways watching them have stopped. */
const folders: string[] = [];

afterAll(async () => {
  await stack?.stop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const MIXED_QUERY =
  '{ region(code: "03256") { name population: value(indicator: "population", year: 2018) { value } cooperations { id name } } }';

interface MixedAnswer {
  region: { name: string; population: { value: number } | null; cooperations: { id: string; name: string }[] | null } | null;
}

async function readiness(url: string): Promise<{ status: number; body: { status: string; subgraphs: Record<string, string> } }> {
  const response = await fetch(url.replace(/\/graphql$/, '/ready'));
  return { status: response.status, body: (await response.json()) as { status: string; subgraphs: Record<string, string> } };
}

describe('a subgraph going away', () => {
  it('answers with the data of the others plus an error for the missing fields, reports it, and recovers by itself', async () => {
    const before = await stack.query<MixedAnswer>(MIXED_QUERY);
    expect(before.errors).toBeUndefined();
    expect(before.data!.region!.cooperations!.length).toBeGreaterThan(0);
    expect((await readiness(stack.gatewayUrl)).status).toBe(200);

    await stack.stopSubgraph('cooperations');
    const during = await stack.query<MixedAnswer>(MIXED_QUERY);
    expect(during.status).toBe(200);
    expect(during.data!.region!.name).toBe('Nienburg (Weser)');
    expect(during.data!.region!.population!.value).toBe(before.data!.region!.population!.value);
    expect(during.data!.region!.cooperations).toBeNull();
    expect(during.errors).toHaveLength(1);
    expect(during.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'cooperations' });
    const notReady = await readiness(stack.gatewayUrl);
    expect(notReady.status).toBe(503);
    expect(notReady.body.subgraphs.cooperations).toMatch(/^unreachable/);
    expect(notReady.body.subgraphs.regions).toBe('ready');

    await stack.restartSubgraph('cooperations');
    const after = await stack.query<MixedAnswer>(MIXED_QUERY);
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(before.data);
    expect((await readiness(stack.gatewayUrl)).status).toBe(200);
  });

  it('names a failed field under a long list at a few paths and says how many more, not once per item', async () => {
    // Found by a probe: with indicators down, all municipalities with an indicator value gave one
    // SUBGRAPH_UNAVAILABLE per municipality, 967 errors and some 200 KB.
    const query = `{ regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { code
      population: value(indicator: "population", year: 2018) { value } similarRegions(first: 1) { originCode } } } }`;
    interface Answer {
      regions: { nodes: { code: string; population: unknown; similarRegions: unknown }[] };
    }
    await stack.stopSubgraph('indicators');
    try {
      const answer = await stack.query<Answer>(query);
      expect(answer.status).toBe(200);
      expect(answer.data!.regions.nodes).toHaveLength(967);
      expect(answer.data!.regions.nodes.every((node) => node.population === null && node.similarRegions === null)).toBe(true);
      const errors = answer.errors!.map((error) => ({
        path: error.path,
        code: error.extensions?.code,
        more: error.extensions?.morePaths ?? null,
      }));
      // Per failed field its first 10 items' paths, the first with the count and pattern of the others.
      const named = (field: string) =>
        Array.from({ length: 10 }, (_, index) => ({
          path: ['regions', 'nodes', index, field],
          code: 'SUBGRAPH_UNAVAILABLE',
          more: index === 0 ? { count: 957, pathPattern: ['regions', 'nodes', '@', field] } : null,
        }));
      expect(errors).toEqual([...named('population'), ...named('similarRegions')]);
      expect(answer.errors![0]!.message).toContain('(and 957 more at regions.nodes.@.population)');
      // Some 1.4 KB each with this development gateway's stack traces (none in production).
      expect(JSON.stringify(answer.errors).length).toBeLessThan(40_000);
    } finally {
      await stack.restartSubgraph('indicators');
    }
  });

  it('keeps a project list with indicators down when it selects targetIndicators; the deprecated indicators loses all data, and is counted', async () => {
    const list = (field: string) => `{ projects(first: 3) { nodes { id title ${field} { code } } } }`;
    interface Answer {
      projects: { nodes: { id: string; title: string; targetIndicators?: { code: string }[] | null }[] };
    }
    const before = await stack.query<Answer>(list('targetIndicators'));
    expect(before.errors).toBeUndefined();
    const nodes = before.data!.projects.nodes;
    expect(nodes).toHaveLength(3);
    expect(nodes.some((node) => node.targetIndicators!.length > 0)).toBe(true);
    // The same list under the deprecated name, read while the subgraph is up.
    const old = await stack.query<{ projects: { nodes: { indicators: { code: string }[] }[] } }>(list('indicators'));
    expect(old.data!.projects.nodes.map((node) => node.indicators)).toEqual(nodes.map((node) => node.targetIndicators));
    const counted = () =>
      metricsOf({ url: stack.gatewayUrl }).then((text) =>
        metricValue(text, 'regiograph_gateway_deprecated_usage_total', 'coordinate="Project.indicators"'),
      );
    const usesBefore = await counted();

    await stack.stopSubgraph('indicators');
    try {
      const during = await stack.query<Answer>(list('targetIndicators'));
      expect(during.status).toBe(200);
      expect(during.data!.projects.nodes).toEqual(nodes.map((node) => ({ ...node, targetIndicators: null })));
      expect(during.errors!.map((error) => [error.path, error.extensions?.code])).toEqual(
        nodes.map((_, index) => [['projects', 'nodes', index, 'targetIndicators'], 'SUBGRAPH_UNAVAILABLE']),
      );
      // The non-null field's null climbs through the project and the non-null projects to data.
      const lost = await stack.query<Answer>(list('indicators'));
      expect(lost.data).toBeNull();
      expect(lost.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'indicators' });
    } finally {
      await stack.restartSubgraph('indicators');
    }
    // Each operation selecting the deprecated field counted once, with the subgraph up or down.
    expect(await counted()).toBe(usesBefore + 1);
  });

  it('gives up on a subgraph that does not answer within its timeout and keeps the rest', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    try {
      const gateway = await stack.startGateway({
        // The timeout applies to every subgraph: it must be long enough for the live ones to
        // answer on a loaded machine (300 ms was not), while the silent one never answers at all.
        env: { SUBGRAPH_TIMEOUT_MS: '3000', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
        subgraphUrls: { cooperations: silentUrl },
      });
      const answer = await gateway.query<MixedAnswer>(MIXED_QUERY);
      expect(answer.data!.region!.name).toBe('Nienburg (Weser)');
      expect(answer.data!.region!.cooperations).toBeNull();
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'cooperations' });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

/**
 * A real server in front of the cooperations subgraph: while `hung`, it takes each request and never
 * answers (as a subgraph stopped dead does); else it passes requests on to the subgraph. `reached`
 * counts the GraphQL requests that arrived, answered or not (the gateway's probes ask /ready, not these).
 */
async function hangingCooperations(): Promise<{ url: string; hung: boolean; reached: number; close(): Promise<void> }> {
  const target = stack.subgraphs.cooperations!.url;
  const server = http.createServer((request, response) => {
    if (request.url === '/graphql') state.reached += 1;
    if (state.hung) return;
    const forwarded = http.request(new URL(request.url!, target), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    hung: true,
    reached: 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

describe('a hung subgraph behind its circuit breaker', () => {
  // Long enough for the live subgraphs on a loaded machine (see above); the hung one never answers.
  const env = {
    SUBGRAPH_TIMEOUT_MS: '3000',
    SUBGRAPH_BREAKER_FAILURES: '2',
    SUBGRAPH_BREAKER_COOLDOWN_MS: '5000',
    RESPONSE_CACHE: 'false',
    WATCH_SUPERGRAPH: 'false',
  };
  const COOPERATIONS_ONLY = '{ cooperations(first: 2) { nodes { id name } } }';
  const circuitOpen = (answer: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
    answer.errors?.length === 1 &&
    answer.errors[0]!.extensions?.code === 'SUBGRAPH_UNAVAILABLE' &&
    answer.errors[0]!.extensions.serviceName === 'cooperations' &&
    /^The cooperations service failed repeatedly and its circuit is open, so it was not called; (it is tried again at \S+ \(in \d+ s\)|a probe of the gateway is finding out whether it answers again)\./.test(
      answer.errors[0]!.message,
    );

  it('stops calling it after the set number of timeouts, answers the rest at once, and closes once it answers again', async () => {
    const hanging = await hangingCooperations();
    try {
      const lines: Record<string, unknown>[] = [];
      const gateway = await stack.startGateway({
        env: { ...env, GATEWAY_OFFLOAD_COST: '0' },
        subgraphUrls: { cooperations: hanging.url },
        logger: createLogger('gateway', { level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
      });
      const circuitLines = () => lines.filter((line) => String(line.message).startsWith('subgraph circuit'));
      const open = async () => metricValue(await metricsOf(gateway), 'regiograph_gateway_subgraph_circuit_open', 'subgraph="cooperations"');
      const probes = async () =>
        metricValue(await metricsOf(gateway), 'regiograph_gateway_subgraph_probes_total', 'subgraph="cooperations"');
      const shortCircuited = async () =>
        metricValue(await metricsOf(gateway), 'regiograph_gateway_subgraph_short_circuited_total', 'subgraph="cooperations"');

      // Two fetches wait out their timeout: the second opens the circuit.
      for (let i = 0; i < 2; i += 1) {
        const timedOut = await gateway.query<MixedAnswer>(MIXED_QUERY);
        expect(timedOut.errors![0]!.message).toMatch(/^The cooperations service did not answer within 3000 ms/);
      }
      expect(hanging.reached).toBe(2);
      expect(await open()).toBe(1);

      // Now it is not called: through Apollo's execution and on the pass-through path alike.
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await gateway.query<MixedAnswer>(i % 2 === 0 ? MIXED_QUERY : COOPERATIONS_ONLY));
      expect(hanging.reached).toBe(2);
      expect(answers.map(circuitOpen)).toEqual([true, true, true, true]);
      const mixed = answers[0] as Awaited<ReturnType<typeof gateway.query<MixedAnswer>>>;
      expect(mixed.data!.region!.name).toBe('Nienburg (Weser)');
      expect(mixed.data!.region!.population!.value).toBeGreaterThan(0);
      expect(mixed.data!.region!.cooperations).toBeNull();
      expect(await shortCircuited()).toBe(4);
      const notReady = await readiness(gateway.url);
      expect(notReady.body.subgraphs.cooperations).toMatch(/; circuit open, tried again at /);
      expect(notReady.body.subgraphs.regions).toBe('ready');

      // It answers again: after the cooldown the gateway's probe reaches it, and its answer closes the circuit.
      hanging.hung = false;
      let answer = await gateway.query<MixedAnswer>(MIXED_QUERY);
      let refused = 0;
      for (let attempt = 0; answer.errors && attempt < 300; attempt += 1) {
        expect(circuitOpen(answer)).toBe(true);
        refused += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await gateway.query<MixedAnswer>(MIXED_QUERY);
      }
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.region!.cooperations!.length).toBeGreaterThan(0);
      // Every answer refused meanwhile was refused here, without a call: what went out was the probe
      // (to its /ready), then the whole answer's fetch.
      expect(hanging.reached).toBe(3);
      expect(await probes()).toBe(1);
      expect(await shortCircuited()).toBe(4 + refused);
      expect(await open()).toBe(0);
      // On-call reads when it opened, until when, and that it closed, in the gateway's log.
      expect(circuitLines()).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: 'subgraph circuit opened',
          subgraph: 'cooperations',
          retryAt: expect.any(String),
        }),
        expect.objectContaining({ level: 'info', message: 'subgraph circuit closed', subgraph: 'cooperations' }),
      ]);
      expect((await gateway.query<{ cooperations: { nodes: unknown[] } }>(COOPERATIONS_ONLY)).data!.cooperations.nodes).toHaveLength(2);
      expect(hanging.reached).toBe(4);
    } finally {
      await hanging.close();
    }
  });

  it("guards the worker thread's fetches with the same circuit, which the main thread reports", async () => {
    const hanging = await hangingCooperations();
    try {
      // Every query with a cost runs on the worker thread.
      const gateway = await stack.startGateway({ env: { ...env, GATEWAY_OFFLOAD_COST: '1' }, subgraphUrls: { cooperations: hanging.url } });
      for (let i = 0; i < 2; i += 1) {
        const timedOut = await gateway.query<MixedAnswer>(MIXED_QUERY);
        expect(timedOut.errors![0]!.message).toMatch(/^The cooperations service did not answer within 3000 ms/);
      }
      expect(hanging.reached).toBe(2);
      const metrics = await metricsOf(gateway);
      expect(/^regiograph_gateway_offloaded_total (\d+)$/m.exec(metrics)?.[1]).toBe('2');
      expect(metricValue(metrics, 'regiograph_gateway_subgraph_circuit_open', 'subgraph="cooperations"')).toBe(1);
      const offloaded = await gateway.query<MixedAnswer>(MIXED_QUERY);
      expect(circuitOpen(offloaded)).toBe(true);
      expect(offloaded.data!.region!.name).toBe('Nienburg (Weser)');
      expect(hanging.reached).toBe(2);
      const after = await metricsOf(gateway);
      expect(metricValue(after, 'regiograph_gateway_subgraph_short_circuited_total', 'subgraph="cooperations"')).toBe(1);
      expect((await readiness(gateway.url)).body.subgraphs.cooperations).toMatch(/; circuit open, tried again at /);
    } finally {
      await hanging.close();
    }
  });
});

describe('a subgraph whose database is away', () => {
  // A port nobody listens on: the cooperations subgraph's database refuses connections, as a stopped
  // PostgreSQL does, while the process itself answers (HTTP 200 with errors).
  let subgraph: Awaited<ReturnType<typeof createCooperationsServer>>;
  let gateway: ExtraGateway;
  const subgraphLines: Record<string, unknown>[] = [];
  const gatewayLines: Record<string, unknown>[] = [];
  const collect = (lines: Record<string, unknown>[]) => (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    subgraph = await createCooperationsServer({
      databaseUrl: `postgresql://postgres@127.0.0.1:${closedPort}/regiograph`,
      logger: createLogger('cooperations', { level: 'info', write: collect(subgraphLines) }),
    });
    const listening = await subgraph.listen(0);
    gateway = await stack.startGateway({
      env: { RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
      subgraphUrls: { cooperations: listening.url },
      logger: createLogger('gateway', { level: 'info', write: collect(gatewayLines) }),
    });
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it('is counted by subgraph and code in /metrics, though its fetches answered HTTP 200', async () => {
    const failing = 'regiograph_gateway_subgraph_errors_total';
    const before = await metricsOf(gateway);
    const answer = await gateway.query<MixedAnswer>(MIXED_QUERY);
    expect(answer.data!.region!.name).toBe('Nienburg (Weser)');
    expect(answer.data!.region!.cooperations).toBeNull();
    const after = await metricsOf(gateway);
    const cooperations = 'subgraph="cooperations",code="INTERNAL_SERVER_ERROR"';
    expect(metricValue(after, failing, cooperations) - metricValue(before, failing, cooperations)).toBe(1);
    expect(metricValue(after, failing, 'subgraph="regions"')).toBe(0);
    const fetched = 'regiograph_gateway_subgraph_fetch_duration_seconds_count';
    expect(metricValue(after, fetched, 'subgraph="cooperations",outcome="ok"')).toBeGreaterThan(0);
  });

  it('is logged at the subgraph with the cause, under the request id the gateway logs it with', async () => {
    await gateway.query<MixedAnswer>(MIXED_QUERY, undefined, { 'x-request-id': 'database-away-1' });
    const atSubgraph = subgraphLines.find((line) => line.requestId === 'database-away-1' && line.message === 'graphql errors');
    expect(atSubgraph).toMatchObject({ level: 'error', service: 'cooperations' });
    expect(JSON.stringify(atSubgraph)).toMatch(/reach database server|ECONNREFUSED/);
    const atGateway = gatewayLines.find((line) => line.requestId === 'database-away-1' && line.message === 'graphql request');
    expect(atGateway).toMatchObject({ outcome: 'partial', errors: [{ code: 'INTERNAL_SERVER_ERROR', subgraph: 'cooperations' }] });
  });

  it("is named with its reason in the gateway's /ready", async () => {
    const notReady = await readiness(gateway.url);
    expect(notReady.status).toBe(503);
    expect(notReady.body.subgraphs.cooperations).toMatch(/^not ready \(HTTP 503; database: .*ECONNREFUSED/);
    expect(notReady.body.subgraphs.regions).toBe('ready');
  });
});

describeWithOwnRedis('Redis going away', () => {
  it('answers without it at once, says so in /metrics and /ready, and uses it again when it is back', async () => {
    // A Redis of this test's own, which it can stop (never the machine's).
    let redis = (await startOwnRedis())!;
    const warnings: Record<string, unknown>[] = [];
    try {
      const gateway = await stack.startGateway({
        env: { REDIS_URL: redis.url, RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
        logger: createLogger('gateway', { level: 'warn', write: (line) => warnings.push(JSON.parse(line) as Record<string, unknown>) }),
      });
      const up = async () => metricValue(await metricsOf(gateway), 'regiograph_gateway_shared_store_up', 'kind="redis"');
      const storeReadiness = async () => {
        const response = await fetch(gateway.url.replace(/\/graphql$/, '/ready'));
        return { status: response.status, store: ((await response.json()) as { store: string }).store };
      };
      expect((await gateway.query<MixedAnswer>(MIXED_QUERY)).errors).toBeUndefined();
      expect(await up()).toBe(1);
      expect(await storeReadiness()).toEqual({ status: 200, store: 'redis: ready' });

      await redis.stop();
      const during = await gateway.query<MixedAnswer>(MIXED_QUERY);
      expect(during.errors).toBeUndefined();
      expect(during.data!.region!.name).toBe('Nienburg (Weser)');
      // Refused at once, not after a reconnection attempt per command (which held every answer 2–12 s).
      const admitted = warnings.filter((line) => line.message === 'rate limiter unavailable; request admitted');
      expect(admitted.length).toBeGreaterThan(0);
      expect(admitted.map((line) => line.error)).toEqual(admitted.map(() => expect.stringMatching(/^Redis is unavailable \(connection /)));
      expect(await up()).toBe(0);
      const down = await storeReadiness();
      expect(down.status).toBe(503);
      expect(down.store).toMatch(/^Redis is unavailable/);

      redis = (await startOwnRedis(redis.port))!;
      // ioredis reconnects by itself (its back-off stays below 2 s); waited for, not timed.
      let back = await storeReadiness();
      for (let attempt = 0; back.status !== 200 && attempt < 300; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await storeReadiness();
      }
      expect(back).toEqual({ status: 200, store: 'redis: ready' });
      expect(await up()).toBe(1);
      expect((await gateway.query<MixedAnswer>(MIXED_QUERY)).errors).toBeUndefined();
    } finally {
      await redis.stop();
    }
  });
  it('serves persisted queries without it as their protocol allows, and refuses on a safelisted gateway with a 503 of its own', async () => {
    let redis = (await startOwnRedis())!;
    const warnings: Record<string, unknown>[] = [];
    try {
      const env = { REDIS_URL: redis.url, RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' };
      const gateway = await stack.startGateway({
        env,
        logger: createLogger('gateway', { level: 'warn', write: (line) => warnings.push(JSON.parse(line) as Record<string, unknown>) }),
      });
      const safelisted = await stack.startGateway({ env: { ...env, SAFELIST: 'true' } });
      const send = async (url: string, body: Record<string, unknown>) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const answer = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
        return { status: response.status, retryAfter: response.headers.get('retry-after'), ...answer };
      };
      const query = '{ region(code: "03") { name } }';
      const persisted = (text: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
      const answered = { data: { region: { name: 'Niedersachsen' } } };
      expect(await send(gateway.url, { query, ...persisted(query) })).toMatchObject(answered);
      expect(await send(gateway.url, persisted(query))).toMatchObject(answered);

      await redis.stop();
      // The hash alone: not found (the client's usual fallback), not an internal error.
      const alone = await send(gateway.url, persisted(query));
      expect(alone.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      // Hash and text run; their registration is dropped, said once in the log for the outage.
      const other = '{ region(code: "034") { name } }';
      for (const text of [query, other, query])
        expect((await send(gateway.url, { query: text, ...persisted(text) })).errors).toBeUndefined();
      const dropped = warnings.filter((line) => String(line.message).startsWith('persisted queries unavailable'));
      expect(dropped).toHaveLength(1);
      expect(dropped[0]!.error).toMatch(/^Redis is unavailable \(connection /);
      expect(warnings.filter((line) => line.level === 'error')).toEqual([]);
      // The safelist cannot be read: nothing runs, with a code saying why and when to retry.
      const refused = await send(safelisted.url, { query: '{ __typename }' });
      expect(refused).toMatchObject({ status: 503, retryAfter: '5', errors: [{ extensions: { code: 'SAFELIST_UNAVAILABLE' } }] });
      expect(refused.errors![0]!.message).toMatch(/^Registered operations cannot be checked right now/);

      redis = (await startOwnRedis(redis.port))!;
      let back = await send(safelisted.url, { query: '{ __typename }' });
      for (let attempt = 0; back.status !== 403 && attempt < 300; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await send(safelisted.url, { query: '{ __typename }' });
      }
      expect(back.errors?.map((error) => error.extensions?.code)).toEqual(['OPERATION_NOT_REGISTERED']);
    } finally {
      await redis.stop();
    }
  });
});

describe('supergraph reloads', () => {
  it('loads a new supergraph without restart and refuses one that does not validate', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-supergraph-'));
    folders.push(dir);
    const file = path.join(dir, 'supergraph.graphql');
    const small = composeSupergraphOf(SUBGRAPHS.filter((entry) => entry.name === 'regions'));
    const full = composeSupergraphOf(SUBGRAPHS);
    if ('errors' in small || 'errors' in full) throw new Error('the test supergraphs do not compose');
    await writeFile(file, small.supergraphSdl);
    const gateway = await stack.startGateway({ supergraphPath: file, env: { WATCH_SUPERGRAPH: 'false', RESPONSE_CACHE: 'false' } });
    const withPopulation = '{ region(code: "03") { name value(indicator: "population", year: 2018) { value } } }';

    const before = await gateway.query(withPopulation);
    expect(before.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    await writeFile(file, 'this is not a supergraph');
    expect(await gateway.gateway.supergraph.reload()).toMatchObject({ ok: false });
    expect((await gateway.query<{ region: { name: string } }>('{ region(code: "03") { name } }')).data).toEqual({
      region: { name: 'Niedersachsen' },
    });

    await writeFile(file, full.supergraphSdl);
    expect(await gateway.gateway.supergraph.reload()).toEqual({ ok: true, changed: true });
    const after = await gateway.query<{ region: { value: { value: number } } }>(withPopulation);
    expect(after.errors).toBeUndefined();
    expect(after.data!.region.value.value).toBe(7_982_448);
    expect(await readFile(file, 'utf8')).toBe(full.supergraphSdl);
  });

  it('picks up a changed file by itself when watching', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-supergraph-'));
    folders.push(dir);
    const file = path.join(dir, 'supergraph.graphql');
    const small = composeSupergraphOf(SUBGRAPHS.filter((entry) => entry.name === 'regions'));
    const full = composeSupergraphOf(SUBGRAPHS);
    if ('errors' in small || 'errors' in full) throw new Error('the test supergraphs do not compose');
    await writeFile(file, small.supergraphSdl);
    const gateway = await stack.startGateway({ supergraphPath: file, env: { WATCH_SUPERGRAPH: 'true', RESPONSE_CACHE: 'false' } });
    const changed = new Promise<void>((resolve) => gateway.gateway.supergraph.onChange(() => resolve()));
    await writeFile(file, full.supergraphSdl);
    await changed;
    const after = await gateway.query('{ region(code: "03") { value(indicator: "population", year: 2018) { value } } }');
    expect(after.errors).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('drains requests in flight before the gateway stops, and takes no new ones', async () => {
    const gateway = await stack.startGateway({ env: { RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' } });
    const heavy =
      '{ regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { name parent { name } value(indicator: "population_density") { value } } } }';
    // A connection that has not yet carried its request counts as idle and is closed at once, as
    // HTTP keep-alive allows: close only once the server has read all five requests (a fixed wait was
    // too short on a loaded machine, and the requests were reset).
    let received = 0;
    gateway.server.on('request', () => (received += 1));
    const inFlight = Array.from({ length: 5 }, () => gateway.query<{ regions: { nodes: unknown[] } }>(heavy));
    for (const deadline = Date.now() + 60_000; received < 5 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toBe(5);
    const closing = gateway.gateway.close();
    const answers = await Promise.all(inFlight);
    await closing;
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data!.regions.nodes).toHaveLength(967);
    }
    await expect(
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    ).rejects.toThrow();
  });
});
