// A setup file of the Jest preset, run before every test file: a Redis named by REDIS_URL (the
// machine's, in CI) outlives the run, and a gateway or subgraph started in the file (or a process it
// spawns with its environment) would keep its keys under the default prefix, where the next run and
// a developer's `npm start` find them. Each file gets a prefix of its own, and the file's environment
// (jest.environment.js) deletes its keys once the file's own hooks have stopped its servers: an
// afterAll registered here would run before theirs. A file that sets its own prefix keeps it.
import { randomUUID } from 'node:crypto';

/** Where jest.environment.js finds the file's clean-up, called after the file's last hook. */
export const REDIS_TEST_CLEANUP = Symbol.for('regiograph.jest.redisCleanup');

/**
 * Gives `env` a Redis prefix of its own when it names a Redis but no prefix; returns what deletes
 * the prefix's keys then, or null when `env` is left as it was.
 */
export function ownRedisPrefix(env: NodeJS.ProcessEnv): (() => Promise<void>) | null {
  const url = env.REDIS_URL;
  if (!url || env.REDIS_KEY_PREFIX) return null;
  const prefix = `regiograph-test-${randomUUID()}:`;
  env.REDIS_KEY_PREFIX = prefix;
  // Loaded only for a run with Redis (ioredis costs about 50 ms of CPU per test file), and now, while
  // the file's module registry is alive, not in the environment's teardown.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const { deleteRedisKeys } = require('./redis') as typeof import('./redis');
  return () => deleteRedisKeys(url, prefix);
}

const cleanup = ownRedisPrefix(process.env);
if (cleanup) (globalThis as Record<symbol, unknown>)[REDIS_TEST_CLEANUP] = cleanup;
