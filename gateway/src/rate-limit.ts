import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Logger } from '@regiograph/shared';
import type { SharedStore } from './store';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** What is left of the limit in the window ending now, this request counted. */
  remaining: number;
  /** Seconds until a request of the same size fits again, if the client sends nothing meanwhile. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Names the counters in the shared store: `ratelimit` for requests, `costpoints` for cost points. */
  name?: string;
  /** Milliseconds since the epoch; tests move it across window boundaries. */
  now?: () => number;
  /** Where a refused client is said, once per window (none: not logged). */
  logger?: Logger;
}

/** Clients named in one window's log lines at most; past it they may be named twice, never held without bound. */
export const LOGGED_CLIENTS_PER_WINDOW = 10_000;

/**
 * A sliding-window limiter per client: the verified API key when one is sent (partners), else the
 * pseudonym of the address (clientAddressOf, clientIdOf).
 * It keeps one counter per fixed window and weighs the previous window's by how much of it still
 * lies within the last `windowSeconds`. A fixed window alone would let a client spend its limit
 * twice around a window's boundary. Counters live in the shared store, so all gateway instances
 * count together under Redis. Refused requests are charged too: a client that ignores
 * Retry-After stays refused.
 */
export class RateLimiter {
  private readonly name: string;
  private readonly now: () => number;
  private readonly logger: Logger | null;
  /** The window of `loggedClients`: the clients already logged as refused in it. */
  private loggedWindow = -1;
  private readonly loggedClients = new Set<string>();

  constructor(
    private readonly store: SharedStore,
    private readonly limit: number,
    private readonly windowSeconds: number,
    options: RateLimiterOptions = {},
  ) {
    this.name = options.name ?? 'ratelimit';
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? null;
  }

  /**
   * The client a request without a verified API key is charged to: `ip:` and the pseudonym of its
   * address (clientAddressOf, clientIdOf), so that neither the counters in the shared store nor the
   * log name an address (docs/privacy.md). A verified key is charged as `apikey:<id>` (server.ts). An
   * x-api-key header that no key registry checked names nothing: counted by its value, a client would
   * get a fresh allowance per made-up key.
   */
  static clientOf(request: IncomingMessage, trustedProxyHops: number, clientIdKey: string): string {
    return `ip:${clientIdOf(clientAddressOf(request, trustedProxyHops), clientIdKey)}`;
  }

  /** Charges `amount` to `client`; `limit` overrides the configured one (a key's own allowance). */
  async check(client: string, limit = this.limit, amount = 1): Promise<RateLimitDecision> {
    const position = this.now() / 1000 / this.windowSeconds;
    const window = Math.floor(position);
    const elapsed = position - window;
    const counter = (index: number) => `${this.name}:${client}:${index}`;
    // The current window's counter must outlive the next window, in which it is the previous one.
    const [current, previousText] = await Promise.all([
      this.store.increment(counter(window), 2 * this.windowSeconds, amount),
      this.store.get(counter(window - 1)),
    ]);
    const previous = Number(previousText ?? 0);
    const used = previous * (1 - elapsed) + current;
    const decision = {
      allowed: used <= limit,
      limit,
      remaining: Math.max(0, Math.floor(limit - used)),
      // Rounded to the millisecond first: float noise must not add a second.
      retryAfterSeconds: Math.max(
        1,
        Math.ceil(Math.round(windowsUntilAdmitted(previous, current, elapsed, amount, limit) * this.windowSeconds * 1000) / 1000),
      ),
    };
    if (!decision.allowed) this.logRefusal(client, window, decision);
    return decision;
  }

