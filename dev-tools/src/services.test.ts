import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { SUBGRAPH_NODE_OPTIONS, SUBGRAPHS, subgraphUrlVariable } from '@regiograph/shared';
import {
  chooseMetricsPorts,
  chooseSubgraphPorts,
  metricsMessage,
  portIsFree,
  runningMessage,
  servesGraphiQL,
  subgraphProcess,
} from './services';

describe('subgraphProcess', () => {
  it.each(SUBGRAPHS.map((entry) => [entry.name, entry] as const))(
    "starts %s's built entry with the registry's Node options",
    (name, entry) => {
      const options = subgraphProcess(entry);
      expect(options.name).toBe(name);
      expect(options.entry).toMatch(new RegExp(`subgraphs/${name}/dist/index\\.js$`));
      expect(existsSync(options.entry)).toBe(true);
      expect(options.nodeFlags).toEqual([...SUBGRAPH_NODE_OPTIONS]);
    },
  );
});

describe('SUBGRAPH_NODE_OPTIONS', () => {
  // Node refuses an unknown flag on the command line, and a flag NODE_OPTIONS does not allow there
  // (the form of the compose file and the Kubernetes ConfigMap): both would stop every subgraph.
  it('are flags this Node accepts, on the command line and in NODE_OPTIONS', () => {
    const script = 'process.stdout.write(JSON.stringify(process.execArgv))';
    const execArgv = JSON.parse(execFileSync(process.execPath, [...SUBGRAPH_NODE_OPTIONS, '-e', script], { encoding: 'utf8' })) as string[];
    expect(execArgv).toEqual(expect.arrayContaining([...SUBGRAPH_NODE_OPTIONS]));
    const viaEnvironment = execFileSync(process.execPath, ['-e', 'process.stdout.write("ok")'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: SUBGRAPH_NODE_OPTIONS.join(' ') },
    });
    expect(viaEnvironment).toBe('ok');
  });

  it('raise the young generation above the default', () => {
    // V8 reserves the semi-spaces inside the heap limit, so the limit moves with the semi-space
    // maximum and nothing else: unlike the new space's current size, which follows the scavenger's
    // own growth heuristics and came out equal on a machine where it had differed before.
    const script = "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))";
    const heapLimit = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }));
    expect(heapLimit(SUBGRAPH_NODE_OPTIONS)).toBeGreaterThan(heapLimit([]));
  });
});

describe('chooseSubgraphPorts', () => {
  it('chooses every port before any subgraph starts, and gives each subgraph every URL', async () => {
    const chosen: string[] = [];
    const ports = await chooseSubgraphPorts(SUBGRAPHS, async (entry) => {
      chosen.push(entry.name);
      return entry.defaultPort + 1000;
    });
    expect(chosen).toEqual(SUBGRAPHS.map((entry) => entry.name));
    expect(ports.portOf('cooperations')).toBe(5004);
    // Every registered subgraph, so that adding one (docs/adding-a-subgraph.md) needs no change here.
    expect(ports.urls).toEqual(
      Object.fromEntries(
        SUBGRAPHS.map((entry) => [subgraphUrlVariable(entry.name), `http://127.0.0.1:${entry.defaultPort + 1000}/graphql`]),
      ),
    );
    expect(ports.urls.REGIONS_URL).toBe('http://127.0.0.1:5001/graphql');
    expect(() => ports.portOf('unregistered')).toThrow('no port was chosen for unregistered');
  });
});

