/**
 * The gateways' response cache keys every answer by this shared counter (in Redis under
 * REDIS_KEY_PREFIX): whoever changes data bumps it, and no gateway reads an older answer again.
 */
export const DATA_VERSION_KEY = 'data-version';

/**
 * The PostgreSQL channel on which writers outside the gateways (the importer, a seed) announce a
 * change. A gateway caching in its own memory (no REDIS_URL) is out of their reach otherwise: it
 * listens on its database and bumps its own data version on each notice.
 */
export const DATA_CHANGED_CHANNEL = 'regiograph_data_changed';

export type DataVersionBump = 'bumped' | 'no shared store' | 'failed';

/**
 * Bumps the shared data version for writers outside the gateway (the importer, seeding). Without
 * REDIS_URL each gateway caches in its own memory, out of this process's reach: its cached answers
 * then live until RESPONSE_CACHE_MAX_AGE. A Redis that cannot be reached is reported, not thrown:
 * the data is written either way.
 */
export async function bumpDataVersion(env: NodeJS.ProcessEnv = process.env): Promise<DataVersionBump> {
  const url = env.REDIS_URL;
  if (!url) return 'no shared store';
  // Loaded here, not with the module: every process loads shared, few bump the version, and ioredis
  // took about 0.1 s of CPU to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const Redis = require('ioredis') as typeof import('ioredis').default;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.incr(`${env.REDIS_KEY_PREFIX || 'regiograph:'}${DATA_VERSION_KEY}`);
    return 'bumped';
  } catch {
    return 'failed';
  } finally {
    redis.disconnect();
  }
}
