// Writers outside the gateway keep the response cache coherent: an answer cached by one gateway is
// not served again after the CSV importer (its CLI) changed the data, by that gateway or another.
// Gateways share their cache through Redis, which the importer reaches too: this runs against REDIS_URL,
// or else a redis-server of its own when one is installed (CI has both).
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createDatabaseClient, findFreePort } from '@regiograph/db';
import { runImportCli as runCli } from '@regiograph/indicators';
import { startStack, testDatabaseUrl, type Stack } from './harness';

function redisServerBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const REDIS_SERVER = process.env.REDIS_URL ? null : redisServerBinary();
let REDIS_URL = process.env.REDIS_URL;
let ownRedis: ChildProcess | null = null;

const HEADER =
  'code,name,description,theme,unit,decimals,polarity,aggregation,weight_indicator,source_publisher,source_title,source_licence,source_url,source_reference_date,official';

let stack: Stack;
let folder: string;

beforeAll(async () => {
  if (REDIS_SERVER) {
    const port = await findFreePort();
    ownRedis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    REDIS_URL = `redis://127.0.0.1:${port}`;
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
  // Waited for: a redis-server still shutting down kept the Jest worker from exiting (it was killed).
  if (ownRedis && ownRedis.exitCode === null && ownRedis.signalCode === null) {
    const exited = once(ownRedis, 'exit');
    ownRedis.kill('SIGTERM');
    await exited;
  }
  await rm(folder, { recursive: true, force: true });
});

const code = `test_cache_${randomUUID().slice(0, 8)}`;

/** Imports a one-indicator catalogue through the importer's CLI, with the gateways' Redis settings. */
async function importName(name: string, prefix: string): Promise<string[]> {
  const file = path.join(folder, `${name.replace(/\W+/g, '_')}.csv`);
  await writeFile(
    file,
    `${HEADER}\n${code},${name},Cache coherence test,ECONOMY,items,0,HIGHER_IS_BETTER,SUM,,Test publisher,Test title,CC-BY-4.0,https://example.org,2022-12-31,false\n`,
  );
  const lines: string[] = [];
  const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_KEY_PREFIX };
  process.env.REDIS_KEY_PREFIX = prefix;
  process.env.REDIS_URL = REDIS_URL;
  try {
    const exit = await runCli(['--catalogue', file], testDatabaseUrl(), {
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
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

// Without any Redis (a machine with Node alone) gateways cache in their own memory, which no importer
// process can reach: documented in the README, nothing to test here.
if (!REDIS_URL && !REDIS_SERVER && process.env.CI) {
  // CI machines have Redis: there a missing one is a broken setup, never a reason to skip.
  throw new Error('No Redis: set REDIS_URL or install redis-server (CI never skips the cache-coherence test).');
}
const describeWithRedis = REDIS_URL || REDIS_SERVER ? describe : describe.skip;

describeWithRedis('the importer and the response cache (Redis)', () => {
  it('a second gateway reads the imported value at once, not the cached one', async () => {
    const prefix = `regiograph-test-${randomUUID()}:`;
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000' };
    const first = await stack.startGateway({ env });
    const second = await stack.startGateway({ env });
    await importName('Cache test before', prefix);

    const query = `query Name($code: ID!) { indicator(code: $code) { name } }`;
    const read = async (url: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { code } }),
      });
      const body = (await response.json()) as { data: { indicator: { name: string } | null } };
      return { name: body.data.indicator?.name ?? null, cache: response.headers.get('x-cache') };
    };
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
