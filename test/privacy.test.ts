// What the gateway keeps of its clients (docs/privacy.md): rate limits count an address by its keyed
// pseudonym, in counters that expire, and neither the log nor a span holds an address, a user agent,
// a token, its subject, an API key or a query variable.
import { createHmac, randomUUID } from 'node:crypto';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createSharedStore, type SharedStore } from '@regiograph/gateway';
import { createServer as createRegionsServer } from '@regiograph/regions';
import { createLogger, startTracing, type Tracing } from '@regiograph/shared';
import { redisKeysUnder, testToken } from '@regiograph/shared/testing';
import { startStack, testDatabaseUrl, type ExtraGateway, type Stack } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-signing';
const WINDOW_SECONDS = 86_400;
const exporter = new InMemorySpanExporter();
let tracing: Tracing | null;
let stack: Stack;
const stores: SharedStore[] = [];

beforeAll(async () => {
  tracing = startTracing('regiograph-privacy-test', { exporter });
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
  for (const store of stores) await store.close();
  await tracing?.shutdown();
});

/** The pseudonym of an address as docs/privacy.md tells an operator to compute it. */
const pseudonymOf = (address: string, key: string) => createHmac('sha256', key).update(address).digest('hex').slice(0, 32);

/** The key the gateway hashes with when GATEWAY_CLIENT_ID_KEY is unset, derived from AUTH_SECRET. */
const derivedKeyOf = (authSecret: string) => createHmac('sha256', authSecret).update('regiograph gateway client id').digest('hex');

/**
 * Gateways with counters of their own (from zero) in the shared store a test reads them from: the
 * machine's Redis under REDIS_URL (its keys deleted with the stack), else one in-process store.
 */
function ownStore(): { store: SharedStore; prefix: string } {
  const prefix = `${stack.redisKeyPrefix}privacy-${randomUUID()}:`;
  const store = createSharedStore(process.env.REDIS_URL ?? null, prefix);
  stores.push(store);
  return { store, prefix };
}

/** The rate-limit window a time falls in (RateLimiter.check), of the windows of WINDOW_SECONDS. */
const windowAt = (milliseconds: number) => Math.floor(milliseconds / 1000 / WINDOW_SECONDS);

/**
 * The windows the requests sent from now until the returned function is called were counted in:
 * one, or two when they straddled a boundary (midnight UTC, for a day's window).
 */
function windowsDuring(): () => number[] {
  const first = windowAt(Date.now());
  return () => {
    const windows: number[] = [];
    for (let window = first; window <= windowAt(Date.now()); window++) windows.push(window);
    return windows;
  };
}

