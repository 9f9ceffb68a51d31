import { createDatabaseClient, type SqlStatementCounter } from '@regiograph/db';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { seedIndicatorsIfEmpty } from '../seed';
import { createServer } from '../server';

/**
 * The indicators subgraph as the tests run it: on the Jest worker's database, seeded when empty (a
 * lone `npx jest` writes 330,000 observations; under `npm test` the template is seeded and this is a
 * no-op), counting its statements with `counter` if given, on a port the OS chose. The caller closes it.
 */
export async function startSeededServer(counter?: SqlStatementCounter): Promise<{ server: SubgraphServer; url: string }> {
  const databaseUrl = process.env.TEST_DATABASE_URL!;
  const database = createDatabaseClient({ url: databaseUrl });
  try {
    await seedIndicatorsIfEmpty(database);
  } finally {
    await database.close();
  }
  const server = await createServer({ databaseUrl, ...(counter ? { counter } : {}) });
  return { server, url: (await server.listen(0)).url };
}
