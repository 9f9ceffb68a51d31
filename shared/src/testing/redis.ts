import Redis from 'ioredis';

/**
 * The keys under `prefix` in the Redis at `url` (with the prefix), each page of SCAN handed to
 * `visit`. A Redis that no longer answers (a test's own, stopped before this) holds none.
 */
async function scanKeysUnder(url: string, prefix: string, visit: (redis: Redis, keys: string[]) => Promise<void>): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return;
  }
  try {
    // SCAN's pattern is a glob: the prefix is matched as written.
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await visit(redis, keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Every key under `prefix` in the Redis at `url`, without the prefix. */
export async function redisKeysUnder(url: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  await scanKeysUnder(url, prefix, async (_redis, keys) => {
    found.push(...keys.map((key) => key.slice(prefix.length)));
  });
  return found;
}

/**
 * Deletes every key under `prefix` in the Redis at `url`. A Redis (REDIS_URL) outlives the test run,
 * and what a gateway stores there is partly kept without expiry (safelisted operations, persisted
 * queries).
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  await scanKeysUnder(url, prefix, async (redis, keys) => {
    await redis.unlink(...keys);
  });
}
