export { createDatabaseClient, SqlStatementCounter } from './client';
export type { DatabaseClient, DatabaseClientOptions } from './client';
export { embeddedPostgresBinary, findFreePort, postgresProcessIds } from './embedded';
export { READ_AFTER_LSN_HEADER, withReadAfterLsn, parseLsn } from './replicas';
export { provideDatabase, provideScratchDatabase, DATA_DIR } from './database';
export type { ProvidedDatabase } from './database';
export { applyMigrations, readMigrations, MigrationError } from './migrate';
export { MIGRATIONS_DIR, SCHEMA_DIR } from './paths';
export * from './generated/prisma/client';
