import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiffTarget, SchemaContainer, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg' with {
  'resolution-mode': 'import',
};
import { MIGRATIONS_DIR, SCHEMA_DIR } from './paths';
import { readMigrations } from './migrate';

/**
 * Prisma's schema engine compiled to WebAssembly. The CLI's native engine is downloaded at run
 * time, which machines without internet cannot do; the wasm build ships inside its npm package.
 * Its JS entry imports the .wasm as an ES module (a bundler convention Node does not support),
 * so it is instantiated by hand here.
 */
type SchemaEngineBindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg', { with: { 'resolution-mode': 'import' } });

/** @types/node 20 does not declare the WebAssembly global Node has. */
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
  };
};

async function loadSchemaEngineModule(): Promise<SchemaEngineBindings> {
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const { instance } = await wasm.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bindings;
}

export async function readSchemaFiles(dir: string = SCHEMA_DIR): Promise<SchemaContainer[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.prisma')).sort();
  return Promise.all(names.map(async (name) => ({ path: path.join(dir, name), content: await readFile(path.join(dir, name), 'utf8') })));
}

/**
 * PGlite is built without ICU, so a migration that names one of PostgreSQL's ICU collations
 * (20261205094500_project_title_german_order: `COLLATE "de-x-icu"`) fails in the shadow database, and
 * with it every diff. Prisma's schema has no notion of a column's collation, so the diff does not
 * depend on how it sorts: the shadow database gets a stand-in of the same name, sorting by byte,
 * for each ICU collation the migrations name. The real databases (embedded PostgreSQL, Debian's)
 * have the real ones.
 */
export function icuCollationStandIns(migrationSql: readonly string[]): string {
  const names = new Set<string>();
  for (const sql of migrationSql) for (const [, name] of sql.matchAll(/COLLATE\s+"([^"]+-x-icu)"/gi)) if (name) names.add(name);
  return [...names]
    .sort()
    .map((name) => `CREATE COLLATION IF NOT EXISTS public."${name}" (provider = libc, locale = 'C');\n`)
    .join('');
}

/**
 * The SQL that takes a database from the checked-in migrations to the Prisma schema; empty when
 * they agree. The migrations are replayed into an in-process PGlite shadow database, so neither
 * a native engine nor a second PostgreSQL server is needed.
 */
export async function diffMigrationsToSchema(options: { schemaDir?: string; migrationsDir?: string } = {}): Promise<string> {
  const schemaFiles = await readSchemaFiles(options.schemaDir);
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const migrations = await readMigrations(migrationsDir);
  const engineModule = await loadSchemaEngineModule();
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const shadow = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(shadow));
  const engine: SchemaEngine = await engineModule.SchemaEngine.new(
    { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
    () => undefined,
    adapter,
  );
  const lockfileContent = await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  const from: DiffTarget =
    migrations.length === 0
      ? { tag: 'empty' }
      : {
          tag: 'migrations',
          baseDir: migrationsDir,
          lockfile: { path: 'migration_lock.toml', content: lockfileContent ?? 'provider = "postgresql"\n' },
          shadowDbInitScript: icuCollationStandIns(migrations.map((migration) => migration.sql)),
          migrationDirectories: migrations.map((migration) => ({
            path: migration.name,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.sql } },
          })),
        };
  try {
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: schemaFiles },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    // An empty diff still comes back as a comment line; only statements count.
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    engine.free();
    // Frees the shadow database. A timer of its PostgreSQL outlives it, so the CLIs exit by themselves.
    await shadow.close();
  }
}
