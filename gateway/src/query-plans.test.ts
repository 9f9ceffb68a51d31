// Apollo Gateway's query plans are kept up to a bound in JSON bytes (GATEWAY_QUERY_PLAN_STORE_BYTES),
// whatever distinct queries anonymous callers send; a query sent again is not planned again. A plan
// is made and kept before any subgraph is called, so none runs here: the subgraphs point at a port
// nothing listens on (the answers are errors, the plans are kept all the same).
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { jsonBytes, MAX_DOCUMENT_NESTING, silentLogger, type RunningServer } from '@regiograph/shared';
import { readGatewayConfig } from './config';
import type { OffloadReply, OffloadRequest, OffloadWorkerData } from './offload';
import { createGateway, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';
import { CIRCUIT_BREAKER_DEFAULTS, CircuitBreakers } from './circuit-breaker';

let gateway: Gateway;
let running: RunningServer;
let closedUrl: string;

beforeAll(async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  closedUrl = `http://127.0.0.1:${closedPort}/graphql`;
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, closedUrl]));
  gateway = await createGateway({ logger: silentLogger, subgraphUrls });
  running = await gateway.listen(0);
});

afterAll(async () => {
  await gateway?.close();
});

/** A distinct cheap query of about 90 kB (within the body and token limits): 30 long aliases of one indicator. */
function longQuery(id: number): string {
  const long = 'a'.repeat(3_000);
  return `query Q${id} { ${Array.from({ length: 30 }, (_, j) => `${long}${id}_${j}: indicator(code: "population") { code }`).join(' ')} }`;
}

async function send(query: string): Promise<number> {
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("Apollo Gateway's query plans", () => {
  it('are kept up to GATEWAY_QUERY_PLAN_STORE_BYTES of JSON, however many distinct queries arrive', async () => {
    const bound = readGatewayConfig({}).queryPlanStoreBytes;
    expect(bound).toBe(8 * 1024 * 1024);
    // Each plan is about 90 kB of JSON: 120 of them would hold about 11 MB in Apollo's default store (30 MiB).
    for (let id = 0; id < 120; id++) expect(await send(longQuery(id))).toBe(200);
    const { queryPlans } = gateway;
    expect(queryPlans.size).toBeGreaterThan(0);
    expect(queryPlans.bytes).toBeLessThanOrEqual(bound);
    expect(queryPlans.bytes + 200_000).toBeGreaterThan(bound);
  });

  it('plan a query sent again once: the second time its plan comes from the store', async () => {
    const gets = jest.spyOn(gateway.queryPlans, 'get');
    const sets = jest.spyOn(gateway.queryPlans, 'set');
    try {
      const query = longQuery(1_000);
      expect(await send(query)).toBe(200);
      expect([gets.mock.calls.length, sets.mock.calls.length]).toEqual([1, 1]);
      const [key, plan] = sets.mock.calls[0]!;
      expect(await send(query)).toBe(200);
      expect([gets.mock.calls.length, sets.mock.calls.length]).toEqual([2, 1]);
      expect(gets.mock.calls[1]![0]).toBe(key);
      expect(await gets.mock.results[1]!.value).toBe(plan);
      expect(jsonBytes(plan)).toBeGreaterThan(90_000);
    } finally {
      gets.mockRestore();
      sets.mockRestore();
    }
  });
});

describe("the offload worker's query plans", () => {
  it('are kept up to the bound the worker is given, however many distinct queries it executes', async () => {
    // The worker's module as offload.ts starts it, and a probe that answers with its store's size when
    // asked (an abort of an operation that never ran, which the worker itself ignores).
    const probe = `
      const { parentPort } = require('node:worker_threads');
      const { queryPlans } = require(${JSON.stringify(path.join(__dirname, 'offload-worker.ts'))});
      parentPort.on('message', (message) => {
        if (message.type === 'abort' && message.id === 0) parentPort.postMessage({ size: queryPlans.size, bytes: queryPlans.bytes });
      });`;
    const bound = 1024 * 1024;
    const settings: OffloadWorkerData = {
      supergraphSdl: readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, closedUrl])),
      subgraphTimeoutMs: 1_000,
      circuits: new CircuitBreakers([], CIRCUIT_BREAKER_DEFAULTS).shared(),
      dedupeInflight: true,
      passThrough: true,
      queryPlanStoreBytes: bound,
      maxNesting: MAX_DOCUMENT_NESTING,
    };
    const worker = new Worker(probe, { eval: true, workerData: settings, execArgv: ['--require', require.resolve('tsx/cjs')] });
    // The first message that answers the request (the worker also reports its subgraph fetches).
    const ask = <T>(request: OffloadRequest, answers: (message: T) => boolean) =>
      new Promise<T>((resolve, reject) => {
        const listener = (message: T) => {
          if (!answers(message)) return;
          worker.off('message', listener).off('error', reject);
          resolve(message);
        };
        worker.on('message', listener).once('error', reject);
        worker.postMessage(request);
      });
    try {
      // Each plan is about 90 kB of JSON: 30 of them hold about 2.7 MB.
      for (let id = 0; id < 30; id++) {
        const request: OffloadRequest = {
          type: 'execute',
          id: id + 1,
          requestId: `r${id}`,
          query: longQuery(id),
          variables: undefined,
          operationName: undefined,
          forwardedHeaders: {},
        };
        const reply = await ask<OffloadReply>(request, (message) => 'id' in message && message.id === id + 1);
        expect(reply.type).toBe('result');
      }
      const { size, bytes } = await ask<{ size?: number; bytes: number }>({ type: 'abort', id: 0 }, (message) => 'size' in message);
      expect(size).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(bound);
      expect(bytes + 200_000).toBeGreaterThan(bound);
    } finally {
      await worker.terminate();
    }
  });
});
