// The peers answer through our supergraph, each run as the bench runs it: a process of its own.
// Hive Gateway's runtime loads its HTTP transport package by name at the first subgraph call, so a
// missing transport shows only there, as an error in every answer (and the bench would then leave
// the peer out of the comparison).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '@regiograph/db';
import { startService, stopService, waitUntilReady, type Service } from '@regiograph/dev-tools';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';
import { overrideSubgraphUrls } from './hive-gateway';

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
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'regiograph-hive-peer-'));
  let peer: Service;

  beforeAll(async () => {
    await new Promise<void>((resolve) => regions.listen(0, '127.0.0.1', resolve));
    const regionsUrl = `http://127.0.0.1:${(regions.address() as AddressInfo).port}/graphql`;
    // The source through tsx: this workspace's own build is not among the tasks its tests wait for.
    peer = startService({
      name: 'hive-peer',
      entry: path.join(__dirname, 'hive-gateway.ts'),
      nodeFlags: ['--import', 'tsx'],
      env: { SUPERGRAPH_PATH, SUBGRAPH_URLS: JSON.stringify({ regions: regionsUrl }), HIVE_ROUTER_RUNTIME: routerRuntime },
      port: await findFreePort(),
      logDir,
    });
    await waitUntilReady(peer, '/readiness', 60_000);
  });

  afterAll(async () => {
    await stopService(peer);
    regions.closeAllConnections();
    await new Promise<void>((resolve) => regions.close(() => resolve()));
    rmSync(logDir, { recursive: true, force: true });
  });

  it('plans a query, calls the subgraph and answers with its data', async () => {
    const response = await fetch(peer.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "03") { name } }' }),
    });
    const body: unknown = await response.json();
    expect({ body, log: readFileSync(peer.logFile, 'utf8') }).toEqual({ body: { data: { region: { name: 'Niedersachsen' } } }, log: '' });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('region(code:');
  });
});
