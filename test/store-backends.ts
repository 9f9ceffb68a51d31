import { randomUUID } from 'node:crypto';
import { createSharedStore, MemoryStore, type SharedStore } from '@regiograph/gateway';
import { redisKeysUnder } from '@regiograph/shared/testing';
import { startStack, type ExtraGatewayOptions, type Stack } from './harness';

/** A store that gateways under test share their state through. */
export interface StoreBackend {
  name: string;
  /** Options for gateways sharing one store of its own, a store that sees what they keep, and the keys it holds. */
  make(): { options: ExtraGatewayOptions; store: SharedStore; keys(): Promise<string[]> };
}

/**
 * The test file's stack (started before its tests, stopped after them) and the stores its gateways
 * share their state through: one in-process store, and Redis when REDIS_URL is set (as in CI), each
 * Redis store under the stack's key prefix (deleted with it).
 */
export function stackWithStoreBackends(): { stack(): Stack; backends: StoreBackend[] } {
  let started: Stack | undefined;
  const opened: SharedStore[] = [];
  beforeAll(async () => {
    started = await startStack();
  });
  afterAll(async () => {
    await started?.stop();
    for (const store of opened) await store.close();
  });
  const stack = () => {
    if (!started) throw new Error('The stack starts in beforeAll: ask for it inside a test.');
    return started;
  };
  const backends: StoreBackend[] = [
    {
      name: 'one in-process store',
      make: () => {
        const store = new MemoryStore();
        return { options: { store }, store, keys: async () => store.keys() };
      },
    },
  ];
  const url = process.env.REDIS_URL;
  if (url) {
    backends.push({
      name: 'Redis',
      make: () => {
        // Each gateway opens its own connection; the prefix keeps this store apart from others.
        const prefix = `${stack().redisKeyPrefix}${randomUUID()}:`;
        const store = createSharedStore(url, prefix);
        opened.push(store);
        return { options: { env: { REDIS_URL: url, REDIS_KEY_PREFIX: prefix } }, store, keys: () => redisKeysUnder(url, prefix) };
      },
    });
  }
  return { stack, backends };
}
