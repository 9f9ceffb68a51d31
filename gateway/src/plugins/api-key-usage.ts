import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context';

/**
 * Usage per partner API key, by key id (never the secret; callers cannot invent label values: only
 * ids of stored keys become labels).
 */
export class ApiKeyUsageMetrics {
  readonly requests: Counter<'key_id'>;
  readonly costPoints: Counter<'key_id'>;
  readonly refusals: Counter<'key_id' | 'code'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'regiograph_gateway_api_key_requests_total',
      help: 'GraphQL requests admitted with a valid partner API key, by key id.',
      labelNames: ['key_id'] as const,
      registers: [registry],
    });
    this.costPoints = new Counter({
      name: 'regiograph_gateway_api_key_cost_points_total',
      help: 'Estimated cost points demand control charged to each partner API key (an operation refused for an exhausted budget is charged too, as the budget counts it).',
      labelNames: ['key_id'] as const,
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'regiograph_gateway_api_key_refusals_total',
      help: 'Requests of a partner API key refused, by key id ("unknown" for keys that do not exist) and error code.',
      labelNames: ['key_id', 'code'] as const,
      registers: [registry],
    });
  }
}

/** Codes by which demand control refuses an operation after the key was admitted. */
const REFUSAL_CODES = new Set(['RATE_LIMITED', 'OVERLOADED', 'QUERY_TOO_COSTLY']);

/** Counts the cost points and the demand-control refusals of requests made with an API key. */
export function apiKeyUsagePlugin(metrics: ApiKeyUsageMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const key = contextValue.apiKey;
          if (!key) return;
          if (contextValue.chargedCostPoints > 0) metrics.costPoints.inc({ key_id: key.id }, contextValue.chargedCostPoints);
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && REFUSAL_CODES.has(code)) metrics.refusals.inc({ key_id: key.id, code });
          }
        },
      };
    },
  };
}
