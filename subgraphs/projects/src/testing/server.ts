import { DEVELOPMENT_AUTH_SECRET } from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seedIfEmpty } from '../server';

/**
 * The projects subgraph as the tests run it: on `databaseUrl` (the Jest worker's database unless
 * told otherwise), seeded when empty, listening on a port the OS chose. The caller closes it.
 */
export async function startSeededServer(
  databaseUrl: string = process.env.TEST_DATABASE_URL!,
): Promise<{ server: SubgraphServer; url: string }> {
  const server = await createServer({ databaseUrl, authSecret: DEVELOPMENT_AUTH_SECRET });
  await seedIfEmpty(server.database);
  return { server, url: (await server.listen(0)).url };
}
