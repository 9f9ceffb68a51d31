import { createLogger, silentLogger } from '@regiograph/shared';
import type { ChannelListener } from '../notices';
import { generateApiKey } from './key';
import { ApiKeyRegistry } from './registry';
import type { ApiKeyRecord } from './store';

/**
 * A store in memory that counts its lookups, whose revocation listener the test connects, refuses
 * and cuts: what the registry caches is read off the number of lookups reaching the store.
 */
function fakeStore(record: ApiKeyRecord) {
  const store = {
    finds: 0,
    listening: null as null | { notify(id: string): void; cut(error: Error): void },
    refuseListening: false,
    find: async (id: string) => {
      store.finds += 1;
      return id === record.id ? record : null;
    },
    listen: async (onRevoked: (id: string) => void, onLost: (error: Error) => void): Promise<ChannelListener> => {
      if (store.refuseListening) throw new Error('connection refused');
      store.listening = { notify: onRevoked, cut: onLost };
      return {
        close: async () => {
          store.listening = null;
        },
      };
    },
    close: async () => undefined,
  };
  return store;
}

function aKey() {
  const key = generateApiKey();
  const record: ApiKeyRecord = {
    id: key.id,
    name: 'test',
    secretHash: key.secretHash,
    scopes: [],
    costPointsPerWindow: null,
    requestsPerWindow: null,
    createdAt: new Date(0),
    revokedAt: null,
  };
  return { key: key.key, record };
}

describe('the API key registry over the kept revocation listener', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('caches while revocations are heard, drops the cache when the listener is lost, caches nothing while deaf', async () => {
    const { key, record } = aKey();
    const store = fakeStore(record);
    const registry = new ApiKeyRegistry(store, { logger: silentLogger, reconnectDelayMs: 1000 });
    await registry.start();
    expect(registry.listening).toBe(true);
    expect((await registry.check(key)).kind).toBe('valid');
    expect((await registry.check(key)).kind).toBe('valid');
    expect(store.finds).toBe(1);

    store.refuseListening = true;
    store.listening!.cut(new Error('terminated'));
    expect(registry.listening).toBe(false);
    await registry.check(key);
    await registry.check(key);
    expect(store.finds).toBe(3);
    await jest.advanceTimersByTimeAsync(1000);
    await registry.check(key);
    expect(store.finds).toBe(4);

    store.refuseListening = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(registry.listening).toBe(true);
    await registry.check(key);
    await registry.check(key);
    expect(store.finds).toBe(5);
    await registry.close();
    expect(store.listening).toBeNull();
  });

  it('does not cache a lookup that began before a revocation notice, and drops the revoked key', async () => {
    const { key, record } = aKey();
    const store = fakeStore(record);
    const registry = new ApiKeyRegistry(store, { logger: silentLogger });
    await registry.start();
    const before = registry.check(key);
    store.listening!.notify(record.id);
    await before;
    await registry.check(key);
    expect(store.finds).toBe(2);
    await registry.check(key);
    expect(store.finds).toBe(2);
    store.listening!.notify(record.id);
    await registry.check(key);
    expect(store.finds).toBe(3);
    await registry.close();
  });
});

describe('checking a presented key', () => {
  it('answers each kind of key as it is, and names the key only where it exists and was proven', async () => {
    const { key, record } = aKey();
    const revoked = aKey();
    revoked.record.revokedAt = new Date(1);
    const store = fakeStore(record);
    const find = store.find;
    store.find = async (id) => (id === revoked.record.id ? revoked.record : find(id));
    const registry = new ApiKeyRegistry(store, { logger: silentLogger });
    expect(await registry.check(key)).toEqual({
      kind: 'valid',
      principal: { id: record.id, name: 'test', scopes: [], costPointsPerWindow: null, requestsPerWindow: null },
    });
    expect(await registry.check('partner-1')).toEqual({ kind: 'invalid', reason: 'MALFORMED', keyId: null });
    expect(await registry.check(aKey().key)).toEqual({ kind: 'invalid', reason: 'UNKNOWN', keyId: null });
    const otherSecret = generateApiKey().secret;
    expect(await registry.check(`rg_${record.id}_${otherSecret}`)).toEqual({ kind: 'invalid', reason: 'WRONG_SECRET', keyId: null });
    expect(await registry.check(revoked.key)).toEqual({ kind: 'invalid', reason: 'REVOKED', keyId: revoked.record.id });
    // A revoked key with the wrong secret says nothing about the key.
    expect(await registry.check(`rg_${revoked.record.id}_${otherSecret}`)).toEqual({
      kind: 'invalid',
      reason: 'WRONG_SECRET',
      keyId: null,
    });
    await registry.close();
  });

  it('is unavailable while the store cannot be asked, neither valid nor invalid', async () => {
    const { key, record } = aKey();
    const store = fakeStore(record);
    store.find = async () => {
      throw new Error('connection refused');
    };
    const registry = new ApiKeyRegistry(store, { logger: silentLogger });
    expect(await registry.check(key)).toEqual({ kind: 'unavailable', error: 'connection refused' });
    await registry.close();
  });

  it('trusts a looked-up key for cacheTtlSeconds, then asks the store again', async () => {
    const { key, record } = aKey();
    const store = fakeStore(record);
    let now = 1_000_000;
    const registry = new ApiKeyRegistry(store, { logger: silentLogger, cacheTtlSeconds: 30, now: () => now });
    await registry.start();
    await registry.check(key);
    now += 29_999;
    await registry.check(key);
    expect(store.finds).toBe(1);
    now += 1;
    await registry.check(key);
    expect(store.finds).toBe(2);
    await registry.close();
  });

  /** The fake store with lookups that answer when the test releases them. */
  function heldStore(record: ApiKeyRecord) {
    const store = fakeStore(record);
    const held: (() => void)[] = [];
    const find = store.find;
    store.find = (id) => {
      const answer = find(id);
      return new Promise((resolve) => held.push(() => resolve(answer)));
    };
    return { store, release: (index: number) => held[index]!() };
  }

  it('asks the store once for concurrent checks of one key, but afresh for a check after a revocation notice', async () => {
    const { key, record } = aKey();
    const { store, release } = heldStore(record);
    const registry = new ApiKeyRegistry(store, { logger: silentLogger });
    await registry.start();
    const first = [registry.check(key), registry.check(key)];
    expect(store.finds).toBe(1);
    store.listening!.notify(record.id);
    const afterNotice = registry.check(key);
    expect(store.finds).toBe(2);
    // The older lookup ending does not drop the newer one: a check now joins it.
    release(0);
    await Promise.all(first);
    const joining = registry.check(key);
    expect(store.finds).toBe(2);
    release(1);
    expect((await Promise.all([afterNotice, joining])).map((check) => check.kind)).toEqual(['valid', 'valid']);
    await registry.close();
  });

  it('caches no lookup that began before a notice and a lost listener, even once the listener is back', async () => {
    jest.useFakeTimers();
    try {
      const { key, record } = aKey();
      const { store, release } = heldStore(record);
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger('gateway', { level: 'warn', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
      const registry = new ApiKeyRegistry(store, { logger, reconnectDelayMs: 1000 });
      await registry.start();
      const stale = registry.check(key);
      store.listening!.notify(record.id);
      store.listening!.cut(new Error('terminated'));
      expect(lines).toMatchObject([{ message: 'API key revocation listener lost; cache cleared', error: 'terminated' }]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(registry.listening).toBe(true);
      release(0);
      await stale;
      const again = registry.check(key);
      expect(store.finds).toBe(2);
      release(1);
      await again;
      await registry.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
