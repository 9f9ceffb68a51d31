import { MemoryStore } from './store';
import { RateLimiter } from './rate-limit';

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

describe('RateLimiter', () => {
  it('allows the limit per client and window, then refuses with the time to wait', async () => {
    const limiter = new RateLimiter(new MemoryStore(), 2, 60);
    expect((await limiter.check('key:a')).allowed).toBe(true);
    expect((await limiter.check('key:a')).allowed).toBe(true);
    const refused = await limiter.check('key:a');
    expect(refused).toMatchObject({ allowed: false, limit: 2, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limiter.check('key:b')).allowed).toBe(true);
  });
});
