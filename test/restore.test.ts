// The restore drill of docs/operations.md "Backups", against the running platform: a nightly dump
// (`pg_dump --format=custom`) restored with `npm run db:restore` (dev-tools' restoreDump) over the
// live database and into an empty one; the migration job then applies what the dump lacks. Afterwards
// no cache may answer from before the restore, and a partner's cursor from after the dump must be
// refused, never read as a place in the restored feed.
// pg_dump cannot dump a server newer than itself: the drill runs where the client tools are at least as
// new as the test server (CI's run on the machine's PostgreSQL 15); it says why where they are not
// (the embedded PostgreSQL 17 beside Debian's tools 15).
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  applyMigrations,
  connectClient,
  MIGRATIONS_DIR,
  ownTestDatabase,
  provideScratchDatabase,
  TEST_SERVER_ENV,
  type ProvidedDatabase,
} from '@regiograph/db';
import { restoreDump } from '@regiograph/dev-tools';
import { readBoolean } from '@regiograph/shared';
import { deleteRedisKeys, testBearer } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';

/** The major version of a PostgreSQL program or server ("15.20 (Debian …)", or server_version_num 170002). */
const majorOf = (text: string) =>
  /^\d{5,}$/.test(text.trim()) ? Math.floor(Number(text.trim()) / 10000) : Number(/(\d+)\./.exec(text)?.[1]);

