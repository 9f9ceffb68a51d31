import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '@regiograph/db';

const DEV_TOOLS_ROOT = path.resolve(__dirname, '..');

describe('npm start with a DATABASE_URL that nothing answers', () => {
  it('says which database it could not reach and what to do, starts nothing and exits 1', async () => {
    const port = await findFreePort();
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/stack.ts'], {
      cwd: DEV_TOOLS_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: `postgresql://postgres:secret-pw@127.0.0.1:${port}/regiograph` },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `[regiograph] failed to start: cannot reach the database that DATABASE_URL names (postgresql://postgres:***@127.0.0.1:${port}/regiograph): connect ECONNREFUSED 127.0.0.1:${port}. Start that PostgreSQL or correct DATABASE_URL`,
    );
    expect(run.stdout).not.toContain('secret-pw');
    // Nothing was started: the launcher stops at once, before any subgraph.
    expect(run.stdout).not.toMatch(/embedded PostgreSQL started|using the database|RegioGraph is running/);
    expect(run.stdout).toContain('[regiograph] stopped.');
  });
});

describe('npm start with a bad MAX_DOCUMENT_NESTING', () => {
  it('says so once and starts nothing, not even the database', async () => {
    // A database nothing answers: were it asked, the launcher would say that instead.
    const port = await findFreePort();
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/stack.ts'], {
      cwd: DEV_TOOLS_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MAX_DOCUMENT_NESTING: '0', DATABASE_URL: `postgresql://postgres:pw@127.0.0.1:${port}/regiograph` },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      '[regiograph] failed to start: MAX_DOCUMENT_NESTING must be between 1 and 1000, got "0"\n[regiograph] stopping…\n[regiograph] stopped.\n',
    );
  });
});
