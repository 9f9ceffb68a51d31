import { createTokenVerifier, resolveAuthSecret } from '@regiograph/shared';
import {
  changeFeedUpkeep,
  createSubgraphServer,
  type ChangeFeedUpkeepOptions,
  type SubgraphServer,
  type SubgraphServerOptions,
} from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { createContext, projectLinks, type CooperationLinks } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedCooperations as seed, seedCooperationsIfEmpty as seedIfEmpty } from './seed';

export interface CooperationsServerOptions extends SubgraphServerOptions, ChangeFeedUpkeepOptions {
  /** The token signing secret; defaults to AUTH_SECRET (development default outside production). */
  authSecret?: string;
}

export async function createServer(options: CooperationsServerOptions): Promise<SubgraphServer> {
  // Resolved before anything starts: production without AUTH_SECRET refuses to start.
  const verifier = createTokenVerifier({ secret: options.authSecret ?? resolveAuthSecret() });
  // As in projects: an in-process server knows no peer unless told, and then refuses deletes it cannot check.
  const peerUrl = options.peerUrl ?? (() => undefined);
  const links: CooperationLinks = { projects: projectLinks(peerUrl) };
  return createSubgraphServer(
    'cooperations',
    schema,
    options,
    (database, request) => createContext(database.prisma, verifier, links, request),
    changeFeedUpkeep(COOPERATION_FEED, options),
  );
}
