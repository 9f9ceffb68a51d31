import { createHash } from 'node:crypto';
import { createLogger } from '@regiograph/shared';
import { persistedQueryCache, Safelist, sha256 } from './persisted';
import { MemoryStore } from './store';

/** The shared store, able to go away as Redis does: every command fails while `away`. */
class LeavingStore extends MemoryStore {
  away = false;
  private check(): void {
    if (this.away) throw new Error('Connection is closed.');
  }
  override async get(key: string) {
    this.check();
    return super.get(key);
  }
  override async set(key: string, value: string, ttlSeconds?: number) {
    this.check();
    return super.set(key, value, ttlSeconds);
  }
  override async delete(key: string) {
    this.check();
    return super.delete(key);
  }
}

function warnings() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('gateway', { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

describe('the persisted-query cache over the shared store', () => {
  it('keeps, finds and drops registrations, with their TTL', async () => {
    const store = new LeavingStore();
    const cache = persistedQueryCache(store, warnings().logger);
    await cache.set('apq:a', '{ region(code: "03") { name } }', { ttl: 300 });
    await cache.set('apq:b', '{ __typename }');
    expect(await cache.get('apq:a')).toBe('{ region(code: "03") { name } }');
    expect(await store.ttl('apq:a')).toBe(300);
    expect(await store.ttl('apq:b')).toBe(-1);
    await cache.delete('apq:a');
    expect(await cache.get('apq:a')).toBeUndefined();
  });

  it("leaves a safelisted operation's entry without expiry when a client registers its text again", async () => {
    const store = new MemoryStore();
    const text = 'query Safelisted { __typename }';
    const hash = await new Safelist(store).register(text);
    // What Apollo Server does with a request that sends the text beside its hash.
    await persistedQueryCache(store, warnings().logger).set(`apq:${hash}`, text, { ttl: 86_400 });
    expect([await store.get(`apq:${hash}`), await store.ttl(`apq:${hash}`)]).toEqual([text, -1]);
  });

  it('misses and drops while the store is away, warning once per outage', async () => {
    const store = new LeavingStore();
    const { lines, logger } = warnings();
    const cache = persistedQueryCache(store, logger);
    await cache.set('apq:a', 'query A { __typename }');
    store.away = true;
    expect(await cache.get('apq:a')).toBeUndefined();
    await expect(cache.set('apq:b', 'query B { __typename }')).resolves.toBeUndefined();
    await expect(cache.delete('apq:a')).resolves.toBeUndefined();
    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        service: 'gateway',
        message: 'persisted queries unavailable; lookups miss and registrations are dropped',
        error: 'Connection is closed.',
      },
    ]);
    store.away = false;
    expect(await cache.get('apq:a')).toBe('query A { __typename }');
    expect(await cache.get('apq:b')).toBeUndefined();
    // A new outage is a new warning; so is one from the start.
    const fromTheStart = warnings();
    await persistedQueryCache(store, fromTheStart.logger).get('apq:a');
    expect(fromTheStart.lines).toHaveLength(0);
    store.away = true;
    await persistedQueryCache(store, fromTheStart.logger).get('apq:a');
    expect(fromTheStart.lines).toHaveLength(1);
    store.away = false;
    await cache.get('apq:a');
    store.away = true;
    await cache.get('apq:a');
    await cache.get('apq:a');
    expect(lines).toHaveLength(2);
  });
});

describe('the safelist', () => {
  it('registers an operation under its SHA-256, for good, where Apollo Server looks a hash up too', async () => {
    const store = new MemoryStore();
    const safelist = new Safelist(store);
    const query = 'query Region { region(code: "03") { name } }';
    const hash = await safelist.register(query);
    expect(hash).toBe(createHash('sha256').update(query).digest('hex'));
    expect(sha256(query)).toBe(hash);
    expect(await safelist.has(hash)).toBe(true);
    expect(await safelist.has(sha256('query Other { __typename }'))).toBe(false);
    expect(await store.get(`apq:${hash}`)).toBe(query);
    expect(await store.ttl(`apq:${hash}`)).toBe(-1);
    expect(await store.ttl(`safelist:${hash}`)).toBe(-1);
  });
});
