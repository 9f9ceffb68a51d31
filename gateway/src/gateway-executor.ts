import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { GatewayContext } from './context';

/** What Apollo Server takes as its gateway (an ApolloGateway, or one of the wrappers below). */
export type GatewayInterface = ApolloServerOptionsWithGateway<GatewayContext>['gateway'];
/** How the gateway executes one operation that Apollo Server has parsed, validated and let through its plugins. */
export type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

/**
 * The gateway with its executor wrapped: `wrap` receives Apollo Gateway's own executor (built anew
 * on every load) and returns the one Apollo Server calls. The pass-through (pass-through.ts) and the
 * offload to a worker thread (offload.ts) are such wrappers; `stop` runs before the gateway stops.
 */
export function wrapGatewayExecutor(
  gateway: GatewayInterface,
  wrap: (local: GatewayExecutor) => GatewayExecutor,
  stop?: () => Promise<void>,
): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: async () => {
      await stop?.();
      await gateway.stop();
    },
    async load(loadOptions) {
      const loaded = await gateway.load(loadOptions);
      return loaded.executor ? { executor: wrap(loaded.executor) } : loaded;
    },
  };
}
