import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { CircuitBreakers } from './circuit-breaker';
import { createSubgraphFetcher, type SubgraphFetchObserver } from './subgraph-fetch';

describe("a subgraph fetcher's circuit", () => {
  // A subgraph answering with the status its path names; /hang never answers.
  const reached: string[] = [];
  const server = http.createServer((request, response) => {
    reached.push(request.url!);
    server.emit('reached', request.url);
    if (request.url === '/hang') return;
    response.writeHead(Number(request.url!.slice(1)), { 'content-type': 'application/json' }).end('{"errors":[{"message":"no"}]}');
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

  function fetcherWithCircuit() {
    reached.length = 0;
    const clock = { now: 5_000_000 };
    const circuits = new CircuitBreakers(['indicators'], { failures: 2, cooldownMs: 1_000, maxCooldownMs: 1_000 }, () => clock.now);
    const seen = { shortCircuited: 0, changes: [] as string[] };
    const observer: SubgraphFetchObserver = {
      fetched: () => undefined,
      merged: () => undefined,
      shortCircuited: () => (seen.shortCircuited += 1),
      circuitChanged: (_subgraph, change) => seen.changes.push(change),
    };
    const fetcher = createSubgraphFetcher('indicators', 60_000, observer, { dedupeInflight: false, circuit: circuits.of('indicators') });
    const send = (path: string, signal?: AbortSignal) => fetcher(`${base}${path}`, { method: 'POST', headers: {}, body: '{}', signal });
    return { send, seen, circuit: circuits.of('indicators')!, clock };
  }

  it('opens on HTTP 5xx and then fails at once with SUBGRAPH_UNAVAILABLE, without calling the subgraph', async () => {
    const { send, seen, circuit, clock } = fetcherWithCircuit();
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
    // The trial after the cooldown is answered: closed again.
    clock.now = circuit.retryAt()!;
    expect((await send('/200')).status).toBe(200);
    expect(seen.changes).toEqual(['opened', 'closed']);
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
});
