import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectClient } from './connect';
import { startEmbeddedPostgres } from './embedded';
import { applyMigrations } from './migrate';
import { PACKAGE_ROOT } from './paths';

export interface ProvidedDatabase {
  url: string;
  /** `embedded` when this process started its own PostgreSQL. */
  kind: 'embedded' | 'server';
  stop(): Promise<void>;
}

/** The repository's git-ignored data folder. */
export const DATA_DIR = path.join(PACKAGE_ROOT, '..', '.data');

/** How long `provideDatabase` waits for the server DATABASE_URL names: a host that drops packets would otherwise hang for minutes. */
const REACHABLE_TIMEOUT_MS = 10_000;

/** A database URL as it may be printed: the password masked. */
export function printableDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * Connects once to the server DATABASE_URL names. When that fails, the error names the variable, the
 * URL (password masked), the driver's reason and what to do, instead of the driver's words alone
 * (`connect ECONNREFUSED 127.0.0.1:5432`), which name neither the setting nor the way out.
 */
async function checkReachable(databaseUrl: string): Promise<void> {
  const advice =
    'Start that PostgreSQL or correct DATABASE_URL (postgresql://user:password@host:port/database); ' +
    'without DATABASE_URL, an embedded PostgreSQL is started under .data/postgres.';
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'postgresql:' && protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL is not a PostgreSQL URL. ${advice}`);
  }
  let client: pg.Client;
  try {
    client = await connectClient({ connectionString: databaseUrl, connectionTimeoutMillis: REACHABLE_TIMEOUT_MS });
  } catch (error) {
    // Not `instanceof Error`: the driver's socket errors come from Node's own realm, which is not a
    // test's (Jest runs files in a realm of their own).
    const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
    const reason = typeof message === 'string' && message ? message : String(error);
    throw new Error(`cannot reach the database that DATABASE_URL names (${printableDatabaseUrl(databaseUrl)}): ${reason}. ${advice}`);
  }
  await client.end().catch(() => undefined);
}

/**
 * The database for `npm start`: the server named by DATABASE_URL (checked to answer), or else a
 * persistent embedded PostgreSQL under `.data/postgres` on a free port.
 */
export async function provideDatabase(options: { databaseUrl?: string; onLog?: (line: string) => void } = {}): Promise<ProvidedDatabase> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (databaseUrl) {
    await checkReachable(databaseUrl);
    return { url: databaseUrl, kind: 'server', stop: async () => undefined };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, 'postgres'),
    persistent: true,
    databaseName: 'regiograph',
    onLog: options.onLog,
  });
  return { ...embedded, kind: 'embedded' };
}

/**
 * A fresh, empty database for one test run: a throw-away database on the server named by
 * DATABASE_URL (dropped afterwards), or else a throw-away embedded cluster. With `migrated`, the
 * migrations are applied: what a test of a first start or an upgrade needs beside the worker's
 * seeded database, which other files read.
 */
export async function provideScratchDatabase(options: { serverUrl?: string; migrated?: boolean } = {}): Promise<ProvidedDatabase> {
  const database = await provideEmptyDatabase(options.serverUrl ?? process.env.DATABASE_URL);
  if (options.migrated) await applyMigrations(database.url);
  return database;
}

async function provideEmptyDatabase(serverUrl: string | undefined): Promise<ProvidedDatabase> {
  const name = `regiograph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), name),
      persistent: false,
      databaseName: name,
    });
    return { ...embedded, kind: 'embedded' };
  }
  return createThrowAwayDatabase(serverUrl, name);
}

/** Where the test-run wrapper (`npm test`) tells each workspace's Jest which template to clone. */
export const TEST_SERVER_ENV = 'REGIOGRAPH_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'REGIOGRAPH_TEST_TEMPLATE';

/**
 * A database for one workspace's tests, cloned from the run's migrated and seeded template
 * (`CREATE DATABASE … TEMPLATE`, a file copy: seconds instead of a fresh cluster, migrations and the
 * 327k-row seed per workspace). Dropped by stop().
 */
export function cloneTemplateDatabase(serverUrl: string, template: string): Promise<ProvidedDatabase> {
  return createThrowAwayDatabase(serverUrl, `regiograph_test_${process.pid}_${randomBytes(4).toString('hex')}`, template);
}

/**
 * A database for one test file alone, where the other test files of its worker write records into
 * theirs that its counts must not see: under npm test a copy of the run's seeded template; in a lone
 * `npx jest` (no template) a migrated, empty one beside the worker's, which the file seeds (the
 * worker's own database holds what the files before it wrote: a count of the shipped data read there
 * failed whenever a writing file ran first). Either is dropped by stop().
 */
export async function ownTestDatabase(): Promise<ProvidedDatabase> {
  const server = process.env[TEST_SERVER_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (server && template) return cloneTemplateDatabase(server, template);
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides it)');
  return provideScratchDatabase({ serverUrl: url, migrated: true });
}

/** Creates `name` on the server (as a copy of `template` when given); stop() drops it, connections and all. */
export async function createThrowAwayDatabase(serverUrl: string, name: string, template?: string): Promise<ProvidedDatabase> {
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return {
    url: databaseUrlOn(serverUrl, name),
    kind: 'server',
    stop: () => withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** The URL of another database on the same server. */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient({ connectionString: serverUrl });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
