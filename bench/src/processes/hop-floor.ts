// The floor of a gateway's second HTTP hop: a bare node:http proxy in its own process that hands a
// request's bytes to a subgraph over a keep-alive connection and its answer's bytes back, nothing
// parsed, checked or traced. The latency it adds over calling the subgraph directly is what any
// Node gateway pays for the hop itself (loopback TCP, two HTTP exchanges, the event loop's
// wake-ups); what our gateway adds beyond it is the cost of the gateway (docs/benchmarks.md).
// POST /<subgraph>/graphql goes to that subgraph (SUBGRAPH_URLS: a JSON object of name → URL).
import http from 'node:http';

/** The subgraph a path names, or null: `/regions/graphql` → regions. */
export function subgraphOfPath(path: string | undefined): string | null {
  const match = /^\/([a-z][a-z0-9-]*)\/graphql(?:\?|$)/.exec(path ?? '');
  return match ? match[1]! : null;
}

/** The hop floor's server: POST /<subgraph>/graphql to that subgraph's URL in `targets`, /ready for the start-up probe. */
export function createHopFloor(targets: ReadonlyMap<string, string>): http.Server {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((request, response) => {
    if (request.url === '/ready') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ready"}');
      return;
    }
    const target = targets.get(subgraphOfPath(request.url) ?? '');
    if (!target || request.method !== 'POST') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"message":"POST /<subgraph>/graphql"}]}');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': String(body.byteLength) },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const bytes = Buffer.concat(parts);
            response.writeHead(answer.statusCode ?? 502, {
              'content-type': answer.headers['content-type'] ?? 'application/json',
              'content-length': String(bytes.byteLength),
            });
            response.end(bytes);
          });
        },
      );
      forwarded.on('error', (error) => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ message: error.message }] }));
      });
      forwarded.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('close', () => agent.destroy());
  return server;
}

function main(): void {
  const targets = new Map(Object.entries(JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>));
  const server = createHopFloor(targets);
  server.listen(Number(process.env.PORT ?? 4300), process.env.HOST ?? '127.0.0.1');
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) main();
