// The hop floor in front of a subgraph stand-in that echoes what it received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHopFloor, subgraphOfPath } from './hop-floor';

const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

describe('hop floor', () => {
  const received: { url: string; body: string }[] = [];
  const subgraph = http.createServer((request, response) => {
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
  let hop: http.Server;
  let base = '';

  beforeAll(async () => {
    const subgraphUrl = `${await listening(subgraph)}/graphql`;
    hop = createHopFloor(new Map([['regions', subgraphUrl]]));
    base = await listening(hop);
  });

  afterAll(async () => {
    for (const server of [hop, subgraph]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('hands the body to the subgraph and its answer back unchanged', async () => {
    const body = JSON.stringify({ query: '{ region(code: "03") { name } }', variables: { ü: 'Lüneburg' } });
    const response = await post(`${base}/regions/graphql`, body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ data: { echo: body } });
    expect(received.at(-1)).toEqual({ url: '/graphql', body });
  });

  it('answers 404 for a subgraph it does not know, and readiness', async () => {
    const before = received.length;
    const response = await post(`${base}/projects/graphql`, '{}');
    expect(response.status).toBe(404);
    expect(received.length).toBe(before);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});
