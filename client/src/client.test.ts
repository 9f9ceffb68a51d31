// The client's transport rules against a real HTTP server on an OS-chosen port that answers as the
// gateway does; test/partner-sync.test.ts drives the client against the real gateway.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import packageJson from '../package.json';
import { createClient, GraphQLRequestError, isMutation, TransportError, type TypedDocument } from './client';
import { CreateProjectDocument, ProjectByKeyDocument } from './generated/graphql';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: { query: string; variables: Record<string, unknown> };
}

type Reply = (received: Received, response: http.ServerResponse) => void;

let server: http.Server;
let url: string;
let received: Received[];
let replies: Reply[];

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_received, response) => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Never answers: the client's timeout ends the attempt. */
const silence: Reply = () => undefined;

beforeEach(async () => {
  received = [];
  replies = [];
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Received['body'] };
      received.push(entry);
      (replies.shift() ?? json(500, { errors: [{ message: 'no reply left' }] }))(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const PROJECT_INPUT = { title: 't', summary: 's', kind: 'STUDY' as const, topics: [], startDate: '2026-01-01', regions: [] };
/** A mutation without $idempotencyKey: the server might run it twice if it were retried blindly. */
const UNKEYED = Object.assign(new String('mutation Unkeyed { changeSomething }'), {}) as unknown as TypedDocument<
  { changeSomething: boolean },
  Record<string, never>
>;

describe('createClient', () => {
  it('sends the operation text, its variables, the bearer token and the API key, and returns data', async () => {
    replies.push(json(200, { data: { project: null } }));
    const client = createClient({ url, token: 'a.b.c', apiKey: 'rg_key', retries: 0 });
    await expect(client.request(ProjectByKeyDocument, { id: 'P-2020-001' })).resolves.toEqual({ project: null });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toEqual({ query: ProjectByKeyDocument.toString(), variables: { id: 'P-2020-001' } });
    expect(received[0]!.headers).toEqual(
      expect.objectContaining({ authorization: 'Bearer a.b.c', 'x-api-key': 'rg_key', 'content-type': 'application/json' }),
    );
  });

  it('names itself in apollographql-client-name and -version: regiograph-client and its version, or as told', async () => {
    replies.push(json(200, { data: { project: null } }), json(200, { data: { project: null } }));
    await createClient({ url, retries: 0 }).request(ProjectByKeyDocument, { id: 'P-2020-001' });
    await createClient({ url, retries: 0, clientName: 'partner-sync', clientVersion: '2.3.4' }).request(ProjectByKeyDocument, {
      id: 'P-2020-001',
    });
    const names = received.map(({ headers }) => [headers['apollographql-client-name'], headers['apollographql-client-version']]);
    expect(packageJson.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(names).toEqual([
      ['regiograph-client', packageJson.version],
      ['partner-sync', '2.3.4'],
    ]);
  });

  it('throws GraphQL errors with their codes and keeps the partial data; execute returns both', async () => {
    const answer = {
      data: { project: null },
      errors: [{ message: 'No project P-1', path: ['project'], extensions: { code: 'NOT_FOUND' } }],
    };
    replies.push(json(200, answer), json(200, answer));
    const client = createClient({ url, retries: 0 });
    const error = (await client.request(ProjectByKeyDocument, { id: 'P-1' }).catch((caught: unknown) => caught)) as GraphQLRequestError;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect({ codes: error.codes, data: error.data, message: error.message }).toEqual({
      codes: ['NOT_FOUND'],
      data: { project: null },
      message: 'NOT_FOUND: No project P-1',
    });
    await expect(client.execute(ProjectByKeyDocument, { id: 'P-1' })).resolves.toEqual({ ...answer, status: 200 });
  });

  it('retries a query after 503 and after a 429 with Retry-After, then answers', async () => {
    replies.push(json(503, { errors: [{ message: 'busy', extensions: { code: 'OVERLOADED' } }] }, { 'retry-after': '0' }));
    replies.push(json(429, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { 'retry-after': '0' }));
    replies.push(json(200, { data: { project: null } }));
    const client = createClient({ url, retries: 2, retryDelayMs: 1 });
    await expect(client.request(ProjectByKeyDocument, { id: 'P-1' })).resolves.toEqual({ project: null });
    expect(received).toHaveLength(3);
  });

  it('gives up after the configured retries with a TransportError naming the last status', async () => {
    replies.push(json(502, {}), json(502, {}));
    const client = createClient({ url, retries: 1, retryDelayMs: 1 });
    const error = (await client.request(ProjectByKeyDocument, { id: 'P-1' }).catch((caught: unknown) => caught)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect({ status: error.status, attempts: error.attempts }).toEqual({ status: 502, attempts: 2 });
  });

  it('does not send again to a URL that answers with something other than GraphQL, and says to check the URL', async () => {
    replies.push((_received, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    const client = createClient({ url, retries: 3, retryDelayMs: 1 });
    const error = (await client.request(ProjectByKeyDocument, { id: 'P-1' }).catch((caught: unknown) => caught)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect({ status: error.status, attempts: error.attempts }).toEqual({ status: 404, attempts: 1 });
    expect(error.message).toContain(`is ${url} the gateway's GraphQL endpoint`);
    expect(received).toHaveLength(1);
  });

  it('does not send again to a URL that answers JSON other than GraphQL with 404 (the gateway at another path), and passes on its reason', async () => {
    // The gateway's own answer to a POST at any path but /graphql.
    replies.push(json(404, { error: 'Nothing at /nothere; GraphQL is served at /graphql.' }));
    const client = createClient({ url, retries: 3, retryDelayMs: 1 });
    const error = (await client.request(ProjectByKeyDocument, { id: 'P-1' }).catch((caught: unknown) => caught)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect({ status: error.status, attempts: error.attempts }).toEqual({ status: 404, attempts: 1 });
    expect(error.message).toBe(
      `HTTP 404, and the answer is not GraphQL ("Nothing at /nothere; GraphQL is served at /graphql."): is ${url} the gateway's GraphQL endpoint (…/graphql)? (after 1 attempt)`,
    );
    expect(received).toHaveLength(1);
  });

  it('names why a connection failed, not only that fetch failed', async () => {
    const closed = url;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const client = createClient({ url: closed, retries: 1, retryDelayMs: 1 });
    const error = (await client.request(ProjectByKeyDocument, { id: 'P-1' }).catch((caught: unknown) => caught)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toMatch(/^request failed: fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) \(after 2 attempts\)$/);
    // afterEach closes the server again.
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('gives a keyed mutation a fresh idempotency key and sends the same key again after a timeout', async () => {
    replies.push(silence, json(200, { data: { createProject: { project: null, errors: [] } } }));
    const client = createClient({ url, timeoutMs: 300, retries: 1, retryDelayMs: 1 });
    await expect(client.request(CreateProjectDocument, { input: PROJECT_INPUT })).resolves.toEqual({
      createProject: { project: null, errors: [] },
    });
    expect(received).toHaveLength(2);
    const [first, second] = received.map((entry) => entry.body.variables.idempotencyKey);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });

  it('keeps an idempotency key the caller gives', async () => {
    replies.push(json(200, { data: { createProject: { project: null, errors: [] } } }));
    await createClient({ url }).request(CreateProjectDocument, { input: PROJECT_INPUT, idempotencyKey: 'mine-1' });
    expect(received[0]!.body.variables.idempotencyKey).toBe('mine-1');
  });

  it('does not retry a mutation without idempotency key after a timeout (it may have run), but does after a 429 (it did not)', async () => {
    replies.push(silence);
    const client = createClient({ url, timeoutMs: 300, retries: 3, retryDelayMs: 1 });
    const error = (await client.request(UNKEYED).catch((caught: unknown) => caught)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect({ attempts: error.attempts, requests: received.length }).toEqual({ attempts: 1, requests: 1 });

    replies.push(
      json(429, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { 'retry-after': '0' }),
      json(200, { data: { changeSomething: true } }),
    );
    await expect(client.request(UNKEYED)).resolves.toEqual({ changeSomething: true });
    expect(received).toHaveLength(3);
  });

  it('sends a write again, even one without idempotency key, whose links could not be checked (nothing was written)', async () => {
    const refused = json(200, {
      data: null,
      errors: [
        {
          message:
            'The cooperations subgraph could not check this write’s references to Cooperation records (connection refused). Nothing was written; send it again.',
          path: ['changeSomething'],
          extensions: { code: 'REFERENCE_CHECK_UNAVAILABLE' },
        },
      ],
    });
    replies.push(refused, refused, json(200, { data: { changeSomething: true } }));
    const client = createClient({ url, retries: 3, retryDelayMs: 1 });
    await expect(client.request(UNKEYED)).resolves.toEqual({ changeSomething: true });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((entry) => JSON.stringify(entry.body))).size).toBe(1);

    // Still refused after the last attempt: the answer as it came, its code for the caller to act on.
    replies.push(refused, refused);
    const error = (await createClient({ url, retries: 1, retryDelayMs: 1 })
      .request(UNKEYED)
      .catch((caught: unknown) => caught)) as GraphQLRequestError;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect({ codes: error.codes, requests: received.length }).toEqual({ codes: ['REFERENCE_CHECK_UNAVAILABLE'], requests: 5 });
  });

  it('does not send a write again when other errors come with the refused check (they may mean it ran)', async () => {
    replies.push(
      json(200, {
        data: null,
        errors: [
          { message: 'Nothing was written; send it again.', extensions: { code: 'REFERENCE_CHECK_UNAVAILABLE' } },
          { message: 'Subgraph errors redacted', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
        ],
      }),
    );
    const client = createClient({ url, retries: 3, retryDelayMs: 1 });
    const error = (await client.request(UNKEYED).catch((caught: unknown) => caught)) as GraphQLRequestError;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect({ codes: error.codes, requests: received.length }).toEqual({
      codes: ['REFERENCE_CHECK_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE'],
      requests: 1,
    });
  });

  it('does not send a document again when one of its mutations was written and only another refused', async () => {
    replies.push(
      json(200, {
        data: { first: true, second: null },
        errors: [{ message: 'Nothing was written; send it again.', path: ['second'], extensions: { code: 'REFERENCE_CHECK_UNAVAILABLE' } }],
      }),
    );
    const client = createClient({ url, retries: 3, retryDelayMs: 1 });
    const result = await client.execute(UNKEYED);
    expect({ data: result.data, codes: result.errors.map((error) => error.extensions?.code), requests: received.length }).toEqual({
      data: { first: true, second: null },
      codes: ['REFERENCE_CHECK_UNAVAILABLE'],
      requests: 1,
    });
  });

  it('sends a mutation answer’s x-read-after-lsn back on later requests (reads its own writes on replicas)', async () => {
    replies.push(
      json(200, { data: { createProject: { project: null, errors: [] } } }, { 'x-read-after-lsn': '0/16B3748' }),
      json(200, { data: { project: null } }),
    );
    const client = createClient({ url });
    await client.request(CreateProjectDocument, { input: PROJECT_INPUT });
    await client.request(ProjectByKeyDocument, { id: 'P-1' });
    expect(received[0]!.headers['x-read-after-lsn']).toBeUndefined();
    expect(received[1]!.headers['x-read-after-lsn']).toBe('0/16B3748');
  });

  it('tells mutations from queries by the operation text', () => {
    expect([
      isMutation(CreateProjectDocument.toString()),
      isMutation(ProjectByKeyDocument.toString()),
      isMutation('# a comment\nmutation X { a }'),
    ]).toEqual([true, false, true]);
  });
});
