import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { loggedMessage } from '@regiograph/shared';
import type { GatewayContext } from '../context';
import { CLIENT_FACING_CODES } from '../errors';
import type { GatewayMetrics } from '../metrics';

export interface ObservabilityOptions {
  /** Where request counts, latencies and error codes are recorded (required; no default). */
  metrics: GatewayMetrics;
  /**
   * Masks errors whose code is not client-facing (see errors.ts) and strips stack traces. Default in
   * config.ts: true when NODE_ENV=production, false otherwise.
   */
  production: boolean;
}

interface ClientError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * The error's code. Apollo Server refuses a few malformed requests (a persisted query of a version
 * other than 1) with HTTP 400 but no code, and then fills in INTERNAL_SERVER_ERROR: such an error is
 * the client's, and counting or masking it as the server's would mislead both sides.
 */
function codeOf(error: ClientError, status: number | undefined): string {
  const code = error.extensions?.code;
  const clientsFault = status !== undefined && status >= 400 && status < 500;
  if (typeof code === 'string' && !(code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR && clientsFault)) return code;
  return clientsFault ? ApolloServerErrorCode.BAD_REQUEST : ApolloServerErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * One structured log line per request with its request id, metrics, and error masking: in
 * production, database errors, stack traces and internal messages never reach the client — it
 * gets the request id to quote, the log gets the details.
 */
export function observabilityPlugin(options: ObservabilityOptions): ApolloServerPlugin<GatewayContext> {
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
          // Apollo Gateway names the subgraph of every error it got from one (and the fetcher of one
          // it could not reach) in `serviceName`; counted once per request, a list of 967 failed items
          // is one failing request, as the alert's ratio to regiograph_gateway_requests_total wants.
          const subgraphErrors = new Set<string>();
          const masked = errors.map((error): ClientError => {
            const code = codeOf(error, response.http.status);
            codes.push(code);
            metrics.errors.inc({ code });
            const subgraph = error.extensions?.serviceName;
            if (typeof subgraph === 'string' && !subgraphErrors.has(`${subgraph} ${code}`)) {
              subgraphErrors.add(`${subgraph} ${code}`);
              metrics.subgraphErrors.inc({ subgraph, code });
            }
            if (!production || CLIENT_FACING_CODES.has(code)) {
              const { stacktrace: _stacktrace, exception: _exception, ...extensions } = error.extensions ?? {};
              return {
                ...error,
                extensions: production
                  ? { ...extensions, code, requestId: contextValue.requestId }
                  : { ...error.extensions, code, requestId: contextValue.requestId },
              };
            }
            return {
              message: `Internal server error. Quote request id ${contextValue.requestId} when reporting it.`,
              path: error.path,
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.requestId },
            };
          });
          if (errors.length > 0) result.errors = masked;
          const outcome = errors.length === 0 ? 'ok' : result.data ? 'partial' : 'error';
          metrics.requests.inc({ operation: operationType, outcome });
          contextValue.logger.info('graphql request', {
            requestId: contextValue.requestId,
            operationName: request.operationName ?? operation?.name?.value ?? null,
            operation: operationType,
            outcome,
            durationMs: Math.round(seconds * 1000),
            ...(errors.length > 0
              ? {
                  errors: errors.map((error, index) => ({
                    code: codes[index],
                    message: loggedMessage(error.message),
                    path: error.path,
                    subgraph: error.extensions?.serviceName,
                  })),
                }
              : {}),
          });
        },
      };
    },
  };
}
