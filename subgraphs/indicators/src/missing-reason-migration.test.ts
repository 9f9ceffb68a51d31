import { applyMigrations, readMigrations } from '@regiograph/db';
import { databaseBeforeMigration } from '@regiograph/db/testing';
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
  const database = databaseBeforeMigration(MIGRATION);

  it('stores the reasons RegioGraph wrote as English text as their structure, and leaves a steward’s text as written', async () => {
    expect((await readMigrations()).map((migration) => migration.name)).toContain(MIGRATION);
    await database.migrateBefore(async (client) => {
      for (const [index, [text]] of STORED_BEFORE.entries())
        await client.query(
          `INSERT INTO indicators.observation (region_code, indicator_code, year, value, status, missing_reason)
           VALUES ('03159', 'test_reason', $1, NULL, 'MISSING', $2)`,
          [2000 + index, text],
        );
    });
    expect(await applyMigrations(database.url)).toEqual([MIGRATION]);
    const { rows } = await database.client.query<{ text: string | null; own: MissingReason | null }>(
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
