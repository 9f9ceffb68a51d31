import Redis from 'ioredis';

/**
 * The state gateway instances share: persisted queries, the safelist, cached responses, rate-limit
 * counters and the data version. In Redis when REDIS_URL is set, so any number of gateways behind
 * a load balancer act as one; in this process's memory otherwise.
 */
export interface SharedStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /**
   * Sets `key` only if it holds nothing yet; true when it did. Whatever is there stays as it is, its
   * expiry (or lack of one) too: a caller must not turn a permanent entry into one that expires.
   */
  add(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds `by` (one) to a counter that expires `ttlSeconds` after its first increment; returns the new value. */
  increment(key: string, ttlSeconds?: number, by?: number): Promise<number>;
  /** Seconds until the key expires; -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number>;
  /** Null while the store can answer, else why not (for /ready): a Redis that went away. */
  unavailable(): string | null;
  close(): Promise<void>;
}

export class RedisStore implements SharedStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  /** Whether Redis was reached once: until then commands wait for the first connection (the gateway's start). */
  private connected = false;

  /** `prefix` separates deployments (and test runs) sharing one Redis. */
  constructor(
    url: string,
    private readonly prefix = 'regiograph:',
  ) {
    // Fail fast per command instead of queueing forever when Redis is unreachable: a request
    // must get an answer (or a clear error), never hang.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => {
      this.connected = true;
    });
  }

  unavailable(): string | null {
    if (this.redis.status === 'ready') return null;
    return `Redis is unavailable (connection ${this.redis.status})`;
  }

  /**
   * The client, once Redis answers. After it went away, each command waited for a reconnection
   * attempt first (connectTimeout, growing back-off) and a request makes several: with Redis down,
   * every answer took 2 to 12 s. They now fail at once, and their callers go on without Redis
   * (the rate limiter admits, the cache misses) until it is back.
   */
  private client(): Redis {
    const reason = this.connected ? this.unavailable() : null;
    if (reason) throw new Error(reason);
    return this.redis;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client().get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds && ttlSeconds > 0) await this.client().set(this.prefix + key, value, 'EX', ttlSeconds);
    else await this.client().set(this.prefix + key, value);
  }

  async add(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    const reply =
      ttlSeconds && ttlSeconds > 0
        ? await this.client().set(this.prefix + key, value, 'EX', ttlSeconds, 'NX')
        : await this.client().set(this.prefix + key, value, 'NX');
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.client().del(this.prefix + key);
  }

  async increment(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const multi = this.client()
      .multi()
      .incrby(this.prefix + key, by);
    if (ttlSeconds) multi.expire(this.prefix + key, ttlSeconds, 'NX');
    const results = await multi.exec();
    const [error, value] = results?.[0] ?? [new Error('no reply'), 0];
    if (error) throw error;
    return Number(value);
  }

  async ttl(key: string): Promise<number> {
    return this.client().ttl(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export class MemoryStore implements SharedStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, { value: string; expiresAt: number | null }>();
  /** Characters held in values that expire (those eviction may drop). */
  private expiringLength = 0;

  /**
   * @param maxEntries entries at most (default 10,000)
   * @param maxExpiringLength characters at most in values with an expiry, about bytes for the JSON
   *   and counters kept here (default 64 Mi): cached answers are bounded by size, not only by count
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxExpiringLength = 64 * 1024 * 1024,
  ) {}

  private live(key: string): { value: string; expiresAt: number | null } | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry?.expiresAt != null) this.expiringLength -= entry.value.length;
    this.entries.delete(key);
  }

  private put(key: string, value: string, expiresAt: number | null): void {
    this.remove(key);
    this.entries.set(key, { value, expiresAt });
    if (expiresAt !== null) this.expiringLength += value.length;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const expiresAt = ttlSeconds && ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : null;
    this.remove(key);
    // A value that alone exceeds the bound is not kept: like a cache entry Redis evicts at once.
    if (expiresAt !== null && value.length > this.maxExpiringLength) return;
    while (this.entries.size >= this.maxEntries || (expiresAt !== null && this.expiringLength + value.length > this.maxExpiringLength)) {
      if (!this.evictOldestExpiring()) break;
    }
    this.put(key, value, expiresAt);
  }

  async add(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.remove(key);
  }

  /** The keys it holds, those expired left out: for tests that check what the gateway keeps, and for how long. */
  keys(): string[] {
    return [...this.entries.keys()].filter((key) => this.live(key) !== undefined);
  }

  /** Characters held in values with an expiry (for tests and metrics). */
  get expiringCharacters(): number {
    return this.expiringLength;
  }

  /**
   * Bounds memory like Redis's volatile-lru: only entries with an expiry (cached answers,
   * counters) give way, oldest first; registered operations stay. False when none is left.
   */
  private evictOldestExpiring(): boolean {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null) {
        this.remove(key);
        return true;
      }
    }
    return false;
  }

  async increment(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const entry = this.live(key);
    const value = Number(entry?.value ?? 0) + by;
    const expiresAt = entry?.expiresAt ?? (ttlSeconds ? Date.now() + ttlSeconds * 1000 : null);
    this.put(key, String(value), expiresAt);
    return value;
  }

  async ttl(key: string): Promise<number> {
    const entry = this.live(key);
    if (!entry) return -2;
    return entry.expiresAt === null ? -1 : Math.ceil((entry.expiresAt - Date.now()) / 1000);
  }

  unavailable(): null {
    return null;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.expiringLength = 0;
  }
}

export function createSharedStore(redisUrl: string | null, prefix?: string): SharedStore {
  return redisUrl ? new RedisStore(redisUrl, prefix) : new MemoryStore();
}
