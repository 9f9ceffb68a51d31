// What the gateways keep in their shared store must not grow without bound (docs/operations.md,
// "Capacity"). Redis runs with volatile-lru: only keys with an expiry can be evicted, so a key that
// any caller can make without one is memory that nothing frees, and an expiry given to a key that
// must stay (a safelisted operation) loses it a day later. After a workload that makes every family
// of keys a gateway writes, each key outside the permanent families (operations an operator
// registered, the data version) expires, and each permanent one does not. Through Redis when
// REDIS_URL is set (as in CI), and through the in-process store otherwise.
import { Safelist, sha256 } from '@regiograph/gateway';
import { DATA_VERSION_KEY } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import type { ExtraGateway } from './harness';
import { stackWithStoreBackends } from './store-backends';

const { stack, backends } = stackWithStoreBackends();

/** The family of a key: what comes before its first colon. */
const familyOf = (key: string) => key.split(':')[0]!;

async function post(gateway: ExtraGateway, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const EDITOR = testBearer({ sub: 'editor', name: 'State-wide editor', scopes: ['projects:write'] });

/** A gateway caching answers, every one compressed however small: the coded forms of cached answers are kept too. */
const CACHING_GATEWAY = {
  NODE_ENV: 'development',
  WATCH_SUPERGRAPH: 'false',
  RESPONSE_CACHE: 'true',
  GATEWAY_COMPRESSION_MIN_BYTES: '0',
};

describe.each(backends)('the keys a gateway keeps in $name', (backend) => {
  it('expire, all but the operations an operator registered and the data version, which keep none', async () => {
    const { options, store, keys } = backend.make();
    const gateway = await stack().startGateway({
      ...options,
      env: { ...CACHING_GATEWAY, ...options.env },
    });

    // An operation an operator registered (npm run safelist), which a client also sends with its text.
    const safelisted = 'query CapacitySafelisted { region(code: "03") { name } }';
    const safelistedHash = await new Safelist(store).register(safelisted);

    // Anonymous reads: a cached answer, stored on the first and read on the second, each in brotli.
    const read = '{ region(code: "034") { name children { code } } }';
    for (let round = 0; round < 2; round += 1) {
      expect((await post(gateway, { query: read }, { 'accept-encoding': 'br' })).body.errors).toBeUndefined();
    }
    // Automatic persisted queries: a hash alone is not found, with its text registered, then found.
    const apq = '{ region(code: "034") { code name } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(apq) } };
    expect((await post(gateway, { extensions })).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(gateway, { query: apq, extensions })).body.errors).toBeUndefined();
    expect((await post(gateway, { extensions })).body.errors).toBeUndefined();
    // Any client may send a safelisted operation's text beside its hash: a registration to Apollo Server.
    const safelistedExtensions = { persistedQuery: { version: 1, sha256Hash: safelistedHash } };
    expect((await post(gateway, { query: safelisted, extensions: safelistedExtensions })).body.errors).toBeUndefined();
    // A partner's key (its own counters), and a made-up one (counted against the address).
    const key = await stack().apiKey('capacity partner');
    expect((await post(gateway, { query: read }, { 'x-api-key': key })).body.errors).toBeUndefined();
    expect((await post(gateway, { query: read }, { 'x-api-key': `rg_${'0'.repeat(16)}_${'a'.repeat(43)}` })).status).toBe(401);
    // A write moves the data version.
    const list = await post(gateway, { query: '{ projects(first: 1) { nodes { id version title } } }' });
    const project = (list.body.data as { projects: { nodes: { id: string; version: number; title: string }[] } }).projects.nodes[0]!;
    const update = await post(
      gateway,
      {
        query: 'mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } errors { code } } }',
        variables: { input: { id: project.id, expectedVersion: project.version, title: project.title } },
      },
      EDITOR,
    );
    expect(update.body.errors).toBeUndefined();

    const held = await keys();
    expect([...new Set(held.map(familyOf))].sort()).toEqual(
      ['apq', 'costpoints', DATA_VERSION_KEY, 'ratelimit', 'refusedkeys', 'response', 'response-coded', 'safelist'].sort(),
    );
    const registered = new Set(held.filter((name) => familyOf(name) === 'safelist').map((name) => name.slice('safelist:'.length)));
    const permanent = (name: string) =>
      name === DATA_VERSION_KEY || familyOf(name) === 'safelist' || (familyOf(name) === 'apq' && registered.has(name.slice('apq:'.length)));
    const ttls = await Promise.all(held.map(async (name) => ({ name, ttl: await store.ttl(name) })));
    expect(ttls.filter(({ name, ttl }) => !permanent(name) && ttl <= 0)).toEqual([]);
    expect(ttls.filter(({ name, ttl }) => permanent(name) && ttl !== -1)).toEqual([]);
    expect(registered.has(safelistedHash)).toBe(true);
  });

  it('holds no cached answer at RESPONSE_CACHE_MAX_AGE=0, where it would never expire', async () => {
    const { options, keys } = backend.make();
    const gateway = await stack().startGateway({
      ...options,
      env: { ...CACHING_GATEWAY, RESPONSE_CACHE_MAX_AGE: '0', ...options.env },
    });
    const read = '{ region(code: "034") { name } }';
    for (let round = 0; round < 2; round += 1) {
      expect((await post(gateway, { query: read }, { 'accept-encoding': 'br' })).body.errors).toBeUndefined();
    }
    const held = await keys();
    expect(held.filter((name) => familyOf(name) === 'ratelimit').length).toBeGreaterThan(0);
    expect(held.filter((name) => ['response', 'response-coded'].includes(familyOf(name)))).toEqual([]);
  });
});
