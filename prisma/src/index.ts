export { createDatabaseClient, SqlStatementCounter } from './client';
export type { DatabaseClient, DatabaseClientOptions } from './client';
export { findFreePort } from './embedded';
export { provideDatabase, provideScratchDatabase, cloneTemplateDatabase, databaseUrlOn, DATA_DIR, TEST_SERVER_ENV, TEST_TEMPLATE_ENV } from './database';
export type { ProvidedDatabase } from './database';
export { applyMigrations, readMigrations, MigrationError } from './migrate';
export { MIGRATIONS_DIR, SCHEMA_DIR } from './paths';
export * from './generated/prisma/client';
