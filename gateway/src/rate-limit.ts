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

  static clientOf(request: IncomingMessage): string {
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey.length > 0) return `key:${apiKey.slice(0, 128)}`;
    return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
  }

  async check(client: string): Promise<RateLimitDecision> {
    const window = Math.floor(Date.now() / 1000 / this.windowSeconds);
    const key = `ratelimit:${client}:${window}`;
    const count = await this.store.increment(key, this.windowSeconds);
    const retryAfterSeconds = Math.max(1, (window + 1) * this.windowSeconds - Math.floor(Date.now() / 1000));
    return { allowed: count <= this.limit, limit: this.limit, remaining: Math.max(0, this.limit - count), retryAfterSeconds };
  }
}
