// A primary PostgreSQL and a real streaming standby of it, for tests of read replicas. Both run the
// embedded PostgreSQL's binaries (found at run time, so any machine with `npm ci` has them; they are
// initdb, pg_ctl and postgres, without pg_basebackup): the standby starts from a cold copy of the
// primary's data directory — what pg_basebackup hands over — plus standby.signal and its settings.
import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations, connectClient, controlledCluster, findFreePort, postgresProcessIds } from '@regiograph/db';

const run = promisify(execFile);

export interface PrimaryWithStandby {
  primaryUrl: string;
  standbyUrl: string;
  /** Stops the standby (fast shutdown): reads must then fall back to the primary. */
  stopStandby(): Promise<void>;
  startStandby(): Promise<void>;
  /**
   * Changes the standby's replay delay at run time (ALTER SYSTEM and a reload): a test that has seen
   * the standby lag lifts the delay instead of sleeping through it; the waiting replay follows at once.
   */
  setApplyDelay(delay: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrimaryWithStandby(options: { applyDelay: string }): Promise<PrimaryWithStandby> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'regiograph-standby-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(base, 0o755);
  const primary = controlledCluster(path.join(base, 'primary'), await findFreePort());
  const standby = controlledCluster(path.join(base, 'standby'), await findFreePort());
  try {
    await primary.init();
    await primary.start();
    await primary.createDatabase('regiograph');
    await applyMigrations(primary.url());
    // A cold copy needs the primary stopped cleanly; `cp -a` keeps the owner and the 0700 mode.
    await primary.stop();
    await run('cp', ['-a', primary.dir, standby.dir]);
    await primary.start();
    const settings = [
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=regiograph-standby'`,
      // Replay waits on purpose: a read right after a write finds the standby behind.
      `recovery_min_apply_delay = '${options.applyDelay}'`,
    ];
    await appendFile(path.join(standby.dir, 'postgresql.auto.conf'), `\n${settings.join('\n')}\n`);
    const signal = path.join(standby.dir, 'standby.signal');
    await writeFile(signal, '');
    const ids = postgresProcessIds();
    if (ids) await chown(signal, ids.uid, ids.gid);
    await standby.start();
    return {
      primaryUrl: primary.url(),
      standbyUrl: standby.url(),
      stopStandby: () => standby.stop(),
      startStandby: () => standby.start(),
      async setApplyDelay(delay) {
        const client = await connectClient({ connectionString: standby.url() });
        try {
          await client.query(`ALTER SYSTEM SET recovery_min_apply_delay = '${delay}'`);
          await client.query('SELECT pg_reload_conf()');
        } finally {
          await client.end();
        }
      },
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
