import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@regiograph/shared';
import { createGateway, SUPERGRAPH_PATH, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

const REGION = '{ region(code: "03") { code name } }';

interface Answer {
  data?: { region: { code: string; name: string } | null } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A regions subgraph that takes each request and, while `hung`, never answers. Else its /graphql answers
 * `graphqlStatus` and its /ready `readiness` (a subgraph whose database is away answers GraphQL, but
 * not ready). `paths` holds the path each request asked for: /ready ones are the gateway's probes.
 */
async function standInSubgraph() {
  const state = { hung: true, graphqlStatus: 200, readiness: 200, paths: [] as string[], url: '' };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      state.paths.push(request.url!);
      if (state.hung) return;
      const status = request.url === '/ready' ? state.readiness : state.graphqlStatus;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(request.url === '/ready' ? { status: 'unavailable' } : { data: { region: { code: '03', name: 'Niedersachsen' } } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    state,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the circuit breaker of a whole gateway', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(
    subgraphUrl: string,
    env: Record<string, string>,
    supergraphPath?: string,
  ): Promise<{ gateway: Gateway; url: string }> {
    const gateway = await createGateway({
      logger: silentLogger,
      supergraphPath,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, subgraphUrl])),
      env: { NODE_ENV: 'development', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false', ...env },
    });
    cleanups.push(() => gateway.close());
    return { gateway, url: (await gateway.listen(0, '127.0.0.1')).url };
  }

  const ask = async (url: string): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: REGION }),
    });
    return (await response.json()) as Answer;
  };

  const counter = async (gateway: Gateway, name: string) => {
    const line = (await gateway.metrics.registry.metrics()).split('\n').find((text) => text.startsWith(`${name}{subgraph="regions"}`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  it('lets no client request wait for a hung subgraph once its circuit opened: the gateway probes it itself', async () => {
    const subgraph = await standInSubgraph();
    cleanups.push(subgraph.close);
    const { gateway, url } = await start(subgraph.state.url, {
      SUBGRAPH_TIMEOUT_MS: '1000',
      SUBGRAPH_BREAKER_FAILURES: '2',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '100',
      SUBGRAPH_BREAKER_MAX_COOLDOWN_MS: '200',
      SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '200',
      GATEWAY_OFFLOAD_COST: '0',
    });
    // Two requests wait out the subgraph's timeout: the circuit opens.
    for (let i = 0; i < 2; i += 1)
      expect((await ask(url)).errors?.[0]?.message).toMatch(/^The regions service did not answer within 1000 ms/);
    expect(subgraph.state.paths).toEqual(['/graphql', '/graphql']);

    // Clients keep asking over several cooldowns while the subgraph still hangs. Each is refused at
    // once (circuit open), none with the timeout; only the gateway's probes reach the subgraph.
    const refused: Answer[] = [];
    const circuitOpen = (answer: Answer) => /its circuit is open, so it was not called/.test(answer.errors?.[0]?.message ?? '');
    while ((await counter(gateway, 'regiograph_gateway_subgraph_probes_total')) < 3 && refused.length < 500 && refused.every(circuitOpen)) {
      refused.push(await ask(url));
      await pause(20);
    }
    for (const answer of refused) {
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'regions' });
      expect(answer.errors![0]!.message).toMatch(/^The regions service failed repeatedly and its circuit is open, so it was not called;/);
    }
    expect(refused.length).toBeGreaterThan(3);
    const probes = await counter(gateway, 'regiograph_gateway_subgraph_probes_total');
    expect(probes).toBeGreaterThanOrEqual(3);
    // The probes (GET /ready) that reached it are all of the requests after the two that opened the circuit.
    const afterOpening = subgraph.state.paths.slice(2);
    expect(afterOpening.every((path) => path === '/ready')).toBe(true);
    expect(afterOpening.length).toBeLessThanOrEqual(probes);
    expect(await counter(gateway, 'regiograph_gateway_subgraph_short_circuited_total')).toBe(refused.length);

    // Back: a probe is answered and closes the circuit; clients asking meanwhile were refused at once.
    subgraph.state.hung = false;
    let answer = await ask(url);
    let attempts = 0;
    while (answer.errors && attempts < 500) {
      expect(answer.errors[0]!.message).toMatch(/its circuit is open, so it was not called/);
      attempts += 1;
      await pause(20);
      answer = await ask(url);
    }
    expect(answer).toMatchObject({ data: { region: { code: '03', name: 'Niedersachsen' } } });
    expect(answer.errors).toBeUndefined();
    expect(subgraph.state.paths.filter((path) => path !== '/ready')).toEqual(['/graphql', '/graphql', '/graphql']);
  }, 60_000);

  const BREAKER = {
    SUBGRAPH_BREAKER_FAILURES: '2',
    SUBGRAPH_BREAKER_COOLDOWN_MS: '50',
    SUBGRAPH_BREAKER_MAX_COOLDOWN_MS: '100',
    SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '500',
    GATEWAY_OFFLOAD_COST: '0',
  };
  const circuitOpen = async (gateway: Gateway) =>
    (await gateway.metrics.registry.metrics()).includes('regiograph_gateway_subgraph_circuit_open{subgraph="regions"} 1');

  /** Opens the regions circuit with two fetches answered HTTP 500; the stand-in then answers GraphQL again. */
  async function openedCircuit(readiness: number) {
    const subgraph = await standInSubgraph();
    cleanups.push(subgraph.close);
    Object.assign(subgraph.state, { hung: false, graphqlStatus: 500, readiness });
    const started = await start(subgraph.state.url, BREAKER);
    for (let i = 0; i < 2; i += 1) expect((await ask(started.url)).errors?.[0]?.message).toBe('500: Internal Server Error');
    expect(await circuitOpen(started.gateway)).toBe(true);
    subgraph.state.graphqlStatus = 200;
    return { subgraph, ...started };
  }

  it("keeps the circuit open while the subgraph's /ready says it is not ready, though its GraphQL answers, and closes it once ready", async () => {
    const { subgraph, gateway, url } = await openedCircuit(503);
    // Clients keep asking over several probes: each is refused at once, none reaches its GraphQL.
    const refused: Answer[] = [];
    while ((await counter(gateway, 'regiograph_gateway_subgraph_probes_total')) < 4 && refused.length < 500) {
      refused.push(await ask(url));
      await pause(20);
    }
    expect(await counter(gateway, 'regiograph_gateway_subgraph_probes_total')).toBeGreaterThanOrEqual(4);
    for (const answer of refused) expect(answer.errors?.[0]?.message).toMatch(/its circuit is open, so it was not called/);
    expect(subgraph.state.paths.filter((path) => path === '/graphql')).toHaveLength(2);
    expect(await circuitOpen(gateway)).toBe(true);

    // Ready again: a probe closes the circuit, and clients are answered by the subgraph again.
    subgraph.state.readiness = 200;
    for (let poll = 0; (await circuitOpen(gateway)) && poll < 500; poll += 1) await pause(20);
    expect(await circuitOpen(gateway)).toBe(false);
    const answered = await ask(url);
    expect(answered.errors).toBeUndefined();
    expect(answered.data).toEqual({ region: { code: '03', name: 'Niedersachsen' } });
    expect(subgraph.state.paths.filter((path) => path === '/graphql')).toHaveLength(3);
  }, 60_000);

  it('closes an open circuit without any client request, once the subgraph is ready again', async () => {
    const { subgraph, gateway } = await openedCircuit(200);
    // No client asks: the gateway's own probe finds the subgraph ready, and /metrics says so.
    for (let poll = 0; (await circuitOpen(gateway)) && poll < 500; poll += 1) await pause(20);
    expect(await circuitOpen(gateway)).toBe(false);
    expect(await counter(gateway, 'regiograph_gateway_subgraph_probes_total')).toBe(1);
    expect(await counter(gateway, 'regiograph_gateway_subgraph_short_circuited_total')).toBe(0);
    expect(subgraph.state.paths).toEqual(['/graphql', '/graphql', '/ready']);
  }, 60_000);

  it('has a circuit for a subgraph outside the registry that its first supergraph routes to, and refuses a reload that brings one more', async () => {
    const subgraph = await standInSubgraph();
    cleanups.push(subgraph.close);
    const folder = mkdtempSync(path.join(tmpdir(), 'regiograph-circuits-'));
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
    const supergraphPath = path.join(folder, 'supergraph.graphql');
    const original = readFileSync(SUPERGRAPH_PATH, 'utf8');
    // Subgraphs composed into the supergraph beside the registry's, contributing no types.
    const withGraphs = (...names: string[]) =>
      original.replace(
        'enum join__Graph {\n',
        `enum join__Graph {\n${names.map((name) => `  ${name.toUpperCase()} @join__graph(name: "${name}", url: "${subgraph.state.url}")\n`).join('')}`,
      );
    writeFileSync(supergraphPath, withGraphs('extra'));
    const { gateway } = await start(subgraph.state.url, { GATEWAY_OFFLOAD_COST: '0' }, supergraphPath);
    expect(await gateway.metrics.registry.metrics()).toContain('regiograph_gateway_subgraph_circuit_open{subgraph="extra"} 0');

    writeFileSync(supergraphPath, withGraphs('extra', 'later'));
    expect(await gateway.supergraph.reload()).toEqual({
      ok: false,
      error: 'it routes to later, which this gateway has no circuit breaker for; restart the gateway to serve it',
    });
    expect(gateway.supergraph.current).toBe(withGraphs('extra'));
  });
});
