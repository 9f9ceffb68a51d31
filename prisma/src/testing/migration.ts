// The set-up of a migration's test: a database of its own, deployed as it was before the migration.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import { connectClient } from '../connect';
import { provideScratchDatabase, type ProvidedDatabase } from '../database';
import { applyMigrations } from '../migrate';
import { MIGRATIONS_DIR } from '../paths';

/** A scratch database of a migration's test, and its client. */
export interface DatabaseBefore {
  readonly url: string;
  readonly client: Client;
  /**
   * Migrates the database up to the one before the migration, as one deployed before it is, and writes
   * rows there with `write`: the rows alone matter, not the catalogue they would belong to, so foreign
   * keys are not checked meanwhile (a replica's setting), and the test needs no rows they refer to
   * (an indicator, a project) of its own.
   */
  migrateBefore(write: (client: Client) => Promise<void>): Promise<void>;
}

/**
 * A database of its own for the test of `migration`, set up before the enclosing `describe`'s tests and
 * removed after them, also after a failed setup.
 */
export function databaseBeforeMigration(migration: string): DatabaseBefore {
  let database: ProvidedDatabase | undefined;
  let client: Client | undefined;
  let before: string | undefined;
  beforeAll(async () => {
    database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL });
    before = await mkdtemp(path.join(os.tmpdir(), 'regiograph-migrations-'));
    await cp(MIGRATIONS_DIR, before, { recursive: true });
    await rm(path.join(before, migration), { recursive: true });
    client = await connectClient({ connectionString: database.url });
  });
  afterAll(async () => {
    await client?.end();
    await database?.stop();
    if (before) await rm(before, { recursive: true, force: true });
  });
  return {
    get url() {
      return database!.url;
    },
    get client() {
      return client!;
    },
    async migrateBefore(write) {
      await applyMigrations(database!.url, before);
      await client!.query('SET session_replication_role = replica');
      await write(client!);
      await client!.query('SET session_replication_role = DEFAULT');
    },
  };
}
