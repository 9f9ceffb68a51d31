import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { SUBGRAPH_NODE_OPTIONS, SUBGRAPHS, subgraphUrlVariable } from '@regiograph/shared';
import { chooseSubgraphPorts, runningMessage, servesGraphiQL, subgraphProcess } from './services';

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
