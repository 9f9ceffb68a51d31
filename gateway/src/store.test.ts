import { MemoryStore } from './store';

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
