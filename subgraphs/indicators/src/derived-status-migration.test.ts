import { applyMigrations, readMigrations } from '@regiograph/db';
import { databaseBeforeMigration } from '@regiograph/db/testing';

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
  const database = databaseBeforeMigration(MIGRATION);

  it('counts the values of a derived indicator whose status no formula writes as given by the source, and no other', async () => {
    expect((await readMigrations()).map((migration) => migration.name)).toContain(MIGRATION);
    await database.migrateBefore(async (client) => {
      for (const [index, { status, value, derived }] of STORED_BEFORE.entries())
        await client.query(
          `INSERT INTO indicators.observation (region_code, indicator_code, year, value, status, derived)
           VALUES ('03159', 'test_derived_status', $1, $2, $3, $4)`,
          [2000 + index, value, status, derived],
        );
    });
    expect(await applyMigrations(database.url)).toEqual([MIGRATION]);
    const { rows } = await database.client.query<{ derived: boolean }>(
      `SELECT derived FROM indicators.observation WHERE indicator_code = 'test_derived_status' ORDER BY year`,
    );
    expect(rows.map((row) => row.derived)).toEqual(STORED_BEFORE.map((row) => row.computed));
  });
});
