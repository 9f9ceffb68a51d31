export { createDatabaseClient, RequestAbandonedError, SqlStatementCounter, statementOutcome } from './client';
export type { BulkWriter, DatabaseClient, DatabaseClientOptions, StatementObserver, StatementOutcome } from './client';
export { embeddedPostgresBinary, findFreePort, postgresProcessIds } from './embedded';
export { controlledCluster } from './cluster';
export { connectClient } from './connect';
export type { ControlledCluster } from './cluster';
export {
  READ_AFTER_LSN_HEADER,
  readRestOfRequestOnPrimary,
  readsOnPrimaryOnly,
  withPrimaryReads,
  withReadAfterLsn,
  parseLsn,
} from './replicas';
export { inRawTransaction, type RawExecutor } from './raw-transaction';
export {
  provideDatabase,
  provideScratchDatabase,
  cloneTemplateDatabase,
  databaseUrlOn,
  ownTestDatabase,
  DATA_DIR,
  TEST_SERVER_ENV,
  TEST_TEMPLATE_ENV,
} from './database';
export type { ProvidedDatabase } from './database';
export { applyMigrations, readMigrations, MigrationError } from './migrate';
export { MIGRATIONS_DIR, SCHEMA_DIR } from './paths';
export * from './generated/prisma/client';
