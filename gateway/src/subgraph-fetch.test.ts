import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { BackgroundProbes, CircuitBreakers } from './circuit-breaker';
import { createCircuitProbe, createSubgraphFetcher, readyUrlOf, type SubgraphFetchObserver } from './subgraph-fetch';

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
});
