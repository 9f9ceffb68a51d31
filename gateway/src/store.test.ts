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
});
