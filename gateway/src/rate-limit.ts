import type { IncomingMessage } from 'node:http';
import type { SharedStore } from './store';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/**
 * A fixed-window limiter per client: the API key when one is sent (partners), else the address.
 * Counters live in the shared store, so all gateway instances count together under Redis.
 */
export class RateLimiter {
  constructor(
    private readonly store: SharedStore,
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  /**
   * With API keys enabled a request is charged to its verified key (`apikey:<id>`, see server.ts);
   * without them the x-api-key header is an unverified client name, as before.
   */
  static clientOf(request: IncomingMessage): string {
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey.length > 0) return `key:${apiKey.slice(0, 128)}`;
    return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
  }

  /** `limit` overrides the configured requests per window (a key's own allowance). */
  async check(client: string, limit = this.limit): Promise<RateLimitDecision> {
    const window = Math.floor(Date.now() / 1000 / this.windowSeconds);
    const key = `ratelimit:${client}:${window}`;
    const count = await this.store.increment(key, this.windowSeconds);
    const retryAfterSeconds = Math.max(1, (window + 1) * this.windowSeconds - Math.floor(Date.now() / 1000));
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), retryAfterSeconds };
  }
}
