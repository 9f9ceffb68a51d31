import { silentLogger } from '@regiograph/shared';
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
