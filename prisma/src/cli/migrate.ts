// Applies the checked-in migrations to DATABASE_URL (or the embedded database under .data/)
// without Prisma's native engine: `npm run migrate`.
import { applyMigrations } from '../migrate';
import { provideDatabase } from '../database';

async function main(): Promise<void> {
  const database = await provideDatabase();
  try {
    const applied = await applyMigrations(database.url);
    console.log(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
