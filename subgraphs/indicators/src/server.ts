import { createSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from '@regiograph/subgraph-kit';
import { CatalogueCache } from './catalogue';
import { createContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
// The importer's CLI, for end-to-end tests of what an import does to running gateways.
export { runCli as runImportCli } from './import/cli';
export { seedIndicators as seed, seedIndicatorsIfEmpty as seedIfEmpty } from './seed';

export async function createServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  const catalogues = new CatalogueCache();
  return createSubgraphServer('indicators', schema, options, (database) =>
    // Bulk reads use node-postgres directly, routed like Prisma's reads (a current replica, else the primary).
    createContext(database.prisma, database.readPool, catalogues),
  );
}
