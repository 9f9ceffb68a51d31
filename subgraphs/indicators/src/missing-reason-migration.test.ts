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
import { missingReasonText, type MissingReason } from './missing-reasons';

/** The migration that turned RegioGraph's stored English reasons into their structure. */
const MIGRATION = '20261206235004_observation_own_missing_reason';

/** Texts as the seed and the importer stored them before, with the reason each says. */
const STORED_BEFORE: readonly [text: string, reason: MissingReason][] = [
  [
    'Not aggregated: 1 of 10 counties lack a value or weight.',
    { kind: 'notAggregated', lacking: 1, of: 10, members: 'counties', orWeight: true },
  ],
  [
    'Not aggregated: 3 of 5 municipalities lack a value.',
    { kind: 'notAggregated', lacking: 3, of: 5, members: 'municipalities', orWeight: false },
  ],
  ['Gemeindefreies Gebiet (unincorporated area without residents): not applicable.', { kind: 'uninhabited' }],
  ['Withheld for confidentiality (synthetic demonstration of a suppressed value).', { kind: 'suppressedSynthetic' }],
  // A steward's own, however it begins.
  ['Not aggregated: the office publishes no sum', { kind: 'given', text: 'Not aggregated: the office publishes no sum' }],
  ['Geheimhaltung nach § 16 BStatG', { kind: 'given', text: 'Geheimhaltung nach § 16 BStatG' }],
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

  it('stores the reasons RegioGraph wrote as English text as their structure, and leaves a steward’s text as written', async () => {
    expect((await readMigrations()).map((migration) => migration.name)).toContain(MIGRATION);
    await applyMigrations(database.url, before);
    // The rows alone matter here, not the catalogue they would belong to: foreign keys are not checked
    // for this session (a replica's setting), so the test needs no indicator of its own.
    await client.query('SET session_replication_role = replica');
    for (const [index, [text]] of STORED_BEFORE.entries())
      await client.query(
        `INSERT INTO indicators.observation (region_code, indicator_code, year, value, status, missing_reason)
         VALUES ('03159', 'test_reason', $1, NULL, 'MISSING', $2)`,
        [2000 + index, text],
      );
    await client.query('SET session_replication_role = DEFAULT');
    expect(await applyMigrations(database.url)).toEqual([MIGRATION]);
    const { rows } = await client.query<{ text: string | null; own: MissingReason | null }>(
      `SELECT missing_reason AS text, own_missing_reason AS own FROM indicators.observation WHERE indicator_code = 'test_reason' ORDER BY year`,
    );
    expect(rows.map((row) => row.own ?? (row.text === null ? null : { kind: 'given', text: row.text }))).toEqual(
      STORED_BEFORE.map(([, reason]) => reason),
    );
    expect(rows.filter((row) => row.own !== null && row.text !== null)).toEqual([]);
    // Said in English, each reads as it was stored.
    expect(rows.map((row) => missingReasonText(row.own ?? { kind: 'given', text: row.text! }))).toEqual(
      STORED_BEFORE.map(([text]) => text),
    );
  });
});
