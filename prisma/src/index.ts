export { createDatabaseClient, RequestAbandonedError, SqlStatementCounter } from './client';
export type { DatabaseClient, DatabaseClientOptions } from './client';
export { findFreePort } from './embedded';
export { provideDatabase, provideScratchDatabase, DATA_DIR } from './database';
export type { ProvidedDatabase } from './database';
export { applyMigrations, readMigrations, MigrationError } from './migrate';
export { MIGRATIONS_DIR, SCHEMA_DIR } from './paths';
export * from './generated/prisma/client';
