import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { currentRequestSignal } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { createAgentFetch, TimeoutError, type AgentFetchInit } from './agent-fetch';
import { GatewayErrorCode } from './errors';
import type { GatewayMetrics } from './metrics';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * The fetch the gateway uses for one subgraph: keep-alive connections (the largest single speed
 * factor between gateway and subgraphs), bounded by a timeout so that a slow subgraph costs only
 * its own fields (the subgraph then sees the connection close and stops), and measured per subgraph.
 */
export function createSubgraphFetcher(subgraph: string, timeoutMs: number, metrics: GatewayMetrics): Fetcher {
  const agentFetch = createAgentFetch();
  const fetcher = async (url: string, init?: AgentFetchInit) => {
    const stop = metrics.subgraphFetch.startTimer({ subgraph });
    try {
      // A caller who hangs up takes the subgraph calls made for it down too: the subgraphs see the
      // connection close and stop their work (resolvers, database statements).
      const response = await agentFetch(url, { ...init, signal: init?.signal ?? currentRequestSignal(), timeoutMs });
      stop({ outcome: response.ok ? 'ok' : `http_${response.status}` });
      return response;
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      stop({ outcome: timedOut ? 'timeout' : 'unreachable' });
      // Said without addresses or stack: this message may reach clients in production.
      throw new GraphQLError(
        timedOut
          ? `The ${subgraph} service did not answer within ${timeoutMs} ms; the fields it provides are missing from this answer.`
          : `The ${subgraph} service is unreachable; the fields it provides are missing from this answer.`,
        { extensions: { code: GatewayErrorCode.SubgraphUnavailable, serviceName: subgraph } },
      );
    }
  };
  return fetcher;
}
