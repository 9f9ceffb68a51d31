import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, startTracing, type RunningServer } from '@regiograph/shared';
import { createGateway, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

interface Body {
  data?: unknown;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/**
 * Expensive queries run on the worker thread (GATEWAY_OFFLOAD_COST) and answer exactly as on the main
 * thread: the same gateway, twice, in front of a stand-in for the regions subgraph over real HTTP.
 */
describe('expensive queries on the worker thread', () => {
  let subgraph: http.Server;
  const received: { authorization: string | undefined; requestId: string | undefined; traceparent: string | undefined }[] = [];
  let failNext = false;
  let errorsNext = 0;
  let cutNext = false;
  const started: { gateway: Gateway; running: RunningServer }[] = [];

  beforeAll(async () => {
    subgraph = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push({
          authorization: request.headers.authorization,
          requestId: request.headers['x-request-id'] as string | undefined,
          traceparent: request.headers.traceparent as string | undefined,
        });
        if (failNext) {
          failNext = false;
          return void request.socket.destroy();
        }
        response.writeHead(200, { 'content-type': 'application/json', 'x-read-after-lsn': '0/2A' });
        if (cutNext) {
          cutNext = false;
          // An answer cut off after a closing brace: it starts and ends like plain data.
          return void response.end('{"data":{"region":{"code":"03","parent":{}}');
        }
        if (errorsNext > 0) {
          errorsNext -= 1;
          return void response.end(
            JSON.stringify({ data: { region: null }, errors: [{ message: 'The region is being rebuilt.', path: ['region'] }] }),
          );
        }
        response.end(JSON.stringify({ data: { region: { code: '03', name: 'Niedersachsen', parent: null } } }));
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

  async function start(offloadCost: string) {
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const gateway = await createGateway({
      logger: silentLogger,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, url])),
      env: { NODE_ENV: 'development', RESPONSE_CACHE: 'false', GATEWAY_OFFLOAD_COST: offloadCost },
    });
    const running = await gateway.listen(0, '127.0.0.1');
    started.push({ gateway, running });
    return { gateway, url: running.url };
  }

  const ask = async (url: string, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'offload-test-1' },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, lsn: response.headers.get('x-read-after-lsn'), body: (await response.json()) as Body };
  };
  const offloaded = async (gateway: Gateway) => (await gateway.metrics.offloaded.get()).values[0]?.value ?? 0;
  /** The fetches from the regions subgraph in the gateway's /metrics, by outcome. */
  const regionsFetches = async (gateway: Gateway) =>
    Object.fromEntries(
      (await gateway.metrics.subgraphFetch.get()).values
        .filter((value) => value.metricName?.endsWith('_count') && value.labels.subgraph === 'regions')
        .map((value) => [value.labels.outcome, value.value]),
    );

  // Estimated cost 2 (region and its parent); the plain lookup costs 1.
  const expensive = '{ region(code: "03") { code name parent { name } } }';
  const cheap = '{ region(code: "03") { code name } }';

  it('answers an expensive query from the worker exactly as the main thread does, and a cheap one on the main thread', async () => {
    const worker = await start('1');
    const local = await start('0');
    const fromWorker = await ask(worker.url, expensive);
    expect(await offloaded(worker.gateway)).toBe(1);
    // The worker's subgraph fetch is in the process's /metrics, as a fetch of the main thread is.
    expect(await regionsFetches(worker.gateway)).toEqual({ ok: 1 });
    const exposition = await (await fetch(worker.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(exposition).toContain('regiograph_gateway_subgraph_fetch_duration_seconds_count{subgraph="regions",outcome="ok"} 1');
    const fromMain = await ask(local.url, expensive);
    expect(await offloaded(local.gateway)).toBe(0);
    expect(fromWorker).toEqual(fromMain);
    expect(fromWorker).toEqual({
      status: 200,
      lsn: '0/2A',
      body: {
        data: { region: { code: '03', name: 'Niedersachsen', parent: null } },
        extensions: { cost: { estimated: 2, actual: 1, limit: 100_000 } },
      },
    });
    // The caller's headers reach the subgraph from the worker too.
    expect(received.map((request) => request.requestId)).toEqual(['offload-test-1', 'offload-test-1']);
    expect((await ask(worker.url, cheap)).status).toBe(200);
    expect(await offloaded(worker.gateway)).toBe(1);
    expect(await regionsFetches(worker.gateway)).toEqual({ ok: 2 });
  });

  it('hands a subgraph failure on the worker to the client with its code, and keeps serving', async () => {
    const worker = await start('1');
    failNext = true;
    const failed = await ask(worker.url, expensive);
    expect(await regionsFetches(worker.gateway)).toEqual({ unreachable: 1 });
    // The worker called the subgraph once: its failure went to Apollo's path as it was, not retried.
    expect(received).toHaveLength(1);
    expect(failed.status).toBe(200);
    expect(failed.body.data).toEqual({ region: null });
    expect(failed.body.errors?.map((error) => [error.extensions?.code, error.extensions?.serviceName])).toEqual([
      ['SUBGRAPH_UNAVAILABLE', 'regions'],
    ]);
    expect((await ask(worker.url, expensive)).body.data).toEqual({ region: { code: '03', name: 'Niedersachsen', parent: null } });
    expect(await offloaded(worker.gateway)).toBe(2);
  });

  it("carries the request's trace to the subgraph from the worker, so that the subgraph's spans join it", async () => {
    type Exporter = NonNullable<NonNullable<Parameters<typeof startTracing>[1]>['exporter']>;
    const spans: Parameters<Exporter['export']>[0] = [];
    const exporter: Exporter = {
      export: (batch, done) => {
        spans.push(...batch);
        done({ code: 0 });
      },
      shutdown: async () => undefined,
    };
    const tracing = startTracing('offload-test', { exporter });
    try {
      const worker = await start('1');
      expect((await ask(worker.url, expensive)).status).toBe(200);
      expect(await offloaded(worker.gateway)).toBe(1);
      const traceparent = received[0]?.traceparent;
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      // The gateway's span of the request (the root) is in the same trace.
      for (let attempt = 0; attempt < 50 && !spans.some((span) => span.name === 'POST /graphql'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const root = spans.find((span) => span.name === 'POST /graphql' && !span.parentSpanId);
      expect(root?.spanContext().traceId).toBe(traceparent?.split('-')[1]);
    } finally {
      await tracing?.shutdown();
    }
  });

  it('shapes a subgraph answer with errors on the worker exactly as the main thread does, with one call each', async () => {
    const worker = await start('1');
    const local = await start('0');
    errorsNext = 2;
    const fromWorker = await ask(worker.url, expensive);
    const fromMain = await ask(local.url, expensive);
    expect(await offloaded(worker.gateway)).toBe(1);
    // Development answers carry stack traces, which differ between the threads.
    const withoutStack = (answer: Awaited<ReturnType<typeof ask>>) => ({
      ...answer,
      body: {
        ...answer.body,
        errors: answer.body.errors?.map(({ extensions, ...error }) => ({ ...error, extensions: { ...extensions, stacktrace: undefined } })),
      },
    });
    expect(withoutStack(fromWorker)).toEqual(withoutStack(fromMain));
    expect(fromWorker.body.data).toEqual({ region: null });
    expect(fromWorker.body.errors?.[0]?.message).toBe('The region is being rebuilt.');
    expect(received).toHaveLength(2);
  });

  it('answers a cut-off subgraph answer with an error on both threads, with one call each, and keeps serving', async () => {
    const worker = await start('1');
    const local = await start('0');
    for (const gateway of [worker, local]) {
      received.length = 0;
      cutNext = true;
      const answer = await ask(gateway.url, expensive);
      // Not passed through: Apollo Gateway's execution reports the broken JSON for the subgraph's fields.
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ region: null });
      expect(answer.body.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
        ['INTERNAL_SERVER_ERROR', expect.stringMatching(/JSON/)],
      ]);
      expect(received).toHaveLength(1);
      expect((await ask(gateway.url, expensive)).body.data).toEqual({ region: { code: '03', name: 'Niedersachsen', parent: null } });
    }
    expect(await offloaded(worker.gateway)).toBe(2);
  });
});
