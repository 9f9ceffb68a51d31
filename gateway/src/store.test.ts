import { randomUUID } from 'node:crypto';
import { deleteRedisKeys } from '@regiograph/shared/testing';
import { createSharedStore, MemoryStore, type SharedStore } from './store';

describe('MemoryStore', () => {
  it('keeps values until they expire and counts with a window', async () => {
    const store = new MemoryStore();
    await store.set('a', '1', 60);
    expect(await store.get('a')).toBe('1');
    expect(await store.ttl('a')).toBeGreaterThan(0);
    await store.set('gone', 'x', -1);
    expect(await store.ttl('gone')).toBe(-1);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.increment('n', 60)).toBe(1);
    expect(await store.increment('n', 60)).toBe(2);
  });

  it('stays within its size by dropping the oldest entries that expire, never registered ones', async () => {
    const store = new MemoryStore(3);
    await store.set('registered', 'r');
    for (const key of ['a', 'b', 'c']) await store.set(key, key, 60);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('registered')).toBe('r');
    expect(await store.get('c')).toBe('c');
  });

  it('bounds the characters of values that expire: the oldest give way, one too large alone is not kept', async () => {
    const store = new MemoryStore(10_000, 100);
    await store.set('registered', 'r'.repeat(500));
    await store.set('a', 'a'.repeat(40), 60);
    await store.set('b', 'b'.repeat(40), 60);
    expect(store.expiringCharacters).toBe(80);
    // 80 + 40 > 100: the oldest expiring entry makes room; the registered one never counts or goes.
    await store.set('c', 'c'.repeat(40), 60);
    expect([await store.get('a'), (await store.get('b'))?.length, (await store.get('c'))?.length]).toEqual([undefined, 40, 40]);
    expect(store.expiringCharacters).toBe(80);
    // Replacing an entry counts only its new value.
    await store.set('c', 'c'.repeat(10), 60);
    expect(store.expiringCharacters).toBe(50);
    // Larger than the whole bound: not stored, and nothing else is dropped for it.
    await store.set('huge', 'h'.repeat(101), 60);
    expect(await store.get('huge')).toBeUndefined();
    expect((await store.get('b'))?.length).toBe(40);
    await store.delete('b');
    expect(store.expiringCharacters).toBe(10);
    expect((await store.get('registered'))?.length).toBe(500);
  });
});

const ADD_BACKENDS: { name: string; make(): { store: SharedStore; cleanUp(): Promise<void> } }[] = [
  { name: 'MemoryStore', make: () => ({ store: new MemoryStore(), cleanUp: async () => undefined }) },
];
const REDIS_URL = process.env.REDIS_URL;
if (REDIS_URL) {
  ADD_BACKENDS.push({
    name: 'RedisStore',
    make: () => {
      const prefix = `regiograph-test-${randomUUID()}:`;
      const store = createSharedStore(REDIS_URL, prefix);
      return {
        store,
        cleanUp: async () => {
          await store.close();
          await deleteRedisKeys(REDIS_URL, prefix);
        },
      };
    },
  });
}

describe.each(ADD_BACKENDS)('$name', (backend) => {
  it('adds a key only where none is, leaving the one there and its expiry, or lack of one, as they were', async () => {
    const { store, cleanUp } = backend.make();
    try {
      await store.set('permanent', 'kept');
      expect(await store.add('permanent', 'other', 300)).toBe(false);
      expect([await store.get('permanent'), await store.ttl('permanent')]).toEqual(['kept', -1]);
      await store.set('expiring', 'kept', 60);
      expect(await store.add('expiring', 'other')).toBe(false);
      expect(await store.get('expiring')).toBe('kept');
      expect(await store.ttl('expiring')).toBeGreaterThan(0);
      expect(await store.add('new', 'added', 300)).toBe(true);
      expect(await store.get('new')).toBe('added');
      expect(await store.ttl('new')).toBeGreaterThan(60);
    } finally {
      await cleanUp();
    }
  });
});
