import { createSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from '@regiograph/subgraph-kit';
import { createContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedRegions as seed, seedRegionsIfEmpty as seedIfEmpty } from './seed';

export async function createServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer('regions', schema, options, (database) => createContext(database.prisma));
}
