// The restore of a nightly dump (`pg_dump --format=custom`) into the running platform's database,
// as docs/operations.md "Backups" describes it: `npm run db:restore -- <file>`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { applyMigrations, connectClient } from '@regiograph/db';
import { announceDataChange, type DataChangeAnnouncement } from '@regiograph/subgraph-kit';

export interface RestoreOptions {
  databaseUrl: string;
  /** The dump, written by `pg_dump --format=custom`. */
  dumpFile: string;
  /** The folder of pg_restore and psql, as new as the server at least; PATH's when left out. */
  binDir?: string;
  /** The migrations the migration job applies afterwards; the checked-in ones when left out. */
  migrationsDir?: string;
}

export interface RestoreReport {
  /** The schemas the dump held, replaced as a whole. */
  schemas: string[];
  /** The migrations applied after the restore: those newer than the dump. */
  migrated: string[];
  announced: DataChangeAnnouncement;
}

/** A program of the PostgreSQL client tools, from binDir when given. */
function tool(name: 'pg_restore' | 'psql', binDir: string | undefined): string {
  return binDir ? path.join(binDir, name) : name;
}

/** Runs a program to its end; rejects with what it wrote to stderr when it fails. */
function runTool(command: string, args: string[], input?: (stdin: NodeJS.WritableStream) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${path.basename(command)} failed (exit ${code}): ${stderr.trim()}`)),
    );
    // psql stopping at an error closes its input: what is still written then is of no use.
    child.stdin.on('error', () => undefined);
    if (input) input(child.stdin);
    else child.stdin.end();
  });
}

/** The schemas, and the tables of the public schema (_prisma_migrations), that the dump creates. */
export async function dumpContents(dumpFile: string, binDir?: string): Promise<{ schemas: string[]; publicTables: string[] }> {
  const list = await runTool(tool('pg_restore', binDir), ['--list', dumpFile]);
  const entries = list.split('\n').filter((line) => !line.startsWith(';'));
  const named = (pattern: RegExp) => entries.flatMap((line) => pattern.exec(line)?.[1] ?? []);
  return { schemas: named(/^\d+; \d+ \d+ SCHEMA - (\S+) /), publicTables: named(/^\d+; \d+ \d+ TABLE public (\S+) /) };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Restores the dump, applies the migrations newer than it, and announces the change to the running
 * gateways. The dump's schemas are dropped with everything in them and created from the dump in ONE
 * transaction (committed only when psql ran all of it without error): `pg_restore --clean` drops
 * only the objects the dump holds, so a table of a migration newer than the dump survived it, the
 * schema could not be dropped, and the migration job then failed on "relation already exists" with the
 * database half restored. Readers meanwhile see the old data or the restored, never a mix.
 */
export async function restoreDump(options: RestoreOptions): Promise<RestoreReport> {
  const { schemas, publicTables } = await dumpContents(options.dumpFile, options.binDir);
  if (schemas.length === 0) throw new Error(`${options.dumpFile} holds no schema: not a dump of RegioGraph's database.`);
  const drop =
    `DROP SCHEMA IF EXISTS ${schemas.map(quoted).join(', ')} CASCADE;\n` +
    publicTables.map((table) => `DROP TABLE IF EXISTS public.${quoted(table)} CASCADE;\n`).join('');
  const script = spawn(tool('pg_restore', options.binDir), ['--file=-', options.dumpFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let scriptError = '';
  script.stderr.setEncoding('utf8').on('data', (chunk: string) => (scriptError += chunk));
  const scriptExit = new Promise<number | null>((resolve) => script.on('close', resolve));
  await runTool(
    tool('psql', options.binDir),
    ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', `--dbname=${options.databaseUrl}`, '--file=-'],
    (stdin) => {
      stdin.write(`BEGIN;\n${drop}`);
      script.stdout.pipe(stdin, { end: false });
      // COMMIT only after the whole script: psql would commit a dump cut short (a damaged file) at
      // its end of input; without it, the session ends and the transaction is rolled back.
      void scriptExit.then((code) => stdin.end(code === 0 ? 'COMMIT;\n' : ''));
    },
  );
  const scriptCode = await scriptExit;
  if (scriptCode !== 0) throw new Error(`pg_restore failed (exit ${scriptCode}), nothing was restored: ${scriptError.trim()}`);
  const migrated = await applyMigrations(options.databaseUrl, options.migrationsDir);
  return { schemas, migrated, announced: await announceRestore(options.databaseUrl) };
}

/**
 * Tells the running gateways that the data went back (REDIS_URL's data version, and the database's
 * notice): also after a restore by other means, such as point-in-time recovery.
 */
export async function announceRestore(databaseUrl: string): Promise<DataChangeAnnouncement> {
  const client = await connectClient({ connectionString: databaseUrl });
  try {
    return await announceDataChange(client, 'restore');
  } finally {
    await client.end();
  }
}
