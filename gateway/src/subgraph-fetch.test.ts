import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { BackgroundProbes, CircuitBreakers } from './circuit-breaker';
import { GatewayMetrics } from './metrics';
import { createCircuitProbe, createSubgraphFetcher, metricsObserver, readyUrlOf, type SubgraphFetchObserver } from './subgraph-fetch';

describe('readyUrlOf', () => {
  it('is /ready beside the GraphQL endpoint, with or without a trailing slash, also under a prefix', () => {
    expect(readyUrlOf('http://h:1/graphql')).toBe('http://h:1/ready');
    expect(readyUrlOf('http://h:1/graphql/')).toBe('http://h:1/ready');
    expect(readyUrlOf('http://h:1/graphql//')).toBe('http://h:1/ready');
    expect(readyUrlOf('http://h/api/regions/graphql')).toBe('http://h/api/regions/ready');
    expect(readyUrlOf('http://h/api/regions/graphql/')).toBe('http://h/api/regions/ready');
    expect(readyUrlOf('https://h/graphql?tenant=a#x')).toBe('https://h/ready');
  });
});

describe("a subgraph fetcher's circuit", () => {
  // A subgraph answering with the status its path names; /hang never answers. Its /ready (which the
  // gateway's probes ask) answers `readiness`, or never while it is 'hang'.
  const reached: string[] = [];
  const subgraph = { readiness: 200 as number | 'hang' };
  const server = http.createServer((request, response) => {
    reached.push(request.url!);
    server.emit('reached', request.url);
    const status = request.url === '/ready' ? subgraph.readiness : request.url === '/hang' ? 'hang' : Number(request.url!.slice(1));
    if (status === 'hang') return;
    response.writeHead(status, { 'content-type': 'application/json' }).end('{"errors":[{"message":"no"}]}');
  });
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A fetcher whose circuit opens after two failures; its clock is moved by hand, only timeouts run on real time. */
  function fetcherWithCircuit({ dedupeInflight = false, timeoutMs = 60_000, probeTimeoutMs = 60_000 } = {}) {
    reached.length = 0;
    subgraph.readiness = 200;
    const clock = { now: 5_000_000 };
    const circuits = new CircuitBreakers(
      ['indicators'],
      { failures: 2, cooldownMs: 1_000, maxCooldownMs: 2_000, probeTimeoutMs },
      () => clock.now,
    );
    const seen = { shortCircuited: 0, probed: 0, merged: 0, changes: [] as string[] };
    const changes = new EventEmitter();
    const observer: SubgraphFetchObserver = {
      fetched: () => undefined,
      merged: () => (seen.merged += 1),
      shortCircuited: () => (seen.shortCircuited += 1),
      probed: () => (seen.probed += 1),
      circuitChanged: (_subgraph, change) => {
        seen.changes.push(change);
        changes.emit('change', change);
      },
    };
    const fetcher = createSubgraphFetcher('indicators', timeoutMs, observer, { dedupeInflight, circuit: circuits.of('indicators') });
    const send = (path: string, signal?: AbortSignal, body = '{}') =>
      fetcher(`${base}${path}`, { method: 'POST', headers: {}, body, signal });
    /** The circuit's next change (a probe's verdict comes in the background). */
    const nextChange = () => once(changes, 'change').then(([change]) => change as string);
    return { send, seen, circuit: circuits.of('indicators')!, circuits, clock, nextChange, observer };
  }

  /** The error a refused fetch threw. */
  const refusal = (fetched: Promise<unknown>) =>
    fetched.then(
      () => {
        throw new Error('expected the circuit to refuse the fetch');
      },
      (error: unknown) => error as GraphQLError,
    );

  it('opens on HTTP 5xx and then fails at once with SUBGRAPH_UNAVAILABLE, without calling the subgraph', async () => {
    const { send, seen, circuit, clock, nextChange } = fetcherWithCircuit();
    expect((await send('/503')).status).toBe(503);
    expect((await send('/500')).status).toBe(500);
    expect(seen.changes).toEqual(['opened']);
    const refused = await send('/200').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'indicators' });
    expect((refused as GraphQLError).message).toMatch(
      /^The indicators service failed repeatedly and its circuit is open, so it was not called;/,
    );
    expect(reached).toEqual(['/503', '/500']);
    expect(seen.shortCircuited).toBe(1);
    // After the cooldown the gateway probes it; the probe's answer closes the circuit.
    clock.now = circuit.retryAt()!;
    const closed = nextChange();
    expect((await refusal(send('/200'))).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'indicators' });
    expect(await closed).toBe('closed');
    expect((await send('/200')).status).toBe(200);
    expect(seen.changes).toEqual(['opened', 'closed']);
    expect(reached).toEqual(['/503', '/500', '/ready', '/200']);
  });

  it('probes a hung subgraph itself: no client request waits for it, and a failed probe reopens the circuit', async () => {
    const { send, seen, circuit, clock, nextChange } = fetcherWithCircuit({ probeTimeoutMs: 500 });
    subgraph.readiness = 'hang';
    await send('/503');
    await send('/503');
    expect(circuit.retryAt()).not.toBeNull();
    clock.now = circuit.retryAt()!;
    // The cooldown is over and the subgraph hangs: every client request fails at once, also the
    // one that set the probe off, and only the probe reaches the subgraph.
    const reopened = nextChange();
    const refused = await Promise.all(Array.from({ length: 5 }, () => refusal(send('/hang'))));
    expect(refused.map((error) => error.extensions.code)).toEqual(Array(5).fill('SUBGRAPH_UNAVAILABLE'));
    expect(refused[1]!.message).toMatch(/a probe of the gateway is finding out whether it answers again/);
    expect(await reopened).toBe('reopened');
    expect(seen.probed).toBe(1);
    expect(reached).toEqual(['/503', '/503', '/ready']);
    // Reopened for twice the cooldown: the next probe is due then, and clients still fail at once.
    expect(circuit.retryAt()! - clock.now).toBe(2_000);
    expect((await refusal(send('/hang'))).message).toMatch(/it is tried again at /);
    clock.now = circuit.retryAt()!;
    const reopenedAgain = nextChange();
    await refusal(send('/hang'));
    expect(await reopenedAgain).toBe('reopened');
    expect(seen.probed).toBe(2);
    expect(seen.shortCircuited).toBe(7);
    expect(reached).toEqual(['/503', '/503', '/ready', '/ready']);
  });

  it('counts one failure for queries merged into one fetch (GATEWAY_DEDUPE_INFLIGHT)', async () => {
    const { send, seen, circuit } = fetcherWithCircuit({ dedupeInflight: true });
    const query = '{"query":"{ indicators { code } }"}';
    // Three identical queries in flight at once: one fetch, answered 503, is one failure of two.
    const answers = await Promise.all([1, 2, 3].map(() => send('/503', undefined, query)));
    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(seen.merged).toBe(2);
    expect(reached).toEqual(['/503']);
    expect(circuit.retryAt()).toBeNull();
    // The second fetch that fails opens it.
    await send('/503', undefined, query);
    expect(seen.changes).toEqual(['opened']);
  });

  it('judges a merged fetch that one caller gave up by what became of it for the others, once', async () => {
    const { send, circuit } = fetcherWithCircuit({ dedupeInflight: true, timeoutMs: 50 });
    const query = '{"query":"{ indicators { code } }"}';
    const caller = new AbortController();
    const leaving = send('/hang', caller.signal, query);
    const staying = [send('/hang', undefined, query), send('/hang', undefined, query)];
    caller.abort(new Error('The caller closed the connection.'));
    await expect(leaving).rejects.toThrow(/unreachable/);
    for (const fetched of staying) await expect(fetched).rejects.toThrow(/did not answer within 50 ms/);
    // One fetch timed out: one failure of two.
    expect(circuit.retryAt()).toBeNull();
    await expect(send('/hang', undefined, query)).rejects.toThrow(/did not answer within 50 ms/);
    expect(circuit.retryAt()).not.toBeNull();
  });

  it('takes a 4xx, or a fetch its caller gave up, for no failure of the subgraph', async () => {
    const { send, circuit } = fetcherWithCircuit();
    for (let i = 0; i < 3; i += 1) expect((await send('/400')).status).toBe(400);
    for (let i = 0; i < 3; i += 1) {
      const caller = new AbortController();
      server.once('reached', () => caller.abort(new Error('The caller closed the connection.')));
      await expect(send('/hang', caller.signal)).rejects.toThrow(/unreachable/);
    }
    expect(circuit.retryAt()).toBeNull();
    expect(reached).toHaveLength(6);
  });

  it('records nothing for a probe given up on the gateway’s close: no circuit change, none told', async () => {
    const { send, seen, circuit, circuits, clock, observer } = fetcherWithCircuit();
    subgraph.readiness = 'hang';
    await send('/503');
    await send('/503');
    expect(seen.changes).toEqual(['opened']);
    clock.now = circuit.retryAt()!;
    const retryAt = circuit.retryAt();
    const background = new BackgroundProbes(circuits, () => clock.now);
    let underWay: Promise<void> | undefined;
    const probe = createCircuitProbe('indicators', `${base}/graphql`, circuit, observer);
    const probeReached = once(server, 'reached');
    background.serve('indicators', (signal) => (underWay = probe(signal)));
    expect(await probeReached).toEqual(['/ready']);
    background.close();
    await underWay;
    expect(seen.probed).toBe(1);
    expect(seen.changes).toEqual(['opened']);
    expect(circuit.retryAt()).toBe(retryAt);
    // The probe is free again for whoever finds the circuit due next.
    expect(circuit.takeProbe()).toBe(true);
  });

  describe('what a subgraph fetch tells the metrics, the logs and its callers', () => {
    // The subgraph above: each path answers its status, /hang never, /ready `subgraph.readiness`.
    afterEach(() => jest.restoreAllMocks());

    /** An observer that keeps what it is told. */
    function recordingObserver() {
      const fetched: { subgraph: string; outcome: string; seconds: number }[] = [];
      const changes: { change: string; retryAt: number | null }[] = [];
      const observer: SubgraphFetchObserver = {
        fetched: (name, outcome, seconds) => void fetched.push({ subgraph: name, outcome, seconds }),
        merged: () => undefined,
        shortCircuited: () => undefined,
        probed: () => undefined,
        circuitChanged: (_name, change, retryAt) => void changes.push({ change, retryAt }),
      };
      return { observer, fetched, changes };
    }

    /** The address of a port nobody listens on: connections to it are refused. */
    async function refusingUrl(): Promise<string> {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      return `http://127.0.0.1:${port}/graphql`;
    }

    it('measures each fetch under its outcome (ok, the HTTP status, timeout, unreachable) and the seconds it took', async () => {
      const { observer, fetched } = recordingObserver();
      // Only the fetch of /hang is meant to time out: the others get all the time a loaded machine needs.
      const patient = createSubgraphFetcher('regions', 60_000, observer, { dedupeInflight: false });
      const hasty = createSubgraphFetcher('regions', 50, observer, { dedupeInflight: false });
      const post = (url: string, signal?: AbortSignal, fetcher = patient) =>
        fetcher(url, { method: 'POST', headers: {}, body: '{}', signal });
      const started = performance.now();
      expect((await post(`${base}/200`)).status).toBe(200);
      expect((await post(`${base}/503`)).status).toBe(503);
      await refusal(post(`${base}/hang`, undefined, hasty));
      const caller = new AbortController();
      caller.abort(new Error('The caller closed the connection.'));
      await refusal(post(`${base}/200`, caller.signal));
      const elapsed = (performance.now() - started) / 1000;
      expect(fetched.map(({ subgraph: name, outcome }) => [name, outcome])).toEqual([
        ['regions', 'ok'],
        ['regions', 'http_503'],
        ['regions', 'timeout'],
        ['regions', 'unreachable'],
      ]);
      // Seconds, not milliseconds: the fetches, one after the other, took no longer than the test around them.
      for (const { seconds } of fetched) expect(seconds).toBeGreaterThanOrEqual(0);
      expect(fetched.reduce((sum, { seconds }) => sum + seconds, 0)).toBeLessThanOrEqual(elapsed);
    });

    it('fails a fetch that timed out or found no subgraph with SUBGRAPH_UNAVAILABLE, naming the service, no address', async () => {
      const fetcher = createSubgraphFetcher('regions', 50, recordingObserver().observer, { dedupeInflight: false });
      const timedOut = await refusal(fetcher(`${base}/hang`, { method: 'POST', headers: {}, body: '{}' }));
      expect(timedOut).toBeInstanceOf(GraphQLError);
      expect(timedOut.message).toBe(
        'The regions service did not answer within 50 ms; the fields it provides are missing from this answer.',
      );
      expect(timedOut.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'regions' });
      const patient = createSubgraphFetcher('regions', 60_000, recordingObserver().observer, { dedupeInflight: false });
      const unreachable = await refusal(patient(await refusingUrl(), { method: 'POST', headers: {}, body: '{}' }));
      expect(unreachable.message).toBe('The regions service is unreachable; the fields it provides are missing from this answer.');
      expect(unreachable.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'regions' });
    });

    it("takes a fetch without a signal of its own down with the request's signal (signalOf)", async () => {
      const request = new AbortController();
      const { observer, fetched } = recordingObserver();
      const fetcher = createSubgraphFetcher('regions', 60_000, observer, { dedupeInflight: false, signalOf: () => request.signal });
      const hanging = refusal(fetcher(`${base}/hang`, { method: 'POST', headers: {}, body: '{}' }));
      request.abort(new Error('The caller closed the connection.'));
      expect((await hanging).message).toMatch(/unreachable/);
      expect(fetched.map(({ outcome }) => outcome)).toEqual(['unreachable']);
    });

    it('merges identical queries in flight where it is given no options (GATEWAY_DEDUPE_INFLIGHT is on by default)', async () => {
      let merged = 0;
      const fetcher = createSubgraphFetcher('regions', 60_000, { ...recordingObserver().observer, merged: () => void (merged += 1) });
      const post = () => fetcher(`${base}/200`, { method: 'POST', headers: {}, body: '{"query":"{ regions { code } }"}' });
      expect((await Promise.all([post(), post()])).map((response) => response.status)).toEqual([200, 200]);
      expect(merged).toBe(1);
    });

    it('fetches with a GET where it is given no init, as fetch does', async () => {
      const fetcher = createSubgraphFetcher('regions', 60_000, recordingObserver().observer, { dedupeInflight: false });
      expect((await fetcher(`${base}/200`)).status).toBe(200);
    });

    /** A fetcher whose circuit opens on the first failure, for `cooldownMs`, on a clock moved by hand. */
    function openCircuit(cooldownMs: number) {
      const clock = { now: Date.UTC(2026, 11, 7, 12, 0, 0) };
      const circuits = new CircuitBreakers(
        ['regions'],
        { failures: 1, cooldownMs, maxCooldownMs: cooldownMs * 2, probeTimeoutMs: 60_000 },
        () => clock.now,
      );
      const recorded = recordingObserver();
      const fetcher = createSubgraphFetcher('regions', 60_000, recorded.observer, {
        dedupeInflight: false,
        circuit: circuits.of('regions'),
      });
      return { fetcher, clock, circuit: circuits.of('regions')!, ...recorded };
    }

    it('tells a refused caller when the subgraph is tried again: the time, and the seconds until then rounded up', async () => {
      const { fetcher, clock, circuit, changes } = openCircuit(30_000);
      await fetcher(`${base}/503`, { method: 'POST', headers: {}, body: '{}' });
      expect(changes).toEqual([{ change: 'opened', retryAt: clock.now + 30_000 }]);
      const retryAt = circuit.retryAt()!;
      // The message's seconds count from the wall clock, which stands 12.5 s before the retry here.
      jest.spyOn(Date, 'now').mockReturnValue(retryAt - 12_500);
      const refused = await refusal(fetcher(`${base}/200`, { method: 'POST', headers: {}, body: '{}' }));
      expect(refused.message).toBe(
        'The regions service failed repeatedly and its circuit is open, so it was not called; it is tried again at 2026-12-07T12:00:30.000Z (in 13 s). The fields it provides are missing from this answer.',
      );
      // Never "in 0 s" or less, where the wall clock has passed the retry before the circuit's clock has.
      jest.spyOn(Date, 'now').mockReturnValue(retryAt + 5_000);
      expect((await refusal(fetcher(`${base}/200`, { method: 'POST', headers: {}, body: '{}' }))).message).toMatch(/\(in 1 s\)/);
    });

    it('opens the circuit on a subgraph that refuses connections: no one gave that fetch up', async () => {
      const { fetcher, clock, changes } = openCircuit(1_000);
      await refusal(fetcher(await refusingUrl(), { method: 'POST', headers: {}, body: '{}' }));
      expect(changes).toEqual([{ change: 'opened', retryAt: clock.now + 1_000 }]);
    });

    it('keeps the circuit open when the probed subgraph answers /ready with an error status', async () => {
      const { fetcher, clock, circuit, observer, changes } = openCircuit(1_000);
      await fetcher(`${base}/503`, { method: 'POST', headers: {}, body: '{}' });
      subgraph.readiness = 503;
      try {
        clock.now = circuit.retryAt()!;
        expect(circuit.takeProbe()).toBe(true);
        await createCircuitProbe('regions', `${base}/graphql`, circuit, observer)();
        // Reopened for twice the cooldown: a subgraph whose database is away answers its /ready 503.
        expect(changes).toEqual([
          { change: 'opened', retryAt: clock.now },
          { change: 'reopened', retryAt: clock.now + 2_000 },
        ]);
      } finally {
        subgraph.readiness = 200;
      }
    });
  });
});

