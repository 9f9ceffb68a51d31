// A primary PostgreSQL and a real streaming standby of it, for tests of read replicas. Both run the
// embedded PostgreSQL's binaries (found at run time, so any machine with `npm ci` has them; they are
// initdb, pg_ctl and postgres, without pg_basebackup): the standby starts from a cold copy of the
// primary's data directory — what pg_basebackup hands over — plus standby.signal and its settings.
import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { applyMigrations, embeddedPostgresBinary, findFreePort, postgresProcessIds } from '@regiograph/db';

const run = promisify(execFile);

export interface PrimaryWithStandby {
  primaryUrl: string;
  standbyUrl: string;
  /** Stops the standby (fast shutdown): reads must then fall back to the primary. */
  stopStandby(): Promise<void>;
  startStandby(): Promise<void>;
  stop(): Promise<void>;
}

/** A cluster under `dir` run by the embedded PostgreSQL's pg_ctl (as the postgres user when root). */
function clusterControl(dir: string, port: number) {
  const ids = postgresProcessIds();
  const pgCtl = (...args: string[]) => run(embeddedPostgresBinary('pg_ctl'), ['-D', dir, ...args], { ...ids, timeout: 120_000 });
  let running = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/regiograph`,
    port,
    async start() {
      await pgCtl('-l', path.join(dir, 'server.log'), '-w', '-t', '90', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`, 'start');
      running = true;
    },
    async stop() {
      if (!running) return;
      await pgCtl('-m', 'fast', '-w', 'stop');
      running = false;
    },
  };
}

export async function startPrimaryWithStandby(options: { applyDelay: string }): Promise<PrimaryWithStandby> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'regiograph-standby-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(base, 0o755);
  const ids = postgresProcessIds();
  const primaryDir = path.join(base, 'primary');
  const standbyDir = path.join(base, 'standby');
  await mkdir(primaryDir, { mode: 0o700 });
  if (ids) await chown(primaryDir, ids.uid, ids.gid);
  const primary = clusterControl(primaryDir, await findFreePort());
  const standby = clusterControl(standbyDir, await findFreePort());
  try {
    // Trust on 127.0.0.1 only, for a throw-away cluster on a random port; initdb allows replication
    // connections from there by default.
    await run(embeddedPostgresBinary('initdb'), ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'], { ...ids, timeout: 120_000 });
    await primary.start();
    const admin = new pg.Client({ connectionString: primary.url.replace(/\/regiograph$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE regiograph').finally(() => admin.end());
    await applyMigrations(primary.url);
    // A cold copy needs the primary stopped cleanly; `cp -a` keeps the owner and the 0700 mode.
    await primary.stop();
    await run('cp', ['-a', primaryDir, standbyDir]);
    await primary.start();
    const settings = [
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=regiograph-standby'`,
      // Replay waits on purpose: a read right after a write finds the standby behind.
      `recovery_min_apply_delay = '${options.applyDelay}'`,
    ];
    await appendFile(path.join(standbyDir, 'postgresql.auto.conf'), `\n${settings.join('\n')}\n`);
    const signal = path.join(standbyDir, 'standby.signal');
    await writeFile(signal, '');
    if (ids) await chown(signal, ids.uid, ids.gid);
    await standby.start();
    return {
      primaryUrl: primary.url,
      standbyUrl: standby.url,
      stopStandby: () => standby.stop(),
      startStandby: () => standby.start(),
      async stop() {
        await standby.stop().catch(() => undefined);
        await primary.stop();
        await rm(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await standby.stop().catch(() => undefined);
    await primary.stop().catch(() => undefined);
    await rm(base, { recursive: true, force: true });
    throw error;
  }
}
