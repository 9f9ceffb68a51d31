import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { currentRequestSignal, type Logger } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { createAgentFetch, TimeoutError, type AgentFetchInit } from './agent-fetch';
import type { CircuitChange, FetchVerdict, SubgraphCircuit } from './circuit-breaker';
import { GatewayErrorCode } from './errors';
import { dedupeInflight } from './inflight-dedupe';
import type { GatewayMetrics } from './metrics';

/** Where the measurements of subgraph fetches go: the process's metrics, or (on the worker thread) the main thread. */
export interface SubgraphFetchObserver {
  fetched(subgraph: string, outcome: string, seconds: number): void;
  merged(subgraph: string): void;
  /** A fetch not sent because the subgraph's circuit is open (circuit-breaker.ts). */
  shortCircuited(subgraph: string): void;
  /** A subgraph's circuit opened, failed its trial or closed; `retryAt` while it is open. */
  circuitChanged(subgraph: string, change: Exclude<CircuitChange, null>, retryAt: number | null): void;
}

/** Records subgraph fetches in the gateway's Prometheus metrics (/metrics), and logs their circuits' changes. */
export function metricsObserver(metrics: GatewayMetrics, logger: Logger): SubgraphFetchObserver {
  return {
    fetched: (subgraph, outcome, seconds) => metrics.subgraphFetch.observe({ subgraph, outcome }, seconds),
    merged: (subgraph) => metrics.subgraphMerged.inc({ subgraph }),
    shortCircuited: (subgraph) => metrics.subgraphShortCircuited.inc({ subgraph }),
    // The gauge reads the circuits themselves (server.ts); on-call reads when and why here.
    circuitChanged: (subgraph, change, retryAt) =>
      logger[change === 'closed' ? 'info' : 'warn'](`subgraph circuit ${change}`, {
        subgraph,
        ...(retryAt === null ? {} : { retryAt: new Date(retryAt).toISOString() }),
      }),
  };
}

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * The fetch the gateway uses for one subgraph: keep-alive connections (the largest single speed
 * factor between gateway and subgraphs), bounded by a timeout so that a slow subgraph costs only
 * its own fields (the subgraph then sees the connection close and stops), and measured per subgraph.
 * With `dedupeInflight`, identical queries in flight at once are sent once (inflight-dedupe.ts).
 * With `circuit`, a subgraph that keeps failing is not called while its circuit is open (circuit-breaker.ts):
 * every path that fetches a subgraph (Apollo's execution, pass-through, the offload worker) goes through here.
 */
export function createSubgraphFetcher(
  subgraph: string,
  timeoutMs: number,
  observer: SubgraphFetchObserver,
  options: { dedupeInflight: boolean; signalOf?: () => AbortSignal | undefined; circuit?: SubgraphCircuit } = { dedupeInflight: true },
): Fetcher {
  const { circuit } = options;
  const signalOf = options.signalOf ?? currentRequestSignal;
  const agentFetch = options.dedupeInflight
    ? dedupeInflight(createAgentFetch(), { onMerged: () => observer.merged(subgraph) })
    : createAgentFetch();
  const fetcher = async (url: string, init?: AgentFetchInit) => {
    const admission = circuit?.admit() ?? { admitted: true, trial: false };
    if (!admission.admitted) {
      observer.shortCircuited(subgraph);
      throw circuitOpenError(subgraph, admission.retryAt, admission.trialUnderWay);
    }
    const judged = (verdict: FetchVerdict) => {
      const change = circuit?.record(verdict, admission.trial);
      if (change) observer.circuitChanged(subgraph, change, circuit!.retryAt());
    };
    const started = performance.now();
    const done = (outcome: string) => observer.fetched(subgraph, outcome, (performance.now() - started) / 1000);
    const signal = init?.signal ?? signalOf();
    try {
      // A caller who hangs up takes the subgraph calls made for it down too: the subgraphs see the
      // connection close and stop their work (resolvers, database statements).
      const response = await agentFetch(url, { ...init, signal, timeoutMs });
      done(response.ok ? 'ok' : `http_${response.status}`);
      judged(response.status >= 500 ? 'failure' : 'success');
      return response;
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      done(timedOut ? 'timeout' : 'unreachable');
      // A fetch given up by its caller says nothing of the subgraph.
      judged(!timedOut && signal?.aborted ? 'neutral' : 'failure');
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

/** The error of a fetch not sent: the SUBGRAPH_UNAVAILABLE of a failed one, saying why and when the subgraph is tried again. */
function circuitOpenError(subgraph: string, retryAt: number, trialUnderWay: boolean): GraphQLError {
  const when = trialUnderWay
    ? 'a trial request to it is under way'
    : `it is tried again at ${new Date(retryAt).toISOString()} (in ${Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))} s)`;
  return new GraphQLError(
    `The ${subgraph} service failed repeatedly and its circuit is open, so it was not called; ${when}. The fields it provides are missing from this answer.`,
    { extensions: { code: GatewayErrorCode.SubgraphUnavailable, serviceName: subgraph } },
  );
}
