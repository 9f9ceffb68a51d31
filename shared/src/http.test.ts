import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { ApolloServer } from '@apollo/server';
import {
  apolloDocumentOptions,
  DEFAULT_DOCUMENT_LIMITS,
  MAX_DOCUMENT_NESTING,
  MAX_VALIDATION_ERRORS,
  readDocumentLimits,
  type DocumentLimits,
} from './document-limits';
import { answerBytesPlaceholder, answerChunks, createGraphQLHttpServer, type RunningServer } from './http';
import { createLogger } from './logger';
import { publicAnswersPlugin } from './testing/public-answers';

let running: RunningServer;
let ready = true;

beforeAll(async () => {
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'moin' } } });
  await apollo.start();
  running = await createGraphQLHttpServer({
    apollo,
    documentLimits: DEFAULT_DOCUMENT_LIMITS,
    context: async () => ({}),
    maxBodyBytes: 1000,
    corsOrigins: ['https://app.example'],
    readiness: async () => ({ ready, checks: { database: ready ? 'ok' : 'down' } }),
  }).listen(0);
});

afterAll(async () => {
  await running.close();
});

const errorCode = async (response: Response) =>
  ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(running.url, { method: 'POST', headers, body });

describe('createGraphQLHttpServer', () => {
  it('answers a query', async () => {
    const response = await post(JSON.stringify({ query: '{ hello }' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'moin' } });
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const response = await post(JSON.stringify({ query: `{ hello }${' '.repeat(2000)}` }));
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('closes the connection after refusing a body too large, declared or sent in chunks', async () => {
    /** Posts the chunks with node:http (fetch cannot send a declared length it does not send). */
    const rawPost = (chunks: string[], headers: Record<string, string> = {}) =>
      new Promise<{ status: number; connection: string | undefined; code: string | undefined }>((resolve, reject) => {
        const request = http.request(
          running.url,
          { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => {
              const { errors } = JSON.parse(body) as { errors: { extensions: { code: string } }[] };
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, code: errors[0]?.extensions.code });
            });
          },
        );
        request.on('error', reject);
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    const refused = { status: 413, connection: 'close', code: 'PAYLOAD_TOO_LARGE' };
    // Chunked (no length declared), 3,300 bytes, well past the 1,000-byte limit. In one write: bytes
    // still arriving after the server closed would make its kernel answer with a reset, which can
    // overtake the 413 at the client.
    expect(await rawPost([`{"query": "{ hello }${' '.repeat(3280)}"}`])).toEqual(refused);
    // A declared length past the limit is refused before any of the body is read (a client could declare gigabytes).
    expect(await rawPost(['{"query": "{ hello }'], { 'content-length': '5000000' })).toEqual(refused);
  });

  it('refuses invalid JSON with 400 and a GraphQL-shaped error', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('BAD_REQUEST');
  });

  it('refuses a body that is not UTF-8 with 400, instead of passing replacement characters on', async () => {
    // "\xff" and a lone continuation byte inside a string value: valid JSON bytes, but not UTF-8.
    const bytes = Buffer.concat([
      Buffer.from('{"query": "{ hello }", "variables": {"code": "'),
      Buffer.from([0xff, 0x28, 0x80]),
      Buffer.from('"}}'),
    ]);
    const response = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toEqual({ message: 'The request body is not valid UTF-8.', extensions: { code: 'BAD_REQUEST' } });
    // Text beyond ASCII, sent as UTF-8, is fine.
    expect((await post(JSON.stringify({ query: '{ hello }', variables: { name: 'Göttingen ✓' } }))).status).toBe(200);
  });

  it('refuses a compressed body with 415 naming the encoding, not as invalid JSON', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: gzipSync('{"query":"{ hello }"}'),
      });
      expect(response.status).toBe(415);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]).toEqual({
        message: `Compressed request bodies (content-encoding: ${encoding}) are not accepted: send the body uncompressed.`,
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
    }
    // Saying it is not compressed is fine.
    const identity = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: '{"query":"{ hello }"}',
    });
    expect(identity.status).toBe(200);
  });

  it('serves liveness and readiness, readiness reflecting the check', async () => {
    expect((await fetch(running.url.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(running.url.replace('/graphql', '/ready'))).status).toBe(200);
    ready = false;
    const notReady = await fetch(running.url.replace('/graphql', '/ready'));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', database: 'down' });
    ready = true;
  });

  it('allows configured origins only', async () => {
    const allowed = await post(JSON.stringify({ query: '{ hello }' }), {
      'content-type': 'application/json',
      origin: 'https://app.example',
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await post(JSON.stringify({ query: '{ hello }' }), {
      'content-type': 'application/json',
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(running.url, { method: 'OPTIONS', headers: { origin: 'https://app.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('lets a page of an allowed origin send the headers browser clients send and read the ones it needs', async () => {
    // Apollo Client and the Apollo CSRF check (x-apollo-operation-name, apollographql-client-*), the
    // typed client's read-your-writes header and a browser's trace context.
    const requested = [
      'content-type',
      'authorization',
      'x-api-key',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
      'x-read-after-lsn',
      'x-request-id',
      'traceparent',
      'tracestate',
    ];
    const preflight = await fetch(running.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': requested.join(','),
      },
    });
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    expect(requested.filter((header) => !allowed.includes(header))).toEqual([]);
    const answer = await post(JSON.stringify({ query: '{ hello }' }), {
      'content-type': 'application/json',
      origin: 'https://app.example',
    });
    // Without these a page cannot quote the request id, honour Retry-After or read its own writes.
    expect((answer.headers.get('access-control-expose-headers') ?? '').split(/,\s*/).sort()).toEqual([
      'retry-after',
      'x-cache',
      'x-read-after-lsn',
      'x-request-id',
    ]);
  });

  it('tells caches that every answer depends on the Origin, also one to a request without it', async () => {
    // A shared cache that kept the answer to a request without Origin (so without allow-origin) must
    // not hand it to a browser page, nor one page's allow-origin to another's.
    for (const headers of [{}, { origin: 'https://app.example' }, { origin: 'https://evil.example' }] as Record<string, string>[]) {
      const answer = await fetch(`${running.url}?query=${encodeURIComponent('{ hello }')}`, {
        headers: { 'apollo-require-preflight': 'true', ...headers },
      });
      expect({ headers, status: answer.status, vary: answer.headers.get('vary') }).toEqual({ headers, status: 200, vary: 'Origin' });
    }
  });

  it('answers any origin alike when every origin is allowed, with or without an Origin header', async () => {
    const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'moin' } } });
    await apollo.start();
    const open = await createGraphQLHttpServer({
      apollo,
      documentLimits: DEFAULT_DOCUMENT_LIMITS,
      context: async () => ({}),
      corsOrigins: '*',
    }).listen(0);
    try {
      for (const headers of [{}, { origin: 'https://app.example' }] as Record<string, string>[]) {
        const answer = await fetch(open.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"query":"{ hello }"}',
        });
        expect({ headers, allowOrigin: answer.headers.get('access-control-allow-origin') }).toEqual({ headers, allowOrigin: '*' });
      }
    } finally {
      await open.close();
    }
  });

  it('revalidates a cacheable GET answer by its ETag with 304 and no body', async () => {
    // What the gateway's response cache marks public; a browser asks again after max-age with If-None-Match.
    const apollo = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'moin' } },
      plugins: [publicAnswersPlugin()],
    });
    await apollo.start();
    const cached = await createGraphQLHttpServer({ apollo, documentLimits: DEFAULT_DOCUMENT_LIMITS, context: async () => ({}) }).listen(0);
    const url = `${cached.url}?query=${encodeURIComponent('{ hello }')}`;
    const headers = { 'apollo-require-preflight': 'true' };
    try {
      const first = await fetch(url, { headers });
      const etag = first.headers.get('etag');
      expect({ status: first.status, etag, body: await first.json() }).toEqual({
        status: 200,
        etag: expect.stringMatching(/^"[\w-]{16,}"$/),
        body: { data: { hello: 'moin' } },
      });
      const again = await fetch(url, { headers: { ...headers, 'if-none-match': `"other", ${etag}` } });
      expect({
        status: again.status,
        etag: again.headers.get('etag'),
        cacheControl: again.headers.get('cache-control'),
        body: await again.text(),
      }).toEqual({
        status: 304,
        etag,
        cacheControl: 'public, max-age=300',
        body: '',
      });
      expect((await fetch(url, { headers: { ...headers, 'if-none-match': '"other"' } })).status).toBe(200);
      // A POST is not kept by HTTP caches: no ETag to compare.
      const posted = await fetch(cached.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ hello }"}',
      });
      expect(posted.headers.get('etag')).toBeNull();
    } finally {
      await cached.close();
    }
  });

  it('lets a page of an allowed origin read the answers of the further routes too (the CSV export)', async () => {
    const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'moin' } } });
    await apollo.start();
    const withRoute = await createGraphQLHttpServer({
      apollo,
      documentLimits: DEFAULT_DOCUMENT_LIMITS,
      context: async () => ({}),
      corsOrigins: ['https://app.example'],
      routes: {
        '/export/observations.csv': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
          response.end('region_code\r\n');
        },
      },
    }).listen(0);
    try {
      const csv = await fetch(withRoute.url.replace('/graphql', '/export/observations.csv'), {
        headers: { origin: 'https://app.example' },
      });
      expect({ status: csv.status, allowOrigin: csv.headers.get('access-control-allow-origin'), vary: csv.headers.get('vary') }).toEqual({
        status: 200,
        allowOrigin: 'https://app.example',
        vary: 'Origin',
      });
    } finally {
      await withRoute.close();
    }
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(running.url.replace('/graphql', '/nope'))).status).toBe(404);
    const put = await fetch(running.url, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
  });
});

