// The drift check between prisma/schema and prisma/migrations: Prisma's schema engine as WebAssembly
// replays every migration into PGlite, several seconds per check. It runs as its own Turborepo task
// (`check-migrations`, part of `npm test`), cached on the files of this package, so a second run
// over unchanged schema and migrations (CI's run on the machine's PostgreSQL) replays the result
// instead of the engine. It needs no database: jest.check-migrations.config.js has no global setup.
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

/** `npm run migration:new -- <name> <schema folder> <migrations folder>`, the command a developer runs. */
async function newMigration(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'migration:new', '--', ...args], { cwd: PACKAGE_ROOT });
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

  // The migrations include one with PostgreSQL's ICU collation "de-x-icu", which the in-memory shadow
  // database once lacked: every new migration then failed and had to be written by hand.
  it('writes the next migration for a schema change, after which schema and migrations agree', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'regiograph-new-migration-'));
    const schemaDir = path.join(scratch, 'schema');
    const migrationsDir = path.join(scratch, 'migrations');
    await cp(SCHEMA_DIR, schemaDir, { recursive: true });
    await cp(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    await appendFile(
      path.join(schemaDir, 'projects.prisma'),
      '\nmodel MigrationProbe {\n  id    Int    @id\n  label String\n\n  @@schema("projects")\n}\n',
    );
    try {
      const created = await newMigration('migration_probe', schemaDir, migrationsDir);
      expect(created.output).toContain('migration_probe/migration.sql');
      expect(created.code).toBe(0);
      const added = (await readdir(migrationsDir)).filter((name) => name.endsWith('_migration_probe'));
      expect(added).toHaveLength(1);
      const sql = await readFile(path.join(migrationsDir, added[0]!, 'migration.sql'), 'utf8');
      expect(sql).toContain('CREATE TABLE "projects"."MigrationProbe"');
      expect(sql).toContain('"label" TEXT NOT NULL');
      // Only the change: nothing about the collation or any other existing table.
      expect(sql).not.toMatch(/COLLAT|ALTER TABLE|DROP/i);
      const checked = await checkMigrations(schemaDir, migrationsDir);
      expect(checked.output).toContain('Prisma schema and migrations agree.');
      expect(checked.code).toBe(0);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 300_000);
});
