import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { GatewayErrorCode } from '../errors';
import type { Safelist } from '../persisted';

/**
 * In safelist mode, only operations registered ahead of time (by their SHA-256) run; others get
 * OPERATION_NOT_REGISTERED (HTTP 403).
 *
 * `safelist`: the registered hashes (Redis with REDIS_URL, else memory; filled by `npm run safelist`
 * or SAFELIST_MANIFEST). The plugin is installed only when SAFELIST is true (default false).
 */
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Checked once the operation is known (earlier hooks cannot set the HTTP status).
        async didResolveOperation({ queryHash }) {
          if (!(await safelist.has(queryHash))) {
            throw new GraphQLError('This operation is not registered. Only registered operations run on this gateway.', {
              extensions: { code: GatewayErrorCode.OperationNotRegistered, http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}
