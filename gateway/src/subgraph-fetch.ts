import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { currentRequestSignal } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { createAgentFetch, TimeoutError, type AgentFetchInit } from './agent-fetch';
import { GatewayErrorCode } from './errors';
import { dedupeInflight } from './inflight-dedupe';
import type { GatewayMetrics } from './metrics';

/** Where the measurements of subgraph fetches go: the process's metrics, or (on the worker thread) the main thread. */
export interface SubgraphFetchObserver {
  fetched(subgraph: string, outcome: string, seconds: number): void;
  merged(subgraph: string): void;
}

/** Records subgraph fetches in the gateway's Prometheus metrics (/metrics). */
export function metricsObserver(metrics: GatewayMetrics): SubgraphFetchObserver {
  return {
    fetched: (subgraph, outcome, seconds) => metrics.subgraphFetch.observe({ subgraph, outcome }, seconds),
    merged: (subgraph) => metrics.subgraphMerged.inc({ subgraph }),
  };
}

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * The fetch the gateway uses for one subgraph: keep-alive connections (the largest single speed
 * factor between gateway and subgraphs), bounded by a timeout so that a slow subgraph costs only
 * its own fields (the subgraph then sees the connection close and stops), and measured per subgraph.
 * With `dedupeInflight`, identical queries in flight at once are sent once (inflight-dedupe.ts).
 */
export function createSubgraphFetcher(
  subgraph: string,
  timeoutMs: number,
  observer: SubgraphFetchObserver,
  options: { dedupeInflight: boolean; signalOf?: () => AbortSignal | undefined } = { dedupeInflight: true },
): Fetcher {
  const signalOf = options.signalOf ?? currentRequestSignal;
  const agentFetch = options.dedupeInflight
    ? dedupeInflight(createAgentFetch(), { onMerged: () => observer.merged(subgraph) })
    : createAgentFetch();
  const fetcher = async (url: string, init?: AgentFetchInit) => {
    const started = performance.now();
    const done = (outcome: string) => observer.fetched(subgraph, outcome, (performance.now() - started) / 1000);
    try {
      // A caller who hangs up takes the subgraph calls made for it down too: the subgraphs see the
      // connection close and stop their work (resolvers, database statements).
      const response = await agentFetch(url, { ...init, signal: init?.signal ?? signalOf(), timeoutMs });
      done(response.ok ? 'ok' : `http_${response.status}`);
      return response;
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      done(timedOut ? 'timeout' : 'unreachable');
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
