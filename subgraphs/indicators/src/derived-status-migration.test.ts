import {
  applyMigrations,
  connectClient,
  MIGRATIONS_DIR,
  provideScratchDatabase,
  readMigrations,
  type ProvidedDatabase,
} from '@regiograph/db';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';

/** The migration that tells a derived indicator's values its source gave from those computed, where their status can. */
const MIGRATION = '20261207142002_observation_derived_status';

/** Rows of a derived indicator as the observation_derived migration left them, with whether each was computed by its formula. */
const STORED_BEFORE: readonly { status: string; value: number | null; derived: boolean; computed: boolean }[] = [
  // Computed, or a publisher's FINAL figure, which nothing tells apart: computed it stays.
  { status: 'FINAL', value: 1.5, derived: true, computed: true },
  // Statuses that no formula writes: the source gave them.
  { status: 'PROVISIONAL', value: 2.5, derived: true, computed: false },
  { status: 'ESTIMATED', value: 3.5, derived: true, computed: false },
  // Without a value, and a publisher's figure given since, stored as such: left as they are.
  { status: 'SUPPRESSED', value: null, derived: false, computed: false },
  { status: 'PROVISIONAL', value: 4.5, derived: false, computed: false },
];

describe(`migration ${MIGRATION}`, () => {
  let database: ProvidedDatabase;
  let client: Client;
  let before: string;

  beforeAll(async () => {
    // A database of its own, migrated up to the one before this migration, as one deployed before it is.
    database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL });
    before = await mkdtemp(path.join(os.tmpdir(), 'regiograph-migrations-'));
    await cp(MIGRATIONS_DIR, before, { recursive: true });
    await rm(path.join(before, MIGRATION), { recursive: true });
    client = await connectClient({ connectionString: database.url });
  });

  afterAll(async () => {
    // Also after a failed beforeAll: the copy of the migrations is removed whatever else was set up.
    await client?.end();
    await database?.stop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('counts the values of a derived indicator whose status no formula writes as given by the source, and no other', async () => {
    expect((await readMigrations()).map((migration) => migration.name)).toContain(MIGRATION);
    await applyMigrations(database.url, before);
    // The rows alone matter here, not the catalogue they would belong to: foreign keys are not checked
    // for this session (a replica's setting), so the test needs no indicator of its own.
    await client.query('SET session_replication_role = replica');
    for (const [index, { status, value, derived }] of STORED_BEFORE.entries())
      await client.query(
        `INSERT INTO indicators.observation (region_code, indicator_code, year, value, status, derived)
         VALUES ('03159', 'test_derived_status', $1, $2, $3, $4)`,
        [2000 + index, value, status, derived],
      );
    await client.query('SET session_replication_role = DEFAULT');
    expect(await applyMigrations(database.url)).toEqual([MIGRATION]);
    const { rows } = await client.query<{ derived: boolean }>(
      `SELECT derived FROM indicators.observation WHERE indicator_code = 'test_derived_status' ORDER BY year`,
    );
    expect(rows.map((row) => row.derived)).toEqual(STORED_BEFORE.map((row) => row.computed));
  });
});