  /**
   * One line per client and window, not per request: a client that ignores Retry-After would
   * otherwise write a line for every request it floods with. The client is its address's pseudonym or
   * `apikey:<id>`, never an address or a key itself. Each gateway instance says it for itself.
   */
  private logRefusal(client: string, window: number, decision: RateLimitDecision): void {
    if (!this.logger) return;
    if (window !== this.loggedWindow || this.loggedClients.size >= LOGGED_CLIENTS_PER_WINDOW) {
      this.loggedWindow = window;
      this.loggedClients.clear();
    }
    if (this.loggedClients.has(client)) return;
    this.loggedClients.add(client);
    this.logger.warn('rate limited', {
      limiter: this.name,
      client,
      limit: decision.limit,
      windowSeconds: this.windowSeconds,
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}

/** Hex digits of a client id: 128 bits, so that two of the clients seen in a window share a counter by chance practically never. */
const CLIENT_ID_HEX_DIGITS = 32;

/**
 * The pseudonym of a client's address (clientOfAddress): its HMAC-SHA-256 under `key`, truncated. The
 * same address has the same id on every gateway instance given the same key, so they still count it
 * together. Without the key an id in Redis or in a log does not tell the address; with it, all 2^32
 * IPv4 addresses can be tried in a while, so the key is a secret like AUTH_SECRET.
 * `printf %s <address> | openssl dgst -sha256 -hmac <key>` gives it too (its first 32 digits).
 */
export function clientIdOf(address: string, key: string): string {
  return createHmac('sha256', key).update(address).digest('hex').slice(0, CLIENT_ID_HEX_DIGITS);
}

/**
 * The key clientIdOf hashes with: GATEWAY_CLIENT_ID_KEY when set, else one derived from the token
 * signing secret (AUTH_SECRET), which every instance of a deployment shares and no other deployment
 * has. Derived, not the secret itself: a client id cannot help anyone to the signing secret.
 */
export function resolveClientIdKey(configured: string | null, authSecret: string): string {
  return configured ?? createHmac('sha256', authSecret).update('regiograph gateway client id').digest('hex');
}

/**
 * The address a request came from (an IPv6 client's /64, clientOfAddress). Without proxies in front (`trustedProxyHops` 0, the default) it is
 * the socket's, and X-Forwarded-For is ignored: a client can write anything there. Behind proxies that
 * each append the address they received from (an ingress: 1), it is the entry that many from the right
 * of X-Forwarded-For; the entries further left are again the client's own writing. A request with
 * fewer entries did not pass the proxies, and is charged to its socket's address.
 */
export function clientAddressOf(request: IncomingMessage, trustedProxyHops: number): string {
  // The socket's address is a client's too: a dual-stack socket reports IPv4 mapped into IPv6, and an
  // IPv6 client connected directly picks its address in its /64 as freely as one behind a proxy.
  const socketAddress = clientOfAddress(request.socket.remoteAddress ?? 'unknown');
  if (trustedProxyHops <= 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const forwarded = entries.length >= trustedProxyHops ? entries[entries.length - trustedProxyHops] : undefined;
  return forwarded ? clientOfAddress(forwarded.slice(0, 64)) : socketAddress;
}

/**
 * The client an address stands for. An IPv6 client is its /64: a subscriber, a host or a VM is
 * given at least one /64 (RFC 6177) and picks addresses in it at will (privacy addresses, RFC 8981),
 * so counted per address one client had 2^64 allowances. An IPv4 address mapped into IPv6
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) is that IPv4 address. A port after the
 * address (`192.0.2.1:5678`, `[2001:db8::1]:5678`) is dropped. Anything else (not an IP address) is
 * taken as it is.
 */
export function clientOfAddress(address: string): string {
  // Some proxies (Azure's Application Gateway) append the client's port too, a new one per connection.
  const withoutPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address)?.[1] ?? /^\[([^\]]+)\](?::\d+)?$/.exec(address)?.[1] ?? address;
  if (isIP(withoutPort) === 4) return withoutPort;
  const bare = withoutPort.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return address;
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (isIP 6), `::` and a dotted IPv4 tail expanded. */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head, tail] = text.split('::') as [string, string | undefined];
  if (tail === undefined) return parse(head);
  const before = parse(head);
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * How many windows must pass until `amount` fits under `limit` again, with nothing spent meanwhile:
 * within the current window the previous one's weight fades; after it, the current one's does.
 */
function windowsUntilAdmitted(previous: number, current: number, elapsed: number, amount: number, limit: number): number {
  const room = limit - amount;
  // Demand control refuses such an amount before charging it (QUERY_TOO_COSTLY); this is for other callers.
  if (room < 0) return 2 - elapsed;
  if (current <= room) return previous > 0 ? Math.max(0, 1 - elapsed - (room - current) / previous) : 0;
  return 1 - elapsed + (1 - room / current);
}
