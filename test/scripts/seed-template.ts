// The `seed-template` task of `npm test`: seeds the run's template database once with every
// subgraph's data, before any workspace clones it. Without a template (Jest run on its own) there is
// nothing to do: each test database is then seeded by the tests that need it.
import { createDatabaseClient, databaseUrlOn, TEST_SERVER_ENV, TEST_TEMPLATE_ENV } from '@regiograph/db';
import { SUBGRAPHS } from '@regiograph/shared';
import type { SubgraphModule } from '../harness';

async function main(): Promise<void> {
  const server = process.env[TEST_SERVER_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!server || !template) {
    console.log('No template database (npm test provides one): nothing to seed.');
    return;
  }
  const database = createDatabaseClient({ url: databaseUrlOn(server, template) });
  try {
    for (const entry of SUBGRAPHS) {
      const started = Date.now();
      const module = (await import(entry.packageName)) as Pick<SubgraphModule, 'seedIfEmpty'>;
      await module.seedIfEmpty(database);
      console.log(`seeded ${entry.name} in ${Date.now() - started} ms`);
    }
  } finally {
    // Every connection must be gone before the first CREATE DATABASE … TEMPLATE.
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
