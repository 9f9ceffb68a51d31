import { createSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from '@regiograph/subgraph-kit';
import { createContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedIndicators as seed, seedIndicatorsIfEmpty as seedIfEmpty } from './seed';

export async function createServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer('indicators', schema, options, (database) =>
    // Bulk reads use node-postgres directly: a replica's pool when there is one.
    createContext(database.prisma, database.replicaPools[0] ?? database.pool),
  );
}
