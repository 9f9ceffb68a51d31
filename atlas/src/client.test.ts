// The Atlas's requests against a real HTTP server on an OS-chosen port, standing in for the gateway
// that serves the Atlas at /atlas/ and GraphQL at /graphql.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import packageJson from '../package.json';
import { AtlasMapDocument } from './generated/graphql';

interface Received {
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: { query?: string; extensions?: unknown };
}

const received: Received[] = [];
/** The answers, in order: the first says the hash is unknown, so that the document itself follows. */
const answers = [{ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }, { data: {} }];

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ url: request.url, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Received['body'] });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers[received.length - 1]));
  });
});
let request: typeof import('./client').request;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The client finds /graphql from the page's base, read when it loads: as the gateway serves it.
  Object.assign(globalThis, { document: { baseURI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/atlas/` } });
  ({ request } = await import('./client'));
});

afterAll(async () => {
  Reflect.deleteProperty(globalThis, 'document');
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the Atlas's requests", () => {
  it('name the Atlas and its version (apollographql-client-name, -version), the persisted one and the document alike', async () => {
    await request(AtlasMapDocument, { indicator: 'population', year: 2023, area: '03', level: 'COUNTY' });
    expect(received.map(({ url, body }) => [url, body.query === undefined ? 'hash' : 'document'])).toEqual([
      ['/graphql', 'hash'],
      ['/graphql', 'document'],
    ]);
    for (const { headers } of received) {
      expect([headers['apollographql-client-name'], headers['apollographql-client-version']]).toEqual([
        'regiograph-atlas',
        packageJson.version,
      ]);
    }
  });
});
