// What the gateway keeps of its clients (docs/privacy.md): rate limits count an address by its keyed
// pseudonym, in counters that expire, and neither the log nor a span holds an address, a user agent,
// a token, its subject, an API key or a query variable.
import { createHmac, randomUUID } from 'node:crypto';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createSharedStore, type SharedStore } from '@regiograph/gateway';
import { createLogger, startTracing, type Tracing } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import Redis from 'ioredis';
import { startStack, type ExtraGateway, type Stack } from './harness';

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
        // A day's window: the requests below cannot straddle two windows.
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(gateway, { 'x-forwarded-for': '203.0.113.77' }, QUERY)).status);
    for (const address of ['2001:db8:5:5::1', '2001:db8:5:5::2', '2001:db8:5:5:abcd::3']) {
      statuses.push((await post(gateway, { 'x-forwarded-for': address }, QUERY)).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429, 200, 200, 429]);
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const ipv4 = `ratelimit:ip:${pseudonymOf('203.0.113.77', key)}:${window}`;
    const ipv6 = `ratelimit:ip:${pseudonymOf('2001:db8:5:5::/64', key)}:${window}`;
    expect([await store.get(ipv4), await store.get(ipv6)]).toEqual(['5', '3']);
    // Storage limitation: a counter is kept for the window it counts and the next, then expires.
    for (const counter of [ipv4, ipv6]) {
      const ttl = await store.ttl(counter);
      expect(ttl).toBeGreaterThan(WINDOW_SECONDS);
      expect(ttl).toBeLessThanOrEqual(2 * WINDOW_SECONDS);
    }
    expect(await store.get(`ratelimit:ip:203.0.113.77:${window}`)).toBeUndefined();
    if (process.env.REDIS_URL) {
      const keys = await redisKeysUnder(process.env.REDIS_URL, prefix);
      expect(keys.filter((name) => name.includes('ratelimit:'))).toHaveLength(2);
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
    for (const gateway of [a, b, a]) statuses.push((await post(gateway, { 'x-forwarded-for': '192.0.2.44' }, QUERY)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    expect(await store.get(`ratelimit:ip:${pseudonymOf('192.0.2.44', derivedKeyOf(SECRET))}:${window}`)).toBe('3');
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
    const search = new URLSearchParams({ query: suggest, variables: JSON.stringify({ search: 'Adresstext Mustermann' }) });
    const asGet = await fetch(`${gateway.url}?${search}`, { headers: { ...client, 'apollo-require-preflight': 'true' } });
    expect(asGet.status).toBe(200);

    // The requests were logged: what is asserted absent below had its chance to appear.
    const messages = lines.map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['graphql request', 'graphql request refused']));
    // Which variable the client got wrong stays in the log; what it held does not.
    expect(
      lines.flatMap((line) => (Array.isArray(line.errors) ? (line.errors as { message: string }[]) : [])).map((error) => error.message),
    ).toContain('Variable "$first" got invalid value (withheld from the log)');
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
    ]) {
      expect({ personal, inLog: logged.includes(personal), inSpans: traced.includes(personal) }).toEqual({
        personal,
        inLog: false,
        inSpans: false,
      });
    }
  });
});

/** Every key under `prefix` in the Redis at `url`, without it. */
async function redisKeysUnder(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const keys: string[] = [];
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...found.map((name) => name.slice(prefix.length)));
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    await redis.quit();
  }
}
