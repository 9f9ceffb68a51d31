// A catalogue of hostile and malformed requests against a production-mode gateway: each gets a
// clear error with a stable code, none reaches a subgraph, and the gateway keeps serving.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createLogger, DEVELOPMENT_AUTH_SECRET } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { startStack, type ExtraGateway, type Stack } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-signing';

let stack: Stack;
let production: ExtraGateway;

beforeAll(async () => {
  stack = await startStack();
  production = await stack.startGateway({
    env: {
      NODE_ENV: 'production',
      AUTH_SECRET: SECRET,
      RATE_LIMIT_REQUESTS: '1000000',
      RATE_LIMIT_COST_POINTS: '1000000000',
      RESPONSE_CACHE: 'false',
      WATCH_SUPERGRAPH: 'false',
      GATEWAY_MAX_BODY_BYTES: '20000',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

interface HostileRequest {
  name: string;
  method?: string;
  contentType?: string;
  headers?: Record<string, string>;
  body?: string;
  search?: string;
  status: number;
  code: string;
  /** What the message must say, where the code alone does not tell the client what to change. */
  message?: RegExp;
  /** How many errors the answer holds, where a client could make it hold many. */
  errors?: number;
}

const json = (payload: unknown) => JSON.stringify(payload);
const query = (text: string, extra: Record<string, unknown> = {}) => json({ query: text, ...extra });

const nested = (field: string, depth: number) =>
  `{ region(code: "031010000000") { ${`${field} { `.repeat(depth)}code${' }'.repeat(depth)} } }`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: region(code: "03") { name }`).join(' ')} }`;
const validToken = testToken({ sub: 'tester', name: 'Tester' }, { secret: SECRET });

const CATALOGUE: HostileRequest[] = [
  { name: 'deep nesting through parent', body: query(nested('parent', 20)), status: 400, code: 'QUERY_TOO_DEEP' },
  {
    name: 'deep nesting through district and parent',
    body: query(`{ region(code: "031010000000") { ${'district { parent { '.repeat(8)}code${' } }'.repeat(8)} } }`),
    status: 400,
    code: 'QUERY_TOO_DEEP',
  },
  {
    name: 'nested lists (cost multiplies)',
    body: query(`{ region(code: "03") { ${'children { '.repeat(6)}code${' }'.repeat(6)} } }`),
    status: 400,
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'deep nesting hidden in fragments',
    body: query(
      `{ region(code: "03") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...C } } fragment C on Region { ${'parent { '.repeat(12)}code${' }'.repeat(12)} }`,
    ),
    status: 400,
    code: 'QUERY_TOO_DEEP',
  },
  {
    // Within the token limit, but deeper than graphql-js's recursive parser reaches: it answered
    // "Maximum call stack size exceeded".
    name: 'list literal nested 2,500 levels deep',
    body: query(`{ regionsByCodes(codes: ${'['.repeat(2500)}"03"${']'.repeat(2500)}) { code } }`),
    status: 400,
    code: 'QUERY_TOO_DEEP',
    message: /nests braces and brackets more than 100 levels deep/,
  },
  {
    name: 'the same unknown field 300 times (an error each)',
    body: query(`{ ${'nope '.repeat(300)}}`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    errors: 11,
  },
  {
    name: 'the same operation name 100 times',
    body: query('query A { __typename } '.repeat(100)),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    errors: 11,
  },
  { name: 'alias flood', body: query(aliases(100)), status: 400, code: 'TOO_MANY_ALIASES' },
  {
    name: 'alias flood inside a fragment',
    body: query(
      `{ region(code: "03") { ...F } } fragment F on Region { ${Array.from({ length: 60 }, (_, i) => `n${i}: name`).join(' ')} }`,
    ),
    status: 400,
    code: 'TOO_MANY_ALIASES',
  },
  {
    name: 'fragment cycle',
    body: query('{ region(code: "03") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...A } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'fragment spreading itself',
    body: query('{ region(code: "03") { ...A } } fragment A on Region { name ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'directive flood',
    body: query(`{ region(code: "03") { ${'name @include(if: true) '.repeat(40)} } }`),
    status: 400,
    code: 'TOO_MANY_DIRECTIVES',
  },
  { name: 'token flood', body: query(`{ region(code: "03") { ${'name '.repeat(3000)} } }`), status: 400, code: 'TOO_MANY_TOKENS' },
  {
    name: 'body larger than the limit',
    body: query(`{ region(code: "03") { name } } # ${'x'.repeat(30_000)}`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'batched operations',
    body: json([{ query: '{ region(code: "03") { name } }' }, { query: '{ region(code: "031") { name } }' }]),
    status: 400,
    code: 'BAD_REQUEST',
    message: /one operation per request, not a batch \(this one has 2\)/,
  },
  { name: 'invalid JSON', body: '{"query": "{ region(code: \\"03\\") { name } }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON that is not an object', body: '"{ region(code: \\"03\\") { name } }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'wrong content type', contentType: 'text/plain', body: '{ region(code: "03") { name } }', status: 400, code: 'BAD_REQUEST' },
  {
    name: 'form-encoded body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'query=%7B%20region%20%7D',
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'missing query', body: json({ variables: {} }), status: 400, code: 'BAD_REQUEST' },
  { name: 'query that is not a string', body: json({ query: 42 }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'variables that are not an object',
    body: json({ query: 'query ($c: ID!) { region(code: $c) { name } }', variables: '03' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'syntax error', body: query('{ region(code: "03" { name }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'unknown field, with no suggestion leaked',
    body: query('{ region(code: "03") { nam } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'introspection in production', body: query('{ __schema { types { name } } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'variable of the wrong type',
    body: json({ query: 'query ($c: ID!) { region(code: $c) { name } }', variables: { c: { nested: true } } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'impossible calendar date in a variable',
    body: json({
      query: 'query ($d: Date!) { cooperations(first: 1) { nodes { activeOn(date: $d) } } }',
      variables: { d: '2023-02-30' },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'impossible calendar date as a literal',
    body: query('{ cooperations(first: 1) { nodes { activeOn(date: "2023-02-30") } } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'moment without a time zone',
    body: json({
      query: 'query ($t: DateTime) { projects(first: 1, updatedSince: $t) { nodes { id } } }',
      variables: { t: '2026-12-01T10:00:00' },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'NUL character in a variable (PostgreSQL cannot store or compare it)',
    body: json({ query: 'query ($id: ID!) { project(id: $id) { title } }', variables: { id: 'P\u0000' } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'unpaired surrogate in a variable (stored, it would become U+FFFD)',
    body: json({ query: 'query ($id: ID!) { project(id: $id) { title } }', variables: { id: 'P\ud800' } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'persisted query of a version other than 1',
    body: json({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'ab' } } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'NUL character in a string literal',
    body: query('{ cooperation(id: "C\\u0000") { name } }'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'missing required variable',
    body: json({ query: 'query ($c: ID!) { region(code: $c) { name } }' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'unknown operation name',
    body: query('query A { region(code: "03") { name } }', { operationName: 'B' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'several operations without a name',
    body: query('query A { region(code: "03") { name } } query B { region(code: "031") { name } }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  { name: 'subscription', body: query('subscription { region(code: "03") { name } }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'mutation over GET',
    method: 'GET',
    search: `?query=${encodeURIComponent('mutation { __typename }')}`,
    headers: { 'apollo-require-preflight': 'true' },
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'GET without preflight header (CSRF)',
    method: 'GET',
    search: `?query=${encodeURIComponent('{ region(code: "03") { name } }')}`,
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'PUT', method: 'PUT', body: query('{ region(code: "03") { name } }'), status: 405, code: 'METHOD_NOT_ALLOWED' },
  {
    name: 'estimated cost too high',
    body: query('{ regions(first: 1000) { nodes { children { children { descendants { name } } } } } }'),
    status: 400,
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'cost through variables',
    body: json({
      query: 'query ($n: Int) { regions(first: $n) { nodes { descendants { descendants { code } } } } }',
      variables: { n: 1000 },
    }),
    status: 400,
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'unknown persisted query hash',
    body: json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'persisted query whose hash does not match',
    body: json({ query: '{ region(code: "03") { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    status: 400,
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
  },
  {
    name: 'forged token',
    headers: {
      authorization: `Bearer ${testToken({ sub: 'x', name: 'X', scopes: ['projects:write'] }, { secret: DEVELOPMENT_AUTH_SECRET })}`,
    },
    body: query('{ region(code: "03") { name } }'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'expired token',
    headers: {
      authorization: `Bearer ${testToken({ sub: 'x', name: 'X' }, { secret: SECRET, issuedAt: 1_600_000_000, expiresIn: 60 })}`,
    },
    body: query('{ region(code: "03") { name } }'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'malformed authorization header',
    headers: { authorization: 'Bearer not.a.jwt' },
    body: query('{ region(code: "03") { name } }'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'oversized pagination (estimated at the gateway)',
    body: query('{ regions(first: 100000) { nodes { code } } }'),
    status: 400,
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'oversized pagination (checked by the subgraph)',
    body: query('{ regions(first: 100000) { totalCount } }'),
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'bulk lookup beyond its limit',
    body: json({
      query: 'query ($c: [ID!]!) { regionsByCodes(codes: $c) { code } }',
      variables: { c: Array.from({ length: 1001 }, () => '03') },
    }),
    status: 200,
    code: 'TOO_MANY_ITEMS',
  },
  { name: 'malformed region code', body: query('{ region(code: "DROP TABLE regions") { name } }'), status: 200, code: 'BAD_USER_INPUT' },
  {
    name: 'compressed body (it would read as invalid JSON)',
    headers: { 'content-encoding': 'gzip' },
    body: query('{ region(code: "03") { name } }'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /content-encoding: gzip.*send the body uncompressed/,
  },
  {
    name: 'the same field a thousand times (graphql-js gives up comparing them)',
    body: query(`{ region(code: "03") { ${'name '.repeat(1000)} } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /too many fields in one selection .* Ask for each field once/,
  },
];

describe('a production gateway under hostile requests', () => {
  it('has at least 30 cases in its catalogue', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CATALOGUE)('refuses $name with $status / $code', async (request) => {
    for (const subgraph of Object.values(stack.subgraphs)) subgraph.counter.reset();
    const response = await fetch(production.url + (request.search ?? ''), {
      method: request.method ?? 'POST',
      headers: { ...(request.body !== undefined ? { 'content-type': request.contentType ?? 'application/json' } : {}), ...request.headers },
      body: request.method === 'GET' ? undefined : request.body,
    });
    const text = await response.text();
    const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: request.status, code: request.code });
    expect(body.errors?.[0]?.message.length).toBeGreaterThan(10);
    if (request.message) expect(body.errors?.[0]?.message).toMatch(request.message);
    if (request.errors !== undefined) {
      expect(body.errors).toHaveLength(request.errors);
      expect(body.errors?.at(-1)?.message).toBe('Too many validation errors, error limit reached. Validation aborted.');
    }
    // Nothing internal leaks: no stack traces, no suggestions of field names.
    expect(text).not.toMatch(/stacktrace|at .+\.js:\d+|Did you mean/);
    // Refused at the gateway: only arguments the subgraphs themselves judge may reach them.
    if (response.status !== 200) {
      expect(Object.values(stack.subgraphs).map((subgraph) => subgraph.counter.count)).toEqual(Object.values(stack.subgraphs).map(() => 0));
    }
  });

  it('still answers ordinary queries after all of that, also with a valid token', async () => {
    const anonymous = await production.query<{ region: { name: string } }>('{ region(code: "034") { name } }');
    expect(anonymous).toMatchObject({ status: 200, data: { region: { name: 'Weser-Ems' } } });
    const signedIn = await production.query('{ region(code: "033") { name } }', undefined, { authorization: `Bearer ${validToken}` });
    expect(signedIn).toMatchObject({ status: 200, data: { region: { name: 'Lüneburg' } } });
  });

  it('counts what it refused and what it fetched in its Prometheus metrics', async () => {
    const response = await fetch(production.url.replace(/\/graphql$/, '/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = await response.text();
    // Also those refused before Apollo Server saw them: a body too large or malformed, a method not taken.
    for (const code of [
      'QUERY_TOO_DEEP',
      'TOO_MANY_ALIASES',
      'QUERY_TOO_COSTLY',
      'GRAPHQL_PARSE_FAILED',
      'PAYLOAD_TOO_LARGE',
      'BAD_REQUEST',
      'METHOD_NOT_ALLOWED',
      // Refused while the request's context was built (a bad bearer token), before any plugin ran.
      'UNAUTHENTICATED',
    ]) {
      expect(metrics).toMatch(new RegExp(`regiograph_gateway_errors_total\\{code="${code}"\\} [1-9]`));
    }
    // Every hostile request above was the client's fault: none counts as an internal error.
    expect(metrics).not.toMatch(/regiograph_gateway_errors_total\{code="INTERNAL_SERVER_ERROR"\}/);
    expect(metrics).toMatch(/regiograph_gateway_requests_total\{operation="query",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/regiograph_gateway_request_duration_seconds_bucket\{le="0.1",operation="query"\}/);
    expect(metrics).toMatch(/regiograph_gateway_subgraph_fetch_duration_seconds_count\{subgraph="regions",outcome="ok"\} [1-9]/);
  });

  it('runs an automatic persisted query once it was registered by hash', async () => {
    const text = '{ region(code: "032") { name } }';
    const sha256Hash = createHash('sha256').update(text).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const post = (body: unknown) =>
      fetch(production.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) =>
        r.json(),
      );
    expect(await post({ extensions })).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    // extensions.cost: what the answer cost, by the gateway's demand control (one object).
    const answer = { data: { region: { name: 'Leine-Weser' } }, extensions: { cost: { estimated: 1, actual: 1, limit: 100_000 } } };
    expect(await post({ query: text, extensions })).toEqual(answer);
    expect(await post({ extensions })).toEqual(answer);
  });
});

describe('rate limits count a client by its address', () => {
  // Under REDIS_URL every gateway of this file counts in one Redis: these start from zero.
  const OWN_COUNTERS = () => ({ REDIS_KEY_PREFIX: `${stack.redisKeyPrefix}rate-by-address-${randomUUID()}:` });

  const ask = (gateway: ExtraGateway, headers: Record<string, string>) =>
    gateway.query('{ region(code: "03") { name } }', undefined, headers).then((answer) => answer.status);

  it('ignores x-api-key and X-Forwarded-For that nothing verifies: made-up names get no allowance of their own', async () => {
    const gateway = await stack.startGateway({
      env: {
        ...OWN_COUNTERS(),
        API_KEYS_DATABASE_URL: 'off',
        RATE_LIMIT_REQUESTS: '2',
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
      },
    });
    const statuses = [];
    for (const name of ['a', 'b', 'c'])
      statuses.push(await ask(gateway, { 'x-api-key': `made-up-${name}`, 'x-forwarded-for': `10.9.9.${name.length}` }));
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('behind one trusted proxy, counts by the address the proxy appended, whatever the client wrote before it', async () => {
    const gateway = await stack.startGateway({
      env: { ...OWN_COUNTERS(), TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_REQUESTS: '2', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
    });
    const first = [];
    for (const written of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) first.push(await ask(gateway, { 'x-forwarded-for': `${written}, 10.0.0.1` }));
    expect(first).toEqual([200, 200, 429]);
    // Another client behind the same proxy keeps its own allowance.
    expect(await ask(gateway, { 'x-forwarded-for': '10.0.0.2' })).toBe(200);
    // A request that did not pass the proxy (no header) is charged to its own connection's address.
    expect(await ask(gateway, {})).toBe(200);
  });

  it("logs a client it refuses once per window, with its address's pseudonym, the limit and the Retry-After, however many requests it floods with", async () => {
    const lines: Record<string, unknown>[] = [];
    const clientIdKey = `a-client-id-key-for-this-test-${randomUUID()}`;
    const gateway = await stack.startGateway({
      // A day's window: the flood below cannot straddle two windows, each of which would be said once.
      env: {
        ...OWN_COUNTERS(),
        GATEWAY_CLIENT_ID_KEY: clientIdKey,
        TRUSTED_PROXY_HOPS: '1',
        RATE_LIMIT_REQUESTS: '2',
        RATE_LIMIT_WINDOW_SECONDS: '86400',
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
      },
      logger: createLogger('gateway', { level: 'warn', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    });
    const retryAfters: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5' },
        body: JSON.stringify({ query: '{ region(code: "03") { name } }' }),
      });
      if (response.status === 429) retryAfters.push(Number(response.headers.get('retry-after')));
    }
    expect(retryAfters).toHaveLength(10);
    expect(lines.filter((line) => line.message === 'rate limited')).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        service: 'gateway',
        message: 'rate limited',
        limiter: 'ratelimit',
        // docs/privacy.md: the first 32 hex digits of the address's HMAC-SHA-256 under GATEWAY_CLIENT_ID_KEY.
        client: `ip:${createHmac('sha256', clientIdKey).update('203.0.113.5').digest('hex').slice(0, 32)}`,
        limit: 2,
        windowSeconds: 86400,
        retryAfterSeconds: retryAfters[0],
      },
    ]);
  });

  it('counts an IPv6 client by its /64, and an address with a port or mapped into IPv6 as that address', async () => {
    const gateway = await stack.startGateway({
      env: { ...OWN_COUNTERS(), TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_REQUESTS: '2', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
    });
    const statuses = async (addresses: string[]) => {
      const answers = [];
      for (const address of addresses) answers.push(await ask(gateway, { 'x-forwarded-for': address }));
      return answers;
    };
    // A host picks any address of its /64 (privacy addresses): counted per address, it had 2^64 allowances.
    expect(await statuses(['2001:db8:7:7::1', '2001:db8:7:7::2', '2001:db8:7:7:abcd::3'])).toEqual([200, 200, 429]);
    expect(await statuses(['2001:db8:7:8::1'])).toEqual([200]);
    // A proxy that appends the port (a new one per connection), or a dual-stack socket's mapped form.
    expect(await statuses(['198.51.100.9:40001', '::ffff:198.51.100.9', '198.51.100.9:40002'])).toEqual([200, 200, 429]);
  });
});

describe('batched operations', () => {
  it('runs a batch up to GATEWAY_MAX_BATCH and refuses a longer one before any of it runs', async () => {
    const gateway = await stack.startGateway({ env: { GATEWAY_MAX_BATCH: '2', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' } });
    const post = (count: number) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: count }, () => ({ query: '{ region(code: "03") { name } }' }))),
      });
    const two = await post(2);
    expect(two.status).toBe(200);
    expect(await two.json()).toEqual(
      [{ data: { region: { name: 'Niedersachsen' } } }, { data: { region: { name: 'Niedersachsen' } } }].map((answer) =>
        expect.objectContaining(answer),
      ),
    );
    // Apollo Server alone would run all of them: the setting had only switched batching on.
    const three = await post(3);
    expect(three.status).toBe(400);
    expect(await three.json()).toEqual({
      errors: [
        {
          message: 'A batch holds at most 2 operations; this one has 3. Send the rest in another request.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  });
});
