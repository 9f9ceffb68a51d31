import { ErrorCode } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './errors';

/**
 * The error for a subgraph that refused, as nested too deeply (its QUERY_TOO_DEEP, HTTP 400), the
 * document the gateway sent it, when the subgraph's limit is below the gateway's: the gateway admitted
 * and planned the query under its own MAX_DOCUMENT_NESTING, so the fault is the deployment's, which
 * set the variable differently, not the client's. Without this the client got an internal error (or,
 * outside production, "400: Bad Request"). Null for any other answer. A subgraph limit at or above
 * the gateway's is left to the usual error: the deployment is then not at fault in this way.
 */
export function documentLimitsMismatch(subgraph: string, gatewayNesting: number, body: unknown): GraphQLError | null {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  for (const error of errors as { extensions?: { code?: unknown; limit?: unknown } }[]) {
    const limit = error?.extensions?.limit;
    if (error?.extensions?.code !== ErrorCode.QueryTooDeep || typeof limit !== 'number' || limit >= gatewayNesting) continue;
    return new GraphQLError(
      `The ${subgraph} service refuses documents nested more than ${limit} levels deep, the gateway admits ${gatewayNesting}: ` +
        `MAX_DOCUMENT_NESTING is set lower there than at the gateway, a fault of this deployment, not of the query. ` +
        `The fields ${subgraph} provides are missing from this answer.`,
      { extensions: { code: GatewayErrorCode.DocumentLimitsMismatch, serviceName: subgraph, subgraphLimit: limit, limit: gatewayNesting } },
    );
  }
  return null;
}
