import type { Logger } from '@regiograph/shared';
import { parseApiKey, secretMatches } from './key';
import { keepListening, type KeptListener } from '../notices';
import type { ApiKeyRecord, ApiKeyStore } from './store';

/** What a valid key lets its holder do: the identity the gateway vouches for towards the subgraphs. */
export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scopes: string[];
  costPointsPerWindow: number | null;
  requestsPerWindow: number | null;
}

export type ApiKeyCheck =
  | { kind: 'valid'; principal: ApiKeyPrincipal }
  /** keyId is set only for a key that exists (a label for metrics cannot be made up by callers). */
  | { kind: 'invalid'; reason: 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'WRONG_SECRET'; keyId: string | null }
  | { kind: 'unavailable'; error: string };

export interface ApiKeyRegistryOptions {
  /** Seconds a looked-up key is trusted without asking the database again (a net under NOTIFY). @default 30 */
  cacheTtlSeconds?: number;
  /** Milliseconds between attempts to re-establish a lost revocation listener. @default 1000 */
  reconnectDelayMs?: number;
  logger: Logger;
  /** Injectable clock in milliseconds, so tests need no waiting. */
  now?: () => number;
}

/**
 * Checks presented keys against the store, with a short cache kept coherent by NOTIFY: a revocation
 * on any gateway (or the CLI) drops the key here at once. While the listener is down nothing is
 * cached (every check asks the database), so a revocation missed during the outage cannot linger.
 */
export class ApiKeyRegistry {
  private readonly cache = new Map<string, { record: ApiKeyRecord; expiresAt: number }>();
  /** Lookups under way: concurrent requests with one uncached key share a single query. */
  private readonly pending = new Map<string, { generation: number; lookup: Promise<ApiKeyRecord | null> }>();
  /** Bumped by every notice and by a lost listener: a lookup that started before it does not cache its result. */
  private generation = 0;
  /** The revocation listener, kept up in the background; nothing is cached while it is down. */
  private readonly listener: KeptListener;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<ApiKeyStore, 'find' | 'listen' | 'close'>,
    private readonly options: ApiKeyRegistryOptions,
  ) {
    this.ttlMs = (options.cacheTtlSeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
    this.listener = keepListening({
      name: 'API key revocation listener',
      listen: (onLost) => this.store.listen((id) => this.forget(id), onLost),
      onLost: (error) => this.lost(error),
      logger: options.logger,
      reconnectDelayMs: options.reconnectDelayMs,
    });
  }

  /** True while revocations are heard; caching is on only then. */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** Starts listening; a database that is down now only delays it (retried in the background). */
  start(): Promise<void> {
    return this.listener.start();
  }

  private forget(id: string): void {
    this.generation += 1;
    this.cache.delete(id);
  }

  private lost(error: Error): void {
    this.options.logger.warn('API key revocation listener lost; cache cleared', { error: error.message });
    this.generation += 1;
    this.cache.clear();
  }

  private async record(id: string): Promise<ApiKeyRecord | null> {
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt > this.now()) return cached.record;
    // A lookup that began before a notice may have read the row before the revocation: not shared.
    const shared = this.pending.get(id);
    if (shared && shared.generation === this.generation) return shared.lookup;
    const generation = this.generation;
    const lookup = this.store.find(id).then((record) => {
      if (record && this.listening && generation === this.generation) this.cache.set(id, { record, expiresAt: this.now() + this.ttlMs });
      else this.cache.delete(id);
      return record;
    });
    this.pending.set(id, { generation, lookup });
    const forget = () => {
      if (this.pending.get(id)?.lookup === lookup) this.pending.delete(id);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  async check(presented: string): Promise<ApiKeyCheck> {
    const parsed = parseApiKey(presented);
    if (!parsed) return { kind: 'invalid', reason: 'MALFORMED', keyId: null };
    let record: ApiKeyRecord | null;
    try {
      record = await this.record(parsed.id);
    } catch (error) {
      return { kind: 'unavailable', error: error instanceof Error ? error.message : String(error) };
    }
    if (!record) return { kind: 'invalid', reason: 'UNKNOWN', keyId: null };
    if (!secretMatches(parsed.secret, record.secretHash)) return { kind: 'invalid', reason: 'WRONG_SECRET', keyId: null };
    if (record.revokedAt) return { kind: 'invalid', reason: 'REVOKED', keyId: record.id };
    const { id, name, scopes, costPointsPerWindow, requestsPerWindow } = record;
    return { kind: 'valid', principal: { id, name, scopes, costPointsPerWindow, requestsPerWindow } };
  }

  private closing: Promise<void> | null = null;

  /** Idempotent: a gateway may be closed twice (a test's own close, then the harness's). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.listener.close();
      await this.store.close();
    })();
    return this.closing;
  }
}
