// The drift check between prisma/schema and prisma/migrations: Prisma's schema engine as WebAssembly
// replays every migration into PGlite, several seconds per check. It runs as its own Turborepo task
// (`check-migrations`, part of `npm test`), cached on the files of this package, so a second run
// over unchanged schema and migrations (CI's run on the machine's PostgreSQL) replays the result
// instead of the engine. It needs no database: jest.check-migrations.config.js has no global setup.
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MIGRATIONS_DIR, PACKAGE_ROOT, SCHEMA_DIR } from './paths';

const run = promisify(execFile);

async function checkMigrations(...args: string[]): Promise<{ code: number; output: string }> {
  const tsx = require.resolve('tsx/cli');
  try {
    const { stdout, stderr } = await run(process.execPath, [tsx, 'src/cli/check-migrations.ts', ...args], {
      cwd: PACKAGE_ROOT,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

// 300 s: one check takes 6 s on a quiet 2-core machine (16 s before the CLI exited explicitly: a
// PGlite timer kept its process alive) and several times that at a high load average; the assertions
// are what the test is about, not the time.
describe('schema drift', () => {
  it('finds the checked-in migrations in step with the Prisma schema', async () => {
    const result = await checkMigrations();
    expect(result.output).toContain('Prisma schema and migrations agree.');
    expect(result.code).toBe(0);
  }, 300_000);

  it('fails, naming the missing SQL, when the schema gains a model without a migration', async () => {
    const schemaDir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-schema-'));
    await cp(SCHEMA_DIR, schemaDir, { recursive: true });
    await appendFile(path.join(schemaDir, 'regions.prisma'), '\nmodel DriftProbe {\n  id Int @id\n\n  @@schema("regions")\n}\n');
    const result = await checkMigrations(schemaDir, MIGRATIONS_DIR);
    await rm(schemaDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.output).toContain('CREATE TABLE "regions"."DriftProbe"');
  }, 300_000);
});
