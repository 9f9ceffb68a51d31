import path from 'node:path';

/** The package root, the same from `src/` (tests, tsx) and from `dist/` (production). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');
export const SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schema');
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'migrations');
