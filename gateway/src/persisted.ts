import { createHash } from 'node:crypto';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '@regiograph/shared';
import type { SharedStore } from './store';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Apollo Server prefixes the keys of its persisted-query cache with this. */
const APQ_PREFIX = 'apq:';

/**
 * Apollo's automatic persisted queries keep their hash → query map in the shared store. While the
 * store is away a lookup misses (PERSISTED_QUERY_NOT_FOUND: the client resends hash and text, as
 * the protocol has it) and a registration is dropped, the request still runs: the store must not
 * take persisted queries down with it. Warned once per outage, not once per request.
 */
export function persistedQueryCache(store: SharedStore, logger: Logger): KeyValueCache<string> {
  let away = false;
  const answered = <T>(value: T): T => {
    away = false;
    return value;
  };
  const failed = (error: unknown): undefined => {
    if (!away) {
      away = true;
      logger.warn('persisted queries unavailable; lookups miss and registrations are dropped', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return undefined;
  };
  return {
    get: (key) => store.get(key).then(answered, failed),
    // Added, never overwritten: a hash names one text, so an entry already there holds it, and a
    // safelisted operation's entry (Safelist.register, without expiry) must not be given the expiry of
    // a client's registration, which anyone may send for a safelisted text. Overwritten, it expired a
    // day later and clients sending its hash alone got PERSISTED_QUERY_NOT_FOUND.
    set: (key, value, options) => store.add(key, value, options?.ttl ?? undefined).then(() => answered(undefined), failed),
    delete: (key) => store.delete(key).then(answered, failed),
  };
}

/**
 * The operations a client app registered ahead of time. In safelist mode only these run; a client
 * may send just their hash (Apollo's persisted-query extension), as they are persisted queries too.
 */
export class Safelist {
  constructor(private readonly store: SharedStore) {}

  async register(query: string): Promise<string> {
    const hash = sha256(query);
    await this.store.set(`safelist:${hash}`, '1');
    // Where Apollo Server looks a hash up (without TTL: registered for good).
    await this.store.set(`${APQ_PREFIX}${hash}`, query);
    return hash;
  }

  async has(hash: string): Promise<boolean> {
    return (await this.store.get(`safelist:${hash}`)) !== undefined;
  }
}
