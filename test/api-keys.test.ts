// Partner API keys (issue 18): issued and revoked by the CLI, stored as hashes, checked by the gateway
// with their scopes and limits, counted per key in /metrics, refused at once on every gateway after a
// revocation (NOTIFY), and refused with 503 — never let through — while the key store is unreachable.
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from '@regiograph/db';
import { ApiKeyRegistry, ApiKeyStore, keysMain, parseApiKey, REVOCATION_CHANNEL } from '@regiograph/gateway';
import { createLogger, silentLogger } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import { metricsOf, metricValue, startStack, testDatabaseUrl, type ExtraGateway, type GraphQLResult, type Stack } from './harness';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');
/** Caches that outlive every test: only a NOTIFY (or a lost listener) can make a gateway drop a key. */
const LONG_CACHE = { API_KEYS_CACHE_TTL_SECONDS: '3600', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false' };
const REGION = '{ region(code: "03") { name } }';

let stack: Stack;
let database: pg.Client;

beforeAll(async () => {
  stack = await startStack();
  database = new pg.Client({ connectionString: testDatabaseUrl() });
  await database.connect();
});

afterAll(async () => {
  await database?.end();
  await stack?.stop();
});

/** The keys CLI, as an operator runs it: a process of its own (npm, then the script). */
async function keysCommand(...args: string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', '-s', 'keys', '-w', '@regiograph/gateway', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, API_KEYS_DATABASE_URL: testDatabaseUrl() },
  });
  return stdout;
}

/**
 * The keys CLI in this process: the same lines and exit code as keysCommand, without the 1–2 CPU s of
 * a fresh npm and Node per call. Fails as execFile does, with the exit code and what went to stderr.
 */
