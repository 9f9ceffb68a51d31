import { ErrorCode } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './errors';

/**
 * The error for a subgraph that refused, as nested too deeply (its QUERY_TOO_DEEP, HTTP 400), the
 * document the gateway sent it, or null for any other answer. The gateway sends only documents its
 * query planner wrote for a query it admitted under its own MAX_DOCUMENT_NESTING, so such a refusal
 * is the deployment's fault, not the client's, whatever the two limits are:
 * - the subgraph's limit is below the gateway's: the variable was set differently;
 * - it is not: the planner's document nests deeper than the client's (an entity fetch wraps the
 *   selection in `_entities { ... on Type { … } }`, and named fragments are written out inline), so
 *   equal limits low enough to matter still refuse it.
 * Without this the client got an internal error (or, outside production, "400: Bad Request").
 */
export function documentLimitsMismatch(subgraph: string, gatewayNesting: number, body: unknown): GraphQLError | null {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  for (const error of errors as { extensions?: { code?: unknown; limit?: unknown } }[]) {
    const limit = error?.extensions?.limit;
    if (error?.extensions?.code !== ErrorCode.QueryTooDeep || typeof limit !== 'number') continue;
    const cause =
      limit < gatewayNesting
        ? `MAX_DOCUMENT_NESTING is set lower there than at the gateway`
        : `the document the gateway planned for it nests deeper than the query (entity fetches and written-out fragments add ` +
          `levels), so MAX_DOCUMENT_NESTING is too low for this query at ${subgraph}`;
    return new GraphQLError(
      `The ${subgraph} service refuses documents nested more than ${limit} levels deep, the gateway admits ${gatewayNesting}: ` +
        `${cause}, a fault of this deployment, not of the query. The fields ${subgraph} provides are missing from this answer.`,
      { extensions: { code: GatewayErrorCode.DocumentLimitsMismatch, serviceName: subgraph, subgraphLimit: limit, limit: gatewayNesting } },
    );
  }
  return null;
}
