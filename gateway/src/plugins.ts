import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { checkOperationLimits, type OperationLimits } from './limits';
import type { GatewayMetrics } from './metrics';
import type { Safelist } from './persisted';

/** Refuses operations over the depth, alias or directive limits before any subgraph is called (cost: demand-control.ts). */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
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
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          if (operation.operation === 'subscription' && !schema.getSubscriptionType()) {
            throw new GraphQLError('This API has no subscriptions.', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
          const error = checkOperationLimits(schema, document, operation, limits);
          if (error) throw error;
        },
      };
    },
  };
}

/** In safelist mode, only operations registered ahead of time (by their SHA-256) run. */
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Checked once the operation is known (earlier hooks cannot set the HTTP status).
        async didResolveOperation({ queryHash }) {
          if (!(await safelist.has(queryHash))) {
            throw new GraphQLError('This operation is not registered. Only registered operations run on this gateway.', {
              extensions: { code: 'OPERATION_NOT_REGISTERED', http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}

/** Codes whose messages are written for clients and pass unchanged, also in production. */
const CLIENT_FACING_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'OPERATION_RESOLUTION_FAILURE',
  'OPERATION_NOT_REGISTERED',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_COSTLY',
  'RESPONSE_TOO_LARGE',
  'OVERLOADED',
  'TOO_MANY_ITEMS',
  'UNKNOWN_REGION_CODES',
  'UNKNOWN_INDICATOR_CODES',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'VERSION_CONFLICT',
  'VALIDATION_FAILED',
  'SUBGRAPH_UNAVAILABLE',
  'RATE_LIMITED',
]);

interface ClientError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

function codeOf(error: ClientError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * One structured log line per request with its request id, metrics, and error masking: in
 * production, database errors, stack traces and internal messages never reach the client — it
 * gets the request id to quote, the log gets the details.
 */
export function observabilityPlugin(options: { metrics: GatewayMetrics; production: boolean }): ApolloServerPlugin<GatewayContext> {
  const { metrics, production } = options;
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const { response, operation, request } = requestContext;
          const operationType = operation?.operation ?? 'unknown';
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.duration.observe({ operation: operationType }, seconds);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = (result.errors ?? []) as ClientError[];
          const codes: string[] = [];
          const masked = errors.map((error): ClientError => {
            const code = codeOf(error);
            codes.push(code);
            metrics.errors.inc({ code });
            if (!production || CLIENT_FACING_CODES.has(code)) {
              const { stacktrace: _stacktrace, exception: _exception, ...extensions } = error.extensions ?? {};
              return { ...error, extensions: production ? { ...extensions, requestId: contextValue.requestId } : { ...error.extensions, requestId: contextValue.requestId } };
            }
            return {
              message: `Internal server error. Quote request id ${contextValue.requestId} when reporting it.`,
              path: error.path,
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.requestId },
            };
          });
          if (errors.length > 0) result.errors = masked as typeof result.errors;
          const outcome = errors.length === 0 ? 'ok' : result.data ? 'partial' : 'error';
          metrics.requests.inc({ operation: operationType, outcome });
          contextValue.logger.info('graphql request', {
            requestId: contextValue.requestId,
            operationName: request.operationName ?? operation?.name?.value ?? null,
            operation: operationType,
            outcome,
            durationMs: Math.round(seconds * 1000),
            ...(errors.length > 0 ? { errors: errors.map((error, index) => ({ code: codes[index], message: error.message, path: error.path })) } : {}),
          });
        },
      };
    },
  };
}
