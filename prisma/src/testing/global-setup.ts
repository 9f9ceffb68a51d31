// Jest global setup for every workspace: one migrated database per Jest worker, so that test files
// running at the same time in different workers never see each other's writes (a file that creates
// records would otherwise change the counts another file asserts). Under `npm test` each is a clone
// of the run's seeded template (see src/cli/test-run.ts); a single workspace's `npx jest` gets fresh,
// empty databases (on DATABASE_URL's server, or in its own embedded cluster) and the tests seed what
// they need. Each worker finds its own through worker-database.ts (a setup file of the preset).
import { applyMigrations } from '../migrate';
import {
  cloneTemplateDatabase,
  createThrowAwayDatabase,
  databaseUrlOn,
  provideScratchDatabase,
  TEST_SERVER_ENV,
  TEST_TEMPLATE_ENV,
  type ProvidedDatabase,
} from '../database';
import { workerDatabaseEnv } from './worker-env';

declare global {
  var __regiographTestDatabases: ProvidedDatabase[] | undefined;
}

/** The part of Jest's global configuration read here. */
interface JestGlobalConfig {
  maxWorkers: number;
}

export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  // Jest numbers its workers 1…maxWorkers (JEST_WORKER_ID; 1 when it runs the files in its own process).
  const workers = Math.max(1, globalConfig.maxWorkers);
  const server = process.env[TEST_SERVER_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  const databases: ProvidedDatabase[] = [];
  globalThis.__regiographTestDatabases = databases;
  if (server && template) {
    for (let worker = 1; worker <= workers; worker += 1) databases.push(await cloneTemplateDatabase(server, template));
  } else {
    const first = await provideScratchDatabase();
    databases.push(first);
    await applyMigrations(first.url);
    // The other workers' databases are copies of the migrated first one, made from the server's
    // maintenance database (a template must have no connections while it is copied).
    const firstName = new URL(first.url).pathname.slice(1);
    const adminUrl = first.kind === 'server' && process.env.DATABASE_URL ? process.env.DATABASE_URL : databaseUrlOn(first.url, 'postgres');
    for (let worker = 2; worker <= workers; worker += 1) {
      databases.push(await createThrowAwayDatabase(adminUrl, `${firstName}_w${worker}`, firstName));
    }
  }
  databases.forEach((database, index) => (process.env[workerDatabaseEnv(index + 1)] = database.url));
  // What a worker-less consumer (a global hook, a tool started by hand) reads: the first worker's.
  process.env.TEST_DATABASE_URL = databases[0]!.url;
}
