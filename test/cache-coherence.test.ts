// Writers outside the gateway keep the response cache coherent: an answer cached by one gateway is
// not served again after the CSV importer (its CLI) changed the data, by that gateway or another.
// Gateways share their cache through Redis, which the importer reaches too: this runs against REDIS_URL,
// or else a redis-server of its own when one is installed (CI has both).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabaseClient } from '@regiograph/db';
import { runImportCli as runCli } from '@regiograph/indicators';
import { redisServerBinary, startOwnRedis, startStack, testDatabaseUrl, type Stack } from './harness';

const REDIS_SERVER = process.env.REDIS_URL ? null : redisServerBinary();
let REDIS_URL = process.env.REDIS_URL;
let ownRedis: Awaited<ReturnType<typeof startOwnRedis>> = null;

const HEADER =
  'code,name,description,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_licence,source_url,source_reference_date,official';

let stack: Stack;
let folder: string;

beforeAll(async () => {
  if (!REDIS_URL) {
    ownRedis = await startOwnRedis();
    REDIS_URL = ownRedis?.url;
  }
  stack = await startStack();
  folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-cache-'));
});

afterAll(async () => {
  // The imported indicator is this file's own: other files list the catalogue.
  const database = createDatabaseClient({ url: testDatabaseUrl() });
  await database.prisma.indicator.deleteMany({ where: { code } });
  await database.close();
  await stack?.stop();
  await ownRedis?.stop();
  await rm(folder, { recursive: true, force: true });
});

const code = `test_cache_${randomUUID().slice(0, 8)}`;