/** The counters `counter` keeps in these windows that exist, and the sum of their counts. */
async function countersOf(store: SharedStore, counter: string, windows: number[]): Promise<{ names: string[]; total: number }> {
  const names: string[] = [];
  let total = 0;
  for (const window of windows) {
    const value = await store.get(`${counter}:${window}`);
    if (value === undefined) continue;
    names.push(`${counter}:${window}`);
    total += Number(value);
  }
  return { names, total };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    logger: createLogger('gateway', { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
  };
}

const post = (gateway: ExtraGateway, headers: Record<string, string>, body: unknown) =>
  fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const QUERY = { query: '{ region(code: "03") { name } }' };

describe('rate limits', () => {
  it('count an address by its keyed pseudonym (an IPv6 client by its /64), in counters that expire, and log only the pseudonym', async () => {
    const { store, prefix } = ownStore();
    const key = `privacy-test-client-id-key-${randomUUID()}`;
    const { lines, logger } = capturingLogger();
    const gateway = await stack.startGateway({
      store,
      logger,
      env: {
        REDIS_KEY_PREFIX: prefix,
        GATEWAY_CLIENT_ID_KEY: key,
        TRUSTED_PROXY_HOPS: '1',
        RATE_LIMIT_REQUESTS: '2',
        // A day's window: the requests below straddle two windows at most.
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
      },
    });
    const statuses: number[] = [];
    const windows = windowsDuring();
    for (let i = 0; i < 5; i++) statuses.push((await post(gateway, { 'x-forwarded-for': '203.0.113.77' }, QUERY)).status);
    for (const address of ['2001:db8:5:5::1', '2001:db8:5:5::2', '2001:db8:5:5:abcd::3']) {
      statuses.push((await post(gateway, { 'x-forwarded-for': address }, QUERY)).status);
    }
    // Alike across a window's boundary: the sliding window weighs the previous window's count in.
    expect(statuses).toEqual([200, 200, 429, 429, 429, 200, 200, 429]);
    const ipv4 = await countersOf(store, `ratelimit:ip:${pseudonymOf('203.0.113.77', key)}`, windows());
    const ipv6 = await countersOf(store, `ratelimit:ip:${pseudonymOf('2001:db8:5:5::/64', key)}`, windows());
    expect([ipv4.total, ipv6.total]).toEqual([5, 3]);
    // Storage limitation: a counter is kept for the window it counts and the next, then expires.
    for (const counter of [...ipv4.names, ...ipv6.names]) {
      const ttl = await store.ttl(counter);
      expect(ttl).toBeGreaterThan(WINDOW_SECONDS);
      expect(ttl).toBeLessThanOrEqual(2 * WINDOW_SECONDS);
    }
    expect((await countersOf(store, 'ratelimit:ip:203.0.113.77', windows())).names).toEqual([]);
    if (process.env.REDIS_URL) {
      const keys = await redisKeysUnder(process.env.REDIS_URL, prefix);
      expect(keys.filter((name) => name.includes('ratelimit:')).sort()).toEqual([...ipv4.names, ...ipv6.names].sort());
      expect(keys.filter((name) => /203\.0\.113|2001:db8/.test(name))).toEqual([]);
    }
    expect(lines.filter((line) => line.message === 'rate limited').map((line) => line.client)).toEqual([
      `ip:${pseudonymOf('203.0.113.77', key)}`,
      `ip:${pseudonymOf('2001:db8:5:5::/64', key)}`,
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/203\.0\.113|2001:db8/);
  });

  it('without GATEWAY_CLIENT_ID_KEY, hash with a key derived from AUTH_SECRET, so instances of one deployment count an address together', async () => {
    const { store, prefix } = ownStore();
    const env = {
      REDIS_KEY_PREFIX: prefix,
      AUTH_SECRET: SECRET,
      TRUSTED_PROXY_HOPS: '1',
      RATE_LIMIT_REQUESTS: '2',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RESPONSE_CACHE: 'false',
      WATCH_SUPERGRAPH: 'false',
    };
    const a = await stack.startGateway({ store, env });
    const b = await stack.startGateway({ store, env });
    const statuses: number[] = [];
    const windows = windowsDuring();
    for (const gateway of [a, b, a]) statuses.push((await post(gateway, { 'x-forwarded-for': '192.0.2.44' }, QUERY)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await countersOf(store, `ratelimit:ip:${pseudonymOf('192.0.2.44', derivedKeyOf(SECRET))}`, windows())).total).toBe(3);
  });
});

describe('the log and the spans of requests with personal data', () => {
  it('hold no address, user agent, token, subject, API key or query variable, of requests answered, failed or refused', async () => {
    const { store, prefix } = ownStore();
    const { lines, logger } = capturingLogger();
    const gateway = await stack.startGateway({
      store,
      logger,
      env: { REDIS_KEY_PREFIX: prefix, AUTH_SECRET: SECRET, TRUSTED_PROXY_HOPS: '1', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' },
    });
    const validToken = testToken({ sub: 'max.mustermann@example.org', name: 'Max Mustermann' }, { secret: SECRET });
    const forgedToken = testToken(
      { sub: 'erika.mustermann@example.org', name: 'Erika Mustermann' },
      { secret: `${SECRET}-of-someone-else` },
    );
    const madeUpKey = `rg_madeup_${'s'.repeat(43)}`;
    const client = { 'x-forwarded-for': '198.51.100.23', 'user-agent': 'DatenschutzTest/1.0' };
    const suggest = 'query Suggest($search: String!, $first: Int) { regionNameSuggestions(search: $search, first: $first) { code } }';
    exporter.reset();

    const answered = await post(
      gateway,
      { ...client, authorization: `Bearer ${validToken}` },
      { query: suggest, variables: { search: 'Suchtext Mustermann' } },
    );
    expect(answered.status).toBe(200);
    // A variable the schema cannot take: GraphQL's message quotes the value.
    const failed = await post(gateway, client, { query: suggest, variables: { search: 'Bueckeburg', first: 'Zahltext Mustermann' } });
    expect(await failed.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    const refused = await post(gateway, { ...client, authorization: `Bearer ${forgedToken}` }, QUERY);
    expect(refused.status).toBe(401);
    const refusedKey = await post(gateway, { ...client, 'x-api-key': madeUpKey }, QUERY);
    expect(refusedKey.status).toBe(401);
    // Values written into the query itself that the schema cannot take: GraphQL's messages quote them
    // (an Int given text, an enum value the schema lacks), and so may a subgraph's (a day it cannot read).
    const literals = await post(gateway, client, {
      query: '{ regionNameSuggestions(search: "Bueckeburg", first: "Zahlliteral Mustermann") { code } }',
    });
    expect(await literals.json()).toMatchObject({
      errors: [{ message: expect.stringContaining('Zahlliteral Mustermann'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    const enumLiteral = await post(gateway, client, {
      query: '{ regionNameSuggestions(search: "Bueckeburg", level: Mustermannstufe) { code } }',
    });
    expect(JSON.stringify(await enumLiteral.json())).toContain('Mustermannstufe');
    const dayLiteral = await post(gateway, client, {
      query: '{ cooperationNetwork(regionCodes: ["03", "04"], activeOn: "Tagliteral Mustermann") { cooperationCount } }',
    });
    expect(JSON.stringify(await dayLiteral.json())).toContain('Tagliteral Mustermann');
    const search = new URLSearchParams({ query: suggest, variables: JSON.stringify({ search: 'Adresstext Mustermann' }) });
    const asGet = await fetch(`${gateway.url}?${search}`, { headers: { ...client, 'apollo-require-preflight': 'true' } });
    expect(asGet.status).toBe(200);

    // The requests were logged: what is asserted absent below had its chance to appear.
    const messages = lines.map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['graphql request', 'graphql request refused']));
    // Which variable the client got wrong stays in the log; what it held does not.
    expect(
      lines.flatMap((line) => (Array.isArray(line.errors) ? (line.errors as { message: string }[]) : [])).map((error) => error.message),
    ).toEqual(
      expect.arrayContaining([
        'Variable "$first" got invalid value (withheld from the log)',
        'Int cannot represent non-integer value: (withheld from the log)',
        'Value (withheld from the log) does not exist in "RegionLevel" enum.',
      ]),
    );
    const logged = JSON.stringify(lines);
    const spans = exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events }));
    expect(spans.length).toBeGreaterThan(0);
    const traced = JSON.stringify(spans);
    for (const personal of [
      '198.51.100.23',
      'DatenschutzTest',
      validToken,
      forgedToken,
      'mustermann@example.org',
      madeUpKey,
      'Suchtext',
      'Zahltext',
      'Adresstext',
      'Zahlliteral',
      'Mustermannstufe',
      'Tagliteral',
    ]) {
      expect({ personal, inLog: logged.includes(personal), inSpans: traced.includes(personal) }).toEqual({
        personal,
        inLog: false,
        inSpans: false,
      });
    }
  });
});

describe("a subgraph's log of the errors it answers", () => {
  it('says what was wrong where, without the text a caller wrote into the query', async () => {
    const lines: { message: string; errors?: { code: string; message: string }[] }[] = [];
    const logger = createLogger('regions', { level: 'info', write: (line) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const server = await createRegionsServer({ databaseUrl: testDatabaseUrl(), logger });
    try {
      const { url } = await server.listen(0);
      // What the gateway forwards: a valid query whose literal the resolver refuses, quoting it to the caller.
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ region(code: "Frau Codeliteral Mustermann") { code } }' }),
      });
      const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('Codeliteral'),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
      const logged = lines.filter((line) => line.message === 'graphql errors');
      expect(logged.flatMap((line) => line.errors ?? [])).toEqual([
        {
          code: 'BAD_USER_INPUT',
          message: 'code "…" is not an ARS code of Lower Saxony (03, 031–034, 5, 9 or 12 digits starting with 03).',
          path: ['region'],
        },
      ]);
      expect(JSON.stringify(lines)).not.toContain('Codeliteral');
    } finally {
      await server.close();
    }
  });
});
