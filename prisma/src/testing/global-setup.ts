// Jest global setup for every workspace: one migrated database per workspace's test run, shared by
// its test files through TEST_DATABASE_URL. Under `npm test` it is a clone of the run's seeded
// template (see src/cli/test-run.ts); a single workspace's `npx jest` gets a fresh, empty database
// (a throw-away one on DATABASE_URL's server, or its own embedded cluster) and seeds what it needs.
import { applyMigrations } from '../migrate';
import { cloneTemplateDatabase, provideScratchDatabase, TEST_SERVER_ENV, TEST_TEMPLATE_ENV, type ProvidedDatabase } from '../database';

declare global {
  var __regiographTestDatabase: ProvidedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = process.env[TEST_SERVER_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  let database: ProvidedDatabase;
  if (server && template) {
    database = await cloneTemplateDatabase(server, template);
  } else {
    database = await provideScratchDatabase();
    await applyMigrations(database.url);
  }
  globalThis.__regiographTestDatabase = database;
  process.env.TEST_DATABASE_URL = database.url;
}