/** Imports a one-indicator catalogue through the importer's CLI, with the gateways' Redis settings (none: without Redis). */
async function importName(name: string, prefix: string, redisUrl: string | null | undefined = REDIS_URL): Promise<string[]> {
  const file = path.join(folder, `${name.replace(/\W+/g, '_')}.csv`);
  await writeFile(
    file,
    `${HEADER}\n${code},${name},Cache coherence test,ECONOMY,items,0,HIGHER_IS_BETTER,SUM,,Test publisher,Test title,dl-de/zero-2-0,https://example.org,2022-12-31,false\n`,
  );
  const lines: string[] = [];
  const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_KEY_PREFIX };
  process.env.REDIS_KEY_PREFIX = prefix;
  if (redisUrl) process.env.REDIS_URL = redisUrl;
  else delete process.env.REDIS_URL;
  try {
    const exit = await runCli(
      ['--release', 'Testamt, Stand 01.01.2024', '--catalogue', file],
      { url: testDatabaseUrl(), from: 'the test database' },
      {
        out: (line) => lines.push(line),
        err: (line) => lines.push(line),
      },
    );
    expect({ exit, lines }).toEqual({ exit: 0, lines: expect.arrayContaining([expect.stringMatching(/^imported 1 indicator/)]) });
  } finally {
    for (const [name, value] of [
      ['REDIS_KEY_PREFIX', saved.prefix],
      ['REDIS_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return lines;
}

/** The indicator's name as a gateway answers it, and whether from its cache. */
async function readName(url: string): Promise<{ name: string | null; cache: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query Name($code: ID!) { indicator(code: $code) { name } }`, variables: { code } }),
  });
  const body = (await response.json()) as { data: { indicator: { name: string } | null } };
  return { name: body.data.indicator?.name ?? null, cache: response.headers.get('x-cache') };
}

/** Reads until `done` holds (a notice arrives after the importer's commit), at most `boundMs`; the last read. */
async function readUntil(
  url: string,
  done: (read: { name: string | null; cache: string | null }) => boolean,
  boundMs = 15_000,
): Promise<{ name: string | null; cache: string | null }> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const read = await readName(url);
    if (done(read) || Date.now() > deadline) return read;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// A machine with Node alone has no Redis: gateways cache in their own memory, which the importer
// reaches through the database's NOTIFY (subgraph-kit's announceDataChange).
describe('the importer and a gateway caching in its own memory (no Redis)', () => {
  const env = { REDIS_URL: '', NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000' };

  it('the gateway answers the imported value once the database notice arrives, not the cached one', async () => {
    const { url, gateway } = await stack.startGateway({ env });
    expect(gateway.dataChanges?.listening).toBe(true);
    await importName('Memory cache before', 'unused:', null);
    expect(await readName(url)).toEqual({ name: 'Memory cache before', cache: 'miss' });
    // The import's own notice may arrive after that first read and drop what it cached: read until the
    // answer comes from the cache.
    expect(await readUntil(url, (read) => read.cache === 'hit')).toEqual({ name: 'Memory cache before', cache: 'hit' });

    const lines = await importName('Memory cache after', 'unused:', null);
    expect(lines).toContain('cache: no REDIS_URL; gateways caching in their own memory drop their answers on the database notice.');
    // Before the notice, the old code answered 'Memory cache before' from its cache for RESPONSE_CACHE_MAX_AGE.
    expect(await readUntil(url, (read) => read.name === 'Memory cache after')).toEqual({ name: 'Memory cache after', cache: 'miss' });
  });

  it('a listener whose connection was lost drops the cached answers and listens again', async () => {
    const { url, gateway } = await stack.startGateway({ env });
    await importName('Memory cache lost before', 'unused:', null);
    await readName(url);
    expect(await readUntil(url, (read) => read.cache === 'hit')).toEqual({ name: 'Memory cache lost before', cache: 'hit' });

    // A notice sent while no listener is connected reaches no one: the gap itself counts as a change.
    const database = createDatabaseClient({ url: testDatabaseUrl() });
    try {
      const { rows } = await database.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN regiograph_data_changed'`,
      );
      expect(rows.length).toBeGreaterThan(0);
      await database.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [rows.map((row) => row.pid)]);
    } finally {
      await database.close();
    }
    expect(await readUntil(url, (read) => read.cache === 'miss')).toEqual({ name: 'Memory cache lost before', cache: 'miss' });
    const deadline = Date.now() + 15_000;
    while (!gateway.dataChanges?.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.dataChanges?.listening).toBe(true);

    await importName('Memory cache lost after', 'unused:', null);
    expect(await readUntil(url, (read) => read.name === 'Memory cache lost after')).toEqual({
      name: 'Memory cache lost after',
      cache: 'miss',
    });
  });
});

if (!REDIS_URL && !REDIS_SERVER && process.env.CI) {
  // CI machines have Redis: there a missing one is a broken setup, never a reason to skip.
  throw new Error('No Redis: set REDIS_URL or install redis-server (CI never skips the cache-coherence test).');
}
const describeWithRedis = REDIS_URL || REDIS_SERVER ? describe : describe.skip;

describeWithRedis('the importer and the response cache (Redis)', () => {
  it('a second gateway reads the imported value at once, not the cached one', async () => {
    const prefix = `${stack.redisKeyPrefix}coherence-${randomUUID()}:`;
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000' };
    const first = await stack.startGateway({ env });
    const second = await stack.startGateway({ env });
    await importName('Cache test before', prefix);

    const read = readName;
    expect(await read(first.url)).toEqual({ name: 'Cache test before', cache: 'miss' });
    // Cached now, for both gateways.
    expect(await read(first.url)).toEqual({ name: 'Cache test before', cache: 'hit' });
    expect(await read(second.url)).toEqual({ name: 'Cache test before', cache: 'hit' });

    const lines = await importName('Cache test after', prefix);
    expect(lines).toContain('cache: data version bumped; gateways recompute their answers.');
    expect(await read(second.url)).toEqual({ name: 'Cache test after', cache: 'miss' });
    expect(await read(first.url)).toEqual({ name: 'Cache test after', cache: 'hit' });
  });
});
