import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { PACKAGE_ROOT } from './paths';

export interface ProvidedDatabase {
  url: string;
  /** `embedded` when this process started its own PostgreSQL. */
  kind: 'embedded' | 'server';
  stop(): Promise<void>;
}

/** The repository's git-ignored data folder. */
export const DATA_DIR = path.join(PACKAGE_ROOT, '..', '.data');

/**
 * The database for `npm start`: the server named by DATABASE_URL, or else a persistent embedded
 * PostgreSQL under `.data/postgres` on a free port.
 */
export async function provideDatabase(
  options: { databaseUrl?: string; onLog?: (line: string) => void } = {},
): Promise<ProvidedDatabase> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (databaseUrl) return { url: databaseUrl, kind: 'server', stop: async () => undefined };
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
 * DATABASE_URL (dropped afterwards), or else a throw-away embedded cluster.
 */
export async function provideScratchDatabase(
  options: { serverUrl?: string } = {},
): Promise<ProvidedDatabase> {
  const serverUrl = options.serverUrl ?? process.env.DATABASE_URL;
  const name = `regiograph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), name),
      persistent: false,
      databaseName: name,
    });
    return { ...embedded, kind: 'embedded' };
  }
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'server',
    stop: () => withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