async function keysCli(...args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await keysMain(args, {
    env: { API_KEYS_DATABASE_URL: testDatabaseUrl() },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  if (code !== 0) throw Object.assign(new Error(`keys ${args.join(' ')} exited with ${code}: ${stderr}`), { code, stdout, stderr });
  return stdout;
}

function idOf(key: string): string {
  return parseApiKey(key)!.id;
}

const withKey = (key: string) => ({ 'x-api-key': key });

/** Polls until the gateway refuses the key; returns how many requests it still served meanwhile. */
async function untilRefused(
  gateway: ExtraGateway,
  key: string,
  boundMs = 15_000,
): Promise<{ served: number; last: GraphQLResult<unknown> }> {
  const deadline = Date.now() + boundMs;
  let served = 0;
  for (;;) {
    const last = await gateway.query(REGION, undefined, withKey(key));
    if (last.status !== 200 || Date.now() > deadline) return { served, last };
    served += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the keys CLI', () => {
  it('prints a new key once, stores only the SHA-256 of its secret, lists keys without secrets', async () => {
    // The one run through npm: the script's wiring (arguments, API_KEYS_DATABASE_URL, stdout, exit code).
    const output = await keysCommand(
      'issue',
      '--name',
      'CLI partner',
      '--scopes',
      'read,projects:write',
      '--rate-cost-points',
      '500000',
      '--rate-requests',
      '300',
    );
    const key = /^(rg_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$/m.exec(output)?.[1];
    expect(key).toBeDefined();
    const { id, secret } = parseApiKey(key!)!;
    const { rows } = await database.query('SELECT * FROM access.api_key WHERE id = $1', [id]);
    expect(rows).toEqual([
      {
        id,
        name: 'CLI partner',
        secret_hash: createHash('sha256').update(secret).digest('hex'),
        scopes: ['read', 'projects:write'],
        cost_points_per_window: 500_000,
        requests_per_window: 300,
        created_at: expect.any(Date),
        revoked_at: null,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    const list = await keysCli('list');
    expect(list).toContain(`${id}  CLI partner  [read,projects:write]  cost points 500000, requests 300`);
    expect(list).not.toContain(secret);
    await expect(keysCli('issue', '--name', 'no scopes')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('issue needs --scopes'),
    });
    await expect(keysCli('issue', '--name', 'x', '--scopes', 'read', '--rate-cost-points', 'many')).rejects.toMatchObject({ code: 2 });
  }, 120_000);
});

describe('a gateway with API keys', () => {
  it('serves a valid key, refuses made-up, malformed and wrongly-signed keys with 401 INVALID_API_KEY', async () => {
    const key = await stack.apiKey('valid partner');
    const valid = await stack.query(REGION, undefined, withKey(key));
    expect(valid).toEqual({ status: 200, data: { region: { name: 'Niedersachsen' } }, extensions: expect.anything() });

    const wrongSecret = `rg_${idOf(key)}_${'A'.repeat(43)}`;
    // An empty header too: a partner whose key variable is unset learns it at once, not at its first write.
    for (const presented of ['partner-123', `rg_${'0'.repeat(16)}_${'B'.repeat(43)}`, wrongSecret, '', ' ']) {
      const refused = await stack.query(REGION, undefined, withKey(presented));
      expect(refused.status).toBe(401);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_API_KEY' }) })]);
    }
    // Without a key the gateway is as open as before.
    expect((await stack.query(REGION)).status).toBe(200);
  });

  it('refuses a key sent together with a bearer token (400 CONFLICTING_CREDENTIALS): neither can add to the other', async () => {
    const key = await stack.apiKey('reader with a token');
    const refused = await stack.query(REGION, undefined, { ...withKey(key), ...testBearer({ sub: 'editor', scopes: ['projects:write'] }) });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICTING_CREDENTIALS');
  });

  it('refuses a bearer token that names an API key as its subject: only the gateway speaks for a key it has checked', async () => {
    const key = await stack.apiKey('impersonated');
    const id = key.split('_')[1]!;
    const refused = await stack.query(REGION, undefined, testBearer({ sub: `apikey:${id}`, name: 'impersonated', scopes: ['read'] }));
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toBe('Subjects starting with "apikey:" are reserved for API keys: send the key as x-api-key.');
    // The key itself, and a token of anyone else, are served.
    expect((await stack.query(REGION, undefined, withKey(key))).status).toBe(200);
    expect((await stack.query(REGION, undefined, testBearer({ sub: 'editor', scopes: ['read'] }))).status).toBe(200);
  });

  it("gives the subgraphs the key's scopes: projects:write may create a project, read may not", async () => {
    const create = (key: string, title: string) =>
      stack.query<{ createProject: { project: { id: string } | null; errors: { code: string }[] } }>(
        'mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { code } } }',
        {
          input: {
            title,
            summary: 'Written with a partner API key.',
            kind: 'MODEL_PROJECT',
            topics: ['MOBILITY'],
            startDate: '2026-03-01',
            regions: [{ regionCode: '03159', role: 'LEAD' }],
          },
        },
        withKey(key),
      );
    const writer = await create(await stack.apiKey('writer', { scopes: ['read', 'projects:write'] }), 'API key writer project');
    expect(writer.errors).toBeUndefined();
    expect(writer.data?.createProject.errors).toEqual([]);
    expect(writer.data?.createProject.project?.id).toMatch(/\S/);

    const reader = await create(await stack.apiKey('reader', { scopes: ['read'] }), 'API key reader project');
    const codes = [
      ...(reader.errors ?? []).map((error) => error.extensions?.code),
      ...(reader.data?.createProject.errors ?? []).map((error) => error.code),
    ];
    expect(codes).toEqual(['FORBIDDEN']);
    const { rows } = await database.query(`SELECT count(*)::int AS n FROM projects.project WHERE title = 'API key reader project'`);
    expect(rows[0].n).toBe(0);
  });

  it('charges each key its own cost-point and request allowance, and counts usage per key id in /metrics', async () => {
    const gateway = await stack.startGateway({
      env: { ...LONG_CACHE, RATE_LIMIT_COST_POINTS: '1000000', RATE_LIMIT_REQUESTS: '1000', RATE_LIMIT_WINDOW_SECONDS: '3600' },
    });
    const descendants = '{ region(code: "03") { descendants { code } } }'; // 1 + 1,132 points
    const small = await stack.apiKey('small budget', { costPointsPerWindow: 2000 });
    const other = await stack.apiKey('default budget');
    expect((await gateway.query(descendants, undefined, withKey(small))).status).toBe(200);
    const spent = await gateway.query(descendants, undefined, withKey(small));
    expect(spent.status).toBe(429);
    expect(spent.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: { estimated: 1133, budget: 2000 } });
    expect((await gateway.query(descendants, undefined, withKey(other))).status).toBe(200);

    const few = await stack.apiKey('three requests', { requestsPerWindow: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await gateway.query(REGION, undefined, withKey(few))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const metrics = await metricsOf(gateway);
    expect(metricValue(metrics, 'regiograph_gateway_api_key_requests_total', `key_id="${idOf(small)}"`)).toBe(2);
    expect(metricValue(metrics, 'regiograph_gateway_api_key_cost_points_total', `key_id="${idOf(small)}"`)).toBe(2266);
    expect(metricValue(metrics, 'regiograph_gateway_api_key_refusals_total', `key_id="${idOf(small)}",code="RATE_LIMITED"`)).toBe(1);
    expect(metricValue(metrics, 'regiograph_gateway_api_key_requests_total', `key_id="${idOf(few)}"`)).toBe(4);
    expect(metricValue(metrics, 'regiograph_gateway_api_key_refusals_total', `key_id="${idOf(few)}",code="RATE_LIMITED"`)).toBe(1);
    for (const key of [small, other, few]) expect(metrics).not.toContain(parseApiKey(key)!.secret);
  });
});

describe('refused keys', () => {
  it('are charged to their address: made-up keys are no way round its limit, and past it no key of it is looked up', async () => {
    const lines: string[] = [];
    const clientIdKey = `a-client-id-key-for-this-test-${randomUUID()}`;
    const gateway = await stack.startGateway({
      logger: createLogger('gateway', { level: 'warn', write: (line) => lines.push(line) }),
      env: {
        ...LONG_CACHE,
        REDIS_KEY_PREFIX: `${stack.redisKeyPrefix}refused-keys-${randomUUID()}:`,
        GATEWAY_CLIENT_ID_KEY: clientIdKey,
        TRUSTED_PROXY_HOPS: '1',
        RATE_LIMIT_REQUESTS: '3',
        RATE_LIMIT_WINDOW_SECONDS: '3600',
      },
    });
    const valid = await stack.apiKey('beside a key guesser');
    const from = async (address: string, key?: string) => {
      const answer = await gateway.query(REGION, undefined, { 'x-forwarded-for': address, ...(key === undefined ? {} : withKey(key)) });
      // The message without its Retry-After, which depends on where in the window the test runs.
      return answer.status === 429 ? `429 ${String(answer.errors?.[0]?.message).replace(/ Retry after \d+ s\.$/, '')}` : answer.status;
    };
    const guess = (n: number) => `rg_${n.toString(16).padStart(16, '0')}_${'G'.repeat(43)}`;
    const guesses = [];
    for (let n = 1; n <= 5; n++) guesses.push(await from('192.0.2.7', guess(n)));
    const spent = '429 Too many requests with a refused API key: at most 3 per 3600 s.';
    expect(guesses).toEqual([401, 401, 401, spent, spent]);
    // Refused before its key is looked up: a valid key too, until the window has passed.
    expect(await from('192.0.2.7', valid)).toBe(spent);
    // The address's requests without a key keep their own allowance, and other addresses theirs.
    expect(await from('192.0.2.7')).toBe(200);
    expect(await from('192.0.2.8', valid)).toBe(200);
    expect(await from('192.0.2.8', guess(6))).toBe(401);
    // Said once for the address, by its pseudonym (docs/privacy.md), however many of its requests were
    // refused, and never with a key or the address in it.
    const pseudonym = createHmac('sha256', clientIdKey).update('192.0.2.7').digest('hex').slice(0, 32);
    const limited = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'rate limited');
    expect(limited).toEqual([
      expect.objectContaining({ level: 'warn', limiter: 'refusedkeys', client: `ip:${pseudonym}`, limit: 3, windowSeconds: 3600 }),
    ]);
    expect(lines.filter((line) => line.includes('GGGG') || line.includes(valid) || line.includes('192.0.2.7'))).toEqual([]);
  });
});

describe('revocation', () => {
  it('is refused on a second gateway right after the CLI revokes the key (NOTIFY), though its cache would keep it for an hour', async () => {
    const first = await stack.startGateway({ env: LONG_CACHE });
    const second = await stack.startGateway({ env: LONG_CACHE });
    const key = await stack.apiKey('to be revoked');
    const control = await stack.apiKey("revoked behind the gateways' backs");
    for (const gateway of [first, second]) {
      expect((await gateway.query(REGION, undefined, withKey(key))).status).toBe(200);
      expect((await gateway.query(REGION, undefined, withKey(control))).status).toBe(200);
    }
    // The control: a revocation written without NOTIFY is not seen, so the caches are real and only
    // the notice below can explain the refusal.
    await database.query('UPDATE access.api_key SET revoked_at = now() WHERE id = $1', [idOf(control)]);
    expect((await second.query(REGION, undefined, withKey(control))).status).toBe(200);

    expect(await keysCli('revoke', idOf(key))).toContain(`Revoked ${idOf(key)}`);
    const { served, last } = await untilRefused(second, key);
    console.log(`revocation: the second gateway served ${served} request(s) after the CLI had exited, then refused the key`);
    expect(last.status).toBe(401);
    expect(last.errors?.[0]).toMatchObject({ message: 'The API key has been revoked.', extensions: { code: 'INVALID_API_KEY' } });
    expect((await first.query(REGION, undefined, withKey(key))).status).toBe(401);
    expect(
      metricValue(await metricsOf(second), 'regiograph_gateway_api_key_refusals_total', `key_id="${idOf(key)}",code="INVALID_API_KEY"`),
    ).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('leaves no listener connection behind when closed while the listener is still connecting', async () => {
    const listeners = async () =>
      (
        await database.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1', [
          `LISTEN ${REVOCATION_CHANNEL}`,
        ])
      ).rows.map((row) => row.pid);
    const before = new Set(await listeners());
    const registry = new ApiKeyRegistry(new ApiKeyStore(testDatabaseUrl()), { logger: silentLogger });
    // As when a gateway drains while its listener reconnects: close() comes before the connection.
    const starting = registry.start();
    await registry.close();
    await starting;
    expect(registry.listening).toBe(false);
    // A backend leaves pg_stat_activity shortly after its client has gone; a kept connection never does.
    let left = (await listeners()).filter((pid) => !before.has(pid));
    for (const deadline = Date.now() + 10_000; left.length > 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = (await listeners()).filter((pid) => !before.has(pid));
    }
    expect(left).toEqual([]);
  });

  it('drops every cached key when the listener connection is lost, and listens again', async () => {
    const gateway = await stack.startGateway({ env: LONG_CACHE });
    const key = await stack.apiKey('cached through a lost listener');
    expect((await gateway.query(REGION, undefined, withKey(key))).status).toBe(200);
    await database.query('UPDATE access.api_key SET revoked_at = now() WHERE id = $1', [idOf(key)]);
    expect((await gateway.query(REGION, undefined, withKey(key))).status).toBe(200);
    // Cut the listeners' connections (other gateways' too: they clear their caches and reconnect).
    const { rowCount } = await database.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()',
      [`LISTEN ${REVOCATION_CHANNEL}`],
    );
    expect(rowCount).toBeGreaterThan(0);
    const { last } = await untilRefused(gateway, key);
    expect(last.status).toBe(401);
    const deadline = Date.now() + 15_000;
    while (!gateway.gateway.apiKeys!.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.gateway.apiKeys!.listening).toBe(true);
  }, 60_000);
});

describe('an unreachable key store', () => {
  it('answers key-bearing requests with 503 API_KEYS_UNAVAILABLE, serves anonymous ones, and does not crash', async () => {
    const closedPort = await findFreePort();
    const gateway = await stack.startGateway({
      env: {
        ...LONG_CACHE,
        API_KEYS_DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/none`,
        REDIS_KEY_PREFIX: `${stack.redisKeyPrefix}keys-unavailable-${randomUUID()}:`,
        RATE_LIMIT_REQUESTS: '3',
        RATE_LIMIT_WINDOW_SECONDS: '3600',
      },
    });
    const key = await stack.apiKey('store down');
    // More than the address's allowance of refused keys: a store that is away refused no key.
    for (let i = 0; i < 5; i++) {
      const refused = await gateway.query(REGION, undefined, withKey(key));
      expect(refused.status).toBe(503);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('API_KEYS_UNAVAILABLE');
    }
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...withKey(key) },
      body: JSON.stringify({ query: REGION }),
    });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await gateway.query(REGION)).toMatchObject({ status: 200, data: { region: { name: 'Niedersachsen' } } });
    expect(gateway.gateway.apiKeys!.listening).toBe(false);
  });
});
