import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import { checkOperationLimits, type OperationLimits } from '../limits';

/**
 * Refuses operations over the depth, alias or directive limits before any subgraph is called (cost:
 * demand-control.ts).
 *
 * `limits` (read by config.ts from the environment; defaults in brackets): `maxDepth` deepest field
 * nesting, fragments followed (GATEWAY_MAX_DEPTH, 12) → QUERY_TOO_DEEP; `maxAliases` aliases per
 * operation (GATEWAY_MAX_ALIASES, 30) → TOO_MANY_ALIASES; `maxDirectives` directive uses
 * (GATEWAY_MAX_DIRECTIVES, 20) → TOO_MANY_DIRECTIVES; an operation whose fragments expand to too
 * many fields → QUERY_TOO_COSTLY.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  // Apollo Server keeps one parsed document per query text, so a repeated operation comes back as the
  // same node: that it passed is remembered rather than walked again on every request. The limits
  // read the document alone (neither variables nor the schema), so a reloaded supergraph keeps them.
  // Refusals are rare and each gets its own error, so they are not remembered.
  const passed = new WeakSet<OperationDefinitionNode>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Apollo leaves these to the gateway, whose query planner would answer with a 500.
          if (!operation) {
            throw new GraphQLError(
              request.operationName
                ? `The document has no operation named ${JSON.stringify(request.operationName)}.`
                : 'The document holds several operations: say which to run with operationName.',
              { extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } },
            );
          }
          if (operation.operation === 'subscription' && !schema.getSubscriptionType()) {
            throw new GraphQLError('This API has no subscriptions.', {
              extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
            });
          }
          if (passed.has(operation)) return;
          const error = checkOperationLimits(document, operation, limits);
          if (error) throw error;
          passed.add(operation);
        },
      };
    },
  };
}
