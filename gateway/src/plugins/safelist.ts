import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import { GatewayErrorCode } from '../errors';
import { canonicalOperation } from '../operations';
import { sha256, type Safelist } from '../persisted';

/**
 * In safelist mode, only operations registered ahead of time (by their SHA-256) run; others get
 * OPERATION_NOT_REGISTERED (HTTP 403). While the shared store is away the safelist cannot be read, and
 * an unchecked operation must not run: every one gets SAFELIST_UNAVAILABLE (HTTP 503, Retry-After).
 *
 * `safelist`: the registered hashes (Redis with REDIS_URL, else memory; filled by `npm run safelist`
 * or SAFELIST_MANIFEST). The plugin is installed only when SAFELIST is true (default false).
 */
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin<GatewayContext> {
  const registered = async (hash: string): Promise<boolean> => {
    try {
      return await safelist.has(hash);
    } catch {
      throw new GraphQLError(
        'Registered operations cannot be checked right now (the shared store is unreachable), so none runs. Retry after 5 s.',
        {
          extensions: { code: GatewayErrorCode.SafelistUnavailable, http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } },
        },
      );
    }
  };
  return {
    async requestDidStart() {
      return {
        // Checked once the operation is known (earlier hooks cannot set the HTTP status).
        async didResolveOperation({ queryHash, source, operation }) {
          if (await registered(queryHash)) return;
          // Sent as text in another layout (the team's own file, not the registration's print): the
          // same operation if its canonical document is registered. Only then is the text printed.
          const canonical = operation?.name ? canonicalOperation(source, operation.name.value) : null;
          if (!canonical || !(await registered(sha256(canonical)))) {
            // Named with the hash it was looked up by: a team comparing with its manifest sees at once
            // whether the gateway lacks the manifest or the page sends another text than it registered.
            const name = operation?.name?.value;
            throw new GraphQLError(
              `The operation ${name ?? '(anonymous)'} (sha256 ${queryHash}) is not registered. Only registered operations run on this gateway.`,
              {
                extensions: {
                  code: GatewayErrorCode.OperationNotRegistered,
                  operationName: name ?? null,
                  sha256: queryHash,
                  http: { status: 403 },
                },
              },
            );
          }
        },
      };
    },
  };
}
