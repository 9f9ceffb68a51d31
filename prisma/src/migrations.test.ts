import { cp, mkdtemp, mkdir, rm, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, MigrationError, readMigrations } from './migrate';
import { provideScratchDatabase, type ProvidedDatabase } from './database';
import { MIGRATIONS_DIR } from './paths';

describe('applyMigrations', () => {
  let database: ProvidedDatabase;
  let client: pg.Client;
  /** Copies of the migrations folder the tests change. */
  const copies: string[] = [];

  /** A copy of the checked-in migrations, removed after the tests. */
  async function copyOfMigrations(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-migrations-'));
    copies.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  }

  beforeAll(async () => {
    // A sibling of the run's test database on the same server: this test needs one never migrated.
    database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.stop();
    for (const dir of copies) await rm(dir, { recursive: true, force: true });
  });

  it('applies every migration once and records it the way prisma migrate deploy does', async () => {
    const migrations = await readMigrations();
    expect(await applyMigrations(database.url)).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(database.url)).toEqual([]);
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1]),
    );
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
    const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'regions'");
    expect(tables.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it("makes every schema's change_log append-only, as subgraph-kit's change feed requires", async () => {
    await applyMigrations(database.url);
    // A subgraph with a write path adds change_log in its own migration; `migration:new` writes the
    // table from the Prisma model but not the triggers, which are SQL only (docs/adding-a-subgraph.md).
    const { rows } = await client.query<{ schema: string; triggers: string[] }>(`
      SELECT t.table_schema AS schema,
             coalesce(array_agg(tr.tgname ORDER BY tr.tgname) FILTER (WHERE tr.tgname IS NOT NULL), '{}') AS triggers
      FROM information_schema.tables t
      LEFT JOIN pg_trigger tr ON tr.tgrelid = format('%I.%I', t.table_schema, t.table_name)::regclass AND NOT tr.tgisinternal
      WHERE t.table_name = 'change_log'
      GROUP BY t.table_schema ORDER BY t.table_schema`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const required = ['change_log_append_only', 'change_log_no_truncate'];
    const lacking = rows
      .map((row) => ({ table: `${row.schema}.change_log`, missingTriggers: required.filter((name) => !row.triggers.includes(name)) }))
      .filter((row) => row.missingTriggers.length > 0);
    // The SQL to copy: refuse_change_log_edit and its two triggers in migrations/20261202042200_change_feed/migration.sql.
    expect(lacking).toEqual([]);
  });

  it("gives every schema's change_log the position up to which cursors without a stamp are read", async () => {
    await applyMigrations(database.url);
    // subgraph-kit's readChanges reads it in every page; a subgraph with a write path created later
    // adds it in its own migration (docs/adding-a-subgraph.md), with 0: its feed never gave such a cursor.
    const { rows } = await client.query<{ schema: string; until: string | null }>(`
      SELECT t.table_schema AS schema, to_regproc(format('%I.change_log_unstamped_until', t.table_schema))::text AS until
      FROM information_schema.tables t WHERE t.table_name = 'change_log' ORDER BY t.table_schema`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((row) => row.until === null).map((row) => `${row.schema}.change_log_unstamped_until()`)).toEqual([]);
  });

  it('rolls a failing migration back completely and reports it by name', async () => {
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, '99990101000000_broken'));
    await writeFile(
      path.join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE regions.half_done (id int);\nSELECT * FROM regions.no_such_table;\n',
    );
    await expect(applyMigrations(database.url, dir)).rejects.toThrow(/99990101000000_broken failed and was rolled back/);
    const leftover = await client.query("SELECT to_regclass('regions.half_done') AS t");
    expect(leftover.rows[0].t).toBeNull();
    const recorded = await client.query(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
    );
    expect(recorded.rows[0].n).toBe(0);
  });

  it('refuses to continue when an applied migration was edited afterwards', async () => {
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await appendFile(path.join(dir, first!.name, 'migration.sql'), '\n-- edited\n');
    const failure = applyMigrations(database.url, dir);
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(applyMigrations(database.url, dir)).rejects.toThrow(/checksum mismatch/);
  });
});