describe('hostile query documents', () => {
  // As the gateway and every subgraph build theirs: with the shared document options, behind the
  // shared HTTP server and its default body limit (1 MB), as a subgraph is when called directly.
  let server: RunningServer;
  const serve = async (documentLimits: DocumentLimits): Promise<RunningServer> => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { hello(x: [[[[String]]]]): String }',
      ...apolloDocumentOptions(documentLimits),
    });
    await apollo.start();
    return createGraphQLHttpServer({ apollo, documentLimits, context: async () => ({}) }).listen(0);
  };
  beforeAll(async () => {
    server = await serve(DEFAULT_DOCUMENT_LIMITS);
  });
  afterAll(async () => {
    await server.close();
  });

  type Answer = { status: number; errors: { message: string; extensions: Record<string, unknown> }[] };
  const ask = async (query: string, url = server.url): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const { errors } = (await response.json()) as Pick<Answer, 'errors'>;
    return { status: response.status, errors };
  };
  const tooDeep = {
    status: 400,
    errors: [
      {
        message: `The document nests braces and brackets more than ${MAX_DOCUMENT_NESTING} levels deep; at most ${MAX_DOCUMENT_NESTING} are allowed.`,
        extensions: { code: 'QUERY_TOO_DEEP', limit: MAX_DOCUMENT_NESTING },
      },
    ],
  };

  it('refuses selections, lists and objects nested past the limit with QUERY_TOO_DEEP, not a stack overflow', async () => {
    // Each of these overflowed graphql-js's recursive parser ("Maximum call stack size exceeded").
    expect(await ask(`{${'a{'.repeat(20_000)}b${'}'.repeat(20_000)}}`)).toEqual(tooDeep);
    expect(await ask(`{ hello(x: ${'['.repeat(20_000)}"x"${']'.repeat(20_000)}) }`)).toEqual(tooDeep);
    expect(await ask(`{ hello(x: ${'{a:'.repeat(20_000)}1${'}'.repeat(20_000)}) }`)).toEqual(tooDeep);
    expect(await ask(`{${'... on Query {'.repeat(20_000)}hello${'}'.repeat(20_000)}}`)).toEqual(tooDeep);
    // Also as a GET and in a batch.
    // (Unencoded: brackets may stand in a query string, and Node takes at most 16 KB of headers.)
    const get = await fetch(`${server.url}?query={hello(x:${'['.repeat(3_000)}1${']'.repeat(3_000)})}`);
    expect({ status: get.status, errors: ((await get.json()) as Pick<Answer, 'errors'>).errors }).toEqual(tooDeep);
    const batch = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ hello }' }, { query: `{${'a{'.repeat(20_000)}b${'}'.repeat(20_000)}}` }]),
    });
    expect({ status: batch.status, errors: ((await batch.json()) as Pick<Answer, 'errors'>).errors }).toEqual(tooDeep);
    // The server stays healthy.
    expect(await ask('{ hello }')).toEqual({ status: 200, errors: undefined });
  });

  it('counts braces and brackets as the parser reads them: at the limit is parsed, in strings and comments is text', async () => {
    const atLimit = await ask(`{ hello(x: ${'['.repeat(MAX_DOCUMENT_NESTING - 1)}"x"${']'.repeat(MAX_DOCUMENT_NESTING - 1)}) }`);
    expect(atLimit.errors.map((error) => error.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // Many brackets side by side nest no deeper than one.
    expect(await ask(`{ ${'hello(x: [["x"]]) '.repeat(2 * MAX_DOCUMENT_NESTING)}}`)).toEqual({ status: 200, errors: undefined });
    const braces = '{['.repeat(5_000);
    expect(await ask(`{ hello(x: "${braces}") # ${braces}\n }`)).toEqual({ status: 200, errors: undefined });
    // Unbalanced: left to the parser's syntax error.
    expect((await ask(`{ hello(x: ${'['.repeat(50)}) }`)).errors[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a document full of mistakes with a few validation errors and says that more were left out', async () => {
    const repeated = await ask(`${'query A { hello } '.repeat(200)}`);
    expect(repeated.status).toBe(400);
    expect(repeated.errors).toHaveLength(MAX_VALIDATION_ERRORS + 1);
    expect(repeated.errors.at(-1)?.message).toBe('Too many validation errors, error limit reached. Validation aborted.');
    expect((await ask(`{${' nope'.repeat(200)} }`)).errors).toHaveLength(MAX_VALIDATION_ERRORS + 1);
  });

  it('holds the limits MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS set, as every process reads them', async () => {
    const lowered = await serve(readDocumentLimits({ MAX_DOCUMENT_NESTING: '5', MAX_VALIDATION_ERRORS: '2' }));
    try {
      // Six levels: within the default of 100, over the 5 set.
      expect(await ask(`{ hello(x: [[[[["x"]]]]]) }`, lowered.url)).toEqual({
        status: 400,
        errors: [
          {
            message: 'The document nests braces and brackets more than 5 levels deep; at most 5 are allowed.',
            extensions: { code: 'QUERY_TOO_DEEP', limit: 5 },
          },
        ],
      });
      expect((await ask(`{ hello(x: [[["x"]]]) }`, lowered.url)).status).toBe(200);
      const mistakes = await ask(`{${' nope'.repeat(20)} }`, lowered.url);
      expect(mistakes.errors).toHaveLength(3);
      expect(mistakes.errors.at(-1)?.message).toBe('Too many validation errors, error limit reached. Validation aborted.');
    } finally {
      await lowered.close();
    }
  });
});

describe('a request that fails inside the server', () => {
  it('answers 500 without details and logs the error with the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }' });
    await apollo.start();
    const failing = await createGraphQLHttpServer({
      apollo,
      documentLimits: DEFAULT_DOCUMENT_LIMITS,
      context: async () => ({}),
      // A route that throws: an unexpected error outside Apollo's own error handling.
      routes: {
        '/broken': () => {
          throw new Error('database exploded');
        },
      },
      logger: createLogger('test', { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    }).listen(0);
    try {
      const response = await fetch(new URL('/broken', failing.url), { headers: { 'x-request-id': 'req-500' } });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('database exploded');
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'request failed',
          requestId: 'req-500',
          path: '/broken',
          error: 'database exploded',
        }),
      );
    } finally {
      await failing.close();
    }
  });
});

