import { createTokenVerifier, resolveAuthSecret } from '@regiograph/shared';
import {
  createSubgraphServer,
  purgeExpiredIdempotencyKeys,
  type SubgraphServer,
  type SubgraphServerOptions,
} from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { createContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedCooperations as seed, seedCooperationsIfEmpty as seedIfEmpty } from './seed';

export interface CooperationsServerOptions extends SubgraphServerOptions {
  /** The token signing secret; defaults to AUTH_SECRET (development default outside production). */
  authSecret?: string;
}

export async function createServer(options: CooperationsServerOptions): Promise<SubgraphServer> {
  // Resolved before anything starts: production without AUTH_SECRET refuses to start.
  const verifier = createTokenVerifier({ secret: options.authSecret ?? resolveAuthSecret() });
  return createSubgraphServer(
    'cooperations',
    schema,
    options,
    (database, request) => createContext(database.prisma, verifier, request.headers.authorization),
    (database) => purgeExpiredIdempotencyKeys(database.prisma, COOPERATION_FEED),
  );
}