/** pg_dump, pg_restore and psql at least as new as the test server: PG_BIN, PATH's, or Debian's folders. */
function postgresTools(): { binDir: string | undefined; reason: null } | { binDir: null; reason: string } {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env[TEST_SERVER_ENV];
  const debian = '/usr/lib/postgresql';
  const folders = [
    ...(process.env.PG_BIN ? [process.env.PG_BIN] : []),
    undefined,
    ...(existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : []).map((major) =>
      path.join(debian, major, 'bin'),
    ),
  ];
  const run = (binDir: string | undefined, program: string, args: string[]) => {
    try {
      return execFileSync(binDir ? path.join(binDir, program) : program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return null;
    }
  };
  let server: number | null = null;
  const found: string[] = [];
  for (const binDir of folders) {
    const dump = run(binDir, 'pg_dump', ['--version']);
    if (dump === null || run(binDir, 'pg_restore', ['--version']) === null) continue;
    server ??= serverUrl ? majorOf(run(binDir, 'psql', ['--no-psqlrc', '-Atc', 'SHOW server_version_num', serverUrl]) ?? 'x') : null;
    found.push(`${majorOf(dump)} (${binDir ?? 'PATH'})`);
    if (server !== null && majorOf(dump) >= server) return { binDir, reason: null };
  }
  return {
    binDir: null,
    reason:
      `no pg_dump as new as the test server (PostgreSQL ${server ?? '?'}; found: ${found.join(', ') || 'none'}). ` +
      'Set PG_BIN to the folder of a newer pg_dump, pg_restore and psql, or run against DATABASE_URL of an older server.',
  };
}

const tools = postgresTools();
if (tools.reason !== null && readBoolean('CI', false) && process.env.DATABASE_URL) {
  // CI's second run is on the machine's PostgreSQL, whose own tools can dump it: never skipped there.
  throw new Error(`The restore drill cannot run: ${tools.reason}`);
}
if (tools.reason !== null) console.warn(`Restore drill skipped: ${tools.reason} CI runs it on the machine's PostgreSQL.`);
const describeDrill = tools.reason === null ? describe : describe.skip;
const binDir = tools.binDir ?? undefined;

let database: ProvidedDatabase;
let stack: Stack;
let folder: string;
const scratch: ProvidedDatabase[] = [];

beforeAll(async () => {
  if (tools.reason !== null) return;
  folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-restore-'));
  database = await ownTestDatabase();
  stack = await startStack({ databaseUrl: database.url });
});

afterAll(async () => {
  for (const scratchDatabase of scratch) await scratchDatabase.stop();
  if (stack && process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, redisKeyPrefix());
  await stack?.stop();
  await database?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The nightly dump, exactly as docs/operations.md has it. */
function dump(url: string, name: string): string {
  const file = path.join(folder, `${name}.dump`);
  execFileSync(binDir ? path.join(binDir, 'pg_dump') : 'pg_dump', ['--format=custom', `--file=${file}`, url]);
  return file;
}

async function sql<Row extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = await connectClient({ connectionString: url });
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const WRITER = testBearer({ sub: 'restore-drill', scopes: ['projects:write'] });
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { code } } }`;

async function createProject(title: string): Promise<string> {
  const created = await stack.query<{ createProject: { project: { id: string } | null; errors: unknown[] } }>(
    CREATE_PROJECT,
    {
      input: {
        title,
        summary: 'Written by the restore drill.',
        kind: 'MODEL_PROJECT',
        topics: ['EDUCATION'],
        startDate: '2026-05-01',
        regions: [{ regionCode: '03159', role: 'LEAD' }],
      },
    },
    WRITER,
  );
  expect(created.data?.createProject.errors).toEqual([]);
  return created.data!.createProject.project!.id;
}

type FeedPage = { projectChanges: { changes: { key: string; operation: string }[]; endCursor: string } };
const FEED = `query ($after: String, $first: Int) { projectChanges(after: $after, first: $first) { changes { key operation } endCursor } }`;

/** A read through a caching gateway, and whether its answer came from the cache. */
async function cachedRead<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: TData; cache: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: TData };
  return { data: body.data, cache: response.headers.get('x-cache') };
}

/** Reads until `done` holds (a gateway hears the restore's notice after its commit), at most 15 s; the last read. */
async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Where the gateways of this file, and so the restore's announcement, keep the data version in Redis. */
const redisKeyPrefix = () => `${stack.redisKeyPrefix}restore:`;

/** `npm run db:restore`, its announcement kept to this file's Redis keys. */
async function restore(options: Parameters<typeof restoreDump>[0]): ReturnType<typeof restoreDump> {
  const saved = process.env.REDIS_KEY_PREFIX;
  process.env.REDIS_KEY_PREFIX = redisKeyPrefix();
  try {
    return await restoreDump(options);
  } finally {
    if (saved === undefined) delete process.env.REDIS_KEY_PREFIX;
    else process.env.REDIS_KEY_PREFIX = saved;
  }
}

describeDrill('the restore drill', () => {
  it('restored over the running platform: no cache answers from before, and a cursor from after the dump is refused, never silent', async () => {
    const gatewayEnv = { NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000' };
    // A gateway caching in its own memory (told by the database's notice) and, with REDIS_URL, one sharing Redis.
    const gateways = [(await stack.startGateway({ env: { ...gatewayEnv, REDIS_URL: '' } })).url];
    const prefix = redisKeyPrefix();
    if (process.env.REDIS_URL) gateways.push((await stack.startGateway({ env: { ...gatewayEnv, REDIS_KEY_PREFIX: prefix } })).url);
    const { code } = (await sql<{ code: string }>(database.url, 'SELECT code FROM indicators.indicator ORDER BY code LIMIT 1'))[0]!;
    const rename = (name: string) => sql(database.url, 'UPDATE indicators.indicator SET name = $1 WHERE code = $2', [name, code]);
    const shippedName = (await sql<{ name: string }>(database.url, 'SELECT name FROM indicators.indicator WHERE code = $1', [code]))[0]!
      .name;

    const start = (await stack.query<FeedPage>(FEED, { first: 0 })).data!.projectChanges.endCursor;
    const before = await createProject('Vor der Sicherung');
    await rename('Katalog vor der Sicherung');
    const file = dump(database.url, 'live');

    const after = await createProject('Nach der Sicherung');
    await rename('Katalog nach der Sicherung');
    const INDICATOR = `query ($code: ID!) { indicator(code: $code) { name } }`;
    const name = (url: string) => cachedRead<{ indicator: { name: string } }>(url, INDICATOR, { code });
    for (const url of gateways) {
      await name(url);
      expect(await name(url)).toEqual({ data: { indicator: { name: 'Katalog nach der Sicherung' } }, cache: 'hit' });
    }
    const seen = await stack.query<FeedPage>(FEED, { after: start });
    expect(seen.data!.projectChanges.changes.map((change) => change.key)).toEqual([before, after]);
    const partnerCursor = seen.data!.projectChanges.endCursor;

    expect(await restore({ databaseUrl: database.url, dumpFile: file, binDir })).toEqual({
      schemas: expect.arrayContaining(['regions', 'indicators', 'projects', 'cooperations', 'access']),
      migrated: [],
      announced: { sharedStore: process.env.REDIS_URL ? 'bumped' : 'no shared store', notified: true },
    });
    const PROJECT = `query ($id: ID!) { project(id: $id) { title } }`;
    expect((await stack.query(PROJECT, { id: after })).data).toEqual({ project: null });
    expect((await stack.query(PROJECT, { id: before })).data).toEqual({ project: { title: 'Vor der Sicherung' } });

    // The catalogue's version came back from the dump, the number it had before the write after the dump;
    // one write more (before any read) raises it to the number the indicators subgraph holds with the
    // catalogue from before the restore.
    await rename('Katalog nach der Wiederherstellung');
    expect((await name(stack.subgraphs.indicators!.url)).data).toEqual({ indicator: { name: 'Katalog nach der Wiederherstellung' } });
    // The gateways drop their cached answers on the restore's announcement (the memory cache once the notice arrives).
    for (const url of gateways) {
      const read = await readUntil(
        () => name(url),
        (answer) => answer.data.indicator.name !== 'Katalog nach der Sicherung',
      );
      expect(read.data).toEqual({ indicator: { name: 'Katalog nach der Wiederherstellung' } });
    }

    // The partner read up to a change the restore took back: refused, before and after new writes reuse its position.
    // The message tells the partner why and what to do.
    const refused = (page: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
      page.errors?.map((error) => [
        error.extensions?.code,
        error.extensions?.argument,
        /restored from a backup.*Start again without after/.test(error.message),
      ]);
    expect(refused(await stack.query<FeedPage>(FEED, { after: partnerCursor }))).toEqual([['BAD_USER_INPUT', 'after', true]]);
    const again = await createProject('Nach der Wiederherstellung');
    expect(refused(await stack.query<FeedPage>(FEED, { after: partnerCursor }))).toEqual([['BAD_USER_INPUT', 'after', true]]);
    // A cursor from before the dump is a place in the restored feed: it reads on without a gap.
    const resumed = await stack.query<FeedPage>(FEED, { after: start });
    expect(resumed.data!.projectChanges.changes.map((change) => change.key)).toEqual([before, again]);

    await rename(shippedName);
  });

  it('a dump taken before the newest migrations gets them from the migration job, restored into an empty database or over a newer one', async () => {
    // The checked-in migrations but the newest, and after it one more that creates a table (as a new model's would).
    const migrations = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d+_/.test(name)).sort();
    const older = path.join(folder, 'older-migrations');
    const newer = path.join(folder, 'newer-migrations');
    for (const dir of [older, newer]) await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await rm(path.join(older, migrations.at(-1)!), { recursive: true });
    const added = '29991231000000_restore_drill_table';
    await mkdir(path.join(newer, added));
    await writeFile(path.join(newer, added, 'migration.sql'), 'CREATE TABLE "projects"."restore_drill" ("id" INTEGER PRIMARY KEY);\n');

    const newScratch = async () => {
      const made = await provideScratchDatabase({ serverUrl: database.url });
      scratch.push(made);
      return made.url;
    };
    const live = await newScratch();
    await applyMigrations(live, older);
    const file = dump(live, 'older');
    await applyMigrations(live, newer);

    const applied = async (url: string) =>
      (
        await sql<{ migration_name: string }>(
          url,
          'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1',
        )
      ).map((row) => row.migration_name);
    const expected = { schemas: expect.any(Array), migrated: [migrations.at(-1), added], announced: expect.any(Object) };
    // Over the live database, whose newest migration created a table the dump does not hold.
    expect(await restore({ databaseUrl: live, dumpFile: file, binDir, migrationsDir: newer })).toEqual(expected);
    expect(await applied(live)).toEqual([...migrations, added]);
    // Into an empty database.
    const empty = await newScratch();
    expect(await restore({ databaseUrl: empty, dumpFile: file, binDir, migrationsDir: newer })).toEqual(expected);
    expect(await applied(empty)).toEqual([...migrations, added]);
  });
});
