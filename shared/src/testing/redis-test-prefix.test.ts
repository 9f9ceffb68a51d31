// The preset's setup file that keeps each test file's Redis keys apart (redis-test-prefix.ts).
import Redis from 'ioredis';
import { ownRedisPrefix } from './redis-test-prefix';

describe('a test file and Redis', () => {
  it('gets a prefix of its own when REDIS_URL is set, never the default one', () => {
    const first: NodeJS.ProcessEnv = { REDIS_URL: 'redis://127.0.0.1:1' };
    const second: NodeJS.ProcessEnv = { REDIS_URL: 'redis://127.0.0.1:1' };
    expect(ownRedisPrefix(first)).toEqual(expect.any(Function));
    ownRedisPrefix(second);
    expect(first.REDIS_KEY_PREFIX).toMatch(/^regiograph-test-[0-9a-f-]{36}:$/);
    expect(second.REDIS_KEY_PREFIX).not.toBe(first.REDIS_KEY_PREFIX);
  });

  it('keeps a prefix the run set, and leaves the environment alone without a Redis', () => {
    const chosen: NodeJS.ProcessEnv = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'chosen:' };
    const none: NodeJS.ProcessEnv = {};
    expect(ownRedisPrefix(chosen)).toBeNull();
    expect(ownRedisPrefix(none)).toBeNull();
    expect({ chosen, none }).toEqual({ chosen: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'chosen:' }, none: {} });
  });

  const url = process.env.REDIS_URL;
  if (url) {
    it("gives this very file a prefix of its own, the run's Redis being set", () => {
      expect(process.env.REDIS_KEY_PREFIX).toMatch(/^regiograph-test-[0-9a-f-]{36}:$/);
    });

    it('deletes the keys of its prefix from the Redis, and no other key', async () => {
      const env: NodeJS.ProcessEnv = { REDIS_URL: url };
      const cleanup = ownRedisPrefix(env)!;
      const prefix = env.REDIS_KEY_PREFIX!;
      const other = prefix.replace(/:$/, '-other:');
      const redis = new Redis(url);
      try {
        await redis.set(`${prefix}safelist:a`, '1');
        await redis.set(`${other}safelist:a`, '1');
        await cleanup();
        expect(await redis.exists(`${prefix}safelist:a`, `${other}safelist:a`)).toBe(1);
        expect(await redis.exists(`${other}safelist:a`)).toBe(1);
      } finally {
        await redis.del(`${other}safelist:a`);
        redis.disconnect();
      }
    });
  }
});
