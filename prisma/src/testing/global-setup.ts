// Jest global setup for every workspace: one fresh, migrated database per test run, shared by its
// test files through TEST_DATABASE_URL. With DATABASE_URL set, a throw-away database on that server.
import { applyMigrations } from '../migrate';
import { provideScratchDatabase, type ProvidedDatabase } from '../database';

declare global {
  var __regiographTestDatabase: ProvidedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  const database = await provideScratchDatabase();
  globalThis.__regiographTestDatabase = database;
  await applyMigrations(database.url);
  process.env.TEST_DATABASE_URL = database.url;
}