describe('metricsObserver', () => {
  it('counts fetches, merges, short circuits and probes by subgraph, and logs circuit changes with when to retry', async () => {
    const metrics = new GatewayMetrics();
    const logged: [string, string, Record<string, unknown> | undefined][] = [];
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push([level, message, fields]);
    const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
    const observer = metricsObserver(metrics, logger);
    observer.fetched('regions', 'http_503', 0.2);
    observer.merged('regions');
    observer.shortCircuited('indicators');
    observer.probed('indicators');
    observer.circuitChanged('indicators', 'opened', Date.UTC(2026, 11, 7, 12, 0, 30));
    observer.circuitChanged('indicators', 'closed', null);
    const fetches = (await metrics.subgraphFetch.get()).values.filter((value) => value.metricName?.endsWith('_sum'));
    expect(fetches).toEqual([expect.objectContaining({ labels: { subgraph: 'regions', outcome: 'http_503' }, value: 0.2 })]);
    for (const counter of [metrics.subgraphMerged, metrics.subgraphShortCircuited, metrics.subgraphProbes]) {
      expect((await counter.get()).values.map(({ labels, value }) => [labels, value])).toEqual([
        [{ subgraph: counter === metrics.subgraphMerged ? 'regions' : 'indicators' }, 1],
      ]);
    }
    expect(logged).toEqual([
      ['warn', 'subgraph circuit opened', { subgraph: 'indicators', retryAt: '2026-12-07T12:00:30.000Z' }],
      ['info', 'subgraph circuit closed', { subgraph: 'indicators' }],
    ]);
  });
});
