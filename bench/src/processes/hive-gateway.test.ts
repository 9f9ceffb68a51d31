// The peers answer through our supergraph, each run as the bench runs it: a process of its own.
// Hive Gateway's runtime loads its HTTP transport package by name at the first subgraph call, so a
// missing transport shows only there, as an error in every answer (and the bench would then leave
// the peer out of the comparison).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';
import { overrideSubgraphUrls } from './hive-gateway';

async function listening(server: http.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closed(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  const port = await listening(probe);
  await closed(probe);
  return port;
}

async function untilReady(url: string, peer: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (peer.exitCode !== null) throw new Error(`the peer exited with ${peer.exitCode}`);
    const response = await fetch(url).catch(() => null);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 30 s`);
}

describe('overrideSubgraphUrls', () => {
  it('points a subgraph at a new URL and refuses a name the supergraph lacks', () => {
    const sdl = overrideSubgraphUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), { regions: 'http://127.0.0.1:1/graphql' });
    expect(sdl).toMatch(/@join__graph\(name: "regions", url: "http:\/\/127\.0\.0\.1:1\/graphql"\)/);
    expect(() => overrideSubgraphUrls(sdl, { nowhere: 'http://127.0.0.1:1/graphql' })).toThrow('no subgraph named nowhere');
  });
});

describe.each([
  ['Hive Gateway', 'false'],
  ['Hive Gateway with the Rust query planner', 'true'],
])('%s', (_name, routerRuntime) => {
  const received: string[] = [];
  // A regions subgraph that answers any query with one region.
  const regions = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      const answer = JSON.stringify({ data: { region: { name: 'Niedersachsen' } } });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      response.end(answer);
    });
  });
  let peer: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    const regionsUrl = `http://127.0.0.1:${await listening(regions)}/graphql`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    peer = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'hive-gateway.ts')], {
      env: {
        ...process.env,
        PORT: String(port),
        SUPERGRAPH_PATH,
        SUBGRAPH_URLS: JSON.stringify({ regions: regionsUrl }),
        HIVE_ROUTER_RUNTIME: routerRuntime,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    peer.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    peer.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await untilReady(`${base}/readiness`, peer);
  });

  afterAll(async () => {
    if (peer.exitCode === null) {
      const exited = new Promise((resolve) => peer.once('exit', resolve));
      peer.kill('SIGTERM');
      await exited;
    }
    await closed(regions);
  });

  it('plans a query, calls the subgraph and answers with its data', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "03") { name } }' }),
    });
    const body: unknown = await response.json();
    expect({ body, output }).toEqual({ body: { data: { region: { name: 'Niedersachsen' } } }, output: '' });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('region(code:');
  });
});
