import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createLogger } from '@regiograph/shared';
import { clientAddressOf, clientIdOf, clientOfAddress, LOGGED_CLIENTS_PER_WINDOW, RateLimiter, resolveClientIdKey } from './rate-limit';
import { MemoryStore } from './store';

/** A clock the test moves: `at(seconds)` sets it, counted from a window boundary. */
function clock(windowSeconds: number) {
  const start = 1_000_000 * windowSeconds * 1000;
  let millis = start;
  return { now: () => millis, at: (seconds: number) => void (millis = start + seconds * 1000) };
}

describe('RateLimiter', () => {
  it('logs a refused client once per window, naming it, the limit and the Retry-After: a flood writes one line, not one a request', async () => {
    const time = clock(60);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('gateway', { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const limiter = new RateLimiter(new MemoryStore(), 2, 60, { name: 'refusedkeys', now: time.now, logger });
    time.at(30);
    const decisions = [];
    for (let i = 0; i < 50; i++) decisions.push(await limiter.check('ip:192.0.2.7'));
    for (let i = 0; i < 3; i++) decisions.push(await limiter.check('apikey:k1'));
    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'warn',
        service: 'gateway',
        message: 'rate limited',
        limiter: 'refusedkeys',
        client: 'ip:192.0.2.7',
        limit: 2,
        windowSeconds: 60,
        retryAfterSeconds: decisions[2]!.retryAfterSeconds,
      },
      {
        time: expect.any(String),
        level: 'warn',
        service: 'gateway',
        message: 'rate limited',
        limiter: 'refusedkeys',
        client: 'apikey:k1',
        limit: 2,
        windowSeconds: 60,
        retryAfterSeconds: decisions[52]!.retryAfterSeconds,
      },
    ]);
    expect(decisions.filter((decision) => !decision.allowed)).toHaveLength(49);
    // The next window: a client still refused is said again, once.
    time.at(95);
    for (let i = 0; i < 5; i++) expect((await limiter.check('ip:192.0.2.7')).allowed).toBe(false);
    expect(lines.slice(2).map((line) => [line.client, line.retryAfterSeconds])).toEqual([['ip:192.0.2.7', expect.any(Number)]]);
  });

  it('allows the limit per client and window, then refuses with the time to wait', async () => {
    const limiter = new RateLimiter(new MemoryStore(), 2, 60);
    expect((await limiter.check('key:a')).allowed).toBe(true);
    expect((await limiter.check('key:a')).allowed).toBe(true);
    const refused = await limiter.check('key:a');
    expect(refused).toMatchObject({ allowed: false, limit: 2, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    expect((await limiter.check('key:b')).allowed).toBe(true);
  });

  it('does not give a second allowance at a window boundary: the last window counts by its share in the last 60 s', async () => {
    const time = clock(60);
    const limiter = new RateLimiter(new MemoryStore(), 5, 60, time);
    time.at(59);
    for (let i = 0; i < 5; i++) expect((await limiter.check('key:a')).allowed).toBe(true);
    time.at(61); // the next window: 58 of the last 60 s lie in the previous one
    expect(await limiter.check('key:a')).toMatchObject({ allowed: false, remaining: 0 });
    time.at(71); // 5 × 49/60 + 1 charged refusal + 1 = 6.08
    expect((await limiter.check('key:a')).allowed).toBe(false);
    time.at(90); // 5 × 30/60 + 2 + 1 = 5.5
    expect((await limiter.check('key:a')).allowed).toBe(false);
    time.at(111); // 5 × 9/60 + 3 + 1 = 4.75
    expect(await limiter.check('key:a')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('tells how long to wait until a request fits again, if nothing is sent meanwhile', async () => {
    const time = clock(60);
    const limiter = new RateLimiter(new MemoryStore(), 4, 60, time);
    time.at(30);
    for (let i = 0; i < 4; i++) await limiter.check('key:a');
    // The current window is full: it must end (30 s) and fade until 5 × (1 − f) + 1 ≤ 4, f = 0.4 (24 s).
    const full = await limiter.check('key:a');
    expect(full).toMatchObject({ allowed: false, retryAfterSeconds: 54 });
    time.at(84); // as told: 5 × 0.6 + 1 = 4
    expect((await limiter.check('key:a')).allowed).toBe(true);

    // Room in the current window: only the previous one's weight must fade.
    const fading = new RateLimiter(new MemoryStore(), 4, 60, time);
    time.at(-1);
    for (let i = 0; i < 4; i++) await fading.check('key:b');
    time.at(6); // 4 × 54/60 + 1 = 4.6: refused, and charged; 4 × (1 − f) + 2 ≤ 4 from f = 0.5
    expect(await fading.check('key:b')).toMatchObject({ allowed: false, retryAfterSeconds: 24 });
    time.at(30);
    expect((await fading.check('key:b')).allowed).toBe(true);
  });

  it('names its counters `ratelimit` unless told otherwise: instances sharing a store count under the same key', async () => {
    const time = clock(60);
    const store = new MemoryStore();
    await new RateLimiter(store, 5, 60, time).check('key:a');
    await new RateLimiter(store, 5, 60, time).check('key:a');
    expect(await store.get('ratelimit:key:a:1000000')).toBe('2');
  });

  it('tells a client that just used its allowance up to the last point to wait no longer than a second', async () => {
    const time = clock(60);
    const limiter = new RateLimiter(new MemoryStore(), 4, 60, time);
    time.at(30);
    // 2 of 4 spent: the same amount fits again at once, though no earlier window fades to make room.
    expect(await limiter.check('key:a', 4, 2)).toEqual({ allowed: true, limit: 4, remaining: 2, retryAfterSeconds: 1 });
    // 4 of 4: this window must end (30 s) and fade by half (30 s) until 4 × (1 − f) + 2 ≤ 4.
    expect(await limiter.check('key:a', 4, 2)).toEqual({ allowed: true, limit: 4, remaining: 0, retryAfterSeconds: 60 });
  });

  it('remembers at most LOGGED_CLIENTS_PER_WINDOW logged clients in a window, then starts afresh', async () => {
    const time = clock(60);
    const logged: unknown[] = [];
    const logger = createLogger('gateway', {
      level: 'debug',
      write: (line) => logged.push((JSON.parse(line) as { client: string }).client),
    });
    const limiter = new RateLimiter(new MemoryStore(), 0, 60, { now: time.now, logger });
    for (let i = 0; i < LOGGED_CLIENTS_PER_WINDOW; i++) await limiter.check(`ip:${i}`);
    expect(logged).toHaveLength(LOGGED_CLIENTS_PER_WINDOW);
    // The memory is full: the next refusal empties it, so clients already named are named once more.
    await limiter.check('ip:0');
    await limiter.check('ip:0');
    await limiter.check('ip:1');
    expect(logged.slice(LOGGED_CLIENTS_PER_WINDOW)).toEqual(['ip:0', 'ip:1']);
  });

  it('charges amounts against a budget of their own, per name and client', async () => {
    const time = clock(3600);
    const store = new MemoryStore();
    const costPoints = new RateLimiter(store, 2000, 3600, { ...time, name: 'costpoints' });
    const requests = new RateLimiter(store, 1, 3600, time);
    time.at(100);
    expect(await costPoints.check('key:a', 2000, 1133)).toMatchObject({ allowed: true, remaining: 867 });
    expect((await requests.check('key:a')).allowed).toBe(true);
    expect((await costPoints.check('key:a', 2000, 1133)).allowed).toBe(false);
    expect((await costPoints.check('key:b', 2000, 1133)).allowed).toBe(true);
    // An amount over the whole budget never fits: wait until both windows are empty.
    expect(await costPoints.check('key:c', 1000, 1133)).toMatchObject({ allowed: false, retryAfterSeconds: 2 * 3600 - 100 });
    expect(await store.get('costpoints:key:a:1000000')).toBe('2266');
  });
});

describe('clientOfAddress', () => {
  it('counts an IPv6 client by its /64, which it may pick any address in', () => {
    const ofOneHost = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:a:b:c:d', '2001:db8:1:2::7%eth0'];
    expect(new Set(ofOneHost.map(clientOfAddress))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientOfAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientOfAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientOfAddress('2001:db8::1.2.3.4')).toBe('2001:db8:0:0::/64');
  });

  it('takes an IPv4 address mapped into IPv6 as that IPv4 address, drops a port, and takes anything else as it is', () => {
    expect(clientOfAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientOfAddress('::ffff:c000:201')).toBe('192.0.2.1');
    expect(clientOfAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(clientOfAddress('unknown')).toBe('unknown');
    // A proxy that appends the port too (a new one per connection) names one client.
    expect(clientOfAddress('192.0.2.1:5678')).toBe('192.0.2.1');
    expect(clientOfAddress('[2001:db8:1:2::1]:5678')).toBe('2001:db8:1:2::/64');
    expect(clientOfAddress('[::ffff:192.0.2.1]')).toBe('192.0.2.1');
    expect(clientOfAddress('192.168.20.10:5678')).toBe('192.168.20.10');
    expect(clientOfAddress('::ffff:192.168.20.10')).toBe('192.168.20.10');
    expect(clientOfAddress('::ffff:192.0.2.1%eth0')).toBe('192.0.2.1');
    // Text that holds an address among other characters is not that address.
    for (const text of ['proxy-192.0.2.1:5678', '192.0.2.1:5678x', 'via[2001:db8:1:2::1]', '[2001:db8:1:2::1]:5678x']) {
      expect(clientOfAddress(text)).toBe(text);
    }
  });

  it('takes an IPv6 address as IPv4 only when all of its first 80 bits are zero: a client picks the rest of its /64', () => {
    expect(clientOfAddress('2001:db8:1:0:0:ffff:c000:201')).toBe('2001:db8:1:0::/64');
    expect(clientOfAddress('0:0:0:0:1:ffff:c000:201')).toBe('0:0:0:0::/64');
    // `::` stands for as many zero groups as are missing, wherever it is.
    expect(clientOfAddress('2001::1:2:3:4:5:6')).toBe('2001:0:1:2::/64');
  });
});

describe('client pseudonyms', () => {
  const KEY = 'a-client-id-key-of-at-least-32-bytes';
  const request = (socketAddress: string, forwardedFor?: string) =>
    ({
      socket: { remoteAddress: socketAddress },
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    }) as unknown as IncomingMessage;

  it("charge an address as `ip:` and its HMAC-SHA-256's first 32 hex digits, the same on every instance with the key", () => {
    const expected = createHmac('sha256', KEY).update('192.0.2.7').digest('hex').slice(0, 32);
    expect(clientIdOf('192.0.2.7', KEY)).toBe(expected);
    expect(RateLimiter.clientOf(request('192.0.2.7'), 0, KEY)).toBe(`ip:${expected}`);
    expect(RateLimiter.clientOf(request('10.0.0.1', '192.0.2.7'), 1, KEY)).toBe(`ip:${expected}`);
    // Another key, another pseudonym: a deployment's ids say nothing in another's.
    expect(clientIdOf('192.0.2.7', `${KEY}-other`)).not.toBe(expected);
  });

  it("hash an IPv6 client's /64, so its addresses share one pseudonym", () => {
    const pseudonyms = ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9'].map((address) =>
      RateLimiter.clientOf(request('10.0.0.1', address), 1, KEY),
    );
    expect(pseudonyms).toEqual([`ip:${clientIdOf('2001:db8:1:2::/64', KEY)}`, `ip:${clientIdOf('2001:db8:1:2::/64', KEY)}`]);
    expect(RateLimiter.clientOf(request('10.0.0.1', '2001:db8:1:3::1'), 1, KEY)).not.toBe(pseudonyms[0]);
  });

  it('take GATEWAY_CLIENT_ID_KEY as the key when set, else one derived from AUTH_SECRET that is not the secret', () => {
    const secret = 'an-auth-secret-of-at-least-32-bytes';
    expect(resolveClientIdKey(KEY, secret)).toBe(KEY);
    const derived = resolveClientIdKey(null, secret);
    expect(derived).toBe(createHmac('sha256', secret).update('regiograph gateway client id').digest('hex'));
    expect(derived).not.toContain(secret);
    expect(resolveClientIdKey(null, `${secret}-other`)).not.toBe(derived);
  });
});

describe('clientAddressOf', () => {
  const request = (socket: string, forwardedFor?: string | string[]) =>
    ({
      socket: { remoteAddress: socket },
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    }) as unknown as IncomingMessage;

  it("takes the socket's address without proxies in front, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf(request('192.0.2.7', '198.51.100.1'), 0)).toBe('192.0.2.7');
  });

  it('counts a client connected without proxies by its /64 too, and a mapped IPv4 address as that address', () => {
    expect(clientAddressOf(request('2001:db8:1:2:aaaa::1'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddressOf(request('::ffff:192.0.2.7'), 0)).toBe('192.0.2.7');
  });

  it('takes the entry as many from the right as there are proxies, not the ones the client wrote further left', () => {
    expect(clientAddressOf(request('10.0.0.1', '198.51.100.9, 192.0.2.7'), 1)).toBe('192.0.2.7');
    expect(clientAddressOf(request('10.0.0.1', '198.51.100.9, 192.0.2.7, 10.0.0.2'), 2)).toBe('192.0.2.7');
    expect(clientAddressOf(request('10.0.0.1', ['198.51.100.9', '192.0.2.7 , ']), 1)).toBe('192.0.2.7');
  });

  it('takes at most 64 characters of a forwarded entry, and a socket without an address as `unknown`', () => {
    expect(clientAddressOf(request('10.0.0.1', `${'x'.repeat(100)}`), 1)).toBe('x'.repeat(64));
    expect(clientAddressOf({ socket: {}, headers: {} } as unknown as IncomingMessage, 0)).toBe('unknown');
  });

  it('charges a request that did not pass every proxy to its socket', () => {
    expect(clientAddressOf(request('10.0.0.1', '192.0.2.7'), 2)).toBe('10.0.0.1');
    expect(clientAddressOf(request('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});
