// The harness itself: what a stack leaves behind in a Redis that outlives it (REDIS_URL in CI).
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { describeWithOwnRedis, startOwnRedis, startStack } from './harness';

describeWithOwnRedis('a stack that stops', () => {
  it('deletes the keys of its prefix from the Redis its gateways used, and no other key', async () => {
    // A Redis of this test's own: every key in it is this test's to count.
    const redis = (await startOwnRedis())!;
    const client = new Redis(redis.url);
    try {
      // Another run's key, which a stack sharing the Redis must leave alone.
      await client.set('regiograph-test-another-run:safelist:kept', 'another run');
      const stack = await startStack();
      let stopped = false;
      try {
        const gateway = await stack.startGateway({ env: { REDIS_URL: redis.url, WATCH_SUPERGRAPH: 'false' } });
        // A persisted query, registered by its hash and kept without expiry like the safelisted operations.
        const query = '{ region(code: "03") { name } }';
        const sha256Hash = createHash('sha256').update(query).digest('hex');
        const answer = await gateway.query(query, undefined, {});
        expect(answer.status).toBe(200);
        await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
        });
        const before = await client.keys(`${stack.redisKeyPrefix}*`);
        expect(before).toContain(`${stack.redisKeyPrefix}apq:${sha256Hash}`);
        expect(before.filter((key) => key.startsWith(`${stack.redisKeyPrefix}safelist:`)).length).toBeGreaterThan(0);
        await stack.stop();
        stopped = true;
        expect(await client.keys('*')).toEqual(['regiograph-test-another-run:safelist:kept']);
      } finally {
        if (!stopped) await stack.stop();
      }
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
