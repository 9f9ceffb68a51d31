import { createTokenVerifier, resolveAuthSecret } from '@regiograph/shared';
import {
  changeFeedUpkeep,
  createSubgraphServer,
  entityReferences,
  type ChangeFeedUpkeepOptions,
  type SubgraphServer,
  type SubgraphServerOptions,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { createContext, type ProjectReferences } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedProjects as seed, seedProjectsIfEmpty as seedIfEmpty } from './seed';

export interface ProjectsServerOptions extends SubgraphServerOptions, ChangeFeedUpkeepOptions {
  /** The token signing secret; defaults to AUTH_SECRET (development default outside production). */
  authSecret?: string;
}

export async function createServer(options: ProjectsServerOptions): Promise<SubgraphServer> {
  // Resolved before anything starts: production without AUTH_SECRET refuses to start.
  const verifier = createTokenVerifier({ secret: options.authSecret ?? resolveAuthSecret() });
  // In-process servers (tests, the bench's statement counts) know no peer unless told: a default
  // port of this machine may hold another checkout's stack.
  const peerUrl = options.peerUrl ?? (() => undefined);
  const references: ProjectReferences = {
    // A carried project starts no earlier than its carrier was founded: the founding day comes with the existence check.
    cooperations: entityReferences({
      from: 'projects',
      owner: 'cooperations',
      typename: 'Cooperation',
      key: 'id',
      fields: ['founded'],
      peerUrl,
    }),
    indicators: entityReferences({ from: 'projects', owner: 'indicators', typename: 'Indicator', key: 'code', peerUrl }),
  };
  return createSubgraphServer(
    'projects',
    schema,
    options,
    (database, request) => createContext(database.prisma, verifier, references, request),
    changeFeedUpkeep(PROJECT_FEED, options),
  );
}
export { checkCoherence, CoherenceError, type CoherenceData, type CoherenceProject, type CoherenceCooperation } from './coherence';
