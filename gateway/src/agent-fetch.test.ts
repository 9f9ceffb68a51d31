import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgentFetch, TimeoutError } from './agent-fetch';

describe('the keep-alive subgraph fetcher', () => {
  let server: http.Server;
  let url: string;
  const sockets = new Set<unknown>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      sockets.add(request.socket);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 2000).unref();
        const body = JSON.stringify({
          method: request.method,
          length: request.headers['content-length'],
          echo: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(request.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-answer': 'yes' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body in one piece with its length and parses the JSON answer', async () => {
    const agentFetch = createAgentFetch();
    const response = await agentFetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', length: '26', echo: '{"query":"{ __typename }"}' });
  });

  it('keeps one connection alive across sequential requests', async () => {
    sockets.clear();
    const agentFetch = createAgentFetch(new http.Agent({ keepAlive: true, maxSockets: 4 }));
    for (let index = 0; index < 5; index += 1) await (await agentFetch(`${url}/graphql`, { method: 'POST', body: '{}' })).text();
    expect(sockets.size).toBe(1);
  });

  it('reports an error status without throwing, and gives up when the signal aborts', async () => {
    const agentFetch = createAgentFetch();
    const missing = await agentFetch(`${url}/missing`);
    expect(missing.ok).toBe(false);
    expect(missing.status).toBe(404);
    await expect(agentFetch(`${url}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toThrow(/timeout|aborted/i);
    await expect(agentFetch(`${url}/slow`, { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
  });
});
