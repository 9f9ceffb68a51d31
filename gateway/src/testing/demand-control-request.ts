// Outside the build (tsconfig.build.json leaves src/testing out): for the demand-control plugin's tests.
import type {
  ApolloServerPlugin,
  GraphQLRequestContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import { GraphQLError, Kind, parse, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';

/**
 * One request through the demand-control plugin's hooks, taken by hand as Apollo Server takes it: the
 * context holds only the fields demand control reads (the rest of Apollo's does not matter to it), for
 * `client` with a key's own budget, or none.
 */
export async function startDemandControlRequest(
  plugin: ApolloServerPlugin<GatewayContext>,
  schema: GraphQLSchema,
  client: string,
  keyBudget: number | null,
) {
  const contextValue = {
    client,
    apiKey: keyBudget === null ? null : { costPointsPerWindow: keyBudget },
    chargedCostPoints: 0,
    estimatedCost: null,
  } as unknown as GatewayContext;
  const listener = (await plugin.requestDidStart!({
    contextValue,
  } as GraphQLRequestContext<GatewayContext>)) as GraphQLRequestListener<GatewayContext>;
  return {
    contextValue,
    listener,
    /** Runs the admission; resolves to the refusal, or null once admitted. */
    async resolve(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLError | null> {
      const document = parse(query);
      const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      try {
        await listener.didResolveOperation!({
          schema,
          document,
          operation,
          request: { variables },
          contextValue,
        } as unknown as GraphQLRequestContextDidResolveOperation<GatewayContext>);
        return null;
      } catch (error) {
        if (error instanceof GraphQLError) return error;
        throw error;
      }
    },
  };
}