describe('answers holding bytes (answerBytesPlaceholder)', () => {
  // As the gateway does with the offload worker's results: the data's JSON arrives as UTF-8 bytes
  // and is written in place of a placeholder, never decoded.
  const typeDefs = 'type Region { code: String, name: String } type Query { regions(count: Int!): [Region] }';
  const names = ['Göttingen', 'Oldenburg (Oldb) – Weser-Ems', 'Emsland \u2028 😀', 'plain'];
  const regions = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ code: `03${index}`, name: names[index % names.length] }));
  const placeholders: (string | undefined)[] = [];

  async function serve(maxResponseBytes?: number) {
    const apollo = new ApolloServer({
      typeDefs,
      resolvers: { Query: { regions: (_: unknown, { count }: { count: number }) => regions(count) } },
      stringifyResult: (result) => {
        const placeholder = answerBytesPlaceholder(Buffer.from(JSON.stringify(result.data)));
        placeholders.push(placeholder);
        return placeholder ? `{"data":${placeholder}}\n` : JSON.stringify(result) + '\n';
      },
    });
    await apollo.start();
    return createGraphQLHttpServer({ apollo, documentLimits: DEFAULT_DOCUMENT_LIMITS, context: async () => ({}), maxResponseBytes }).listen(
      0,
    );
  }

  it('writes the bytes in place of their placeholder, with the content length of the bytes written', async () => {
    const server = await serve();
    try {
      for (const count of [1, 3000]) {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ regions(count: ${count}) { code name } }` }),
        });
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(response.status).toBe(200);
        expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
        expect(bytes.toString('utf8')).toBe(JSON.stringify({ data: { regions: regions(count) } }) + '\n');
      }
      expect(placeholders.at(-1)).toBe('\u00000\u0000');
    } finally {
      await server.close();
    }
  });

  it('counts the bytes, not the placeholder, against the answer size limit', async () => {
    const limit = 10_000;
    const server = await serve(limit);
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ regions(count: 500) { code name } }' }),
      });
      const body = (await response.json()) as { errors: { extensions: { code: string; limit: number } }[] };
      expect(body.errors[0]?.extensions).toEqual({ code: 'RESPONSE_TOO_LARGE', limit });
    } finally {
      await server.close();
    }
  });

  it('gives no placeholder outside a request it serves', () => {
    expect(answerBytesPlaceholder(Buffer.from('{}'))).toBeUndefined();
  });

  it('puts each piece in its own place, the text around them encoded', () => {
    const pieces = [Buffer.from('{"a":"ä"}'), Buffer.from('[1]')];
    const chunks = answerChunks('[{"x":\u00001\u0000},\u00000\u0000,"ü"]', pieces);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('[{"x":[1]},{"a":"ä"},"ü"]');
    expect(Buffer.concat(answerChunks('{"data":"Göttingen"}', [])).toString('utf8')).toBe('{"data":"Göttingen"}');
  });
});
