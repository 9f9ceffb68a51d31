// `npm test`: one PostgreSQL for the whole run and one template database that the migrations (here)
// and the seed (the `seed-template` Turborepo task, which knows the subgraphs) fill once; each
// workspace's Jest then clones it in seconds (see src/testing/global-setup.ts) instead of starting a
// cluster, migrating and seeding 327k observations of its own.
//
// The server is the one DATABASE_URL names (a throw-away template database is created there), or
// else one embedded cluster in a temporary folder. The arguments are passed to `turbo run`; each
// `--then=TASK` before them runs TASK alone afterwards, on the same template (see ./test-run-args).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createThrowAwayDatabase, TEST_SERVER_ENV, TEST_TEMPLATE_ENV } from '../database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../embedded';
import { applyMigrations } from '../migrate';
import { PACKAGE_ROOT } from '../paths';
import { turboRuns } from './test-run-args';

const REPOSITORY_ROOT = path.join(PACKAGE_ROOT, '..');

function runTurbo(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const turbo = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
  const child = spawn(turbo, ['run', ...args], { cwd: REPOSITORY_ROOT, env, stdio: 'inherit' });
  // Ctrl-C reaches turbo through the terminal's process group; the database is cleaned up after it ends.
  const ignore = () => undefined;
  const forwardTerm = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forwardTerm);
  return new Promise<number>((resolve) => {
    child.on('error', (error) => {
      console.error(`test-run: cannot start turbo: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  }).finally(() => {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', forwardTerm);
  });
}

async function main(): Promise<number> {
  const runs = turboRuns(process.argv.slice(2));
  const name = `regiograph_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), name), persistent: false, databaseName: 'postgres' });
    serverUrl = embedded.url;
  }
  try {
    const template = await createThrowAwayDatabase(serverUrl, name);
    try {
      await applyMigrations(template.url);
      const env = { ...process.env, [TEST_SERVER_ENV]: serverUrl, [TEST_TEMPLATE_ENV]: name };
      for (const args of runs) {
        const code = await runTurbo(args, env);
        if (code !== 0) return code;
      }
      return 0;
    } finally {
      await template.stop();
    }
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