describe('chooseMetricsPorts (METRICS_PORT under npm start)', () => {
  const names = ['gateway', ...SUBGRAPHS.map((entry) => entry.name)];
  const host = '127.0.0.1';

  /** A server listening on `port` (0: one the OS gives). */
  async function listening(port: number): Promise<http.Server> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return server;
  }

  /** The first of five consecutive ports that are free now. */
  async function freeRun(): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const probe = await listening(0);
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      if (port + 4 > 65_535) continue;
      const free = await Promise.all([0, 1, 2, 3, 4].map((offset) => portIsFree(port + offset, host)));
      if (free.every(Boolean)) return port;
    }
    throw new Error('found no five consecutive free ports');
  }

  /** METRICS_PORT of each process's environment, in the order named. */
  const metricsPortsOf = (environmentOf: (name: string) => NodeJS.ProcessEnv) =>
    names.map((name) => Number(environmentOf(name).METRICS_PORT));

  it('gives each of the five processes its own port, METRICS_PORT plus its index, and names their URLs', async () => {
    const first = await freeRun();
    const chosen = await chooseMetricsPorts(names, { first, host, shownHost: 'localhost', taken: [] });
    expect(metricsPortsOf(chosen.environmentOf)).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
    expect(chosen.urls).toEqual(names.map((name, index) => ({ name, url: `http://localhost:${first + index}/metrics` })));
    expect(() => chosen.environmentOf('unregistered')).toThrow('no metrics port was chosen for unregistered');
  });

  it('passes over a port in use or taken by the launcher, and all five can listen at once', async () => {
    const first = await freeRun();
    const busy = await listening(first);
    const servers: http.Server[] = [busy];
    try {
      const chosen = await chooseMetricsPorts(names, { first, host, shownHost: host, taken: [first + 1] });
      const ports = metricsPortsOf(chosen.environmentOf);
      expect(new Set(ports).size).toBe(5);
      expect(ports).not.toContain(first);
      expect(ports).not.toContain(first + 1);
      expect(ports.slice(2)).toEqual([first + 2, first + 3, first + 4]);
      for (const port of ports) servers.push(await listening(port));
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('with METRICS_PORT=0, gives five ports the OS chose, so that the launcher can name them', async () => {
    const taken = SUBGRAPHS.map((entry) => entry.defaultPort);
    const chosen = await chooseMetricsPorts(names, { first: 0, host, shownHost: host, taken });
    const ports = metricsPortsOf(chosen.environmentOf);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) expect(port).toBeGreaterThan(0);
    for (const port of taken) expect(ports).not.toContain(port);
  });

  it('without METRICS_PORT, changes no environment: each process serves /metrics on its main port', async () => {
    const chosen = await chooseMetricsPorts(names, { first: null, host, shownHost: host, taken: [] });
    expect(names.map((name) => chosen.environmentOf(name))).toEqual(names.map(() => ({})));
    expect(chosen.urls).toEqual([]);
  });

  it('are said after the start message, with whether the token is asked for', () => {
    const urls = [
      { name: 'gateway', url: 'http://localhost:9464/metrics' },
      { name: 'regions', url: 'http://localhost:9465/metrics' },
    ];
    expect(metricsMessage(urls, false)).toBe('Metrics: gateway http://localhost:9464/metrics, regions http://localhost:9465/metrics.');
    expect(metricsMessage(urls, true)).toBe(
      'Metrics: gateway http://localhost:9464/metrics, regions http://localhost:9465/metrics (send METRICS_TOKEN as a bearer token).',
    );
  });
});

describe('the start message', () => {
  /** A server answering `/` as the gateway does with GATEWAY_IDE (an HTML page) or without it (404). */
  async function gatewayLike(ide: boolean): Promise<{ origin: string; close(): Promise<void> }> {
    const server = http.createServer((request, response) => {
      if (ide && request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html>');
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { origin: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  it('names GraphiQL only where the gateway serves it (not in production)', async () => {
    for (const ide of [true, false]) {
      const gateway = await gatewayLike(ide);
      try {
        const message = runningMessage(`${gateway.origin}graphql`, await servesGraphiQL(gateway.origin));
        expect(message).toBe(
          `RegioGraph is running at ${gateway.origin}graphql (${ide ? `GraphiQL: ${gateway.origin}, ` : ''}Atlas: ${gateway.origin}atlas/) — Ctrl-C stops it.`,
        );
      } finally {
        await gateway.close();
      }
    }
    // Nothing answering: no GraphiQL to name.
    expect(await servesGraphiQL('http://127.0.0.1:9/')).toBe(false);
  });
});
