// The hop floor as the benchmark runs it: its own process (through tsx), in front of a subgraph
// stand-in that echoes what it received.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import path from 'node:path';
import { subgraphOfPath } from './hop-floor';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function post(url: string, body: string): Promise<Response> {
  // The child needs a moment to compile and listen; retry until it answers.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (error) {
      if (attempt > 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('subgraphOfPath', () => {
  it('names the subgraph of /<subgraph>/graphql and nothing else', () => {
    expect(subgraphOfPath('/regions/graphql')).toBe('regions');
    expect(subgraphOfPath('/regions/graphql?x=1')).toBe('regions');
    expect(subgraphOfPath('/graphql')).toBeNull();
    expect(subgraphOfPath('/regions/graphqlx')).toBeNull();
    expect(subgraphOfPath(undefined)).toBeNull();
  });
});

describe('hop floor process', () => {
  let child: ChildProcess;
  let subgraph: http.Server;
  let base = '';
  const received: { url: string; body: string }[] = [];

  beforeAll(async () => {
    subgraph = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: request.url ?? '', body });
        const answer = JSON.stringify({ data: { echo: body } });
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
        response.end(answer);
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const subgraphUrl = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'hop-floor.ts')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SUBGRAPH_URLS: JSON.stringify({ regions: subgraphUrl }) },
      stdio: 'ignore',
    });
  }, 60_000);

  afterAll(async () => {
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => subgraph.close(() => resolve()));
  });

  it('hands the body to the subgraph and its answer back unchanged', async () => {
    const body = JSON.stringify({ query: '{ region(code: "03") { name } }', variables: { ü: 'Lüneburg' } });
    const response = await post(`${base}/regions/graphql`, body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ data: { echo: body } });
    expect(received.at(-1)).toEqual({ url: '/graphql', body });
  }, 60_000);

  it('answers 404 for a subgraph it does not know', async () => {
    const before = received.length;
    const response = await post(`${base}/projects/graphql`, '{}');
    expect(response.status).toBe(404);
    expect(received.length).toBe(before);
  }, 60_000);
});
